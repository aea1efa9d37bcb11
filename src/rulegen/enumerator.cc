// The generator's depth-first enumeration (enumerator.h).
#include "src/rulegen/enumerator.h"

#include <algorithm>
#include <atomic>
#include <deque>
#include <memory>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "absl/container/node_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "src/rulegen/progress.h"
#include "tsopt/ir/shape_inference.h"
#include "tsopt/reference/evaluator.h"
#include "tsopt/util/status_macros.h"

namespace tsopt::rulegen {
namespace {

uint64_t BucketKey(uint64_t h, const GeneratorOptions& o) {
  return o.bucket_bits >= 64 ? h : h & ((uint64_t{1} << o.bucket_bits) - 1);
}

// A cheap necessary condition for shape inference to succeed, so that the
// many ill-typed applications do not pay for building an error message.
bool PlausiblyTyped(OpKind op, const Attrs& attrs, const Shape* const* p) {
  auto in = [p](int i) -> const Shape& { return *p[i]; };
  switch (op) {
    case OpKind::kConv2D:
      return in(0).rank() == 4 && in(1).rank() == 4 &&
             in(0).dim(1) == in(1).dim(1) * std::get<Conv2DAttrs>(attrs).groups;
    case OpKind::kMatMul:
      return in(0).rank() >= 2 && in(1).rank() >= 2 &&
             in(0).dim(in(0).rank() - 1) == in(1).dim(in(1).rank() - 2);
    case OpKind::kConcat: {
      int64_t axis = std::get<ConcatAttrs>(attrs).axis;
      if (in(0).rank() != in(1).rank() || axis >= in(0).rank()) return false;
      for (int d = 0; d < in(0).rank(); ++d) {
        if (d != axis && in(0).dim(d) != in(1).dim(d)) return false;
      }
      return true;
    }
    case OpKind::kTranspose:
      return static_cast<int>(std::get<TransposeAttrs>(attrs).perm.size()) ==
             in(0).rank();
    case OpKind::kEnlarge:
    case OpKind::kAvgPool2D:
    case OpKind::kMaxPool2D:
      return in(0).rank() == 4;
    case OpKind::kScalarMul:
      return in(1).rank() == 0;
    default:
      return true;
  }
}

// A graph value: shape (interned by the worker: one address per distinct
// shape), fingerprint residues and its hash.
struct Val {
  const Shape* shape = nullptr;
  std::shared_ptr<const ModTensor> fp;
  uint64_t fp_hash = 0;
  bool weight_only = false;
};

// Canonical-hash sets shared by the threads, sharded to limit contention.
class SeenSet {
 public:
  bool Insert(uint64_t h) {
    Shard& s = shards_[h % kShards];
    absl::MutexLock lock(&s.mu);
    return s.set.insert(h).second;
  }

 private:
  static constexpr int kShards = 64;
  struct Shard {
    absl::Mutex mu;
    absl::flat_hash_set<uint64_t> set;
  };
  Shard shards_[kShards];
};

// Fingerprints of the values computable with at most one operator: the
// leaves, and every output of an operator applied to leaves.
struct SmallValues {
  absl::flat_hash_set<uint64_t> leaves;
  absl::flat_hash_set<uint64_t> one_op;
};

// Fingerprint hashes of a graph's node outputs (at most 2 per node).
using NodeFps = std::array<std::array<uint64_t, 2>, kMaxNodes>;

struct Candidate {
  int16_t choice;
  int8_t arity;
  std::array<Ref, 2> in;
};

// The type check of an operator choice applied to operand shapes, memoized
// per worker (most applications the enumeration tries are ill-typed, and
// the same few shapes recur).
struct Typing {
  enum Kind : int8_t { kRejected, kIllTyped, kTyped } kind = kRejected;
  absl::InlinedVector<const Shape*, 2> outputs;  // interned
};

class Worker {
 public:
  Worker(const Universe& u, const GeneratorOptions& o,
         const std::vector<std::vector<int>>& perms,
         const std::vector<Val>& leaves, SeenSet& seen,
         const SmallValues* small)
      : u_(u), o_(o), perms_(perms), leaves_(leaves), seen_(seen),
        small_(small) {
    for (const OpChoice& c : u.choices) {
      commutative_.push_back(GetOpInfo(c.op).commutative);
    }
    for (Val& v : leaves_) v.shape = Intern(*v.shape);
  }

  void RunBranch(const Candidate& c) { TryNode(c, 0); }

  std::vector<GraphRecord> records;
  int64_t duplicates = 0;
  int64_t ill_typed = 0;
  int64_t redundant = 0;  // graphs recorded but not extended
  std::atomic<int64_t>* graph_counter = nullptr;
  // Collecting mode (SmallValues): the fingerprints of every new node's
  // outputs go here and nothing is recorded.
  std::vector<uint64_t>* collect = nullptr;

 private:
  const Val& ValueOf(Ref r) const {
    return r.node < 0 ? leaves_[r.index] : vals_[r.node][r.index];
  }

  // Operands (indices into Expand's list) of one interned shape.
  struct ShapeGroup {
    const Shape* shape;
    absl::InlinedVector<int, 16> members;
  };

  // The operand pairs (i, j) of two groups, only those with i <= j for a
  // commutative choice (members are ascending).
  static int64_t Pairs(const ShapeGroup& a, const ShapeGroup& b, bool comm) {
    if (!comm) return static_cast<int64_t>(a.members.size() * b.members.size());
    int64_t n = 0;
    size_t k = 0;  // members of b below the current member of a
    for (int i : a.members) {
      while (k < b.members.size() && b.members[k] < i) ++k;
      n += static_cast<int64_t>(b.members.size() - k);
    }
    return n;
  }

  // Every application of every choice to the leaves and the current
  // graph's values. Operands are grouped by shape, so a choice is
  // type-checked once per group (pair) and ill-typed groups are skipped
  // whole (counted per operand tuple).
  void Expand(int depth) {
    absl::InlinedVector<Ref, 32> refs;
    for (size_t l = 0; l < u_.leaves.size(); ++l) {
      refs.push_back({-1, static_cast<int8_t>(l)});
    }
    for (int n = 0; n < cur_.num_nodes; ++n) {
      for (size_t k = 0; k < vals_[n].size(); ++k) {
        refs.push_back({static_cast<int8_t>(n), static_cast<int8_t>(k)});
      }
    }
    absl::InlinedVector<ShapeGroup, 16> groups;
    for (int i = 0; i < static_cast<int>(refs.size()); ++i) {
      const Shape* s = ValueOf(refs[i]).shape;
      auto g = std::find_if(groups.begin(), groups.end(),
                            [&](const ShapeGroup& x) { return x.shape == s; });
      if (g == groups.end()) g = groups.insert(groups.end(), ShapeGroup{s, {}});
      g->members.push_back(i);
    }
    for (size_t ci = 0; ci < u_.choices.size(); ++ci) {
      const int16_t choice = static_cast<int16_t>(ci);
      const OpChoice& c = u_.choices[ci];
      const bool comm = GetOpInfo(c.op).commutative;
      if (c.arity == 1) {
        for (const ShapeGroup& g : groups) {
          const Typing t = TypeOf(choice, &g.shape, 1);
          if (t.kind != Typing::kTyped) {
            if (t.kind == Typing::kIllTyped) ill_typed += g.members.size();
            continue;
          }
          for (int i : g.members) TryNode({choice, 1, {refs[i], Ref{}}}, depth, &t);
        }
        continue;
      }
      for (const ShapeGroup& ga : groups) {
        for (const ShapeGroup& gb : groups) {
          const Shape* shapes[2] = {ga.shape, gb.shape};
          const Typing t = TypeOf(choice, shapes, 2);
          if (t.kind != Typing::kTyped) {
            if (t.kind == Typing::kIllTyped) ill_typed += Pairs(ga, gb, comm);
            continue;
          }
          for (int i : ga.members) {
            for (int j : gb.members) {
              if (comm && j < i) continue;
              TryNode({choice, 2, {refs[i], refs[j]}}, depth, &t);
            }
          }
        }
      }
    }
  }

  // Structural hash of the current graph with leaves renamed by `perm`.
  uint64_t GraphHash(const std::vector<int>& perm) const {
    std::array<uint64_t, kMaxNodes> h;
    auto ref_hash = [&](Ref r) {
      return r.node < 0 ? Mix(0x1eaf, static_cast<uint64_t>(perm[r.index]))
                        : Mix(h[r.node], static_cast<uint64_t>(r.index));
    };
    for (int i = 0; i < cur_.num_nodes; ++i) {
      const RecNode& n = cur_.nodes[i];
      uint64_t a = ref_hash(n.in[0]);
      uint64_t b = n.arity > 1 ? ref_hash(n.in[1]) : 0;
      if (n.arity > 1 && commutative_[n.choice] && b < a) std::swap(a, b);
      h[i] = Mix(Mix(Mix(0xc0de, static_cast<uint64_t>(n.choice)), a), b);
    }
    // Insertion sort of at most kMaxNodes hashes.
    for (int i = 1; i < cur_.num_nodes; ++i) {
      for (int j = i; j > 0 && h[j] < h[j - 1]; --j) std::swap(h[j], h[j - 1]);
    }
    uint64_t g = 0x9a;
    for (int i = 0; i < cur_.num_nodes; ++i) g = Mix(g, h[i]);
    return g;
  }

  // Minimal structural hash over leaf renamings.
  uint64_t CanonicalHash() const {
    uint64_t best = 0;
    bool first = true;
    for (int p : DistinctPerms()) {
      uint64_t h = GraphHash(perms_[p]);
      if (first || h < best) best = h;
      first = false;
    }
    return best;
  }

  // Values not read by any node.
  absl::InlinedVector<Ref, 2 * kMaxNodes> Sinks() const {
    absl::InlinedVector<Ref, 2 * kMaxNodes> sinks;
    for (int n = 0; n < cur_.num_nodes; ++n) {
      for (size_t k = 0; k < vals_[n].size(); ++k) {
        Ref r{static_cast<int8_t>(n), static_cast<int8_t>(k)};
        bool read = false;
        for (int m = n + 1; m < cur_.num_nodes && !read; ++m) {
          for (int a = 0; a < cur_.nodes[m].arity; ++a) {
            read = read || cur_.nodes[m].in[a] == r;
          }
        }
        if (!read) sinks.push_back(r);
      }
    }
    return sinks;
  }

  bool Connected() const {
    std::vector<int> parent(cur_.num_nodes);
    for (int i = 0; i < cur_.num_nodes; ++i) parent[i] = i;
    auto find = [&](int x) {
      while (parent[x] != x) x = parent[x] = parent[parent[x]];
      return x;
    };
    std::vector<int> leaf_owner(u_.leaves.size(), -1);
    for (int i = 0; i < cur_.num_nodes; ++i) {
      for (int a = 0; a < cur_.nodes[i].arity; ++a) {
        Ref r = cur_.nodes[i].in[a];
        int other = r.node;
        if (r.node < 0) {
          if (u_.leaves[r.index].constant) continue;
          int& owner = leaf_owner[r.index];
          if (owner < 0) owner = i;
          other = owner;
        }
        parent[find(i)] = find(other);
      }
    }
    for (int i = 1; i < cur_.num_nodes; ++i) {
      if (find(i) != find(0)) return false;
    }
    return true;
  }

  // `typing`: the choice's type check over the operands' shapes, when the
  // caller has it.
  void TryNode(const Candidate& c, int depth, const Typing* typing = nullptr) {
    const OpChoice& choice = u_.choices[c.choice];
    const Shape* shapes[2] = {nullptr, nullptr};
    bool weight_only = true;
    for (int a = 0; a < c.arity; ++a) {
      const Val& v = ValueOf(c.in[a]);
      shapes[a] = v.shape;
      weight_only = weight_only && v.weight_only;
    }
    if (choice.op == OpKind::kConv2D &&
        (ValueOf(c.in[0]).weight_only || !ValueOf(c.in[1]).weight_only)) {
      return;
    }
    // Constants only where TASO uses them: the identity matrix as a matmul
    // operand, conv kernels as the kernel of a stride-1 "same" conv (where
    // the identity kernel is the identity and the averaging kernel an
    // average pool; elsewhere they only crop or subsample), any of them
    // added to a non-constant; never an operator over constants only.
    int constants = 0;
    for (int a = 0; a < c.arity; ++a) {
      Ref r = c.in[a];
      if (r.node >= 0 || !u_.leaves[r.index].constant) continue;
      ++constants;
      ConstKind k = *u_.leaves[r.index].constant;
      bool ok = choice.op == OpKind::kAdd ||
                (choice.op == OpKind::kMatMul &&
                 k == ConstKind::kIdentityMatrix) ||
                (choice.op == OpKind::kConv2D && a == 1 &&
                 k != ConstKind::kIdentityMatrix &&
                 choice.mode == AttrMode::kConvSamePad &&
                 std::get<Conv2DAttrs>(choice.attrs).stride ==
                     std::vector<int64_t>{1, 1});
      if (!ok) return;
    }
    if (constants == c.arity) return;
    // The same application twice is never useful.
    for (int n = 0; n < cur_.num_nodes; ++n) {
      const RecNode& m = cur_.nodes[n];
      if (m.choice == c.choice && m.in[0] == c.in[0] &&
          (c.arity == 1 || m.in[1] == c.in[1])) {
        return;
      }
    }
    if (typing == nullptr) typing = &TypeOf(c.choice, shapes, c.arity);
    if (typing->kind != Typing::kTyped) {
      if (typing->kind == Typing::kIllTyped) ++ill_typed;
      return;
    }
    RecNode& node = cur_.nodes[cur_.num_nodes++];
    node.choice = c.choice;
    node.arity = c.arity;
    node.in = c.in;
    auto pop = [&] { vals_[--cur_.num_nodes].clear(); };
    const int remaining = o_.max_ops - depth - 1;
    for (const Shape* s : typing->outputs) {
      vals_[cur_.num_nodes - 1].push_back(Val{s, {}, 0, weight_only});
    }
    const int sinks = static_cast<int>(Sinks().size());
    if (sinks - remaining > o_.max_outputs) {
      pop();
      return;
    }
    const uint64_t canon = CanonicalHash();
    if (!seen_.Insert(canon)) {
      ++duplicates;
      pop();
      return;
    }
    if (memo_.size() >= kMaxMemo) memo_.clear();
    if (!EvaluateNode(cur_.num_nodes - 1)) {
      pop();
      return;
    }
    graph_counter->fetch_add(1, std::memory_order_relaxed);
    const int n = cur_.num_nodes - 1;
    cone_[n] = static_cast<uint8_t>(1u << n);
    for (int a = 0; a < c.arity; ++a) {
      if (c.in[a].node >= 0) cone_[n] |= cone_[c.in[a].node];
    }
    if (collect != nullptr) {
      for (const Val& v : vals_[n]) collect->push_back(v.fp_hash);
      pop();
      return;
    }
    const bool detour = Redundant(n);
    if (sinks <= o_.max_outputs && Connected()) Record(canon, detour ? n : -1);
    if (remaining > 0) {
      if (detour) {
        ++redundant;
      } else {
        Expand(depth + 1);
      }
    }
    pop();
  }

  // The type check of `choice` over interned operand shapes (memoized).
  const Typing& TypeOf(int16_t choice, const Shape* const* shapes, int arity) {
    uint64_t key = Mix(0x7e, static_cast<uint64_t>(choice));
    for (int a = 0; a < arity; ++a) {
      key = Mix(key, reinterpret_cast<uintptr_t>(shapes[a]));
    }
    auto [it, inserted] = typing_.try_emplace(key);
    if (inserted) it->second = CheckTyping(u_.choices[choice], shapes, arity);
    return it->second;
  }

  Typing CheckTyping(const OpChoice& choice, const Shape* const* shapes,
                     int arity) {
    Typing t;
    if (choice.op == OpKind::kMatMul &&
        (shapes[0]->rank() != 2 || shapes[1]->rank() != 2)) {
      return t;
    }
    // Elementwise operators without broadcasting (as TASO): equal shapes.
    if ((choice.op == OpKind::kAdd || choice.op == OpKind::kSub ||
         choice.op == OpKind::kMul) &&
        *shapes[0] != *shapes[1]) {
      return t;
    }
    const Attrs* attrs = ResolveAttrsInto(choice, shapes, arity, &attrs_scratch_);
    if (attrs == nullptr) return t;
    t.kind = Typing::kIllTyped;
    if (!PlausiblyTyped(choice.op, *attrs, shapes)) return t;
    std::vector<Shape> in_shapes;
    for (int a = 0; a < arity; ++a) in_shapes.push_back(*shapes[a]);
    absl::StatusOr<std::vector<Shape>> out = InferShapes(choice.op, *attrs, in_shapes);
    if (!out.ok()) return t;
    t.kind = Typing::kRejected;
    if (out->size() > 2) return t;  // NodeFps holds two per node
    t.kind = Typing::kTyped;
    for (const Shape& s : *out) t.outputs.push_back(Intern(s));
    return t;
  }

  // The worker's copy of `s` (stable address) and its index.
  const Shape* Intern(const Shape& s) {
    auto [it, inserted] = shape_ids_.try_emplace(s, static_cast<int>(interned_.size()));
    if (inserted) interned_.push_back(s);
    return &interned_[it->second];
  }

  // Whether every output of node `n` is a detour: a value equal to a leaf,
  // to another value of the graph, or (single-output nodes with a cone of 2
  // or more nodes: n and its ancestors) to an operator applied to leaves.
  // Such a graph is recorded (so the rule detour -> shorter value is found)
  // but never extended: in any extension, reading the equal value instead
  // and dropping the nodes left dead gives a graph with fewer or as many
  // nodes and a smaller total cone size, equal to it by that rule, so a
  // pair with the extension follows from that rule and a pair with the
  // substituted graph, which is enumerated (by induction on the cone
  // sizes). Multi-output nodes with an output equal only to a one-operator
  // value are not detours: their other outputs keep them alive (split after
  // a conv over concatenated kernels is a rule's target).
  bool Redundant(int n) const {
    const int cone = __builtin_popcount(cone_[n]);
    for (size_t k = 0; k < vals_[n].size(); ++k) {
      const uint64_t f = vals_[n][k].fp_hash;
      bool detour = small_->leaves.contains(f) ||
                    (vals_[n].size() == 1 && cone >= 2 &&
                     small_->one_op.contains(f));
      for (int m = 0; m < cur_.num_nodes && !detour; ++m) {
        for (size_t j = 0; j < vals_[m].size() && !detour; ++j) {
          detour = (m != n || j != k) && vals_[m][j].fp_hash == f;
        }
      }
      if (!detour) return false;
    }
    return true;
  }

  // The outputs of `node` applied to `in` (its operands' values), through
  // the memo; null when the evaluator has no modular form for it. The
  // pointer is valid until the memo is cleared (TryNode, between graphs).
  const std::vector<Val>* Apply(const RecNode& node, const Val* const* in) {
    uint64_t key = Mix(0xe7a1, static_cast<uint64_t>(node.choice));
    for (int a = 0; a < node.arity; ++a) key = Mix(key, in[a]->fp_hash);
    auto it = memo_.find(key);
    if (it == memo_.end()) {
      const OpChoice& c = u_.choices[node.choice];
      const Shape* shapes[2] = {nullptr, nullptr};
      std::vector<const ModTensor*> fps;
      for (int a = 0; a < node.arity; ++a) {
        shapes[a] = in[a]->shape;
        fps.push_back(in[a]->fp.get());
      }
      std::vector<Val> outs;
      const Attrs* attrs = ResolveAttrsInto(c, shapes, node.arity, &attrs_scratch_);
      absl::StatusOr<std::vector<ModTensor>> r =
          attrs == nullptr ? absl::InternalError("unresolved")
                           : EvaluateOpModular(c.op, *attrs, fps);
      if (r.ok()) {
        for (ModTensor& t : *r) {
          Val v;
          v.shape = Intern(t.shape);
          v.fp_hash = FingerprintHash(t);
          v.fp = std::make_shared<const ModTensor>(std::move(t));
          outs.push_back(std::move(v));
        }
      }
      it = memo_.emplace(key, std::move(outs)).first;
    }
    return it->second.empty() ? nullptr : &it->second;
  }

  // Fills the fingerprints of node `n`'s outputs; false when the evaluator
  // has no modular form for it.
  bool EvaluateNode(int n) {
    const RecNode& node = cur_.nodes[n];
    const Val* in[2] = {nullptr, nullptr};
    for (int a = 0; a < node.arity; ++a) in[a] = &ValueOf(node.in[a]);
    const std::vector<Val>* out = Apply(node, in);
    if (out == nullptr || out->size() != vals_[n].size()) return false;
    for (size_t k = 0; k < out->size(); ++k) {
      vals_[n][k].fp = (*out)[k].fp;
      vals_[n][k].fp_hash = (*out)[k].fp_hash;
    }
    return true;
  }

  // Stores the current graph in canonical form.
  // `detour`: the node Redundant() holds for (the newest), or -1.
  void Record(uint64_t canon, int detour) {
    // The renaming whose output fingerprints hash smallest: equal graphs
    // (same values for every renaming) get the same bucket and consistent
    // variable names, whatever their structure.
    NodeFps fp_hash;
    uint64_t bucket = 0;
    int perm_index = -1;
    const auto sinks = Sinks();
    for (int p : DistinctPerms()) {
      NodeFps h;
      if (!Reevaluate(p, &h)) return;
      absl::InlinedVector<uint64_t, 2 * kMaxNodes> outs;
      for (Ref s : sinks) outs.push_back(h[s.node][s.index]);
      std::sort(outs.begin(), outs.end());
      uint64_t b = 0xb0c;
      for (uint64_t x : outs) b = Mix(b, x);
      // Ties (graphs whose value is symmetric in interchangeable leaves):
      // the smallest structural hash of the renamed graph, so that the
      // record does not depend on the labeling the graph was reached in.
      if (perm_index < 0 || b < bucket ||
          (b == bucket && GraphHash(perms_[p]) < GraphHash(perms_[perm_index]))) {
        bucket = b;
        perm_index = p;
        fp_hash = h;
      }
    }
    if (BucketKey(bucket, o_) % o_.shard_count !=
        static_cast<uint64_t>(o_.shard_index)) {
      return;
    }
    const std::vector<int>& perm = perms_[perm_index];
    // Renamed copy: leaf l becomes perm[l].
    GraphRecord g = cur_;
    for (int i = 0; i < g.num_nodes; ++i) {
      for (int a = 0; a < g.nodes[i].arity; ++a) {
        Ref& r = g.nodes[i].in[a];
        if (r.node < 0) r.index = static_cast<int8_t>(perm[r.index]);
      }
    }
    // Canonical node order: topological, smallest structural hash first.
    std::vector<uint64_t> h = NodeHashes(g, u_);
    absl::InlinedVector<int, kMaxNodes> order;
    std::array<int, kMaxNodes> new_index;
    std::array<bool, kMaxNodes> placed{};
    while (static_cast<int>(order.size()) < g.num_nodes) {
      int best = -1;
      for (int i = 0; i < g.num_nodes; ++i) {
        if (placed[i]) continue;
        bool ready = true;
        for (int a = 0; a < g.nodes[i].arity; ++a) {
          int dep = g.nodes[i].in[a].node;
          ready = ready && (dep < 0 || placed[dep]);
        }
        if (ready && (best < 0 || h[i] < h[best])) best = i;
      }
      placed[best] = true;
      new_index[best] = static_cast<int>(order.size());
      order.push_back(best);
    }
    GraphRecord r;
    r.canon = canon;
    r.num_nodes = g.num_nodes;
    auto remap = [&](Ref x) {
      if (x.node >= 0) x.node = static_cast<int8_t>(new_index[x.node]);
      return x;
    };
    auto ref_hash = [&](Ref x) {
      return x.node < 0 ? Mix(0x1eaf, static_cast<uint64_t>(x.index))
                        : Mix(h[x.node], static_cast<uint64_t>(x.index));
    };
    for (int i = 0; i < g.num_nodes; ++i) {
      RecNode n = g.nodes[order[i]];
      if (n.arity > 1 && GetOpInfo(u_.choices[n.choice].op).commutative &&
          ref_hash(n.in[1]) < ref_hash(n.in[0])) {
        std::swap(n.in[0], n.in[1]);
      }
      for (int a = 0; a < n.arity; ++a) n.in[a] = remap(n.in[a]);
      r.nodes[i] = n;
    }
    absl::InlinedVector<std::pair<std::pair<uint64_t, uint64_t>, Ref>,
                        2 * kMaxNodes>
        outs;
    absl::InlinedVector<uint64_t, 2 * kMaxNodes> congruence;
    uint8_t covered = 0;
    bool disjoint = true;
    for (Ref s : sinks) {
      outs.push_back({{fp_hash[s.node][s.index], ref_hash(s)}, remap(s)});
      congruence.push_back(Mix(Signature(g, s.node, fp_hash),
                               static_cast<uint64_t>(s.index)));
      disjoint = disjoint && (covered & cone_[s.node]) == 0;
      covered |= cone_[s.node];
    }
    std::sort(congruence.begin(), congruence.end());
    r.congruence = 0xc0;
    for (uint64_t c : congruence) r.congruence = Mix(r.congruence, c);
    r.decomposable = sinks.size() >= 2 && disjoint;
    for (Ref s : sinks) r.detoured = r.detoured || (detour >= 0 && s.node != detour);
    std::sort(outs.begin(), outs.end(), [](const auto& a, const auto& b) {
      return a.first < b.first;
    });
    r.num_outputs = static_cast<int8_t>(outs.size());
    for (size_t i = 0; i < outs.size(); ++i) r.outputs[i] = outs[i].second;
    r.bucket = BucketKey(bucket, o_);
    records.push_back(r);
  }

  // The fingerprint hashes of the current graph's node outputs with leaf l
  // holding leaf perm[l]'s values (renamed leaves have the same shapes, so
  // the attributes resolve as for the current graph).
  bool Reevaluate(int perm_index, NodeFps* fp_hash) {
    if (perm_index == 0) {  // the identity: already evaluated
      for (int n = 0; n < cur_.num_nodes; ++n) {
        for (size_t k = 0; k < vals_[n].size(); ++k) {
          (*fp_hash)[n][k] = vals_[n][k].fp_hash;
        }
      }
      return true;
    }
    const std::vector<int>& perm = perms_[perm_index];
    // Pointers into the memo (a node map: stable until it is cleared,
    // which happens only between graphs).
    std::array<const std::vector<Val>*, kMaxNodes> vals{};
    for (int n = 0; n < cur_.num_nodes; ++n) {
      const RecNode& node = cur_.nodes[n];
      const Val* in[2] = {nullptr, nullptr};
      for (int a = 0; a < node.arity; ++a) {
        Ref r = node.in[a];
        in[a] = r.node < 0 ? &leaves_[perm[r.index]] : &(*vals[r.node])[r.index];
      }
      vals[n] = Apply(node, in);
      if (vals[n] == nullptr || vals[n]->size() != vals_[n].size()) return false;
      for (size_t k = 0; k < vals[n]->size(); ++k) {
        (*fp_hash)[n][k] = (*vals[n])[k].fp_hash;
      }
    }
    return true;
  }

  // The operator choice of node `n` of `g` and the fingerprints of its
  // operands, with associative operators flattened: operands computed by a
  // node of the same associative family are replaced by their operands
  // (recursively), and commutative lists are sorted. Two graphs with equal
  // signatures are equal by smaller rules: associativity (N = 2) and the
  // rules between operands of equal fingerprints (equationally: where a
  // flattened node is shared, a rewriting engine that never duplicates
  // nodes may not reach one form from the other). Graphs of up to 2 nodes
  // are not flattened: their pairs are the associativity rules themselves.
  uint64_t Signature(const GraphRecord& g, int n,
                     const NodeFps& fp_hash) const {
    const OpChoice& root = u_.choices[g.nodes[n].choice];
    // Whether a node of `choice` continues the root's associative family.
    auto continues = [&](int16_t choice) {
      const OpChoice& c = u_.choices[choice];
      switch (root.op) {
        case OpKind::kMatMul:
          return c.op == OpKind::kMatMul &&
                 std::get<MatMulAttrs>(c.attrs).activation == Activation::kNone;
        case OpKind::kConcat:
        case OpKind::kAdd:
        case OpKind::kMul:
          return choice == g.nodes[n].choice;
        default:
          return false;
      }
    };
    absl::InlinedVector<uint64_t, 2 * kMaxNodes> operands;
    // Depth-first, left to right (the stack holds the operands to visit
    // in reverse).
    absl::InlinedVector<Ref, 2 * kMaxNodes> stack;
    for (int a = g.nodes[n].arity - 1; a >= 0; --a) stack.push_back(g.nodes[n].in[a]);
    while (!stack.empty()) {
      Ref x = stack.back();
      stack.pop_back();
      if (x.node >= 0 && g.num_nodes > 2 && continues(g.nodes[x.node].choice)) {
        for (int a = g.nodes[x.node].arity - 1; a >= 0; --a) {
          stack.push_back(g.nodes[x.node].in[a]);
        }
        continue;
      }
      operands.push_back(x.node < 0 ? leaves_[x.index].fp_hash
                                    : fp_hash[x.node][x.index]);
    }
    if (commutative_[g.nodes[n].choice]) {
      std::sort(operands.begin(), operands.end());
    }
    uint64_t h = Mix(0xc09, static_cast<uint64_t>(g.nodes[n].choice));
    for (uint64_t f : operands) h = Mix(h, f);
    return h;
  }

  // Indices of the renamings that differ on the leaves the graph reads
  // (identity first; at most 64).
  absl::InlinedVector<int, 16> DistinctPerms() const {
    std::array<int, 2 * kMaxNodes> read;
    int num_read = 0;
    for (int i = 0; i < cur_.num_nodes; ++i) {
      for (int a = 0; a < cur_.nodes[i].arity; ++a) {
        Ref r = cur_.nodes[i].in[a];
        if (r.node >= 0) continue;
        bool seen = false;
        for (int k = 0; k < num_read; ++k) seen = seen || read[k] == r.index;
        if (!seen) read[num_read++] = r.index;
      }
    }
    constexpr size_t kMaxTried = 64;
    absl::InlinedVector<uint64_t, 16> tried;
    absl::InlinedVector<int, 16> out;
    for (size_t p = 0; p < perms_.size() && out.size() < kMaxTried; ++p) {
      uint64_t sig = 0x5;
      for (int k = 0; k < num_read; ++k) {
        sig = Mix(sig, static_cast<uint64_t>(perms_[p][read[k]]));
      }
      if (std::find(tried.begin(), tried.end(), sig) != tried.end()) continue;
      tried.push_back(sig);
      out.push_back(static_cast<int>(p));
    }
    return out;
  }

  const Universe& u_;
  const GeneratorOptions& o_;
  const std::vector<std::vector<int>>& perms_;
  std::vector<Val> leaves_;  // the shared leaves, shapes interned here
  SeenSet& seen_;
  const SmallValues* small_;
  GraphRecord cur_;
  std::array<uint8_t, kMaxNodes> cone_{};  // ancestor bit masks, self included
  std::array<absl::InlinedVector<Val, 2>, kMaxNodes> vals_;  // per node
  Attrs attrs_scratch_;
  std::vector<bool> commutative_;  // by choice
  absl::flat_hash_map<uint64_t, Typing> typing_;  // TypeOf's memo
  std::deque<Shape> interned_;                    // Intern's shapes
  absl::flat_hash_map<Shape, int> shape_ids_;
  // Node evaluations by (choice, operand fingerprints): each distinct value
  // is computed once per thread.
  static constexpr size_t kMaxMemo = 100000;
  // Bounded memory: TryNode starts over when the memo is full.
  absl::node_hash_map<uint64_t, std::vector<Val>> memo_;
};

// Every renaming of interchangeable leaves (identity first).
std::vector<std::vector<int>> LeafPermutations(const Universe& u) {
  std::vector<std::vector<int>> perms(1);
  for (size_t l = 0; l < u.leaves.size(); ++l) {
    perms[0].push_back(static_cast<int>(l));
  }
  int max_cls = -1;
  for (const Leaf& l : u.leaves) max_cls = std::max(max_cls, l.cls);
  for (int cls = 0; cls <= max_cls; ++cls) {
    std::vector<int> members;
    for (size_t l = 0; l < u.leaves.size(); ++l) {
      if (u.leaves[l].cls == cls) members.push_back(static_cast<int>(l));
    }
    if (members.size() < 2) continue;
    std::vector<std::vector<int>> next;
    for (const std::vector<int>& p : perms) {
      std::vector<int> image = members;
      do {
        std::vector<int> q = p;
        for (size_t i = 0; i < members.size(); ++i) q[members[i]] = image[i];
        next.push_back(q);
      } while (std::next_permutation(image.begin(), image.end()));
    }
    perms = std::move(next);
  }
  return perms;
}

}  // namespace

absl::StatusOr<EnumerationResult> Enumerate(const Universe& u,
                                            const GeneratorOptions& o) {
  if (u.leaves.size() > 100) {
    return absl::InvalidArgumentError("too many leaves");
  }
  std::vector<Val> leaves;
  for (size_t l = 0; l < u.leaves.size(); ++l) {
    const Leaf& leaf = u.leaves[l];
    TSOPT_ASSIGN_OR_RETURN(ModTensor fp,
                           LeafResidues(leaf, Mix(o.seed, 1000 + l)));
    uint64_t h = FingerprintHash(fp);
    leaves.push_back(Val{&leaf.shape,
                         std::make_shared<const ModTensor>(std::move(fp)), h,
                         leaf.weight_only()});
  }
  const std::vector<std::vector<int>> perms = LeafPermutations(u);
  // Top-level branches: every application to leaves.
  std::vector<Candidate> branches;
  for (size_t ci = 0; ci < u.choices.size(); ++ci) {
    const OpChoice& c = u.choices[ci];
    const bool comm = GetOpInfo(c.op).commutative;
    for (size_t i = 0; i < u.leaves.size(); ++i) {
      Ref a{-1, static_cast<int8_t>(i)};
      if (c.arity == 1) {
        branches.push_back({static_cast<int16_t>(ci), 1, {a, Ref{}}});
        continue;
      }
      for (size_t j = comm ? i : 0; j < u.leaves.size(); ++j) {
        branches.push_back({static_cast<int16_t>(ci), 2,
                            {a, Ref{-1, static_cast<int8_t>(j)}}});
      }
    }
  }
  std::atomic<int64_t> graphs{0};
  SmallValues small;
  for (const Val& v : leaves) small.leaves.insert(v.fp_hash);
  {
    GeneratorOptions one = o;
    one.max_ops = 1;
    SeenSet seen_one;
    std::vector<uint64_t> fps;
    std::atomic<int64_t> count{0};
    Worker w(u, one, perms, leaves, seen_one, &small);
    w.graph_counter = &count;
    w.collect = &fps;
    for (const Candidate& b : branches) w.RunBranch(b);
    small.one_op.insert(fps.begin(), fps.end());
  }
  SeenSet seen;
  std::atomic<int> next{0};
  PhaseProgress progress(o, GeneratorProgress::Phase::kEnumerate,
                         static_cast<int64_t>(branches.size()));
  const int threads = std::max(1, o.threads);
  std::vector<std::unique_ptr<Worker>> workers;
  for (int t = 0; t < threads; ++t) {
    workers.push_back(
        std::make_unique<Worker>(u, o, perms, leaves, seen, &small));
    workers.back()->graph_counter = &graphs;
  }
  auto work = [&](Worker* w) {
    while (true) {
      int b = next.fetch_add(1);
      if (b >= static_cast<int>(branches.size())) return;
      w->RunBranch(branches[b]);
      progress.Done(graphs.load());
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, workers[t].get());
  work(workers[0].get());
  for (std::thread& t : pool) t.join();

  EnumerationResult result;
  size_t total = 0;
  for (const auto& w : workers) total += w->records.size();
  result.records.reserve(total + 2 * u.leaves.size() * u.leaves.size());
  for (auto& w : workers) {
    result.duplicates += w->duplicates;
    result.ill_typed += w->ill_typed;
    result.redundant += w->redundant;
    result.records.insert(result.records.end(), w->records.begin(),
                          w->records.end());
    w->records.clear();
    w->records.shrink_to_fit();
  }
  // 0-node graphs: a non-constant leaf as the only output, one per class
  // of interchangeable leaves (the one whose bucket hash is smallest, as
  // Record chooses among renamings).
  for (size_t l = 0; l < u.leaves.size(); ++l) {
    if (u.leaves[l].constant) continue;
    const uint64_t bucket = Mix(0xb0c, leaves[l].fp_hash);
    bool smallest = true;
    for (size_t m = 0; m < u.leaves.size(); ++m) {
      smallest = smallest && (m == l || u.leaves[m].cls != u.leaves[l].cls ||
                              Mix(0xb0c, leaves[m].fp_hash) > bucket);
    }
    if (!smallest) continue;
    GraphRecord r;
    r.num_outputs = 1;
    r.outputs[0] = Ref{-1, static_cast<int8_t>(l)};
    r.bucket = BucketKey(bucket, o);
    r.canon = Mix(0x1eaf, u.leaves[l].cls);
    if (r.bucket % o.shard_count != static_cast<uint64_t>(o.shard_index)) {
      continue;
    }
    result.records.push_back(r);
  }
  // 0-node graphs with two outputs: two distinct non-constant leaves (the
  // target of split(concat(a, b)) -> a, b), one per renaming class.
  auto pair_bucket = [&](size_t l, size_t m) {
    uint64_t f = leaves[l].fp_hash, g = leaves[m].fp_hash;
    if (g < f) std::swap(f, g);
    return Mix(Mix(0xb0c, f), g);
  };
  for (size_t l = 0; o.max_outputs >= 2 && l < u.leaves.size(); ++l) {
    for (size_t m = l + 1; m < u.leaves.size(); ++m) {
      if (u.leaves[l].constant || u.leaves[m].constant) continue;
      const uint64_t bucket = pair_bucket(l, m);
      bool smallest = true;
      for (const std::vector<int>& p : perms) {
        smallest = smallest && pair_bucket(p[l], p[m]) >= bucket;
      }
      if (!smallest) continue;
      GraphRecord r;
      r.num_outputs = 2;
      const bool swap = leaves[m].fp_hash < leaves[l].fp_hash;
      r.outputs[0] = Ref{-1, static_cast<int8_t>(swap ? m : l)};
      r.outputs[1] = Ref{-1, static_cast<int8_t>(swap ? l : m)};
      r.bucket = BucketKey(bucket, o);
      int cl = u.leaves[l].cls, cm = u.leaves[m].cls;
      r.canon = Mix(Mix(0x2eaf, std::min(cl, cm)), std::max(cl, cm));
      if (r.bucket % o.shard_count == static_cast<uint64_t>(o.shard_index)) {
        result.records.push_back(r);
      }
    }
  }
  std::sort(result.records.begin(), result.records.end(),
            [](const GraphRecord& a, const GraphRecord& b) {
              return a.bucket != b.bucket ? a.bucket < b.bucket
                                          : a.canon < b.canon;
            });
  return result;
}

}  // namespace tsopt::rulegen

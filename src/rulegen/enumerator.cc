// The generator's depth-first enumeration (enumerator.h).
#include "src/rulegen/enumerator.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "tsopt/ir/shape_inference.h"
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

// A graph value: shape, fingerprint residues and its hash.
struct Val {
  Shape shape;
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

struct Candidate {
  int16_t choice;
  int8_t arity;
  std::array<Ref, 2> in;
};

class Worker {
 public:
  Worker(const Universe& u, const GeneratorOptions& o,
         const std::vector<std::vector<int>>& perms,
         const std::vector<Val>& leaves, SeenSet& seen)
      : u_(u), o_(o), perms_(perms), leaves_(leaves), seen_(seen) {
    for (const OpChoice& c : u.choices) {
      commutative_.push_back(GetOpInfo(c.op).commutative);
    }
  }

  void RunBranch(const Candidate& c) { TryNode(c, 0); }

  std::vector<GraphRecord> records;
  int64_t duplicates = 0;
  int64_t ill_typed = 0;
  std::atomic<int64_t>* graph_counter = nullptr;

 private:
  const Val& ValueOf(Ref r) const {
    return r.node < 0 ? leaves_[r.index] : vals_[r.node][r.index];
  }

  void Expand(int depth) {
    std::vector<Ref> refs;
    for (size_t l = 0; l < u_.leaves.size(); ++l) {
      refs.push_back({-1, static_cast<int8_t>(l)});
    }
    for (int n = 0; n < cur_.num_nodes; ++n) {
      for (size_t k = 0; k < vals_[n].size(); ++k) {
        refs.push_back({static_cast<int8_t>(n), static_cast<int8_t>(k)});
      }
    }
    for (size_t ci = 0; ci < u_.choices.size(); ++ci) {
      const OpChoice& c = u_.choices[ci];
      const bool comm = GetOpInfo(c.op).commutative;
      for (size_t i = 0; i < refs.size(); ++i) {
        if (c.arity == 1) {
          TryNode({static_cast<int16_t>(ci), 1, {refs[i], Ref{}}}, depth);
          continue;
        }
        for (size_t j = comm ? i : 0; j < refs.size(); ++j) {
          TryNode({static_cast<int16_t>(ci), 2, {refs[i], refs[j]}}, depth);
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

  // Minimal hash over leaf renamings and the index of the first minimizer.
  std::pair<uint64_t, int> CanonicalHash() const {
    // The hash depends only on where the leaves the graph reads go, so
    // renamings that agree there are tried once.
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
    constexpr int kMaxTried = 64;
    std::array<uint64_t, kMaxTried> tried;
    int num_tried = 0;
    uint64_t best = 0;
    int best_perm = -1;
    for (size_t p = 0; p < perms_.size(); ++p) {
      uint64_t sig = 0x5;
      for (int k = 0; k < num_read; ++k) {
        sig = Mix(sig, static_cast<uint64_t>(perms_[p][read[k]]));
      }
      bool dup = false;
      for (int k = 0; k < num_tried && !dup; ++k) dup = tried[k] == sig;
      if (dup) continue;
      if (num_tried < kMaxTried) tried[num_tried++] = sig;
      uint64_t h = GraphHash(perms_[p]);
      if (best_perm < 0 || h < best) {
        best = h;
        best_perm = static_cast<int>(p);
      }
    }
    return {best, best_perm};
  }

  // Values not read by any node.
  std::vector<Ref> Sinks() const {
    std::vector<Ref> sinks;
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

  void TryNode(const Candidate& c, int depth) {
    const OpChoice& choice = u_.choices[c.choice];
    const Shape* shapes[2] = {nullptr, nullptr};
    bool weight_only = true;
    for (int a = 0; a < c.arity; ++a) {
      const Val& v = ValueOf(c.in[a]);
      shapes[a] = &v.shape;
      weight_only = weight_only && v.weight_only;
    }
    if (choice.op == OpKind::kConv2D &&
        (ValueOf(c.in[0]).weight_only || !ValueOf(c.in[1]).weight_only)) {
      return;
    }
    // Constants only where TASO uses them: the identity matrix as a matmul
    // operand, conv kernels as a conv kernel, any of them added to a
    // non-constant; never an operator over constants only.
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
                 k != ConstKind::kIdentityMatrix);
      if (!ok) return;
    }
    if (constants == c.arity) return;
    if (choice.op == OpKind::kMatMul &&
        (shapes[0]->rank() != 2 || shapes[1]->rank() != 2)) {
      return;
    }
    // Elementwise operators without broadcasting (as TASO): equal shapes.
    if ((choice.op == OpKind::kAdd || choice.op == OpKind::kSub ||
         choice.op == OpKind::kMul) &&
        *shapes[0] != *shapes[1]) {
      return;
    }
    // The same application twice is never useful.
    for (int n = 0; n < cur_.num_nodes; ++n) {
      const RecNode& m = cur_.nodes[n];
      if (m.choice == c.choice && m.in[0] == c.in[0] &&
          (c.arity == 1 || m.in[1] == c.in[1])) {
        return;
      }
    }
    const Attrs* attrs =
        ResolveAttrsInto(choice, shapes, c.arity, &attrs_scratch_);
    if (attrs == nullptr) return;
    if (!PlausiblyTyped(choice.op, *attrs, shapes)) {
      ++ill_typed;
      return;
    }
    std::vector<Shape> in_shapes;
    for (int a = 0; a < c.arity; ++a) in_shapes.push_back(*shapes[a]);
    absl::StatusOr<std::vector<Shape>> out_shapes =
        InferShapes(choice.op, *attrs, in_shapes);
    if (!out_shapes.ok()) {
      ++ill_typed;
      return;
    }
    RecNode& node = cur_.nodes[cur_.num_nodes++];
    node.choice = c.choice;
    node.arity = c.arity;
    node.in = c.in;
    vals_.emplace_back();
    auto pop = [&] {
      --cur_.num_nodes;
      vals_.pop_back();
    };
    const int remaining = o_.max_ops - depth - 1;
    for (const Shape& s : *out_shapes) {
      vals_.back().push_back(Val{s, {}, 0, weight_only});
    }
    const int sinks = static_cast<int>(Sinks().size());
    if (sinks - remaining > o_.max_outputs) {
      pop();
      return;
    }
    auto [canon, perm] = CanonicalHash();
    if (!seen_.Insert(canon)) {
      ++duplicates;
      pop();
      return;
    }
    if (!EvaluateNode(cur_.num_nodes - 1, *attrs)) {
      pop();
      return;
    }
    graph_counter->fetch_add(1, std::memory_order_relaxed);
    if (sinks <= o_.max_outputs && Connected()) Record(canon, perm);
    if (remaining > 0) Expand(depth + 1);
    pop();
  }

  // Fills the fingerprints of node `n`'s outputs; false when the evaluator
  // has no modular form for it.
  bool EvaluateNode(int n, const Attrs& attrs) {
    const RecNode& node = cur_.nodes[n];
    std::vector<const ModTensor*> in;
    uint64_t key = Mix(0xe7a1, static_cast<uint64_t>(node.choice));
    for (int a = 0; a < node.arity; ++a) {
      in.push_back(ValueOf(node.in[a]).fp.get());
      key = Mix(key, ValueOf(node.in[a]).fp_hash);
    }
    auto it = memo_.find(key);
    if (it == memo_.end()) {
      // Bounded memory: start over when the memo is full.
      if (memo_.size() >= kMaxMemo) memo_.clear();
      absl::StatusOr<std::vector<ModTensor>> r =
          EvalNodeModular(u_.choices[node.choice].op, attrs, in);
      std::vector<Val> outs;
      if (r.ok()) {
        for (ModTensor& t : *r) {
          Val v;
          v.fp_hash = FingerprintHash(t);
          v.fp = std::make_shared<const ModTensor>(std::move(t));
          outs.push_back(std::move(v));
        }
      }
      it = memo_.emplace(key, std::move(outs)).first;
    }
    if (it->second.size() != vals_[n].size()) return false;
    for (size_t k = 0; k < it->second.size(); ++k) {
      vals_[n][k].fp = it->second[k].fp;
      vals_[n][k].fp_hash = it->second[k].fp_hash;
    }
    return true;
  }

  // Stores the current graph in canonical form.
  void Record(uint64_t canon, int perm_index) {
    const std::vector<int>& perm = perms_[perm_index];
    // Renamed copy: leaf l becomes perm[l].
    GraphRecord g = cur_;
    for (int i = 0; i < g.num_nodes; ++i) {
      for (int a = 0; a < g.nodes[i].arity; ++a) {
        Ref& r = g.nodes[i].in[a];
        if (r.node < 0) r.index = static_cast<int8_t>(perm[r.index]);
      }
    }
    // Output fingerprints of the renamed graph: the current graph evaluated
    // with leaf l holding leaf perm[l]'s values.
    std::vector<std::vector<uint64_t>> fp_hash(cur_.num_nodes);
    bool identity = true;
    for (size_t l = 0; l < perm.size(); ++l) identity &= perm[l] == static_cast<int>(l);
    if (identity) {
      for (int n = 0; n < cur_.num_nodes; ++n) {
        for (const Val& v : vals_[n]) fp_hash[n].push_back(v.fp_hash);
      }
    } else if (!Reevaluate(perm, &fp_hash)) {
      return;
    }
    // Canonical node order: topological, smallest structural hash first.
    std::vector<uint64_t> h = NodeHashes(g, u_);
    std::vector<int> order, new_index(g.num_nodes, -1);
    std::vector<bool> placed(g.num_nodes, false);
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
    std::vector<std::pair<std::pair<uint64_t, uint64_t>, Ref>> outs;
    for (Ref s : Sinks()) {
      outs.push_back({{fp_hash[s.node][s.index], ref_hash(s)}, remap(s)});
    }
    std::sort(outs.begin(), outs.end(), [](const auto& a, const auto& b) {
      return a.first < b.first;
    });
    r.num_outputs = static_cast<int8_t>(outs.size());
    uint64_t bucket = 0xb0c;
    for (size_t i = 0; i < outs.size(); ++i) {
      r.outputs[i] = outs[i].second;
      bucket = Mix(bucket, outs[i].first.first);
    }
    r.bucket = BucketKey(bucket, o_);
    if (r.bucket % o_.shard_count != static_cast<uint64_t>(o_.shard_index)) {
      return;
    }
    records.push_back(r);
  }

  bool Reevaluate(const std::vector<int>& perm,
                  std::vector<std::vector<uint64_t>>* fp_hash) {
    std::vector<std::vector<ModTensor>> fps(cur_.num_nodes);
    auto value = [&](Ref r) -> const ModTensor* {
      return r.node < 0 ? leaves_[perm[r.index]].fp.get() : &fps[r.node][r.index];
    };
    for (int n = 0; n < cur_.num_nodes; ++n) {
      const RecNode& node = cur_.nodes[n];
      const OpChoice& c = u_.choices[node.choice];
      std::vector<const ModTensor*> in;
      std::vector<Shape> shapes;
      for (int a = 0; a < node.arity; ++a) {
        in.push_back(value(node.in[a]));
        shapes.push_back(in.back()->shape);
      }
      std::optional<Attrs> attrs = ResolveAttrs(c, shapes);
      if (!attrs) return false;
      absl::StatusOr<std::vector<ModTensor>> r =
          EvalNodeModular(c.op, *attrs, in);
      if (!r.ok()) return false;
      fps[n] = *std::move(r);
      for (const ModTensor& t : fps[n]) {
        (*fp_hash)[n].push_back(FingerprintHash(t));
      }
    }
    return true;
  }

  const Universe& u_;
  const GeneratorOptions& o_;
  const std::vector<std::vector<int>>& perms_;
  const std::vector<Val>& leaves_;
  SeenSet& seen_;
  GraphRecord cur_;
  std::vector<std::vector<Val>> vals_;
  Attrs attrs_scratch_;
  std::vector<bool> commutative_;  // by choice
  // Node evaluations by (choice, operand fingerprints): each distinct value
  // is computed once per thread.
  static constexpr size_t kMaxMemo = 100000;
  absl::flat_hash_map<uint64_t, std::vector<Val>> memo_;
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
    leaves.push_back(Val{leaf.shape,
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
  SeenSet seen;
  std::atomic<int64_t> graphs{0};
  std::atomic<int> next{0}, done{0};
  std::mutex progress_mu;
  const auto start = std::chrono::steady_clock::now();
  auto last_report = start;
  const int threads = std::max(1, o.threads);
  std::vector<std::unique_ptr<Worker>> workers;
  for (int t = 0; t < threads; ++t) {
    workers.push_back(std::make_unique<Worker>(u, o, perms, leaves, seen));
    workers.back()->graph_counter = &graphs;
  }
  auto work = [&](Worker* w) {
    while (true) {
      int b = next.fetch_add(1);
      if (b >= static_cast<int>(branches.size())) return;
      w->RunBranch(branches[b]);
      done.fetch_add(1);
      if (!o.progress) continue;
      std::lock_guard<std::mutex> lock(progress_mu);
      auto now = std::chrono::steady_clock::now();
      if (now - last_report < std::chrono::seconds(1)) continue;
      last_report = now;
      GeneratorProgress p;
      p.graphs = graphs.load();
      p.branches_done = done.load();
      p.branches_total = static_cast<int>(branches.size());
      p.seconds = std::chrono::duration<double>(now - start).count();
      o.progress(p);
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, workers[t].get());
  work(workers[0].get());
  for (std::thread& t : pool) t.join();

  EnumerationResult result;
  for (auto& w : workers) {
    result.duplicates += w->duplicates;
    result.ill_typed += w->ill_typed;
    result.records.insert(result.records.end(), w->records.begin(),
                          w->records.end());
    w->records.clear();
    w->records.shrink_to_fit();
  }
  // 0-node graphs: a non-constant leaf as the only output.
  for (size_t l = 0; l < u.leaves.size(); ++l) {
    if (u.leaves[l].constant) continue;
    GraphRecord r;
    r.num_outputs = 1;
    r.outputs[0] = Ref{-1, static_cast<int8_t>(l)};
    r.bucket = BucketKey(Mix(0xb0c, leaves[l].fp_hash), o);
    r.canon = Mix(0x1eaf, l);
    if (r.bucket % o.shard_count != static_cast<uint64_t>(o.shard_index)) {
      continue;
    }
    result.records.push_back(r);
  }
  std::sort(result.records.begin(), result.records.end(),
            [](const GraphRecord& a, const GraphRecord& b) {
              return a.bucket != b.bucket ? a.bucket < b.bucket
                                          : a.canon < b.canon;
            });
  return result;
}

}  // namespace tsopt::rulegen

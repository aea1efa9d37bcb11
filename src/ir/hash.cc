// Structural hashing (generic over each attribute struct's Fields) and the
// exact isomorphism check that confirms a hash hit.
#include "tsopt/ir/hash.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>
#include <variant>

namespace tsopt {
namespace {

using hash_internal::kGolden;
using hash_internal::kOffset;

uint64_t FloatBits(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof(bits));
  return bits;
}

// One overload per attribute field type (attrs.h lists them); a new type
// without an overload does not compile.
struct FieldHasher {
  uint64_t h;
  void Add(uint64_t v) { h = HashCombine(h, v); }
  void operator()(absl::string_view, int64_t v) {
    Add(static_cast<uint64_t>(v));
  }
  void operator()(absl::string_view, float v) { Add(FloatBits(v)); }
  void operator()(absl::string_view, Activation v) {
    Add(static_cast<uint64_t>(v));
  }
  void operator()(absl::string_view, const std::vector<int64_t>& v) {
    Add(v.size());
    for (int64_t x : v) Add(static_cast<uint64_t>(x));
  }
  void operator()(absl::string_view, const std::string& v) {
    Add(HashBytes(v.data(), v.size()));
  }
};

// Field-by-field equality, floats by bits (consistent with FieldHasher).
struct FieldBitsEqual {
  bool equal = true;
  void operator()(absl::string_view, float x, float y) {
    equal = equal && FloatBits(x) == FloatBits(y);
  }
  template <typename T>
  void operator()(absl::string_view, const T& x, const T& y) {
    equal = equal && x == y;
  }
};

uint64_t ValueHashIn(absl::Span<const uint64_t> node_hashes, ValueId v) {
  return ValueHash(node_hashes[v.node], v.output);
}

bool WeightsEqual(const Node& x, const Node& y) {
  if (x.weight == y.weight) return true;
  if (x.weight == nullptr || y.weight == nullptr) return false;
  const std::vector<float>& a = x.weight->values;
  const std::vector<float>& b = y.weight->values;
  return a.size() == b.size() &&
         std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// Backtracking isomorphism search, guided by node hashes: a pair of nodes is
// only tried when their hashes agree, so the search only branches at
// commutative nodes whose two inputs hash equal.
class IsomorphismMatcher {
 public:
  IsomorphismMatcher(const Graph& a, const Graph& b)
      : a_(a),
        b_(b),
        ha_(NodeHashes(a)),
        hb_(NodeHashes(b)),
        a_to_b_(a.num_nodes(), -1),
        b_to_a_(b.num_nodes(), -1) {}

  bool Run() {
    // The hash is an isomorphism invariant: different hashes settle it
    // (and spare the search its worst case on non-isomorphic graphs).
    if (a_.num_nodes() != b_.num_nodes() ||
        a_.outputs().size() != b_.outputs().size() ||
        GraphHashFromNodeHashes(a_, ha_) != GraphHashFromNodeHashes(b_, hb_)) {
      return false;
    }
    Pairs todo;
    for (size_t i = 0; i < a_.outputs().size(); ++i) {
      todo.push_back({a_.outputs()[i], b_.outputs()[i]});
    }
    if (!Solve(std::move(todo))) return false;
    // Nodes no output reaches (dead nodes, unused inputs): match each
    // remaining sink of `a` with some remaining node of `b`, greedily.
    for (NodeId x = a_.num_nodes() - 1; x >= 0; --x) {
      if (a_to_b_[x] != -1) continue;
      bool found = false;
      for (NodeId y = 0; y < b_.num_nodes() && !found; ++y) {
        if (b_to_a_[y] != -1 || hb_[y] != ha_[x]) continue;
        size_t mark = log_.size();
        found = Solve({{ValueId{x, 0}, ValueId{y, 0}}});
        if (!found) Undo(mark);
      }
      if (!found) return false;
    }
    return true;
  }

 private:
  using Pairs = std::vector<std::pair<ValueId, ValueId>>;

  bool LocalEqual(NodeId x, NodeId y) const {
    const Node& nx = a_.node(x);
    const Node& ny = b_.node(y);
    return ha_[x] == hb_[y] && nx.op == ny.op &&
           nx.inputs.size() == ny.inputs.size() &&
           nx.output_shapes == ny.output_shapes &&
           AttrsBitwiseEqual(nx.attrs, ny.attrs) && WeightsEqual(nx, ny);
  }

  void Undo(size_t mark) {
    while (log_.size() > mark) {
      NodeId x = log_.back();
      log_.pop_back();
      b_to_a_[a_to_b_[x]] = -1;
      a_to_b_[x] = -1;
    }
  }

  bool Solve(Pairs todo) {
    while (!todo.empty()) {
      auto [va, vb] = todo.back();
      todo.pop_back();
      if (va.output != vb.output) return false;
      const NodeId x = va.node;
      const NodeId y = vb.node;
      if (a_to_b_[x] != -1 || b_to_a_[y] != -1) {
        if (a_to_b_[x] != y) return false;
        continue;
      }
      if (!LocalEqual(x, y)) return false;
      a_to_b_[x] = y;
      b_to_a_[y] = x;
      log_.push_back(x);
      const std::vector<ValueId>& in_a = a_.node(x).inputs;
      const std::vector<ValueId>& in_b = b_.node(y).inputs;
      if (GetOpInfo(a_.node(x).op).commutative && in_a.size() == 2) {
        const uint64_t a0 = ValueHashIn(ha_, in_a[0]);
        const uint64_t a1 = ValueHashIn(ha_, in_a[1]);
        const uint64_t b0 = ValueHashIn(hb_, in_b[0]);
        if (a0 == a1) {
          // Either pairing may be the right one: try both.
          size_t mark = log_.size();
          Pairs alternative = todo;
          todo.push_back({in_a[0], in_b[0]});
          todo.push_back({in_a[1], in_b[1]});
          if (Solve(std::move(todo))) return true;
          Undo(mark);
          alternative.push_back({in_a[0], in_b[1]});
          alternative.push_back({in_a[1], in_b[0]});
          return Solve(std::move(alternative));
        }
        const bool swap = a0 != b0;
        todo.push_back({in_a[0], in_b[swap ? 1 : 0]});
        todo.push_back({in_a[1], in_b[swap ? 0 : 1]});
        continue;
      }
      for (size_t i = 0; i < in_a.size(); ++i) {
        todo.push_back({in_a[i], in_b[i]});
      }
    }
    return true;
  }

  const Graph& a_;
  const Graph& b_;
  const std::vector<uint64_t> ha_;
  const std::vector<uint64_t> hb_;
  std::vector<NodeId> a_to_b_;
  std::vector<NodeId> b_to_a_;
  std::vector<NodeId> log_;  // nodes of `a` in mapping order, for Undo
};

}  // namespace

uint64_t HashBytes(const void* data, size_t size) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  uint64_t h = HashCombine(kOffset, size);
  size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    uint64_t word;
    std::memcpy(&word, bytes + i, 8);
    h = HashCombine(h, word);
  }
  uint64_t tail = 0;
  if (i < size) {
    std::memcpy(&tail, bytes + i, size - i);
    h = HashCombine(h, tail);
  }
  return h;
}

uint64_t HashAttrs(const Attrs& attrs) {
  return std::visit(
      [&](const auto& a) {
        using A = std::decay_t<decltype(a)>;
        FieldHasher hasher{HashCombine(kOffset, attrs.index())};
        A::Fields(hasher, a);
        return hasher.h;
      },
      attrs);
}

bool AttrsBitwiseEqual(const Attrs& a, const Attrs& b) {
  if (a.index() != b.index()) return false;
  return std::visit(
      [&](const auto& x) {
        using A = std::decay_t<decltype(x)>;
        FieldBitsEqual eq;
        A::Fields(eq, x, std::get<A>(b));
        return eq.equal;
      },
      a);
}

uint64_t NodeLocalHash(const Node& n) {
  uint64_t h = HashCombine(kGolden, static_cast<uint64_t>(n.op));
  h = HashCombine(h, HashAttrs(n.attrs));
  h = HashCombine(h, n.output_shapes.size());
  for (const Shape& s : n.output_shapes) {
    h = HashCombine(h, s.dims().size());
    for (int64_t d : s.dims()) h = HashCombine(h, static_cast<uint64_t>(d));
  }
  if (n.op == OpKind::kWeight) {
    h = HashCombine(h, n.weight == nullptr ? 0 : n.weight->content_hash() + 1);
  }
  return HashCombine(h, n.inputs.size());
}

uint64_t CombineNodeHash(const Node& n, uint64_t h,
                         absl::Span<const uint64_t> input_value_hashes) {
  return CombineInputHashes(GetOpInfo(n.op).commutative, h,
                            input_value_hashes);
}

uint64_t HashNode(const Graph& graph, NodeId id,
                  absl::Span<const uint64_t> node_hashes) {
  const Node& n = graph.node(id);
  uint64_t inputs[8];
  std::vector<uint64_t> many;
  uint64_t* values = inputs;
  if (n.inputs.size() > 8) {
    many.resize(n.inputs.size());
    values = many.data();
  }
  for (size_t i = 0; i < n.inputs.size(); ++i) {
    values[i] = ValueHashIn(node_hashes, n.inputs[i]);
  }
  return CombineNodeHash(n, NodeLocalHash(n),
                         absl::MakeConstSpan(values, n.inputs.size()));
}

std::vector<uint64_t> NodeHashes(const Graph& graph) {
  std::vector<uint64_t> hashes(graph.num_nodes());
  for (NodeId id = 0; id < graph.num_nodes(); ++id) {
    hashes[id] = HashNode(graph, id, hashes);
  }
  return hashes;
}

uint64_t GraphHashFromParts(int64_t num_nodes, uint64_t node_multiset,
                            absl::Span<const uint64_t> output_value_hashes) {
  uint64_t h = HashCombine(kOffset, static_cast<uint64_t>(num_nodes));
  h = HashCombine(h, node_multiset);
  h = HashCombine(h, output_value_hashes.size());
  for (uint64_t v : output_value_hashes) h = HashCombine(h, v);
  return h;
}

uint64_t GraphHashFromNodeHashes(const Graph& graph,
                                 absl::Span<const uint64_t> node_hashes) {
  uint64_t multiset = 0;
  for (uint64_t h : node_hashes) multiset += NodeHashTerm(h);
  std::vector<uint64_t> outputs;
  outputs.reserve(graph.outputs().size());
  for (ValueId out : graph.outputs()) {
    outputs.push_back(ValueHashIn(node_hashes, out));
  }
  return GraphHashFromParts(static_cast<int64_t>(node_hashes.size()),
                            multiset, outputs);
}

uint64_t StructuralHash(const Graph& graph) {
  return GraphHashFromNodeHashes(graph, NodeHashes(graph));
}

bool StructurallyEqual(const Graph& a, const Graph& b) {
  return IsomorphismMatcher(a, b).Run();
}

}  // namespace tsopt

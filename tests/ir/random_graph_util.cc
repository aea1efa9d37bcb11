// Random graph generation for the property tests (see random_graph_util.h).
#include "tests/ir/random_graph_util.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tsopt/ir/hash.h"

namespace tsopt::testing {
namespace {

class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}

  Graph Run(int num_ops) {
    const int64_t c = Coin() ? 2 : 4;
    std::vector<int64_t> dims = {1, c, Uniform(4, 6), Uniform(4, 6)};
    pool_.push_back(g_.AddInput("in0", dims).value());
    if (Coin()) dims = {1, c, Uniform(4, 6), Uniform(4, 6)};
    pool_.push_back(g_.AddInput("in1", dims).value());
    const std::vector<OpKind>& ops = AllOps();
    int added = 0;
    for (int attempt = 0; added < num_ops && attempt < num_ops * 50;
         ++attempt) {
      if (TryOp(ops[Uniform(0, static_cast<int64_t>(ops.size()) - 1)])) {
        ++added;
      }
    }
    // Names are not structure, but must survive reordering and printing:
    // unique ones, a shared one, and an all-digit one.
    for (NodeId id = 2; id < g_.num_nodes(); ++id) {
      const int64_t kind = Uniform(0, 9);
      Node& n = g_.MutableNode(id);
      if (kind < 3) n.name = absl::StrCat("n", id);
      if (kind == 3) n.name = "shared";
      if (kind == 4) n.name = absl::StrCat(id * 7);
      if (kind == 5) n.name = absl::StrCat("odd name/", id);
    }
    g_.MarkOutput(pool_.back()).IgnoreError();
    for (int64_t extra = Uniform(0, 2); extra > 0; --extra) {
      g_.MarkOutput(Pick(pool_)).IgnoreError();
    }
    return std::move(g_);
  }

 private:
  int64_t Uniform(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }
  bool Coin() { return Uniform(0, 1) == 1; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Uniform(0, static_cast<int64_t>(v.size()) - 1)];
  }

  ValueId NewWeight(std::vector<int64_t> dims) {
    int64_t n = 1;
    for (int64_t d : dims) n *= d;
    std::vector<float> values(n);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    for (float& v : values) v = dist(rng_);
    return g_.AddWeight(std::move(dims), WeightData::Create(std::move(values)))
        .value();
  }

  // A pool value with the same shape as `x` (maybe `x` itself).
  ValueId SameShape(ValueId x) {
    std::vector<ValueId> same;
    for (ValueId v : pool_) {
      if (g_.shape(v) == g_.shape(x)) same.push_back(v);
    }
    return Pick(same);
  }

  // Tries one op on random operands; false when it does not apply.
  bool TryOp(OpKind op) {
    const ValueId x = Pick(pool_);
    const Shape s = g_.shape(x);
    const int r = s.rank();
    Attrs attrs = DefaultAttrs(op);
    std::vector<ValueId> inputs = {x};
    switch (op) {
      case OpKind::kInput:
      case OpKind::kWeight:
        return false;
      case OpKind::kAdd:
      case OpKind::kSub:
      case OpKind::kMul:
      case OpKind::kDiv: {
        ValueId y;
        if (Coin()) {
          y = SameShape(x);
        } else {
          std::vector<int64_t> dims;
          for (int i = static_cast<int>(Uniform(0, std::min(r, 1))); i < r;
               ++i) {
            dims.push_back(Coin() ? s.dim(i) : 1);
          }
          y = NewWeight(dims);
        }
        inputs = Coin() ? std::vector<ValueId>{x, y}
                        : std::vector<ValueId>{y, x};
        break;
      }
      case OpKind::kScalarMul:
        inputs.push_back(NewWeight({}));
        break;
      case OpKind::kRelu:
      case OpKind::kSigmoid:
      case OpKind::kTanh:
      case OpKind::kGelu:
      case OpKind::kExp:
      case OpKind::kSqrt:
      case OpKind::kIdentity:
      case OpKind::kGlobalAvgPool:
        if (op == OpKind::kGlobalAvgPool && r != 4) return false;
        break;
      case OpKind::kConv2D: {
        if (r != 4) return false;
        auto& a = std::get<Conv2DAttrs>(attrs);
        std::vector<int64_t> divisors;
        for (int64_t d = 1; d <= s.dim(1); ++d) {
          if (s.dim(1) % d == 0) divisors.push_back(d);
        }
        a.groups = Pick(divisors);
        int64_t k = Coin() ? 3 : 1;
        int64_t pad = k == 3 && Coin() ? 1 : 0;
        if (k > s.dim(2) + 2 * pad || k > s.dim(3) + 2 * pad) k = 1;
        a.pad = {pad, pad, pad, pad};
        a.stride = {Uniform(1, 2), Uniform(1, 2)};
        a.activation = static_cast<Activation>(Uniform(0, 4));
        inputs.push_back(
            NewWeight({a.groups * Uniform(1, 2), s.dim(1) / a.groups, k, k}));
        break;
      }
      case OpKind::kMatMul: {
        if (r < 2) return false;
        std::get<MatMulAttrs>(attrs).activation =
            static_cast<Activation>(Uniform(0, 4));
        if (Coin()) {
          inputs.push_back(NewWeight({s.dim(r - 1), Uniform(2, 3)}));
        } else {
          inputs.insert(inputs.begin(), NewWeight({Uniform(2, 3), s.dim(r - 2)}));
        }
        break;
      }
      case OpKind::kBatchNorm: {
        if (r < 2) return false;
        std::get<BatchNormAttrs>(attrs).epsilon = Coin() ? 1e-5f : 1e-3f;
        for (int i = 0; i < 4; ++i) inputs.push_back(NewWeight({s.dim(1)}));
        break;
      }
      case OpKind::kLayerNorm: {
        if (r < 1) return false;
        auto& a = std::get<LayerNormAttrs>(attrs);
        const int64_t axis = Uniform(0, r - 1);
        a.axis = Coin() ? axis : axis - r;
        a.epsilon = Coin() ? 1e-5f : 1e-6f;
        std::vector<int64_t> dims(s.dims().begin() + axis, s.dims().end());
        inputs.push_back(NewWeight(dims));
        inputs.push_back(NewWeight(dims));
        break;
      }
      case OpKind::kSoftmax:
        if (r < 1) return false;
        std::get<SoftmaxAttrs>(attrs).axis = Uniform(-r, r - 1);
        break;
      case OpKind::kMaxPool2D:
      case OpKind::kAvgPool2D: {
        if (r != 4) return false;
        auto& a = std::get<Pool2DAttrs>(attrs);
        a.kernel = {Uniform(1, std::min<int64_t>(3, s.dim(2))),
                    Uniform(1, std::min<int64_t>(3, s.dim(3)))};
        a.stride = {Uniform(1, 2), Uniform(1, 2)};
        a.pad = {Uniform(0, a.kernel[0] - 1), Uniform(0, a.kernel[1] - 1),
                 Uniform(0, a.kernel[0] - 1), Uniform(0, a.kernel[1] - 1)};
        if (op == OpKind::kAvgPool2D) a.count_include_pad = Uniform(0, 1);
        break;
      }
      case OpKind::kReduceSum:
      case OpKind::kReduceMean: {
        if (r < 1) return false;
        auto& a = std::get<ReduceAttrs>(attrs);
        for (int i = 0; i < r; ++i) {
          if (Coin()) a.axes.push_back(Coin() ? i : i - r);
        }
        if (a.axes.empty()) a.axes.push_back(Uniform(0, r - 1));
        a.keepdims = Uniform(0, 1);
        break;
      }
      case OpKind::kConcat: {
        if (r < 1) return false;
        std::get<ConcatAttrs>(attrs).axis = Uniform(-r, r - 1);
        for (int64_t n = Uniform(1, 2); n > 0; --n) {
          inputs.push_back(SameShape(x));
        }
        break;
      }
      case OpKind::kSplit: {
        std::vector<int> axes;
        for (int i = 0; i < r; ++i) {
          if (s.dim(i) >= 2) axes.push_back(i);
        }
        if (axes.empty()) return false;
        auto& a = std::get<SplitAttrs>(attrs);
        a.axis = Pick(axes);
        const int64_t dim = s.dim(a.axis);
        const int64_t first = Uniform(1, dim - 1);
        a.sizes = {first, dim - first};
        if (a.sizes[1] >= 2 && Coin()) {
          a.sizes = {first, 1, dim - first - 1};
        }
        break;
      }
      case OpKind::kReshape: {
        auto& a = std::get<ReshapeAttrs>(attrs);
        a.shape = s.dims();
        std::shuffle(a.shape.begin(), a.shape.end(), rng_);
        if (Coin()) a.shape = {s.NumElements()};
        break;
      }
      case OpKind::kTranspose: {
        auto& a = std::get<TransposeAttrs>(attrs);
        a.perm.resize(r);
        std::iota(a.perm.begin(), a.perm.end(), 0);
        std::shuffle(a.perm.begin(), a.perm.end(), rng_);
        break;
      }
      case OpKind::kFlatten:
        std::get<FlattenAttrs>(attrs).axis = Uniform(0, r);
        break;
      case OpKind::kEnlarge: {
        if (r != 4) return false;
        std::get<EnlargeAttrs>(attrs).kernel = {s.dim(2) + 2 * Uniform(0, 1),
                                                s.dim(3) + 2 * Uniform(0, 1)};
        break;
      }
      case OpKind::kPad: {
        auto& a = std::get<PadAttrs>(attrs);
        for (int i = 0; i < 2 * r; ++i) a.pads.push_back(Uniform(0, 1));
        a.value = Coin() ? 0.0f : 1.5f;
        break;
      }
      case OpKind::kSlice: {
        auto& a = std::get<SliceAttrs>(attrs);
        for (int i = 0; i < r; ++i) {
          const int64_t dim = s.dim(i);
          if (dim < 2 || !Coin()) continue;
          const int64_t start = Uniform(0, 1);
          a.axes.push_back(Coin() ? i : i - r);
          a.starts.push_back(start);
          a.ends.push_back(dim - 1 > start && Coin() ? -1 : dim);
          a.steps.push_back(Uniform(1, 2));
        }
        if (a.axes.empty()) return false;
        break;
      }
      case OpKind::kOpaque: {
        // Names and payload bytes that need escaping in the text format.
        auto& a = std::get<OpaqueAttrs>(attrs);
        a.domain = Coin() ? "" : "com.example";
        a.op_type = Coin() ? "TopK" : "My \"Op\"";
        a.payload = std::string("\0\x01\xff\"\\\n", 6) +
                    std::to_string(Uniform(0, 99));
        for (int64_t k = Uniform(1, 2); k > 0; --k) {
          a.output_dtypes.push_back(Coin() ? 1 : 7);
          a.output_ranks.push_back(r);
          a.output_dims.insert(a.output_dims.end(), s.dims().begin(),
                               s.dims().end());
        }
        if (Coin()) inputs.push_back(Pick(pool_));
        if (Coin()) inputs.clear();
        break;
      }
    }
    absl::StatusOr<std::vector<ValueId>> outs =
        g_.AddNode(op, std::move(attrs), std::move(inputs));
    if (!outs.ok()) return false;
    pool_.insert(pool_.end(), outs->begin(), outs->end());
    return true;
  }

  std::mt19937_64 rng_;
  Graph g_;
  std::vector<ValueId> pool_;
};

void Perturb(int64_t& v, std::mt19937_64& rng) { v += rng() % 2 ? 1 : -1; }
void Perturb(float& v, std::mt19937_64&) { v += 0.5f; }
void Perturb(Activation& v, std::mt19937_64& rng) {
  v = static_cast<Activation>((static_cast<int>(v) + 1 + rng() % 4) % 5);
}
void Perturb(std::vector<int64_t>& v, std::mt19937_64& rng) {
  if (v.empty()) {
    v.push_back(0);
  } else {
    v[rng() % v.size()] += rng() % 2 ? 1 : -1;
  }
}
void Perturb(std::string& v, std::mt19937_64&) { v += "_"; }

int NumFields(const Attrs& attrs) {
  int n = 0;
  std::visit(
      [&](const auto& a) {
        using A = std::decay_t<decltype(a)>;
        A::Fields([&](absl::string_view, const auto&) { ++n; }, a);
      },
      attrs);
  return n;
}

}  // namespace

Graph RandomGraph(uint64_t seed, int num_ops) {
  return Generator(seed).Run(num_ops);
}

Graph Reordered(const Graph& graph, uint64_t seed, bool swap_commutative) {
  std::mt19937_64 rng(seed);
  const int n = graph.num_nodes();
  std::vector<int> pending(n, 0);
  for (NodeId id = 0; id < n; ++id) {
    pending[id] = static_cast<int>(graph.node(id).inputs.size());
  }
  const std::vector<std::vector<NodeId>> consumers = graph.Consumers();
  std::vector<NodeId> ready;
  for (NodeId id = 0; id < n; ++id) {
    if (pending[id] == 0) ready.push_back(id);
  }
  Graph result;
  std::vector<NodeId> new_id(n, -1);
  while (!ready.empty()) {
    const size_t pick = rng() % ready.size();
    const NodeId id = ready[pick];
    ready.erase(ready.begin() + pick);
    const Node& node = graph.node(id);
    std::vector<ValueId> inputs;
    for (ValueId in : node.inputs) inputs.push_back({new_id[in.node], in.output});
    if (swap_commutative && GetOpInfo(node.op).commutative &&
        inputs.size() == 2 && rng() % 2) {
      std::swap(inputs[0], inputs[1]);
    }
    std::vector<ValueId> outs =
        result.AddNode(node.op, node.attrs, std::move(inputs), node.name)
            .value();
    new_id[id] = outs[0].node;
    result.MutableNode(new_id[id]).weight = node.weight;
    for (NodeId c : consumers[id]) {
      if (--pending[c] == 0) ready.push_back(c);
    }
  }
  for (ValueId out : graph.outputs()) {
    result.MarkOutput({new_id[out.node], out.output}).IgnoreError();
  }
  return result;
}

std::optional<Graph> WithOneAttributeChanged(const Graph& graph,
                                             uint64_t seed) {
  std::mt19937_64 rng(seed);
  for (int attempt = 0; attempt < 500; ++attempt) {
    const NodeId id = static_cast<NodeId>(rng() % graph.num_nodes());
    const int fields = NumFields(graph.node(id).attrs);
    if (fields == 0) continue;
    const int target = static_cast<int>(rng() % fields);
    Attrs attrs = graph.node(id).attrs;
    std::visit(
        [&](auto& a) {
          using A = std::decay_t<decltype(a)>;
          int index = 0;
          A::Fields(
              [&](absl::string_view, auto& value) {
                if (index++ == target) Perturb(value, rng);
              },
              a);
        },
        attrs);
    Graph changed = graph;
    changed.MutableNode(id).attrs = std::move(attrs);
    if (changed.Validate().ok()) return changed;
  }
  return std::nullopt;
}

std::optional<Graph> WithOperandsSwapped(const Graph& graph, uint64_t seed) {
  std::mt19937_64 rng(seed);
  const std::vector<uint64_t> hashes = NodeHashes(graph);
  auto value_hash = [&](ValueId v) {
    return HashCombine(hashes[v.node], static_cast<uint64_t>(v.output));
  };
  std::vector<NodeId> candidates;
  for (NodeId id = 0; id < graph.num_nodes(); ++id) {
    const Node& n = graph.node(id);
    if (!GetOpInfo(n.op).commutative && n.inputs.size() >= 2 &&
        value_hash(n.inputs[0]) != value_hash(n.inputs[1])) {
      candidates.push_back(id);
    }
  }
  std::shuffle(candidates.begin(), candidates.end(), rng);
  for (NodeId id : candidates) {
    Graph changed = graph;
    std::vector<ValueId>& inputs = changed.MutableNode(id).inputs;
    std::swap(inputs[0], inputs[1]);
    if (changed.Validate().ok()) return changed;
  }
  return std::nullopt;
}

std::optional<Graph> WithWeightValueChanged(const Graph& graph,
                                            uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<NodeId> weights;
  for (NodeId id = 0; id < graph.num_nodes(); ++id) {
    if (graph.node(id).weight != nullptr) weights.push_back(id);
  }
  if (weights.empty()) return std::nullopt;
  const NodeId id = weights[rng() % weights.size()];
  std::vector<float> values = graph.node(id).weight->values;
  values[rng() % values.size()] += 1.0f;
  Graph changed = graph;
  changed.MutableNode(id).weight = WeightData::Create(std::move(values));
  return changed;
}

}  // namespace tsopt::testing

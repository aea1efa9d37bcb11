// Builders of the sample graphs (ResNet block, BERT layer, conv stack).
#include "tsopt/runtime/sample_graphs.h"

#include <cmath>

#include "tsopt/ir/tensor.h"
#include "tsopt/util/status_macros.h"

namespace tsopt {
namespace {

// Adds weights to one graph with a running seed.
class Builder {
 public:
  explicit Builder(uint64_t seed) : seed_(seed) {}
  Graph& graph() { return g_; }

  absl::StatusOr<ValueId> Weight(std::vector<int64_t> dims, float lo,
                                 float hi) {
    TSOPT_ASSIGN_OR_RETURN(Shape s, Shape::Create(dims));
    Tensor t = Tensor::Random(s, seed_++, lo, hi);
    return g_.AddWeight(std::move(dims), WeightData::Create(std::move(t.data)));
  }
  // Uniform in +-1/sqrt(fan_in).
  absl::StatusOr<ValueId> Scaled(std::vector<int64_t> dims, int64_t fan_in) {
    float a = 1.0f / std::sqrt(static_cast<float>(fan_in));
    return Weight(std::move(dims), -a, a);
  }
  absl::StatusOr<ValueId> Conv(ValueId x, int64_t in, int64_t out, int64_t k,
                               int64_t stride, Activation act) {
    TSOPT_ASSIGN_OR_RETURN(ValueId w, Scaled({out, in, k, k}, in * k * k));
    Conv2DAttrs a;
    a.stride = {stride, stride};
    int64_t p = k / 2;
    a.pad = {p, p, p, p};
    a.activation = act;
    return g_.AddOp(OpKind::kConv2D, a, {x, w});
  }
  absl::StatusOr<ValueId> BatchNorm(ValueId x, int64_t c) {
    TSOPT_ASSIGN_OR_RETURN(ValueId scale, Weight({c}, 0.5f, 1.5f));
    TSOPT_ASSIGN_OR_RETURN(ValueId bias, Weight({c}, -0.5f, 0.5f));
    TSOPT_ASSIGN_OR_RETURN(ValueId mean, Weight({c}, -0.2f, 0.2f));
    TSOPT_ASSIGN_OR_RETURN(ValueId var, Weight({c}, 0.5f, 1.5f));
    return g_.AddOp(OpKind::kBatchNorm, BatchNormAttrs{},
                    {x, scale, bias, mean, var});
  }
  // x [.., in] @ W [in, out] + b, optionally activated.
  absl::StatusOr<ValueId> Dense(ValueId x, int64_t in, int64_t out,
                                Activation act) {
    TSOPT_ASSIGN_OR_RETURN(ValueId w, Scaled({in, out}, in));
    TSOPT_ASSIGN_OR_RETURN(ValueId b, Weight({out}, -0.1f, 0.1f));
    TSOPT_ASSIGN_OR_RETURN(ValueId y,
                           g_.AddOp(OpKind::kMatMul, MatMulAttrs{}, {x, w}));
    TSOPT_ASSIGN_OR_RETURN(y, g_.AddOp(OpKind::kAdd, NoAttrs{}, {y, b}));
    if (act == Activation::kGelu) {
      return g_.AddOp(OpKind::kGelu, NoAttrs{}, {y});
    }
    return y;
  }
  absl::StatusOr<ValueId> LayerNorm(ValueId x, int64_t hidden) {
    TSOPT_ASSIGN_OR_RETURN(ValueId scale, Weight({hidden}, 0.5f, 1.5f));
    TSOPT_ASSIGN_OR_RETURN(ValueId bias, Weight({hidden}, -0.5f, 0.5f));
    return g_.AddOp(OpKind::kLayerNorm, LayerNormAttrs{}, {x, scale, bias});
  }

 private:
  Graph g_;
  uint64_t seed_;
};

}  // namespace

absl::StatusOr<Graph> ResNetBasicBlock(const ResNetBlockOptions& o) {
  Builder b(o.seed);
  Graph& g = b.graph();
  int64_t c = o.channels;
  int64_t out = o.downsample ? 2 * c : c;
  int64_t stride = o.downsample ? 2 : 1;
  TSOPT_ASSIGN_OR_RETURN(ValueId x, g.AddInput("x", {o.batch, c, o.size, o.size}));
  TSOPT_ASSIGN_OR_RETURN(ValueId y, b.Conv(x, c, out, 3, stride, Activation::kNone));
  TSOPT_ASSIGN_OR_RETURN(y, b.BatchNorm(y, out));
  TSOPT_ASSIGN_OR_RETURN(y, g.AddOp(OpKind::kRelu, NoAttrs{}, {y}));
  TSOPT_ASSIGN_OR_RETURN(y, b.Conv(y, out, out, 3, 1, Activation::kNone));
  TSOPT_ASSIGN_OR_RETURN(y, b.BatchNorm(y, out));
  ValueId shortcut = x;
  if (o.downsample) {
    TSOPT_ASSIGN_OR_RETURN(shortcut, b.Conv(x, c, out, 1, 2, Activation::kNone));
    TSOPT_ASSIGN_OR_RETURN(shortcut, b.BatchNorm(shortcut, out));
  }
  TSOPT_ASSIGN_OR_RETURN(y, g.AddOp(OpKind::kAdd, NoAttrs{}, {y, shortcut}));
  TSOPT_ASSIGN_OR_RETURN(y, g.AddOp(OpKind::kRelu, NoAttrs{}, {y}));
  TSOPT_RETURN_IF_ERROR(g.MarkOutput(y));
  return std::move(g);
}

absl::StatusOr<Graph> BertLayer(const BertLayerOptions& o) {
  if (o.heads < 1 || o.hidden % o.heads != 0) {
    return absl::InvalidArgumentError("heads must divide hidden");
  }
  Builder b(o.seed);
  Graph& g = b.graph();
  const int64_t s = o.seq, h = o.hidden, a = o.heads, d = o.hidden / o.heads;
  TSOPT_ASSIGN_OR_RETURN(ValueId x, g.AddInput("x", {s, h}));
  auto heads = [&](ValueId v, std::vector<int64_t> perm)
      -> absl::StatusOr<ValueId> {
    TSOPT_ASSIGN_OR_RETURN(
        ValueId r, g.AddOp(OpKind::kReshape, ReshapeAttrs{{s, a, d}}, {v}));
    return g.AddOp(OpKind::kTranspose, TransposeAttrs{std::move(perm)}, {r});
  };
  TSOPT_ASSIGN_OR_RETURN(ValueId q, b.Dense(x, h, h, Activation::kNone));
  TSOPT_ASSIGN_OR_RETURN(ValueId k, b.Dense(x, h, h, Activation::kNone));
  TSOPT_ASSIGN_OR_RETURN(ValueId v, b.Dense(x, h, h, Activation::kNone));
  TSOPT_ASSIGN_OR_RETURN(q, heads(q, {1, 0, 2}));  // [a, s, d]
  TSOPT_ASSIGN_OR_RETURN(k, heads(k, {1, 2, 0}));  // [a, d, s]
  TSOPT_ASSIGN_OR_RETURN(v, heads(v, {1, 0, 2}));  // [a, s, d]
  TSOPT_ASSIGN_OR_RETURN(ValueId scores,
                         g.AddOp(OpKind::kMatMul, MatMulAttrs{}, {q, k}));
  float inv = 1.0f / std::sqrt(static_cast<float>(d));
  TSOPT_ASSIGN_OR_RETURN(ValueId scale,
                         g.AddWeight({}, WeightData::Create({inv})));
  TSOPT_ASSIGN_OR_RETURN(
      scores, g.AddOp(OpKind::kScalarMul, NoAttrs{}, {scores, scale}));
  TSOPT_ASSIGN_OR_RETURN(ValueId probs,
                         g.AddOp(OpKind::kSoftmax, SoftmaxAttrs{}, {scores}));
  TSOPT_ASSIGN_OR_RETURN(ValueId ctx,
                         g.AddOp(OpKind::kMatMul, MatMulAttrs{}, {probs, v}));
  TSOPT_ASSIGN_OR_RETURN(
      ctx, g.AddOp(OpKind::kTranspose, TransposeAttrs{{1, 0, 2}}, {ctx}));
  TSOPT_ASSIGN_OR_RETURN(
      ctx, g.AddOp(OpKind::kReshape, ReshapeAttrs{{s, h}}, {ctx}));
  TSOPT_ASSIGN_OR_RETURN(ValueId attn, b.Dense(ctx, h, h, Activation::kNone));
  TSOPT_ASSIGN_OR_RETURN(attn, g.AddOp(OpKind::kAdd, NoAttrs{}, {attn, x}));
  TSOPT_ASSIGN_OR_RETURN(attn, b.LayerNorm(attn, h));
  TSOPT_ASSIGN_OR_RETURN(ValueId f, b.Dense(attn, h, o.ffn, Activation::kGelu));
  TSOPT_ASSIGN_OR_RETURN(f, b.Dense(f, o.ffn, h, Activation::kNone));
  TSOPT_ASSIGN_OR_RETURN(f, g.AddOp(OpKind::kAdd, NoAttrs{}, {f, attn}));
  TSOPT_ASSIGN_OR_RETURN(f, b.LayerNorm(f, h));
  TSOPT_RETURN_IF_ERROR(g.MarkOutput(f));
  return std::move(g);
}

absl::StatusOr<Graph> ConvStack(const ConvStackOptions& o) {
  Builder b(o.seed);
  Graph& g = b.graph();
  TSOPT_ASSIGN_OR_RETURN(
      ValueId y, g.AddInput("x", {1, o.channels, o.size, o.size}));
  for (int64_t i = 0; i < o.depth; ++i) {
    TSOPT_ASSIGN_OR_RETURN(
        y, b.Conv(y, o.channels, o.channels, 3, 1, Activation::kRelu));
  }
  TSOPT_RETURN_IF_ERROR(g.MarkOutput(y));
  return std::move(g);
}

}  // namespace tsopt

#include "tsopt/ir/builder.h"

#include <cmath>

#include "absl/strings/str_cat.h"

namespace tsopt {

template <typename T>
T GraphBuilder::Record(absl::StatusOr<T> result, T fallback) {
  if (result.ok()) return *std::move(result);
  if (status_.ok()) status_ = result.status();
  return fallback;
}

ValueId GraphBuilder::Input(std::vector<int64_t> dims, std::string name) {
  if (!status_.ok()) return {};
  if (name.empty()) name = absl::StrCat("input", auto_input_names_++);
  return Record(graph_.AddInput(std::move(name), std::move(dims)), ValueId{});
}

ValueId GraphBuilder::Weight(std::vector<int64_t> dims, std::string name) {
  if (!status_.ok()) return {};
  absl::StatusOr<Shape> shape = Shape::Create(dims);
  if (!shape.ok()) return Record(absl::StatusOr<ValueId>(shape.status()), {});
  int64_t fan_in = 1;
  for (size_t i = 1; i < dims.size(); ++i) fan_in *= dims[i];
  const float bound = 1.0f / std::sqrt(static_cast<float>(fan_in));
  std::uniform_real_distribution<float> dist(-bound, bound);
  std::vector<float> values(shape->NumElements());
  for (float& v : values) v = dist(rng_);
  return Weight(std::move(dims), std::move(values), std::move(name));
}

ValueId GraphBuilder::Weight(std::vector<int64_t> dims,
                             std::vector<float> values, std::string name) {
  if (!status_.ok()) return {};
  return Record(graph_.AddWeight(std::move(dims),
                                 WeightData::Create(std::move(values)),
                                 std::move(name)),
                ValueId{});
}

ValueId GraphBuilder::Constant(std::vector<int64_t> dims, float value,
                               std::string name) {
  if (!status_.ok()) return {};
  absl::StatusOr<Shape> shape = Shape::Create(dims);
  if (!shape.ok()) return Record(absl::StatusOr<ValueId>(shape.status()), {});
  return Weight(std::move(dims),
                std::vector<float>(shape->NumElements(), value),
                std::move(name));
}

ValueId GraphBuilder::Conv2D(ValueId x, ValueId w, Conv2DAttrs attrs) {
  return Op(OpKind::kConv2D, std::move(attrs), {x, w});
}

ValueId GraphBuilder::MatMul(ValueId a, ValueId b, MatMulAttrs attrs) {
  return Op(OpKind::kMatMul, attrs, {a, b});
}

ValueId GraphBuilder::Conv2D(ValueId x, ValueId w, ValueId bias,
                             Conv2DAttrs attrs) {
  return Op(OpKind::kConv2D, std::move(attrs), {x, w, bias});
}

ValueId GraphBuilder::MatMul(ValueId a, ValueId b, ValueId bias,
                             MatMulAttrs attrs) {
  return Op(OpKind::kMatMul, attrs, {a, b, bias});
}

ValueId GraphBuilder::BatchNorm(ValueId x, ValueId scale, ValueId bias,
                                ValueId mean, ValueId var, float epsilon) {
  BatchNormAttrs attrs;
  attrs.epsilon = epsilon;
  return Op(OpKind::kBatchNorm, attrs, {x, scale, bias, mean, var});
}

ValueId GraphBuilder::LayerNorm(ValueId x, ValueId scale, ValueId bias,
                                LayerNormAttrs attrs) {
  return Op(OpKind::kLayerNorm, attrs, {x, scale, bias});
}

ValueId GraphBuilder::Softmax(ValueId x, int64_t axis) {
  SoftmaxAttrs attrs;
  attrs.axis = axis;
  return Op(OpKind::kSoftmax, attrs, {x});
}

ValueId GraphBuilder::MaxPool2D(ValueId x, Pool2DAttrs attrs) {
  return Op(OpKind::kMaxPool2D, std::move(attrs), {x});
}

ValueId GraphBuilder::AvgPool2D(ValueId x, Pool2DAttrs attrs) {
  return Op(OpKind::kAvgPool2D, std::move(attrs), {x});
}

ValueId GraphBuilder::ReduceSum(ValueId x, ReduceAttrs attrs) {
  return Op(OpKind::kReduceSum, std::move(attrs), {x});
}

ValueId GraphBuilder::ReduceMean(ValueId x, ReduceAttrs attrs) {
  return Op(OpKind::kReduceMean, std::move(attrs), {x});
}

ValueId GraphBuilder::Concat(std::vector<ValueId> xs, int64_t axis) {
  ConcatAttrs attrs;
  attrs.axis = axis;
  return Op(OpKind::kConcat, attrs, std::move(xs));
}

std::vector<ValueId> GraphBuilder::Split(ValueId x, int64_t axis,
                                         std::vector<int64_t> sizes) {
  SplitAttrs attrs;
  attrs.axis = axis;
  attrs.sizes = std::move(sizes);
  return MultiOp(OpKind::kSplit, std::move(attrs), {x});
}

ValueId GraphBuilder::Reshape(ValueId x, std::vector<int64_t> dims) {
  ReshapeAttrs attrs;
  attrs.shape = std::move(dims);
  return Op(OpKind::kReshape, std::move(attrs), {x});
}

ValueId GraphBuilder::Transpose(ValueId x, std::vector<int64_t> perm) {
  TransposeAttrs attrs;
  attrs.perm = std::move(perm);
  return Op(OpKind::kTranspose, std::move(attrs), {x});
}

ValueId GraphBuilder::Flatten(ValueId x, int64_t axis) {
  FlattenAttrs attrs;
  attrs.axis = axis;
  return Op(OpKind::kFlatten, attrs, {x});
}

ValueId GraphBuilder::Enlarge(ValueId w, std::vector<int64_t> kernel) {
  EnlargeAttrs attrs;
  attrs.kernel = std::move(kernel);
  return Op(OpKind::kEnlarge, std::move(attrs), {w});
}

ValueId GraphBuilder::Pad(ValueId x, PadAttrs attrs) {
  return Op(OpKind::kPad, std::move(attrs), {x});
}

ValueId GraphBuilder::Slice(ValueId x, SliceAttrs attrs) {
  return Op(OpKind::kSlice, std::move(attrs), {x});
}

ValueId GraphBuilder::Op(OpKind op, Attrs attrs, std::vector<ValueId> inputs,
                         std::string name) {
  if (!status_.ok()) return {};
  return Record(graph_.AddOp(op, std::move(attrs), std::move(inputs),
                             std::move(name)),
                ValueId{});
}

std::vector<ValueId> GraphBuilder::MultiOp(OpKind op, Attrs attrs,
                                           std::vector<ValueId> inputs,
                                           std::string name) {
  if (!status_.ok()) return {};
  return Record(graph_.AddNode(op, std::move(attrs), std::move(inputs),
                               std::move(name)),
                std::vector<ValueId>{});
}

void GraphBuilder::Output(ValueId v) {
  if (!status_.ok()) return;
  status_ = graph_.MarkOutput(v);
}

Shape GraphBuilder::shape(ValueId v) const {
  return graph_.Contains(v) ? graph_.shape(v) : Shape();
}

absl::StatusOr<Graph> GraphBuilder::Build() && {
  if (!status_.ok()) return status_;
  if (graph_.outputs().empty()) {
    return absl::InvalidArgumentError("graph has no outputs");
  }
  return std::move(graph_);
}

}  // namespace tsopt

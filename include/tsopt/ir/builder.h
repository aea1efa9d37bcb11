// GraphBuilder: the C++ way to write a graph. Each call adds one checked node
// and returns its value; the first error is recorded, later calls become
// no-ops, and Build() returns that error (naming the node) or the graph.
//
//   GraphBuilder b(/*seed=*/1);
//   ValueId x = b.Input({1, 64, 56, 56}, "x");
//   ValueId y = b.Conv2D(x, b.Weight({64, 64, 3, 3}),
//                        {.stride = {1, 1}, .pad = {1, 1, 1, 1}});
//   b.Output(b.Relu(y));
//   TSOPT_ASSIGN_OR_RETURN(Graph g, std::move(b).Build());
#ifndef TSOPT_IR_BUILDER_H_
#define TSOPT_IR_BUILDER_H_

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tsopt/ir/graph.h"

namespace tsopt {

class GraphBuilder {
 public:
  // `seed` makes the random weights of Weight(dims) deterministic.
  explicit GraphBuilder(uint64_t seed = 0) : rng_(seed) {}

  ValueId Input(std::vector<int64_t> dims, std::string name = "");
  // A weight with random values uniform in +-1/sqrt(fan_in), fan_in being
  // the product of all dims but the first (1 for rank <= 1).
  ValueId Weight(std::vector<int64_t> dims, std::string name = "");
  ValueId Weight(std::vector<int64_t> dims, std::vector<float> values,
                 std::string name = "");
  // A weight whose values are all `value` (e.g. BatchNorm variances).
  ValueId Constant(std::vector<int64_t> dims, float value,
                   std::string name = "");

  ValueId Conv2D(ValueId x, ValueId w, Conv2DAttrs attrs = {});
  ValueId MatMul(ValueId a, ValueId b, MatMulAttrs attrs = {});
  // With a bias: conv2d's is [out_channels], matmul's [n] (the output's
  // last dim); added before the fused activation.
  ValueId Conv2D(ValueId x, ValueId w, ValueId bias, Conv2DAttrs attrs = {});
  ValueId MatMul(ValueId a, ValueId b, ValueId bias, MatMulAttrs attrs = {});
  ValueId Add(ValueId a, ValueId b) { return Op(OpKind::kAdd, {}, {a, b}); }
  ValueId Sub(ValueId a, ValueId b) { return Op(OpKind::kSub, {}, {a, b}); }
  ValueId Mul(ValueId a, ValueId b) { return Op(OpKind::kMul, {}, {a, b}); }
  ValueId Div(ValueId a, ValueId b) { return Op(OpKind::kDiv, {}, {a, b}); }
  ValueId ScalarMul(ValueId x, ValueId scalar) {
    return Op(OpKind::kScalarMul, {}, {x, scalar});
  }
  ValueId Relu(ValueId x) { return Op(OpKind::kRelu, {}, {x}); }
  ValueId Sigmoid(ValueId x) { return Op(OpKind::kSigmoid, {}, {x}); }
  ValueId Tanh(ValueId x) { return Op(OpKind::kTanh, {}, {x}); }
  ValueId Gelu(ValueId x) { return Op(OpKind::kGelu, {}, {x}); }
  ValueId Exp(ValueId x) { return Op(OpKind::kExp, {}, {x}); }
  ValueId Sqrt(ValueId x) { return Op(OpKind::kSqrt, {}, {x}); }
  ValueId Identity(ValueId x) { return Op(OpKind::kIdentity, {}, {x}); }
  ValueId BatchNorm(ValueId x, ValueId scale, ValueId bias, ValueId mean,
                    ValueId var, float epsilon = 1e-5f);
  ValueId LayerNorm(ValueId x, ValueId scale, ValueId bias,
                    LayerNormAttrs attrs = {});
  ValueId Softmax(ValueId x, int64_t axis = -1);
  ValueId MaxPool2D(ValueId x, Pool2DAttrs attrs);
  ValueId AvgPool2D(ValueId x, Pool2DAttrs attrs);
  ValueId GlobalAvgPool(ValueId x) {
    return Op(OpKind::kGlobalAvgPool, {}, {x});
  }
  ValueId ReduceSum(ValueId x, ReduceAttrs attrs);
  ValueId ReduceMean(ValueId x, ReduceAttrs attrs);
  ValueId Concat(std::vector<ValueId> xs, int64_t axis);
  std::vector<ValueId> Split(ValueId x, int64_t axis,
                             std::vector<int64_t> sizes);
  ValueId Reshape(ValueId x, std::vector<int64_t> dims);
  ValueId Transpose(ValueId x, std::vector<int64_t> perm);
  ValueId Flatten(ValueId x, int64_t axis = 1);
  ValueId Enlarge(ValueId w, std::vector<int64_t> kernel);
  ValueId Pad(ValueId x, PadAttrs attrs);
  ValueId Slice(ValueId x, SliceAttrs attrs);

  // Any single-output operator.
  ValueId Op(OpKind op, Attrs attrs, std::vector<ValueId> inputs,
             std::string name = "");
  // Any operator; an empty vector after an error.
  std::vector<ValueId> MultiOp(OpKind op, Attrs attrs,
                               std::vector<ValueId> inputs,
                               std::string name = "");

  void Output(ValueId v);

  // Shape of a value built so far (a scalar shape after an error).
  Shape shape(ValueId v) const;
  const absl::Status& status() const { return status_; }
  const Graph& graph() const { return graph_; }
  // The graph, or the first error.
  absl::StatusOr<Graph> Build() &&;

 private:
  template <typename T>
  T Record(absl::StatusOr<T> result, T fallback);

  Graph graph_;
  absl::Status status_;
  std::mt19937_64 rng_;
  int auto_input_names_ = 0;
};

}  // namespace tsopt

#endif  // TSOPT_IR_BUILDER_H_

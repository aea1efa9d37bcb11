// Executor-vs-reference helpers and small test graphs.
#include "tests/runtime/executor_test_util.h"

#include "tsopt/reference/evaluator.h"
#include "tsopt/util/status_macros.h"

namespace tsopt::testing {

std::vector<Tensor> RandomInputs(const Graph& g, uint64_t seed, float lo,
                                 float hi) {
  std::vector<Tensor> inputs;
  for (NodeId id : g.InputNodes()) {
    inputs.push_back(
        Tensor::Random(g.node(id).output_shapes[0], seed++, lo, hi));
  }
  return inputs;
}

absl::StatusOr<OutputDiff> ExecutorVsReference(const Graph& g, uint64_t seed,
                                               float lo, float hi) {
  std::vector<Tensor> inputs = RandomInputs(g, seed, lo, hi);
  TSOPT_ASSIGN_OR_RETURN(std::vector<Tensor> want, Evaluate(g, inputs));
  TSOPT_ASSIGN_OR_RETURN(std::unique_ptr<Executor> exec, Executor::Create(g));
  TSOPT_ASSIGN_OR_RETURN(std::vector<Tensor> got, exec->Run(inputs));
  return CompareOutputs(got, want);
}

absl::StatusOr<ValueId> RandomWeight(Graph& g, std::vector<int64_t> dims,
                                     uint64_t seed, float lo, float hi) {
  TSOPT_ASSIGN_OR_RETURN(Shape s, Shape::Create(dims));
  return g.AddWeight(std::move(dims),
                     WeightData::Create(Tensor::Random(s, seed, lo, hi).data));
}

absl::StatusOr<Graph> ConvStack(int64_t depth, int64_t channels,
                                int64_t size) {
  Graph g;
  TSOPT_ASSIGN_OR_RETURN(ValueId y, g.AddInput("x", {1, channels, size, size}));
  for (int64_t i = 0; i < depth; ++i) {
    TSOPT_ASSIGN_OR_RETURN(ValueId w, RandomWeight(g, {channels, channels, 3, 3},
                                                   i, -0.1f, 0.1f));
    Conv2DAttrs a;
    a.pad = {1, 1, 1, 1};
    a.activation = Activation::kRelu;
    TSOPT_ASSIGN_OR_RETURN(y, g.AddOp(OpKind::kConv2D, a, {y, w}));
  }
  TSOPT_RETURN_IF_ERROR(g.MarkOutput(y));
  return g;
}

}  // namespace tsopt::testing

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

}  // namespace tsopt::testing

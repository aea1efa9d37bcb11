#include "tests/cudnn/cudnn_test_util.h"

#include "gtest/gtest.h"
#include "tsopt/reference/evaluator.h"
#include "tsopt/util/status_macros.h"

namespace tsopt::testing {

bool GpuAvailable() { return QueryCudnnDevice(0).ok(); }

absl::StatusOr<OutputDiff> GpuVsReference(const Graph& g, uint64_t seed,
                                          float lo, float hi) {
  std::vector<Tensor> inputs;
  for (NodeId id : g.InputNodes()) {
    inputs.push_back(
        Tensor::Random(g.node(id).output_shapes[0], seed + id, lo, hi));
  }
  TSOPT_ASSIGN_OR_RETURN(std::unique_ptr<Executor> exec,
                         CreateCudnnExecutor(g));
  TSOPT_ASSIGN_OR_RETURN(std::vector<Tensor> got, exec->Run(inputs));
  TSOPT_ASSIGN_OR_RETURN(std::vector<Tensor> want, Evaluate(g, inputs));
  return CompareCudnnOutputs(got, want);
}

absl::StatusOr<ValueId> AddRandomWeight(Graph& g, std::vector<int64_t> dims,
                                        uint64_t seed, float lo, float hi) {
  TSOPT_ASSIGN_OR_RETURN(Shape shape, Shape::Create(dims));
  Tensor t = Tensor::Random(shape, seed, lo, hi);
  return g.AddWeight(dims, WeightData::Create(std::move(t.data)));
}

}  // namespace tsopt::testing

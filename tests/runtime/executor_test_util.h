// Helpers for the executor tests: run a graph on the executor and on the
// reference evaluator with the same random inputs and compare.
#ifndef TSOPT_TESTS_RUNTIME_EXECUTOR_TEST_UTIL_H_
#define TSOPT_TESTS_RUNTIME_EXECUTOR_TEST_UTIL_H_

#include <string>

#include "absl/status/statusor.h"
#include "tsopt/ir/graph.h"
#include "tsopt/runtime/executor.h"

namespace tsopt::testing {

// Random inputs in [-1, 1) (or [lo, hi)) for every Input node, in
// InputNodes() order.
std::vector<Tensor> RandomInputs(const Graph& g, uint64_t seed,
                                 float lo = -1.0f, float hi = 1.0f);

// Executes `g` on both backends and compares; the diff, or the first error.
absl::StatusOr<OutputDiff> ExecutorVsReference(const Graph& g, uint64_t seed,
                                               float lo = -1.0f,
                                               float hi = 1.0f);

// `depth` conv3x3 (+ fused relu) layers of `channels` channels on a
// [1, channels, size, size] input.
absl::StatusOr<Graph> ConvStack(int64_t depth, int64_t channels, int64_t size);

// A weight of `dims` with values uniform in [lo, hi).
absl::StatusOr<ValueId> RandomWeight(Graph& g, std::vector<int64_t> dims,
                                     uint64_t seed, float lo = -1.0f,
                                     float hi = 1.0f);

}  // namespace tsopt::testing

#endif  // TSOPT_TESTS_RUNTIME_EXECUTOR_TEST_UTIL_H_

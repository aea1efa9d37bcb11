// Helpers for the cuDNN backend tests: whether a GPU is usable (GPU tests
// GTEST_SKIP() without one), executor-vs-reference comparison, weights.
#ifndef TSOPT_TESTS_CUDNN_CUDNN_TEST_UTIL_H_
#define TSOPT_TESTS_CUDNN_CUDNN_TEST_UTIL_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tsopt/ir/graph.h"
#include "tsopt/runtime/cudnn_executor.h"

namespace tsopt::testing {

// True when the backend is built and device 0 can be opened.
bool GpuAvailable();

#define TSOPT_REQUIRE_GPU()                                              \
  do {                                                                   \
    if (!::tsopt::testing::GpuAvailable()) {                             \
      GTEST_SKIP() << "no usable GPU: "                                  \
                   << ::tsopt::QueryCudnnDevice(0).status().message();   \
    }                                                                    \
  } while (0)

// Runs `g` on the cuDNN executor and the reference evaluator with the same
// random inputs in [lo, hi); the diff at the cuDNN tolerance.
absl::StatusOr<OutputDiff> GpuVsReference(const Graph& g, uint64_t seed,
                                          float lo = -1.0f, float hi = 1.0f);

// A weight of `dims` with values uniform in [lo, hi).
absl::StatusOr<ValueId> AddRandomWeight(Graph& g, std::vector<int64_t> dims,
                                        uint64_t seed, float lo = -1.0f,
                                        float hi = 1.0f);

}  // namespace tsopt::testing

#endif  // TSOPT_TESTS_CUDNN_CUDNN_TEST_UTIL_H_

// The parts of the cuDNN backend's runtime API that need no CUDA: output
// comparison at the cuDNN tolerance, and (in a build without cuDNN) the
// entry points that report "built without cuDNN".
#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "tsopt/runtime/cudnn_executor.h"

namespace tsopt {

absl::StatusOr<OutputDiff> CompareCudnnOutputs(absl::Span<const Tensor> got,
                                               absl::Span<const Tensor> want) {
  if (got.size() != want.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "output counts differ: ", got.size(), " vs ", want.size()));
  }
  OutputDiff diff;
  for (size_t i = 0; i < got.size(); ++i) {
    if (got[i].shape != want[i].shape ||
        got[i].data.size() != want[i].data.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("output ", i, " shapes differ: ",
                       got[i].shape.ToString(), " vs ",
                       want[i].shape.ToString()));
    }
    for (size_t j = 0; j < got[i].data.size(); ++j) {
      const double a = got[i].data[j];
      const double b = want[i].data[j];
      const double err = std::fabs(a - b);
      if (!(err <= kCudnnAbsTolerance + kCudnnRelTolerance * std::fabs(b))) {
        diff.within_tolerance = false;  // also catches NaN
      }
      if (std::isnan(err)) {
        diff.max_abs = diff.max_rel = INFINITY;
        continue;
      }
      diff.max_abs = std::max(diff.max_abs, err);
      diff.max_rel = std::max(diff.max_rel, err / std::max(std::fabs(b), 1e-30));
    }
  }
  return diff;
}

#ifndef TSOPT_WITH_CUDNN

namespace {
absl::Status NotBuilt() {
  return absl::UnimplementedError(
      "built without cuDNN (TSOPT_WITH_CUDNN is off; it needs nvcc and "
      "cudnn.h under /usr/local/cuda)");
}
}  // namespace

bool CudnnBuilt() { return false; }

absl::StatusOr<CudnnDeviceInfo> QueryCudnnDevice(int) { return NotBuilt(); }

absl::StatusOr<std::unique_ptr<Executor>> CreateCudnnExecutor(
    const Graph&, CudnnExecutorOptions) {
  return NotBuilt();
}

#endif  // TSOPT_WITH_CUDNN

}  // namespace tsopt

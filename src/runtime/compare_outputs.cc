// CompareOutputs: the executor-vs-reference tolerance check.
#include <cmath>

#include "absl/strings/str_cat.h"
#include "tsopt/runtime/executor.h"

namespace tsopt {

absl::StatusOr<OutputDiff> CompareOutputs(absl::Span<const Tensor> got,
                                          absl::Span<const Tensor> want) {
  if (got.size() != want.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "comparing ", got.size(), " outputs with ", want.size()));
  }
  OutputDiff diff;
  for (size_t i = 0; i < got.size(); ++i) {
    if (got[i].shape != want[i].shape ||
        got[i].data.size() != want[i].data.size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "output ", i, " has shape ", got[i].shape.ToString(), ", expected ",
          want[i].shape.ToString()));
    }
    for (size_t j = 0; j < got[i].data.size(); ++j) {
      double a = got[i].data[j], b = want[i].data[j];
      double abs = std::fabs(a - b);
      if (std::isnan(a) != std::isnan(b)) abs = INFINITY;
      if (std::isnan(a) && std::isnan(b)) abs = 0;
      diff.max_abs = std::max(diff.max_abs, abs);
      diff.max_rel = std::max(diff.max_rel, abs / std::max(std::fabs(b), 1e-30));
      if (!(abs <= kExecutorAbsTolerance + kExecutorRelTolerance * std::fabs(b))) {
        diff.within_tolerance = false;
      }
    }
  }
  return diff;
}

}  // namespace tsopt

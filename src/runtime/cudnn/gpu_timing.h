// GPU time of a repeatable sequence of launches, measured with CUDA events
// on the context's stream: warm-up runs, a repetition count chosen so a
// batch lasts >= min_batch_ms (capped by max_reps), then `batches` timed
// batches; the median and minimum per-execution time (Timing::ms is the
// one options.statistic names) and the spread. options.cpu_time and the
// outlier re-measurement do not apply to GPU time. Internal to the cuDNN
// backend (the executor's Time and the cost model).
#ifndef TSOPT_SRC_RUNTIME_CUDNN_GPU_TIMING_H_
#define TSOPT_SRC_RUNTIME_CUDNN_GPU_TIMING_H_

#include <functional>

#include "absl/status/statusor.h"
#include "src/runtime/cudnn/gpu_context.h"
#include "tsopt/util/timing.h"

namespace tsopt::cudnn_internal {

absl::StatusOr<Timing> TimeOnStream(GpuContext& ctx,
                                    const std::function<absl::Status()>& launch,
                                    const TimingOptions& options);

}  // namespace tsopt::cudnn_internal

#endif  // TSOPT_SRC_RUNTIME_CUDNN_GPU_TIMING_H_

// TimeOnStream: CUDA-event timing (see gpu_timing.h).
#include "src/runtime/cudnn/gpu_timing.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

namespace tsopt::cudnn_internal {
namespace {

// Milliseconds of `reps` launches between two events.
absl::StatusOr<double> TimeBatch(GpuContext& ctx, cudaEvent_t start,
                                 cudaEvent_t stop,
                                 const std::function<absl::Status()>& launch,
                                 int reps) {
  absl::Status s = CudaStatus(cudaEventRecord(start, ctx.stream()), "event");
  for (int i = 0; s.ok() && i < reps; ++i) s = launch();
  if (s.ok()) s = CudaStatus(cudaEventRecord(stop, ctx.stream()), "event");
  if (s.ok()) s = CudaStatus(cudaEventSynchronize(stop), "event sync");
  if (!s.ok()) return s;
  float ms = 0;
  s = CudaStatus(cudaEventElapsedTime(&ms, start, stop), "elapsed time");
  if (!s.ok()) return s;
  return static_cast<double>(ms);
}

}  // namespace

absl::StatusOr<Timing> TimeOnStream(GpuContext& ctx,
                                    const std::function<absl::Status()>& launch,
                                    const TimingOptions& options) {
  cudaEvent_t start, stop;
  absl::Status s = CudaStatus(cudaEventCreate(&start), "cudaEventCreate");
  if (!s.ok()) return s;
  std::unique_ptr<CUevent_st, cudaError_t (*)(cudaEvent_t)> own_start(
      start, cudaEventDestroy);
  s = CudaStatus(cudaEventCreate(&stop), "cudaEventCreate");
  if (!s.ok()) return s;
  std::unique_ptr<CUevent_st, cudaError_t (*)(cudaEvent_t)> own_stop(
      stop, cudaEventDestroy);

  for (int i = 0; i < std::max(options.warmup_runs, 1); ++i) {
    s = launch();
    if (!s.ok()) return s;
  }
  s = ctx.Synchronize();
  if (!s.ok()) return s;
  absl::StatusOr<double> once = TimeBatch(ctx, start, stop, launch, 1);
  if (!once.ok()) return once.status();
  int reps = 1;
  if (*once > 0 && *once < options.min_batch_ms) {
    reps = static_cast<int>(std::min<double>(
        std::ceil(options.min_batch_ms / *once), options.max_reps));
  } else if (*once <= 0) {  // below the event resolution
    reps = std::min(options.max_reps, 1024);
  }
  reps = std::max(reps, 1);
  Timing t;
  t.reps_per_batch = reps;
  for (int b = 0; b < std::max(options.batches, 1); ++b) {
    absl::StatusOr<double> ms = TimeBatch(ctx, start, stop, launch, reps);
    if (!ms.ok()) return ms.status();
    t.batch_ms.push_back(*ms / reps);
  }
  std::vector<double> sorted = t.batch_ms;
  std::sort(sorted.begin(), sorted.end());
  const size_t n = sorted.size();
  t.median_ms = n % 2 == 1 ? sorted[n / 2]
                           : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  t.min_ms = sorted.front();
  t.ms = options.statistic == TimingStatistic::kMin ? t.min_ms : t.median_ms;
  t.spread = t.median_ms > 0 ? (sorted.back() - sorted.front()) / t.median_ms
                             : 0.0;
  return t;
}

}  // namespace tsopt::cudnn_internal

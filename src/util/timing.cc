// TimeRepeated: adaptive repetitions, median of batches, outlier re-runs.
#include "tsopt/util/timing.h"

#include <time.h>

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "tsopt/util/status_macros.h"

namespace tsopt {
namespace {

// Milliseconds on the chosen clock.
double NowMs(bool cpu_time) {
  timespec ts;
  clock_gettime(cpu_time ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

// Milliseconds per execution over `reps` executions.
absl::StatusOr<double> TimeBatch(const std::function<absl::Status()>& run,
                                 int reps, bool cpu_time) {
  double start = NowMs(cpu_time);
  for (int i = 0; i < reps; ++i) TSOPT_RETURN_IF_ERROR(run());
  return (NowMs(cpu_time) - start) / reps;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace

absl::StatusOr<Timing> TimeRepeated(const std::function<absl::Status()>& run,
                                    const TimingOptions& options) {
  if (options.batches < 1 || options.min_batch_ms < 0 ||
      options.max_reps < 1 || options.outlier_ratio < 1) {
    return absl::InvalidArgumentError(
        "timing options need batches >= 1, min_batch_ms >= 0, max_reps >= 1 "
        "and outlier_ratio >= 1");
  }
  double estimate = 0;
  for (int i = 0; i < std::max(1, options.warmup_runs); ++i) {
    TSOPT_ASSIGN_OR_RETURN(estimate, TimeBatch(run, 1, options.cpu_time));
  }
  Timing t;
  double reps = estimate > 0 ? std::ceil(options.min_batch_ms / estimate) : 1;
  t.reps_per_batch = static_cast<int>(
      std::clamp(reps, 1.0, static_cast<double>(options.max_reps)));
  for (int b = 0; b < options.batches; ++b) {
    TSOPT_ASSIGN_OR_RETURN(
        double ms, TimeBatch(run, t.reps_per_batch, options.cpu_time));
    t.batch_ms.push_back(ms);
  }
  // Replace the slowest batch while it is an outlier, within the budget.
  while (t.remeasured < options.max_remeasure && t.batch_ms.size() > 1) {
    double median = Median(t.batch_ms);
    auto worst = std::max_element(t.batch_ms.begin(), t.batch_ms.end());
    if (*worst <= options.outlier_ratio * median) break;
    TSOPT_ASSIGN_OR_RETURN(
        *worst, TimeBatch(run, t.reps_per_batch, options.cpu_time));
    ++t.remeasured;
  }
  Timing summary = SummarizeBatches(std::move(t.batch_ms), options.statistic);
  summary.reps_per_batch = t.reps_per_batch;
  summary.remeasured = t.remeasured;
  return summary;
}

Timing SummarizeBatches(std::vector<double> batch_ms,
                        TimingStatistic statistic) {
  Timing t;
  t.batch_ms = std::move(batch_ms);
  if (t.batch_ms.empty()) return t;
  t.median_ms = Median(t.batch_ms);
  auto [lo, hi] = std::minmax_element(t.batch_ms.begin(), t.batch_ms.end());
  t.min_ms = *lo;
  t.ms = statistic == TimingStatistic::kMin ? t.min_ms : t.median_ms;
  t.spread = t.median_ms > 0 ? (*hi - *lo) / t.median_ms : 0;
  return t;
}

}  // namespace tsopt

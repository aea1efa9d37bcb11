// Robust wall-clock timing of a repeatable piece of work, for the measured
// cost models and the executor: warm up, pick a repetition count so that a
// batch takes at least `min_batch_ms`, time several batches, re-measure
// batches far above the median (a descheduled thread, a noisy neighbour),
// and report the median per-execution time with its spread.
//
//   TimingOptions opts;  // 5 batches of >= 2 ms
//   TSOPT_ASSIGN_OR_RETURN(Timing t, TimeRepeated([&] { return Run(); }, opts));
//   t.ms (the chosen statistic); t.median_ms; t.min_ms; t.spread;
#ifndef TSOPT_UTIL_TIMING_H_
#define TSOPT_UTIL_TIMING_H_

#include <functional>
#include <vector>

#include "absl/status/statusor.h"

namespace tsopt {

// Which batch statistic Timing::ms reports. The median is robust to a few
// disturbed batches; the minimum suits a machine where every batch is
// disturbed (interference only ever adds time).
enum class TimingStatistic { kMedian, kMin };

struct TimingOptions {
  int warmup_runs = 2;
  int batches = 5;
  double min_batch_ms = 2.0;   // repetitions adapt so a batch lasts this long
  int max_reps = 1 << 20;      // cap for very fast work
  double outlier_ratio = 1.3;  // a batch > ratio * median is re-measured
  int max_remeasure = 4;       // per measurement, in total
  // Measure the process's CPU time instead of wall-clock time. With one
  // thread this excludes the time the process was descheduled, which makes
  // numbers repeatable on a shared, overloaded machine; with several
  // threads it sums their time (spin-waits included), so keep it for
  // single-threaded measurements.
  bool cpu_time = false;
  TimingStatistic statistic = TimingStatistic::kMedian;
};

struct Timing {
  double ms = 0;         // per execution: the chosen statistic
  double median_ms = 0;  // per execution, over the batches
  double min_ms = 0;     // per execution, the fastest batch
  double spread = 0;     // (max - min) / median over the final batches
  int reps_per_batch = 0;
  int remeasured = 0;    // outlier batches replaced
  std::vector<double> batch_ms;  // per execution, one per batch
};

// Times `run` (which must be repeatable); its first error is returned.
absl::StatusOr<Timing> TimeRepeated(const std::function<absl::Status()>& run,
                                    const TimingOptions& options);

// The statistics of per-execution batch times, as TimeRepeated reports
// them (reps_per_batch and remeasured left 0; all 0 for no batch).
Timing SummarizeBatches(std::vector<double> batch_ms,
                        TimingStatistic statistic);

}  // namespace tsopt

#endif  // TSOPT_UTIL_TIMING_H_

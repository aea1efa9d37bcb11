// Throttled progress reports of one generator phase, safe to call from
// every worker thread: at most one report per progress_interval_seconds
// reaches the options' callback.
#ifndef TSOPT_SRC_RULEGEN_PROGRESS_H_
#define TSOPT_SRC_RULEGEN_PROGRESS_H_

#include <atomic>
#include <chrono>
#include <mutex>

#include "tsopt/rulegen/generator.h"

namespace tsopt::rulegen {

class PhaseProgress {
 public:
  PhaseProgress(const GeneratorOptions& o, GeneratorProgress::Phase phase,
                int64_t total)
      : o_(o), phase_(phase), total_(total) {}

  // One more unit (branch or bucket) finished; `graphs`: the running count.
  void Done(int64_t graphs) {
    const int64_t done = done_.fetch_add(1) + 1;
    if (!o_.progress) return;
    std::lock_guard<std::mutex> lock(mu_);
    const auto now = std::chrono::steady_clock::now();
    if (std::chrono::duration<double>(now - last_).count() <
        o_.progress_interval_seconds) {
      return;
    }
    last_ = now;
    GeneratorProgress p;
    p.phase = phase_;
    p.graphs = graphs;
    p.done = done;
    p.total = total_;
    p.seconds = std::chrono::duration<double>(now - start_).count();
    o_.progress(p);
  }

 private:
  const GeneratorOptions& o_;
  const GeneratorProgress::Phase phase_;
  const int64_t total_;
  std::atomic<int64_t> done_{0};
  std::mutex mu_;
  const std::chrono::steady_clock::time_point start_ =
      std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_ = start_;
};

}  // namespace tsopt::rulegen

#endif  // TSOPT_SRC_RULEGEN_PROGRESS_H_

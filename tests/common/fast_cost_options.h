// oneDNN cost-model options for tests: one thread and short timing
// batches, so a measurement takes milliseconds (the numbers are noisy;
// tests assert structure and orderings that hold by a wide margin).
#ifndef TSOPT_TESTS_COMMON_FAST_COST_OPTIONS_H_
#define TSOPT_TESTS_COMMON_FAST_COST_OPTIONS_H_

#include "tsopt/cost/onednn_cost_model.h"

namespace tsopt::testing_util {

inline OneDnnCostOptions FastOneDnnCostOptions() {
  OneDnnCostOptions o;
  o.num_threads = 1;
  o.timing.batches = 3;
  o.timing.min_batch_ms = 0.2;
  o.timing.warmup_runs = 1;
  return o;
}

}  // namespace tsopt::testing_util

#endif  // TSOPT_TESTS_COMMON_FAST_COST_OPTIONS_H_

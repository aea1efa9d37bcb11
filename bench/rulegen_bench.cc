// Rule generator throughput: graphs enumerated per second, total time and
// rule counts for N = 2, 3 (and 4 on request) over the default operator set,
// on 2 threads.
//   ./build/bench/tsopt_bench --benchmark_filter=Rulegen
#include <benchmark/benchmark.h>

#include "tsopt/rulegen/generator.h"

namespace tsopt {
namespace {

void BM_RulegenDefaultOps(benchmark::State& state) {
  GeneratorOptions o;
  o.max_ops = static_cast<int>(state.range(0));
  o.threads = 2;
  GeneratorStats stats;
  for (auto _ : state) {
    absl::StatusOr<GeneratorResult> r = GenerateRules(o);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    stats = r->stats;
    std::vector<Rule> rules = FinalizeRules(std::move(r->rules), &stats);
    benchmark::DoNotOptimize(rules.data());
  }
  state.counters["graphs"] = static_cast<double>(stats.graphs);
  state.counters["graphs_per_s"] = benchmark::Counter(
      static_cast<double>(stats.graphs) * state.iterations(),
      benchmark::Counter::kIsRate);
  state.counters["candidate_pairs"] = static_cast<double>(stats.candidate_pairs);
  state.counters["rules"] = static_cast<double>(stats.rules);
  state.counters["enumerate_s"] = stats.enumerate_seconds;
  state.counters["confirm_s"] = stats.confirm_seconds;
}
BENCHMARK(BM_RulegenDefaultOps)
    ->Arg(2)
    ->Arg(3)
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();

}  // namespace
}  // namespace tsopt

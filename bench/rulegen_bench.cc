// Rule generator throughput: graphs enumerated per second, total time, peak
// RSS of the process so far and rule counts for N = 2, 3 and 4 over the
// default operator set, on 2 threads (N = 4 takes minutes: filter it out
// with --benchmark_filter='Rulegen.*/[23]').
//   ./build/bench/tsopt_bench --benchmark_filter=Rulegen
#include <benchmark/benchmark.h>
#include <sys/resource.h>

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
  state.counters["pairs_pruned"] = static_cast<double>(
      stats.pruned_detour + stats.pruned_output_wise +
      stats.pruned_common_subgraph + stats.pruned_congruence);
  state.counters["enumerate_s"] = stats.enumerate_seconds;
  rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  state.counters["peak_rss_mb"] = usage.ru_maxrss / 1024.0;
  state.counters["confirm_s"] = stats.confirm_seconds;
}
BENCHMARK(BM_RulegenDefaultOps)
    ->Arg(2)
    ->Arg(3)
    ->Arg(4)
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();

}  // namespace
}  // namespace tsopt

// Search speed: total search time and expanded graphs per second at budget
// 300 and 1000 (time limit 60 s) on the benchmark pieces, with the shipped
// rules (hand-written ones included) plus bench/search_bench.rules, on the
// analytic cost model and on the oneDNN cost model once its costs are
// cached (one untimed search fills the cache; each timed search starts with
// an empty IncrementalCost, so it pays the per-signature cache lookups).
//
//   build/bench/tsopt_bench --benchmark_filter=BM_Search --benchmark_repetitions=3
// Counters: expanded (graphs), expanded_per_s, generated, best_speedup;
// the label names the model and the stop reason.
#include <cstdio>
#include <map>
#include <set>
#include <memory>
#include <string>

#include "benchmark/benchmark.h"
#include "tsopt/cost/analytic_cost_model.h"
#include "tsopt/cost/cost_cache.h"
#include "tsopt/cost/onednn_cost_model.h"
#include "tsopt/models/models.h"
#include "tsopt/optimize.h"
#include "tsopt/search/search.h"

namespace tsopt {
namespace {

// The shipped rules (unverified ones included) plus bench/search_bench.rules
// (rules of the same name as a shipped one are left out).
const RuleSet& ShippedRules() {
  static const RuleSet* rules = [] {
    std::vector<Rule> all;
    std::set<std::string> names;
    absl::StatusOr<std::string> dir = DefaultRulesDir();
    for (const std::string& path :
         {dir.ok() ? *dir : std::string(),
          std::string(TSOPT_SOURCE_DIR "/bench/search_bench.rules")}) {
      if (path.empty()) continue;
      absl::StatusOr<RuleSet> r =
          LoadRulesForSearch(path, /*allow_unverified=*/true, nullptr);
      if (!r.ok()) {
        std::fprintf(stderr, "rules: %s\n",
                     std::string(r.status().message()).c_str());
        continue;
      }
      for (const Rule& rule : r->rules()) {
        if (names.insert(rule.name).second) all.push_back(rule);
      }
    }
    absl::StatusOr<RuleSet> set = RuleSet::Create(std::move(all));
    return new RuleSet(set.ok() ? *std::move(set) : RuleSet());
  }();
  return *rules;
}

const char* const kModels[] = {"resnext_block", "bert_layer", "nasnet_cell",
                               "nasrnn"};

void RunSearch(benchmark::State& state, CostModel* model, bool warm_up) {
  const char* name = kModels[state.range(0)];
  absl::StatusOr<Graph> g = BuildModel(name);
  if (!g.ok()) {
    state.SkipWithError(std::string(g.status().message()).c_str());
    return;
  }
  SearchOptions options;
  options.budget = state.range(1);
  options.time_limit_s = 60;
  if (warm_up) {  // Untimed: fills a caching model's memo.
    IncrementalCost warm(model);
    if (!Search(*g, ShippedRules(), warm, options).ok()) {
      state.SkipWithError("search failed");
      return;
    }
  }
  SearchReport last;
  for (auto _ : state) {
    IncrementalCost cost(model);
    absl::StatusOr<SearchResult> r =
        Search(*g, ShippedRules(), cost, options);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    last = r->report;
  }
  state.SetLabel(std::string(name) + " stop=" +
                 std::string(StopReasonName(last.stop_reason)));
  state.counters["expanded"] = static_cast<double>(last.graphs_expanded);
  state.counters["generated"] = static_cast<double>(last.graphs_generated);
  state.counters["expanded_per_s"] =
      last.seconds > 0 ? last.graphs_expanded / last.seconds : 0;
  state.counters["best_speedup"] =
      last.cost_after_ms > 0 ? last.cost_before_ms / last.cost_after_ms : 0;
}

void BM_SearchAnalytic(benchmark::State& state) {
  AnalyticCostModel model;
  RunSearch(state, &model, /*warm_up=*/false);
}

void BM_SearchOneDnnCached(benchmark::State& state) {
  // Single-threaded, process CPU clock: repeatable on a shared machine.
  static OneDnnCostModel* onednn = [] {
    OneDnnCostOptions o;
    o.num_threads = 1;
    o.timing.cpu_time = true;
    return new OneDnnCostModel(o);
  }();
  static CachingCostModel* cached =
      new CachingCostModel(onednn, CostCacheOptions{});
  RunSearch(state, cached, /*warm_up=*/true);
  (void)cached->Flush();
}

BENCHMARK(BM_SearchAnalytic)
    ->ArgsProduct({{0, 1, 2, 3}, {300, 1000}})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);
BENCHMARK(BM_SearchOneDnnCached)
    ->ArgsProduct({{0, 1, 2, 3}, {300, 1000}})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace
}  // namespace tsopt

// Search speed: total search time and expanded graphs per CPU second for
// every model of the zoo (the eight benchmark networks and the five
// blocks) at budget 1000, plus budget 300 on the four networks TASO
// reports search times for (ResNeXt-50, BERT, NasRNN, NasNet-A). Rules: the
// shipped rules (unverified ones included) plus bench/search_bench.rules.
// Two cost models:
//   BM_SearchAnalytic      the analytic model;
//   BM_SearchOneDnnCached  oneDNN, single-threaded, process CPU clock, with
//                          costs cached in the cache file
//                          <temp dir>/tsopt_search_bench_onednn.cache,
//                          kept between runs: an untimed first search of
//                          the same model measures whatever signatures the
//                          file lacks, then the timed search starts from an
//                          empty IncrementalCost (per-signature cache
//                          lookups). Runs that share the file (another
//                          build, a later run) search with the same costs,
//                          so they run the same search and can be compared.
//   BM_SearchOneDnnCachedFromScratch  the same at budget 300, matching
//                          every expanded graph from scratch (no
//                          incremental matching), for comparison.
// One search per row (Iterations(1)), single-threaded, time limit 600 s.
//
//   build/bench/tsopt_bench --benchmark_filter=BM_Search
//   build/bench/tsopt_bench --benchmark_filter='BM_SearchAnalytic/nasrnn'
// Counters: expanded (graphs), expanded_per_s (per CPU second), generated,
// matching_s (seconds spent matching),
// speedup (cost before / cost after); the label names the stop reason.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>
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
const RuleSet& BenchRules() {
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

// The oneDNN model behind the bench's cache file (kept; writes are atomic
// and serialized between processes, see cost/cost_cache.h).
class CachedOneDnn {
 public:
  CachedOneDnn()
      : path_((std::filesystem::temp_directory_path() /
               "tsopt_search_bench_onednn.cache")
                  .string()),
        onednn_(Options()),
        cached_(&onednn_, CostCacheOptions{path_, /*persist=*/true}) {}
  CachingCostModel* model() { return &cached_; }

 private:
  // One thread, CPU clock (repeatable on a shared machine), and a lighter
  // schedule than the default: the costs only steer the search here.
  static OneDnnCostOptions Options() {
    OneDnnCostOptions o;
    o.num_threads = 1;
    o.timing.cpu_time = true;
    o.timing.warmup_runs = 1;
    o.timing.batches = 3;
    o.timing.min_batch_ms = 1.0;
    return o;
  }

  std::string path_;
  OneDnnCostModel onednn_;
  CachingCostModel cached_;
};

void RunSearch(benchmark::State& state, const std::string& name,
               int64_t budget, CostModel* model, bool warm_up,
               bool incremental_matching = true) {
  absl::StatusOr<Graph> g = BuildModel(name);
  if (!g.ok()) {
    state.SkipWithError(std::string(g.status().message()).c_str());
    return;
  }
  SearchOptions options;
  options.budget = budget;
  options.time_limit_s = 600;
  options.incremental_matching = incremental_matching;
  if (warm_up) {  // Untimed: fills the cache with every signature.
    IncrementalCost warm(model);
    absl::StatusOr<SearchResult> r = Search(*g, BenchRules(), warm, options);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
  }
  SearchReport last;
  for (auto _ : state) {
    IncrementalCost cost(model);
    absl::StatusOr<SearchResult> r = Search(*g, BenchRules(), cost, options);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    last = r->report;
  }
  state.SetLabel("stop=" + std::string(StopReasonName(last.stop_reason)));
  state.counters["expanded"] = static_cast<double>(last.graphs_expanded);
  state.counters["generated"] = static_cast<double>(last.graphs_generated);
  state.counters["expanded_per_s"] = benchmark::Counter(
      static_cast<double>(last.graphs_expanded), benchmark::Counter::kIsRate);
  state.counters["matching_s"] = last.seconds_matching;
  state.counters["speedup"] =
      last.cost_after_ms > 0 ? last.cost_before_ms / last.cost_after_ms : 0;
}

// Made on first use, destroyed (its cache flushed) at exit.
CachedOneDnn& OneDnn() {
  static CachedOneDnn model;
  return model;
}

void RegisterAll() {
  static AnalyticCostModel* analytic = new AnalyticCostModel();
  const std::set<std::string> taso = {"resnext50", "bert_base", "nasrnn",
                                      "nasnet_a"};
  for (const std::string& name : ModelNames()) {
    for (int64_t budget : {int64_t{300}, int64_t{1000}}) {
      if (budget == 300 && taso.count(name) == 0) continue;
      std::string suffix = "/" + name + "/" + std::to_string(budget);
      benchmark::RegisterBenchmark(
          ("BM_SearchAnalytic" + suffix).c_str(),
          [name, budget](benchmark::State& s) {
            RunSearch(s, name, budget, analytic, /*warm_up=*/false);
          })
          ->Unit(benchmark::kMillisecond)
          ->Iterations(1);
      benchmark::RegisterBenchmark(
          ("BM_SearchOneDnnCached" + suffix).c_str(),
          [name, budget](benchmark::State& s) {
            RunSearch(s, name, budget, OneDnn().model(), /*warm_up=*/true);
            (void)OneDnn().model()->Flush();
          })
          ->Unit(benchmark::kMillisecond)
          ->Iterations(1);
      if (budget != 300) continue;
      benchmark::RegisterBenchmark(
          ("BM_SearchOneDnnCachedFromScratch" + suffix).c_str(),
          [name, budget](benchmark::State& s) {
            RunSearch(s, name, budget, OneDnn().model(), /*warm_up=*/true,
                      /*incremental_matching=*/false);
          })
          ->Unit(benchmark::kMillisecond)
          ->Iterations(1);
    }
  }
}

const bool kRegistered = (RegisterAll(), true);

}  // namespace
}  // namespace tsopt

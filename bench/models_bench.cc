// The model suite (issue 8): per full model of the zoo (ResNet-50,
// ResNeXt-50, Inception-v3, SqueezeNet 1.1, MobileNet-v2, NasNet-A, NasRNN,
// BERT-base), four benchmarks, all named after the model so that
// --benchmark_filter=resnet50 selects one model:
//
//   BM_Search/<model>/analytic   one Optimize() at budget 1000 on the
//   BM_Search/<model>/onednn     analytic cost model, and on the oneDNN cost
//                                model once its costs are cached (an untimed
//                                search fills the cache first). Counters:
//                                cost_before_ms, cost_after_ms, cost_ratio,
//                                expanded, generated, rules_applied; the
//                                label gives the stop reason.
//   BM_EndToEnd/<model>/wall2    the executor on the original and on the
//   BM_EndToEnd/<model>/cpu1     optimized graph (the oneDNN search's best),
//                                interleaved: every iteration runs both
//                                once, in alternating order. wall2: 2
//                                threads (both cores, as the peers get),
//                                wall clock; cpu1: 1 thread, process CPU
//                                clock (repeatable on a loaded machine).
//                                Counters: original_ms, optimized_ms
//                                (medians over the iterations), speedup,
//                                gflop (FLOPs of the optimized graph),
//                                gflops (achieved GFLOP/s of the optimized
//                                graph), max_rel_diff (optimized vs
//                                original outputs).
//
//   build/bench/tsopt_bench --benchmark_filter=/resnet50/
//   build/bench/tsopt_bench --benchmark_filter=EndToEnd --benchmark_format=json
//
// Rules: every shipped rule, unverified ones included (the verifier has not
// proved them all yet); max_rel_diff shows the rewrites kept the outputs.
// The oneDNN cost model measures single-threaded on the process CPU clock
// (repeatable on the shared development machine; see bench/README.md).
#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "tsopt/cost/analytic_cost_model.h"
#include "tsopt/cost/cost_cache.h"
#include "tsopt/cost/cost_model.h"
#include "tsopt/cost/onednn_cost_model.h"
#include "tsopt/models/models.h"
#include "tsopt/optimize.h"
#include "tsopt/runtime/executor.h"

namespace tsopt {
namespace {

// The full models of the zoo (ModelNames() also lists the pieces).
const char* const kFullModels[] = {"resnet50",      "resnext50",
                                   "inception_v3",  "squeezenet1_1",
                                   "mobilenet_v2",  "nasnet_a",
                                   "nasrnn",        "bert_base"};
constexpr int kEndToEndIterations = 10;
constexpr int64_t kSearchBudget = 1000;
constexpr double kSearchTimeLimitS = 60;

void Skip(benchmark::State& state, const absl::Status& status) {
  state.SkipWithError(std::string(status.message()).c_str());
}

std::vector<Tensor> RandomInputs(const Graph& g) {
  std::vector<Tensor> in;
  for (NodeId id : g.InputNodes()) {
    in.push_back(Tensor::Random(g.node(id).output_shapes[0], id));
  }
  return in;
}

// FLOPs of one execution of `g`, by the analytic model's count.
double GraphFlops(const Graph& g) {
  double flops = 0;
  for (NodeId id = 0; id < g.num_nodes(); ++id) {
    if (IsFreeOp(g.node(id).op)) continue;
    flops += WorkOf(SignatureOf(g, id)).flops;
  }
  return flops;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// The oneDNN cost model behind its on-disk cache, shared by every benchmark
// of the process (flushed to the file after each oneDNN search).
CachingCostModel& CachedOneDnn() {
  static OneDnnCostModel* onednn = [] {
    OneDnnCostOptions o;
    o.num_threads = 1;
    o.timing.cpu_time = true;
    return new OneDnnCostModel(o);
  }();
  static CachingCostModel* cached =
      new CachingCostModel(onednn, CostCacheOptions{});
  return *cached;
}

OptimizeOptions SearchOptionsFor(CostModel* model) {
  OptimizeOptions o;
  o.allow_unverified = true;
  o.cost_model = model;
  o.search.budget = kSearchBudget;
  o.search.time_limit_s = kSearchTimeLimitS;
  return o;
}

// Best graph of the oneDNN search per model, kept for BM_EndToEnd.
std::map<std::string, Graph>& OptimizedGraphs() {
  static auto* graphs = new std::map<std::string, Graph>();
  return *graphs;
}

absl::StatusOr<Graph> OptimizedGraph(const std::string& name,
                                     const Graph& original) {
  auto it = OptimizedGraphs().find(name);
  if (it != OptimizedGraphs().end()) return it->second;
  absl::StatusOr<OptimizeResult> r =
      Optimize(original, SearchOptionsFor(&CachedOneDnn()));
  if (!r.ok()) return r.status();
  OptimizedGraphs().emplace(name, r->graph);
  return std::move(r->graph);
}

void BM_Search(benchmark::State& state, std::string name, bool onednn) {
  absl::StatusOr<Graph> g = BuildModel(name);
  if (!g.ok()) return Skip(state, g.status());
  AnalyticCostModel analytic;
  CostModel* model = &analytic;
  if (onednn) model = &CachedOneDnn();
  OptimizeOptions options = SearchOptionsFor(model);
  if (onednn) {  // Untimed: measures every signature the search meets.
    absl::StatusOr<OptimizeResult> warm = Optimize(*g, options);
    if (!warm.ok()) return Skip(state, warm.status());
  }
  absl::StatusOr<OptimizeResult> r;
  for (auto _ : state) {
    r = Optimize(*g, options);
    if (!r.ok()) return Skip(state, r.status());
  }
  const SearchReport& rep = r->report;
  int64_t applied = 0;
  for (const auto& [rule, count] : rep.rules_applied) applied += count;
  state.counters["cost_before_ms"] = rep.cost_before_ms;
  state.counters["cost_after_ms"] = rep.cost_after_ms;
  state.counters["cost_ratio"] =
      rep.cost_after_ms > 0 ? rep.cost_before_ms / rep.cost_after_ms : 0;
  state.counters["expanded"] = static_cast<double>(rep.graphs_expanded);
  state.counters["generated"] = static_cast<double>(rep.graphs_generated);
  state.counters["rules_applied"] = static_cast<double>(applied);
  state.counters["rules_used"] = r->rules_used;
  state.SetLabel(absl::StrCat(
      "stop=", StopReasonName(rep.stop_reason), " nodes ", rep.nodes_before,
      "->", rep.nodes_after));
  if (onednn) {
    OptimizedGraphs().insert_or_assign(name, r->graph);
    absl::Status flushed = CachedOneDnn().Flush();
    if (!flushed.ok()) Skip(state, flushed);
  }
}

double NowMs(bool cpu_clock) {
  if (cpu_clock) {
    timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
  }
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Milliseconds of one Run on the chosen clock.
absl::StatusOr<double> TimeOneRun(Executor& exec, const std::vector<Tensor>& in,
                                  bool cpu_clock) {
  double start = NowMs(cpu_clock);
  absl::StatusOr<std::vector<Tensor>> out = exec.Run(in);
  double end = NowMs(cpu_clock);
  if (!out.ok()) return out.status();
  benchmark::DoNotOptimize(*out);
  return end - start;
}

void BM_EndToEnd(benchmark::State& state, std::string name, int threads,
                 bool cpu_clock) {
  absl::StatusOr<Graph> original = BuildModel(name);
  if (!original.ok()) return Skip(state, original.status());
  absl::StatusOr<Graph> optimized = OptimizedGraph(name, *original);
  if (!optimized.ok()) return Skip(state, optimized.status());
  std::vector<Tensor> in = RandomInputs(*original);
  ExecutorOptions eo{.num_threads = threads};
  absl::StatusOr<std::unique_ptr<Executor>> exec[2] = {
      Executor::Create(*original, eo), Executor::Create(*optimized, eo)};
  for (const auto& e : exec) {
    if (!e.ok()) return Skip(state, e.status());
  }
  // Warm-up, and the outputs' agreement.
  absl::StatusOr<std::vector<Tensor>> want = (*exec[0])->Run(in);
  absl::StatusOr<std::vector<Tensor>> got = (*exec[1])->Run(in);
  if (!want.ok()) return Skip(state, want.status());
  if (!got.ok()) return Skip(state, got.status());
  absl::StatusOr<OutputDiff> diff = CompareOutputs(*got, *want);
  if (!diff.ok()) return Skip(state, diff.status());

  std::vector<double> ms[2];
  int64_t iteration = 0;
  for (auto _ : state) {
    for (int k = 0; k < 2; ++k) {
      int which = (iteration + k) % 2;  // alternate who runs first
      absl::StatusOr<double> t = TimeOneRun(**exec[which], in, cpu_clock);
      if (!t.ok()) return Skip(state, t.status());
      ms[which].push_back(*t);
    }
    ++iteration;
  }
  double original_ms = Median(ms[0]);
  double optimized_ms = Median(ms[1]);
  double gflop = GraphFlops(*optimized) / 1e9;
  state.counters["original_ms"] = original_ms;
  state.counters["optimized_ms"] = optimized_ms;
  state.counters["speedup"] =
      optimized_ms > 0 ? original_ms / optimized_ms : 0;
  state.counters["gflop"] = gflop;
  state.counters["gflops"] =
      optimized_ms > 0 ? gflop / (optimized_ms / 1e3) : 0;
  state.counters["max_rel_diff"] = diff->max_rel;
  state.SetLabel(absl::StrCat(
      "nodes ", original->num_nodes(), "->", optimized->num_nodes(),
      " threads=", threads, cpu_clock ? " cpu clock" : " wall clock"));
}

// Registers the four benchmarks of every full model, in model order.
const bool kRegistered = [] {
  std::vector<std::string> zoo = ModelNames();
  for (const char* model : kFullModels) {
    std::string name = model;
    if (std::find(zoo.begin(), zoo.end(), name) == zoo.end()) continue;
    for (bool onednn : {false, true}) {
      benchmark::RegisterBenchmark(
          absl::StrCat("BM_Search/", name, onednn ? "/onednn" : "/analytic")
              .c_str(),
          [name, onednn](benchmark::State& s) { BM_Search(s, name, onednn); })
          ->Iterations(1)
          ->Unit(benchmark::kMillisecond);
    }
    for (bool cpu_clock : {true, false}) {
      int threads = cpu_clock ? 1 : 2;
      benchmark::RegisterBenchmark(
          absl::StrCat("BM_EndToEnd/", name, cpu_clock ? "/cpu1" : "/wall2")
              .c_str(),
          [name, threads, cpu_clock](benchmark::State& s) {
            BM_EndToEnd(s, name, threads, cpu_clock);
          })
          ->Iterations(kEndToEndIterations)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime();
    }
  }
  return true;
}();

}  // namespace
}  // namespace tsopt

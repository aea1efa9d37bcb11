// oneDNN backend benchmarks:
//  - the cost of measuring one signature on OneDnnCostModel (default
//    timing options), and of a cache hit in CachingCostModel;
//  - end-to-end time of the executor vs the reference evaluator on the same
//    graph (a ResNet block and ResNet-50), single-threaded, on the process
//    CPU clock (the development machine is shared; see bench/README.md).
#include <memory>

#include "benchmark/benchmark.h"
#include "tsopt/cost/cost_cache.h"
#include "tsopt/cost/onednn_cost_model.h"
#include "tsopt/reference/evaluator.h"
#include "tsopt/runtime/executor.h"
#include "tsopt/models/models.h"

namespace tsopt {
namespace {

Graph Conv3x3(int64_t channels, int64_t size) {
  Graph g;
  ValueId x = *g.AddInput("x", {1, channels, size, size});
  ValueId w = *g.AddWeight({channels, channels, 3, 3}, nullptr);
  Conv2DAttrs a;
  a.pad = {1, 1, 1, 1};
  a.activation = Activation::kRelu;
  ValueId y = *g.AddOp(OpKind::kConv2D, a, {x, w});
  (void)g.MarkOutput(y);
  return g;
}

// Wall time of one full measurement (primitive creation, warm-up, batches)
// of a conv signature: what a cache miss costs the search.
void BM_MeasureConvSignature(benchmark::State& state) {
  OneDnnCostOptions o;
  o.num_threads = 1;
  OneDnnCostModel model(o);
  Graph g = Conv3x3(state.range(0), 28);
  OpSignature sig = SignatureOf(g, 2);
  for (auto _ : state) {
    absl::StatusOr<OpCost> c = model.Measure(sig);
    if (!c.ok()) state.SkipWithError(std::string(c.status().message()).c_str());
    benchmark::DoNotOptimize(c);
  }
}
BENCHMARK(BM_MeasureConvSignature)->Arg(16)->Arg(64)->Unit(benchmark::kMillisecond);

// What a cache hit costs the search (memo lookup by signature).
void BM_CachedCostLookup(benchmark::State& state) {
  OneDnnCostOptions o;
  o.num_threads = 1;
  o.timing.batches = 1;
  OneDnnCostModel base(o);
  CachingCostModel model(&base, {.path = "", .persist = false});
  Graph g = Conv3x3(16, 28);
  OpSignature sig = SignatureOf(g, 2);
  (void)model.Cost(sig);
  for (auto _ : state) benchmark::DoNotOptimize(model.Cost(sig));
}
BENCHMARK(BM_CachedCostLookup);

std::unique_ptr<Graph> MakeGraph(int which) {
  return std::make_unique<Graph>(
      *BuildModel(which == 0 ? "resnet_block" : "resnet50"));
}

std::vector<Tensor> Inputs(const Graph& g) {
  std::vector<Tensor> in;
  for (NodeId id : g.InputNodes()) {
    in.push_back(Tensor::Random(g.node(id).output_shapes[0], id));
  }
  return in;
}

// Arg 0: the zoo's resnet_block (64ch 56x56), 1: ResNet-50 (224x224).
void BM_ExecutorEndToEnd(benchmark::State& state) {
  std::unique_ptr<Graph> g = MakeGraph(static_cast<int>(state.range(0)));
  auto exec = Executor::Create(*g, {.num_threads = 1});
  if (!exec.ok()) {
    state.SkipWithError(std::string(exec.status().message()).c_str());
    return;
  }
  std::vector<Tensor> in = Inputs(*g);
  for (auto _ : state) benchmark::DoNotOptimize((*exec)->Run(in));
}
BENCHMARK(BM_ExecutorEndToEnd)
    ->Arg(0)
    ->Arg(1)
    ->MeasureProcessCPUTime()
    ->Unit(benchmark::kMillisecond);

void BM_ReferenceEndToEnd(benchmark::State& state) {
  std::unique_ptr<Graph> g = MakeGraph(static_cast<int>(state.range(0)));
  std::vector<Tensor> in = Inputs(*g);
  for (auto _ : state) benchmark::DoNotOptimize(Evaluate(*g, in));
}
BENCHMARK(BM_ReferenceEndToEnd)
    ->Arg(0)
    ->Arg(1)
    ->MeasureProcessCPUTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tsopt

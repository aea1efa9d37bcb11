// cuDNN backend benchmarks (GPU; each reports an error and skips without
// one). For every TASO benchmark network of the zoo (and the ResNet block):
//  - BM_CudnnEndToEnd: GPU time of one whole-graph execution on the
//    CudnnExecutor, from CUDA events (manual time);
//  - BM_CudnnPredicted: the CudnnCostModel's graph cost (sum of measured
//    node costs) as counter predicted_ms, to compare with the end-to-end
//    time;
// and BM_CudnnMeasureConvSignature: what one cost-model cache miss costs
// the search (algorithm search + timing of a conv signature).
//   ./build/bench/tsopt_bench --benchmark_filter=Cudnn
#include <memory>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "tsopt/cost/cost_cache.h"
#include "tsopt/cost/cudnn_cost_model.h"
#include "tsopt/models/models.h"
#include "tsopt/runtime/cudnn_executor.h"

namespace tsopt {
namespace {

const std::vector<std::string>& BenchModels() {
  static const auto* models = new std::vector<std::string>{
      "resnet_block", "resnext50",     "nasnet_a",  "bert_base",
      "inception_v3", "squeezenet1_1", "resnet50"};
  return *models;
}

void Fail(benchmark::State& state, const absl::Status& s) {
  state.SkipWithError(std::string(s.message()).c_str());
}

void BM_CudnnEndToEnd(benchmark::State& state) {
  const std::string& name = BenchModels()[state.range(0)];
  state.SetLabel(name);
  absl::StatusOr<Graph> g = BuildModel(name);
  if (!g.ok()) return Fail(state, g.status());
  absl::StatusOr<std::unique_ptr<Executor>> exec = CreateCudnnExecutor(*g);
  if (!exec.ok()) return Fail(state, exec.status());
  std::vector<Tensor> inputs;
  for (NodeId id : g->InputNodes()) {
    inputs.push_back(Tensor::Random(g->node(id).output_shapes[0], id));
  }
  TimingOptions one;
  one.batches = 1;
  one.min_batch_ms = 5.0;
  for (auto _ : state) {
    absl::StatusOr<Timing> t = (*exec)->Time(inputs, one);
    if (!t.ok()) return Fail(state, t.status());
    state.SetIterationTime(t->median_ms / 1000.0);
  }
}
BENCHMARK(BM_CudnnEndToEnd)
    ->DenseRange(0, 6)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

void BM_CudnnPredicted(benchmark::State& state) {
  const std::string& name = BenchModels()[state.range(0)];
  state.SetLabel(name);
  absl::StatusOr<Graph> g = BuildModel(name);
  if (!g.ok()) return Fail(state, g.status());
  absl::StatusOr<std::unique_ptr<CudnnCostModel>> gpu =
      CudnnCostModel::Create({});
  if (!gpu.ok()) return Fail(state, gpu.status());
  CachingCostModel model(gpu->get(), {"", false});
  double total = 0;
  for (auto _ : state) {
    absl::StatusOr<double> c = GraphCost(*g, model);
    if (!c.ok()) return Fail(state, c.status());
    total = *c;
  }
  state.counters["predicted_ms"] = total;
}
BENCHMARK(BM_CudnnPredicted)
    ->DenseRange(0, 6)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

void BM_CudnnMeasureConvSignature(benchmark::State& state) {
  absl::StatusOr<std::unique_ptr<CudnnCostModel>> gpu =
      CudnnCostModel::Create({});
  if (!gpu.ok()) return Fail(state, gpu.status());
  OpSignature sig;
  sig.op = OpKind::kConv2D;
  Conv2DAttrs a;
  a.pad = {1, 1, 1, 1};
  a.activation = Activation::kRelu;
  sig.attrs = a;
  const int64_t c = state.range(0);
  sig.inputs = {Shape({1, c, 56, 56}), Shape({c, c, 3, 3})};
  sig.outputs = {Shape({1, c, 56, 56})};
  for (auto _ : state) {
    absl::StatusOr<OpCost> cost = (*gpu)->Measure(sig);
    if (!cost.ok()) return Fail(state, cost.status());
    benchmark::DoNotOptimize(cost);
  }
}
BENCHMARK(BM_CudnnMeasureConvSignature)
    ->Arg(64)
    ->Arg(256)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tsopt

// tsopt run: execute a graph on oneDNN, cuDNN (GPU) or the reference
// evaluator with random inputs, print the end-to-end time, and with --check
// the largest error against the reference evaluator.
//   tsopt run --model bert_layer [--backend onednn|cudnn|reference] [--check]
//             [--repeat N] [--threads N] [--seed S] [--clock wall|cpu]
//             [--stat median|min] [--input-shape name=d0,d1,...]
// (cudnn times with CUDA events: --clock does not apply.)
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "src/cli/args.h"
#include "src/cli/commands.h"
#include "src/cli/model_loader.h"
#include "tsopt/reference/evaluator.h"
#include "tsopt/runtime/cudnn_executor.h"
#include "tsopt/runtime/executor.h"
#include "tsopt/util/status_macros.h"

namespace tsopt::cli {
namespace {

absl::StatusOr<int> Run(const Args& args) {
  std::optional<std::string> model = args.Get("model");
  if (!model) return absl::InvalidArgumentError("--model is required");
  std::string backend = args.GetOr("backend", "onednn");
  if (backend != "onednn" && backend != "cudnn" && backend != "reference") {
    return absl::InvalidArgumentError(absl::StrCat(
        "--backend must be onednn, cudnn or reference, got ", backend));
  }
  TSOPT_ASSIGN_OR_RETURN(int64_t repeat, args.GetInt("repeat", 5));
  TSOPT_ASSIGN_OR_RETURN(int64_t threads, args.GetInt("threads", 0));
  TSOPT_ASSIGN_OR_RETURN(int64_t seed, args.GetInt("seed", 1));
  if (repeat < 1 || threads < 0) {
    return absl::InvalidArgumentError("--repeat must be >= 1, --threads >= 0");
  }
  TSOPT_ASSIGN_OR_RETURN(ImportOptions import, ImportOptionsFromArgs(args));
  TSOPT_ASSIGN_OR_RETURN(LoadedModel loaded, LoadModel(*model, {}, import));
  const Graph& graph = loaded.graph;
  std::vector<Tensor> inputs;
  for (NodeId id : graph.InputNodes()) {
    inputs.push_back(Tensor::Random(graph.node(id).output_shapes[0],
                                    static_cast<uint64_t>(seed) + id));
  }
  TimingOptions timing;
  timing.batches = static_cast<int>(repeat);
  TSOPT_RETURN_IF_ERROR(ApplyTimingFlags(args, &timing));
  std::vector<Tensor> outputs;
  Timing t;
  if (backend == "onednn" || backend == "cudnn") {
    std::unique_ptr<Executor> exec;
    if (backend == "cudnn") {
      if (timing.cpu_time) {
        return absl::InvalidArgumentError(
            "--clock cpu does not apply to --backend cudnn (CUDA events time "
            "the GPU)");
      }
      TSOPT_ASSIGN_OR_RETURN(exec, CreateCudnnExecutor(graph));
    } else {
      TSOPT_ASSIGN_OR_RETURN(
          exec,
          Executor::Create(graph, {.num_threads = static_cast<int>(threads)}));
    }
    TSOPT_ASSIGN_OR_RETURN(outputs, exec->Run(inputs));
    TSOPT_ASSIGN_OR_RETURN(t, exec->Time(inputs, timing));
    const ExecutorStats& s = exec->stats();
    std::printf("plan: %d primitives (%d reorders), %d reference nodes, "
                "%d weight reorders, %.1f MiB buffers (%.1f MiB unshared)\n",
                s.primitives, s.reorders, s.reference_nodes,
                s.weight_reorders, s.buffer_bytes / 1048576.0,
                s.unshared_bytes / 1048576.0);
  } else {
    TSOPT_ASSIGN_OR_RETURN(outputs, Evaluate(graph, inputs));
    TSOPT_ASSIGN_OR_RETURN(
        t, TimeRepeated([&] { return Evaluate(graph, inputs).status(); },
                        timing));
  }
  std::printf("%s on %s: %s %.4f ms over %zu batches of %d "
              "(median %.4f, min %.4f, spread %.1f%%)\n",
              model->c_str(), backend.c_str(),
              timing.statistic == TimingStatistic::kMin ? "min" : "median",
              t.ms, t.batch_ms.size(), t.reps_per_batch, t.median_ms,
              t.min_ms, 100 * t.spread);
  if (!args.Has("check")) return 0;
  TSOPT_ASSIGN_OR_RETURN(std::vector<Tensor> want, Evaluate(graph, inputs));
  const bool gpu = backend == "cudnn";
  TSOPT_ASSIGN_OR_RETURN(OutputDiff diff,
                         gpu ? CompareCudnnOutputs(outputs, want)
                             : CompareOutputs(outputs, want));
  std::printf("check vs reference: max abs %.3g, max rel %.3g: %s "
              "(tolerance %g abs + %g rel)\n",
              diff.max_abs, diff.max_rel,
              diff.within_tolerance ? "OK" : "MISMATCH",
              gpu ? kCudnnAbsTolerance : kExecutorAbsTolerance,
              gpu ? kCudnnRelTolerance : kExecutorRelTolerance);
  return diff.within_tolerance ? 0 : 1;
}

}  // namespace

int RunRun(int argc, char** argv) {
  absl::StatusOr<Args> args = Args::Parse(
      argc, argv, {"model", "backend", "repeat", "threads", "seed", "clock",
                   "stat", "input-shape"},
      {"check"});
  absl::StatusOr<int> code =
      args.ok() ? Run(*args) : absl::StatusOr<int>(args.status());
  if (!code.ok()) {
    std::fprintf(stderr, "tsopt run: %s\n",
                 std::string(code.status().message()).c_str());
    return 2;
  }
  return *code;
}

}  // namespace tsopt::cli

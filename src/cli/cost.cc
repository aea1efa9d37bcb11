// tsopt cost: per-node and total cost of a graph under a cost model, with
// the persistent cost cache for measured models.
//   tsopt cost --model resnet_block --cost onednn|cudnn|analytic [--cache PATH]
//              [--no-cache] [--threads N] [--batches N] [--min-batch-ms X]
//              [--clock wall|cpu] [--stat median|min]
//              [--input-shape name=d0,d1,...]
// Progress goes to stderr; the table and the totals to stdout.
#include <cstdio>
#include <memory>

#include "absl/strings/str_cat.h"
#include "src/cli/args.h"
#include "src/cli/commands.h"
#include "src/cli/model_loader.h"
#include "tsopt/cost/analytic_cost_model.h"
#include "tsopt/cost/cost_cache.h"
#include "tsopt/cost/cudnn_cost_model.h"
#include "tsopt/cost/onednn_cost_model.h"
#include "tsopt/util/status_macros.h"

namespace tsopt::cli {
namespace {

absl::StatusOr<int> Cost(const Args& args) {
  std::optional<std::string> model_name = args.Get("model");
  if (!model_name) return absl::InvalidArgumentError("--model is required");
  std::string kind = args.GetOr("cost", "onednn");
  TSOPT_ASSIGN_OR_RETURN(int64_t threads, args.GetInt("threads", 0));
  TSOPT_ASSIGN_OR_RETURN(int64_t batches, args.GetInt("batches", 5));
  TSOPT_ASSIGN_OR_RETURN(double min_batch_ms,
                         args.GetDouble("min-batch-ms", 2.0));
  if (threads < 0 || batches < 1 || min_batch_ms < 0) {
    return absl::InvalidArgumentError(
        "--threads must be >= 0, --batches >= 1, --min-batch-ms >= 0");
  }
  std::unique_ptr<CostModel> base;
  if (kind == "analytic") {
    base = std::make_unique<AnalyticCostModel>();
  } else if (kind == "onednn") {
    OneDnnCostOptions o;
    o.num_threads = static_cast<int>(threads);
    o.timing.batches = static_cast<int>(batches);
    o.timing.min_batch_ms = min_batch_ms;
    TSOPT_RETURN_IF_ERROR(ApplyTimingFlags(args, &o.timing));
    base = std::make_unique<OneDnnCostModel>(o);
  } else if (kind == "cudnn") {
    CudnnCostOptions o;
    o.timing.batches = static_cast<int>(batches);
    o.timing.min_batch_ms = min_batch_ms;
    TSOPT_RETURN_IF_ERROR(ApplyTimingFlags(args, &o.timing));
    TSOPT_ASSIGN_OR_RETURN(base, CudnnCostModel::Create(o));
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("--cost must be onednn, cudnn or analytic, got ", kind));
  }
  TSOPT_ASSIGN_OR_RETURN(ImportOptions import, ImportOptionsFromArgs(args));
  TSOPT_ASSIGN_OR_RETURN(LoadedModel loaded,
                         LoadModel(*model_name, {}, import));
  const Graph& graph = loaded.graph;
  CostCacheOptions cache;
  cache.path = args.GetOr("cache", "");
  // The analytic model is instant: persist only when a file is named.
  cache.persist = !args.Has("no-cache") &&
                  (kind != "analytic" || !cache.path.empty());
  CachingCostModel model(base.get(), cache);
  std::fprintf(stderr, "cost model: %s (%s); cache: %s (%lld entries)\n",
               model.Name().c_str(), model.Environment().c_str(),
               model.path().empty() ? "memory only" : model.path().c_str(),
               static_cast<long long>(model.loaded_entries()));
  // Measure node by node first, for progress; GraphCostDetailed then hits
  // the memo for nodes (reorders are measured there).
  for (NodeId id = 0; id < graph.num_nodes(); ++id) {
    if (IsFreeOp(graph.node(id).op)) continue;
    std::fprintf(stderr, "\r[%d/%d] %s        ", id + 1, graph.num_nodes(),
                 std::string(OpMnemonic(graph.node(id).op)).c_str());
    absl::Status s = model.Measure(SignatureOf(graph, id)).status();
    if (!s.ok()) {
      return absl::Status(s.code(),
                          absl::StrCat(graph.Describe(id), ": ", s.message()));
    }
  }
  std::fprintf(stderr, "\n");
  TSOPT_ASSIGN_OR_RETURN(GraphCostReport report,
                         GraphCostDetailed(graph, model));
  std::printf("%-5s %-16s %-10s %12s  %s\n", "node", "op", "source", "ms",
              "signature");
  for (NodeId id = 0; id < graph.num_nodes(); ++id) {
    if (IsFreeOp(graph.node(id).op)) continue;
    std::printf("%-5d %-16s %-10s %12.5f  %s\n", id,
                std::string(OpMnemonic(graph.node(id).op)).c_str(),
                report.node_source[id].c_str(), report.node_ms[id],
                SignatureOf(graph, id).Key().c_str());
  }
  std::printf("reorders: %d, %.5f ms (included above)\n", report.num_reorders,
              report.reorder_ms);
  std::printf("total: %.5f ms\n", report.total_ms);
  std::printf("signatures: %lld measured, %lld served from cache\n",
              static_cast<long long>(model.measured()),
              static_cast<long long>(model.served_from_cache()));
  TSOPT_RETURN_IF_ERROR(model.Flush());
  return 0;
}

}  // namespace

int RunCost(int argc, char** argv) {
  absl::StatusOr<Args> args = Args::Parse(
      argc, argv,
      {"model", "cost", "cache", "threads", "batches", "min-batch-ms",
       "clock", "stat", "input-shape"},
      {"no-cache"});
  absl::StatusOr<int> code =
      args.ok() ? Cost(*args) : absl::StatusOr<int>(args.status());
  if (!code.ok()) {
    std::fprintf(stderr, "tsopt cost: %s\n",
                 std::string(code.status().message()).c_str());
    return 2;
  }
  return *code;
}

}  // namespace tsopt::cli

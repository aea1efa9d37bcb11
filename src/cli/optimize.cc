// tsopt optimize: search for a faster equivalent graph and report it.
//   tsopt optimize [MODEL.onnx | MODEL.txt | ZOO_NAME | --builtin NAME]
//                  [-o OUT.onnx|OUT.txt] [--input-shape name=d0,d1,...]
//                  [--opset N]
//                  [--cost onednn|analytic|cudnn] [--budget N] [--alpha A]
//                  [--time-limit S] [--threads N] [--seed S]
//                  [--report R.json] [--check] [--dot-before F]
//                  [--dot-after F] [--rules FILE] [--allow-unverified]
//                  [--batch N] [--quiet] [--cost-threads N]
//                  [--clock wall|cpu] [--stat median|min] [--cache PATH]
// --cost-threads, --clock and --stat set how the oneDNN cost model measures
// (as in `tsopt cost`; on a shared machine use --cost-threads 1 --clock cpu
// --stat min: interference only ever adds time).
// --cost cudnn needs a build with cuDNN and a GPU (a clear error otherwise).
// With no model it runs on the bundled default model (kDefaultModel).
// -o OUT.onnx exports ONNX (the input's opset unless --opset, and its input
// and output names); with --check the exported file is read back and that is
// what is compared. An ONNX operator tsopt does not know is kept (opaque):
// the search optimizes around it and export writes it back, but --check
// cannot run such a graph and says so ("cannot execute opaque operator").
// Exit codes: 0 done, 1 --check out of tolerance or unable to run (opaque
// operator; the output is written first), 2 bad input or usage.
// Progress goes to stderr; the before/after report to stdout.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "src/cli/args.h"
#include "src/cli/commands.h"
#include "src/cli/model_loader.h"
#include "tsopt/cost/analytic_cost_model.h"
#include "tsopt/cost/cost_cache.h"
#include "tsopt/cost/cudnn_cost_model.h"
#include "tsopt/cost/onednn_cost_model.h"
#include "tsopt/ir/text.h"
#include "tsopt/models/models.h"
#include "tsopt/onnx/onnx.h"
#include "tsopt/optimize.h"
#include "tsopt/runtime/executor.h"
#include "tsopt/search/dot.h"
#include "tsopt/util/status_macros.h"

namespace tsopt::cli {
namespace {

struct Loaded {
  LoadedModel model;
  std::string name;
};

absl::StatusOr<Loaded> LoadInput(const Args& args) {
  std::optional<std::string> builtin = args.Get("builtin");
  if (!args.positional().empty() && builtin) {
    return absl::InvalidArgumentError("give a model file or --builtin, not both");
  }
  if (args.positional().size() > 1) {
    return absl::InvalidArgumentError("more than one model file given");
  }
  std::string name = args.positional().empty()
                         ? builtin.value_or(std::string(kDefaultModel))
                         : args.positional()[0];
  ModelOptions zoo;
  TSOPT_ASSIGN_OR_RETURN(zoo.batch, args.GetInt("batch", 1));
  if (args.Has("batch") && !args.positional().empty()) {
    return absl::InvalidArgumentError(
        "--batch applies to built-in models; give a file's batch size with "
        "--input-shape (ONNX) or in the file");
  }
  TSOPT_ASSIGN_OR_RETURN(ImportOptions import, ImportOptionsFromArgs(args));
  TSOPT_ASSIGN_OR_RETURN(LoadedModel model, LoadModel(name, zoo, import));
  return Loaded{std::move(model), name};
}

absl::Status WriteFile(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
  f.close();
  if (!f) return absl::PermissionDeniedError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += absl::StrFormat("\\u%04x", c);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// Optimized vs original outputs, both run on oneDNN.
absl::StatusOr<OutputDiff> CheckOnExecutor(const Graph& original,
                                       const Graph& optimized, uint64_t seed) {
  std::vector<Tensor> inputs;
  for (NodeId id : original.InputNodes()) {
    inputs.push_back(Tensor::Random(original.node(id).output_shapes[0],
                                    seed + id));
  }
  TSOPT_ASSIGN_OR_RETURN(std::unique_ptr<Executor> a,
                         Executor::Create(original));
  TSOPT_ASSIGN_OR_RETURN(std::unique_ptr<Executor> b,
                         Executor::Create(optimized));
  TSOPT_ASSIGN_OR_RETURN(std::vector<Tensor> want, a->Run(inputs));
  TSOPT_ASSIGN_OR_RETURN(std::vector<Tensor> got, b->Run(inputs));
  return CompareOutputs(got, want);
}

absl::StatusOr<int> Optimize(const Args& args) {
  TSOPT_ASSIGN_OR_RETURN(Loaded in, LoadInput(args));
  OptimizeOptions options;
  TSOPT_ASSIGN_OR_RETURN(options.search.budget, args.GetInt("budget", 1000));
  TSOPT_ASSIGN_OR_RETURN(options.search.alpha, args.GetDouble("alpha", 1.05));
  TSOPT_ASSIGN_OR_RETURN(options.search.time_limit_s,
                         args.GetDouble("time-limit", 30));
  TSOPT_ASSIGN_OR_RETURN(int64_t threads, args.GetInt("threads", 1));
  TSOPT_ASSIGN_OR_RETURN(int64_t seed, args.GetInt("seed", 1));
  options.search.threads = static_cast<int>(threads);
  options.search.seed = static_cast<uint64_t>(seed);
  options.search.progress = !args.Has("quiet");
  options.rules_file = args.GetOr("rules", "");
  options.allow_unverified = args.Has("allow-unverified");
  if (options.allow_unverified) {
    std::fprintf(stderr,
                 "tsopt optimize: warning: --allow-unverified also uses rules "
                 "that tsopt verify did not prove; results may be wrong\n");
  }

  std::string kind = args.GetOr("cost", "onednn");
  std::unique_ptr<CostModel> base;
  std::unique_ptr<CachingCostModel> cached;
  if (kind == "analytic") {
    base = std::make_unique<AnalyticCostModel>();
    options.cost_model = base.get();
  } else if (kind == "onednn" || kind == "cudnn") {
    TSOPT_ASSIGN_OR_RETURN(int64_t cost_threads, args.GetInt("cost-threads", 0));
    if (cost_threads < 0) {
      return absl::InvalidArgumentError("--cost-threads must be >= 0");
    }
    if (kind == "onednn") {
      OneDnnCostOptions o;
      o.num_threads = static_cast<int>(cost_threads);
      TSOPT_RETURN_IF_ERROR(ApplyTimingFlags(args, &o.timing));
      base = std::make_unique<OneDnnCostModel>(o);
    } else {
      TSOPT_ASSIGN_OR_RETURN(base, CudnnCostModel::Create());
    }
    CostCacheOptions cache;
    cache.path = args.GetOr("cache", "");
    cached = std::make_unique<CachingCostModel>(base.get(), cache);
    options.cost_model = cached.get();
    std::fprintf(stderr, "cost model: %s, cache %s (%lld entries)\n",
                 kind.c_str(),
                 cached->path().empty() ? "in memory" : cached->path().c_str(),
                 static_cast<long long>(cached->loaded_entries()));
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "--cost must be onednn, analytic or cudnn, got ", kind));
  }

  TSOPT_ASSIGN_OR_RETURN(OptimizeResult r, tsopt::Optimize(in.model.graph, options));
  const SearchReport& rep = r.report;
  if (cached) TSOPT_RETURN_IF_ERROR(cached->Flush());

  std::printf("model:        %s\n", in.name.c_str());
  std::printf("rules:        %d used", r.rules_used);
  if (r.rules_skipped > 0) {
    std::printf(" (%d not proved, skipped; --allow-unverified uses them)",
                r.rules_skipped);
  }
  std::printf("\ncost model:   %s\n", r.cost_model.c_str());
  double speedup = rep.cost_after_ms > 0
                       ? rep.cost_before_ms / rep.cost_after_ms
                       : 1.0;
  std::printf("cost:         %.4f ms -> %.4f ms (%.2fx)\n",
              rep.cost_before_ms, rep.cost_after_ms, speedup);
  std::printf("nodes:        %d -> %d\n", rep.nodes_before, rep.nodes_after);
  std::vector<std::string> applied;
  for (const auto& [name, count] : rep.rules_applied) {
    applied.push_back(absl::StrCat(name, " x", count));
  }
  std::printf("rewrites:     %s\n",
              applied.empty() ? "none" : absl::StrJoin(applied, ", ").c_str());
  std::printf("search:       %lld graphs expanded, %lld generated, %lld "
              "duplicates, stopped by %s after %.2f s\n",
              static_cast<long long>(rep.graphs_expanded),
              static_cast<long long>(rep.graphs_generated),
              static_cast<long long>(rep.graphs_deduplicated),
              std::string(StopReasonName(rep.stop_reason)).c_str(),
              rep.seconds);
  std::printf("time split:   matching %.2f s, applying %.2f s, costing %.2f s\n",
              rep.seconds_matching, rep.seconds_applying,
              rep.seconds_costing);

  // The graph --check compares with the input: what was written to an ONNX
  // file, read back, so the check covers the export too.
  Graph checked = r.graph;
  bool checked_exported = false;
  if (auto out = args.Get("output")) {
    if (absl::EndsWith(*out, ".onnx")) {
      ExportOptions export_options = in.model.OnnxExportOptions();
      TSOPT_ASSIGN_OR_RETURN(int64_t opset,
                             args.GetInt("opset", export_options.opset));
      export_options.opset = static_cast<int>(opset);
      TSOPT_RETURN_IF_ERROR(ExportOnnxFile(r.graph, export_options, *out));
      if (args.Has("check")) {
        TSOPT_ASSIGN_OR_RETURN(ImportResult back, ImportOnnxFile(*out));
        checked = std::move(back.graph);
        checked_exported = true;
      }
      std::printf("wrote:        %s (ONNX opset %lld)\n", out->c_str(),
                  static_cast<long long>(opset));
    } else {
      TSOPT_RETURN_IF_ERROR(WriteFile(*out, PrintGraph(r.graph)));
      std::printf("wrote:        %s\n", out->c_str());
    }
  }
  std::optional<double> max_abs_error;
  int code = 0;
  if (args.Has("check")) {
    absl::StatusOr<OutputDiff> diff = CheckOnExecutor(
        in.model.graph, checked, static_cast<uint64_t>(seed));
    if (absl::IsUnimplemented(diff.status())) {  // an opaque operator
      const std::string why(diff.status().message());
      std::printf("check:        not run: %s\n", why.c_str());
      std::fprintf(stderr, "tsopt optimize: --check cannot run: %s\n",
                   why.c_str());
      code = 1;
    } else {
      TSOPT_RETURN_IF_ERROR(diff.status());
      max_abs_error = diff->max_abs;
      std::printf("check:        max abs error %.3g, max rel error %.3g "
                  "(original vs optimized%s on oneDNN, random inputs): %s\n",
                  diff->max_abs, diff->max_rel,
                  checked_exported ? " as exported" : "",
                  diff->within_tolerance ? "ok" : "OUT OF TOLERANCE");
      if (!diff->within_tolerance) code = 1;
    }
  }
  if (auto f = args.Get("dot-before")) {
    TSOPT_RETURN_IF_ERROR(WriteFile(
        *f, GraphToDot(in.model.graph, ChangedNodes(in.model.graph, r.graph),
                       absl::StrCat(in.name, " (before; orange: rewritten)"))));
  }
  if (auto f = args.Get("dot-after")) {
    TSOPT_RETURN_IF_ERROR(WriteFile(
        *f, GraphToDot(r.graph, ChangedNodes(r.graph, in.model.graph),
                       absl::StrCat(in.name, " (after; orange: new)"))));
  }
  if (auto f = args.Get("report")) {
    std::vector<std::string> rules;
    for (const auto& [name, count] : rep.rules_applied) {
      rules.push_back(absl::StrCat(JsonString(name), ": ", count));
    }
    std::string json = absl::StrCat(
        "{\n  \"model\": ", JsonString(in.name),
        ",\n  \"cost_model\": ", JsonString(r.cost_model),
        ",\n  \"cost_before_ms\": ", absl::StrFormat("%.6f", rep.cost_before_ms),
        ",\n  \"cost_after_ms\": ", absl::StrFormat("%.6f", rep.cost_after_ms),
        ",\n  \"search_seconds\": ", absl::StrFormat("%.4f", rep.seconds),
        ",\n  \"graphs_expanded\": ", rep.graphs_expanded,
        ",\n  \"graphs_generated\": ", rep.graphs_generated,
        ",\n  \"graphs_deduplicated\": ", rep.graphs_deduplicated,
        ",\n  \"stop_reason\": ",
        JsonString(std::string(StopReasonName(rep.stop_reason))),
        ",\n  \"nodes_before\": ", rep.nodes_before,
        ",\n  \"nodes_after\": ", rep.nodes_after,
        ",\n  \"rules_used\": ", r.rules_used,
        ",\n  \"rules_applied\": {", absl::StrJoin(rules, ", "), "}",
        ",\n  \"seconds_matching\": ",
        absl::StrFormat("%.4f", rep.seconds_matching),
        ",\n  \"seconds_applying\": ",
        absl::StrFormat("%.4f", rep.seconds_applying),
        ",\n  \"seconds_costing\": ",
        absl::StrFormat("%.4f", rep.seconds_costing));
    if (max_abs_error) {
      absl::StrAppend(&json, ",\n  \"max_abs_error\": ",
                      absl::StrFormat("%.6g", *max_abs_error));
    }
    absl::StrAppend(&json, "\n}\n");
    TSOPT_RETURN_IF_ERROR(WriteFile(*f, json));
  }
  return code;
}

}  // namespace

int RunOptimize(int argc, char** argv) {
  // "-o FILE" is the short form of "--output FILE".
  std::vector<std::string> storage(argv, argv + argc);
  for (std::string& a : storage) {
    if (a == "-o") a = "--output";
  }
  std::vector<char*> argv2;
  for (std::string& a : storage) argv2.push_back(a.data());
  absl::StatusOr<Args> args = Args::Parse(
      argc, argv2.data(),
      {"builtin", "output", "cost", "budget", "alpha", "time-limit",
       "threads", "seed", "report", "dot-before", "dot-after", "rules",
       "batch", "cost-threads", "clock", "stat", "input-shape", "opset", "cache"},
      {"check", "allow-unverified", "quiet"});
  absl::StatusOr<int> code =
      args.ok() ? Optimize(*args) : absl::StatusOr<int>(args.status());
  if (!code.ok()) {
    std::fprintf(stderr, "tsopt optimize: %s\n",
                 std::string(code.status().message()).c_str());
    return 2;
  }
  return *code;
}

}  // namespace tsopt::cli

// tsopt convert: import an ONNX model and export it again (the round trip
// every optimized model takes), printing what the importer did.
//   tsopt convert IN.onnx -o OUT.onnx [--input-shape x=1,3,224,224;m=1,128]
//                 [--opset N] [--check]
// --check re-imports OUT.onnx and compares both graphs on the reference
// evaluator with random inputs (prints the largest difference).
// Exit codes: 0 done, 1 the check failed, 2 bad input or usage.
#include <cstdio>
#include <cstring>
#include <vector>

#include "src/cli/args.h"
#include "src/cli/commands.h"
#include "src/cli/model_loader.h"
#include "tsopt/onnx/onnx.h"
#include "tsopt/reference/evaluator.h"
#include "tsopt/runtime/executor.h"
#include "tsopt/util/status_macros.h"

namespace tsopt::cli {
namespace {

// The largest |a - b| over all outputs of the two graphs on random inputs.
absl::StatusOr<double> MaxDifference(const Graph& a, const Graph& b) {
  std::vector<Tensor> inputs;
  for (NodeId id : a.InputNodes()) {
    inputs.push_back(Tensor::Random(a.node(id).output_shapes[0], 1 + id));
  }
  TSOPT_ASSIGN_OR_RETURN(std::vector<Tensor> ya, Evaluate(a, inputs));
  TSOPT_ASSIGN_OR_RETURN(std::vector<Tensor> yb, Evaluate(b, inputs));
  TSOPT_ASSIGN_OR_RETURN(OutputDiff diff, CompareOutputs(yb, ya));
  return diff.max_abs;
}

}  // namespace

int RunConvert(int argc, char** argv) {
  std::vector<char*> args_v(argv, argv + argc);
  static char kOut[] = "--out";
  for (char*& a : args_v) {
    if (!std::strcmp(a, "-o")) a = kOut;
  }
  absl::StatusOr<Args> args =
      Args::Parse(static_cast<int>(args_v.size()), args_v.data(),
                  {"out", "input-shape", "opset"}, {"check"});
  if (!args.ok() || args->positional().size() != 1 || !args->Has("out")) {
    return UsageError("convert", args.ok()
                                     ? "need one input file and -o"
                                     : std::string(args.status().message()));
  }
  absl::StatusOr<ImportOptions> options = ImportOptionsFromArgs(*args);
  if (!options.ok()) {
    std::fprintf(stderr, "tsopt convert: %s\n",
                 std::string(options.status().message()).c_str());
    return 2;
  }
  absl::StatusOr<ImportResult> imported =
      ImportOnnxFile(args->positional()[0], *options);
  if (!imported.ok()) {
    std::fprintf(stderr, "tsopt convert: %s\n",
                 std::string(imported.status().message()).c_str());
    return 2;
  }
  for (const std::string& note : imported->notes) {
    std::printf("note: %s\n", note.c_str());
  }
  absl::StatusOr<int64_t> opset = args->GetInt("opset", imported->opset);
  if (!opset.ok()) {
    std::fprintf(stderr, "tsopt convert: %s\n",
                 std::string(opset.status().message()).c_str());
    return 2;
  }
  const std::string out = *args->Get("out");
  ExportOptions export_options;
  export_options.opset = static_cast<int>(*opset);
  export_options.output_names = imported->output_names;
  export_options.multi_output_names = imported->multi_output_names;
  absl::Status exported =
      ExportOnnxFile(imported->graph, export_options, out);
  if (!exported.ok()) {
    std::fprintf(stderr, "tsopt convert: %s\n",
                 std::string(exported.message()).c_str());
    return exported.code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
  }
  std::printf("%s: %d nodes, opset %d -> %s (opset %d)\n",
              args->positional()[0].c_str(), imported->graph.num_nodes(),
              imported->opset, out.c_str(), static_cast<int>(*opset));
  if (!args->Has("check")) return 0;
  absl::StatusOr<ImportResult> back = ImportOnnxFile(out);
  absl::StatusOr<double> diff =
      back.ok() ? MaxDifference(imported->graph, back->graph)
                : absl::StatusOr<double>(back.status());
  if (!diff.ok()) {
    std::fprintf(stderr, "tsopt convert: check failed: %s\n",
                 std::string(diff.status().message()).c_str());
    return 1;
  }
  std::printf("check: max |difference| = %g\n", *diff);
  return *diff <= 1e-5 ? 0 : 1;
}

}  // namespace tsopt::cli

// LoadModel: zoo names first, then ONNX files (*.onnx), then graph files in
// the text format.
#include "src/cli/model_loader.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tsopt/ir/text.h"
#include "tsopt/util/status_macros.h"

namespace tsopt::cli {

absl::StatusOr<LoadedModel> LoadModel(const std::string& name_or_path,
                                      const ModelOptions& zoo_options,
                                      const ImportOptions& onnx_options) {
  for (const std::string& name : ModelNames()) {
    if (name == name_or_path) {
      TSOPT_ASSIGN_OR_RETURN(Graph g, BuildModel(name, zoo_options));
      return LoadedModel{std::move(g), std::nullopt};
    }
  }
  if (absl::EndsWith(name_or_path, ".onnx")) {
    TSOPT_ASSIGN_OR_RETURN(ImportResult imported,
                           ImportOnnxFile(name_or_path, onnx_options));
    for (const std::string& note : imported.notes) {
      std::fprintf(stderr, "import: %s\n", note.c_str());
    }
    return LoadedModel{std::move(imported.graph), imported.opset,
                       std::move(imported.output_names),
                       std::move(imported.multi_output_names)};
  }
  std::ifstream file(name_or_path, std::ios::binary);
  if (!file) {
    return absl::NotFoundError(absl::StrCat(
        "'", name_or_path, "' is neither a readable graph file nor a model (",
        absl::StrJoin(ModelNames(), ", "), ")"));
  }
  std::stringstream text;
  text << file.rdbuf();
  absl::StatusOr<Graph> graph = ParseGraph(text.str());
  if (!graph.ok()) {
    return absl::Status(
        graph.status().code(),
        absl::StrCat(name_or_path, ":", graph.status().message()));
  }
  return LoadedModel{*std::move(graph), std::nullopt};
}

ExportOptions LoadedModel::OnnxExportOptions() const {
  ExportOptions options;
  options.opset = onnx_opset.value_or(kMaxOnnxOpset);
  options.output_names = onnx_output_names;
  options.multi_output_names = onnx_multi_output_names;
  return options;
}

absl::StatusOr<ImportOptions> ImportOptionsFromArgs(const Args& args) {
  ImportOptions options;
  if (std::optional<std::string> shapes = args.Get("input-shape")) {
    TSOPT_ASSIGN_OR_RETURN(options.input_shapes, ParseInputShapes(*shapes));
  }
  return options;
}

}  // namespace tsopt::cli

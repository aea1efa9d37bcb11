// LoadModel: zoo names first, then ONNX files (*.onnx), then graph files in
// the text format.
#include "src/cli/model_loader.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/match.h"
#include "tsopt/ir/text.h"
#include "tsopt/onnx/onnx.h"
#include "tsopt/models/models.h"
#include "tsopt/util/status_macros.h"

namespace tsopt::cli {

absl::StatusOr<Graph> LoadModel(const std::string& name_or_path,
                                const ImportOptions& onnx_options) {
  for (const std::string& name : ModelNames()) {
    if (name == name_or_path) return BuildModel(name);
  }
  if (absl::EndsWith(name_or_path, ".onnx")) {
    TSOPT_ASSIGN_OR_RETURN(ImportResult imported,
                           ImportOnnxFile(name_or_path, onnx_options));
    for (const std::string& note : imported.notes) {
      std::fprintf(stderr, "import: %s\n", note.c_str());
    }
    return std::move(imported.graph);
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
    return absl::Status(graph.status().code(),
                        absl::StrCat(name_or_path, ":",
                                     graph.status().message()));
  }
  return graph;
}

}  // namespace tsopt::cli

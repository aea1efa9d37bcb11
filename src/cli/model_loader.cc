// LoadModel: zoo names first, then graph files in the text format.
#include "src/cli/model_loader.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tsopt/ir/text.h"
#include "tsopt/models/models.h"

namespace tsopt::cli {

absl::StatusOr<Graph> LoadModel(const std::string& name_or_path) {
  for (const std::string& name : ModelNames()) {
    if (name == name_or_path) return BuildModel(name);
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

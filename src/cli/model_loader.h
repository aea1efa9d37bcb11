// LoadModel: the graph a CLI command names: a model of the built-in zoo
// (tsopt/models/models.h), an ONNX file (*.onnx, imported with the given
// options; the importer's notes go to stderr) or a graph file in the text
// format (tsopt/ir/text.h).
#ifndef TSOPT_CLI_MODEL_LOADER_H_
#define TSOPT_CLI_MODEL_LOADER_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "src/cli/args.h"
#include "tsopt/ir/graph.h"
#include "tsopt/models/models.h"
#include "tsopt/onnx/onnx.h"

namespace tsopt::cli {

struct LoadedModel {
  Graph graph;
  // The model's ONNX opset when it came from an ONNX file.
  std::optional<int> onnx_opset;
  // ONNX files: the names export keeps (ImportResult::output_names and
  // multi_output_names).
  std::vector<std::string> onnx_output_names = {};
  std::map<std::string, std::vector<std::string>> onnx_multi_output_names = {};

  // Export options that keep an ONNX model's opset and names.
  ExportOptions OnnxExportOptions() const;
};

absl::StatusOr<LoadedModel> LoadModel(const std::string& name_or_path,
                                      const ModelOptions& zoo_options = {},
                                      const ImportOptions& onnx_options = {});

// The import options of the `--input-shape name=d0,d1,...;name2=...` flag.
absl::StatusOr<ImportOptions> ImportOptionsFromArgs(const Args& args);

}  // namespace tsopt::cli

#endif  // TSOPT_CLI_MODEL_LOADER_H_

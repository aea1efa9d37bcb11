// LoadModel: the graph a CLI --model flag names: a model of the built-in
// zoo (tsopt/models/models.h, default options) or a graph file in the text
// format (tsopt/ir/text.h).
#ifndef TSOPT_CLI_MODEL_LOADER_H_
#define TSOPT_CLI_MODEL_LOADER_H_

#include <string>

#include "absl/status/statusor.h"
#include "tsopt/ir/graph.h"

namespace tsopt::cli {

absl::StatusOr<Graph> LoadModel(const std::string& name_or_path);

}  // namespace tsopt::cli

#endif  // TSOPT_CLI_MODEL_LOADER_H_

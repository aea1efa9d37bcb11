// LoadModel: the graph a CLI --model flag names. Until the text format and
// the model registry land, only the builtin sample graphs are available:
//   resnet_block, resnet_block_down, bert_layer, conv_stack
#ifndef TSOPT_CLI_MODEL_LOADER_H_
#define TSOPT_CLI_MODEL_LOADER_H_

#include <string>

#include "absl/status/statusor.h"
#include "tsopt/ir/graph.h"

namespace tsopt::cli {

absl::StatusOr<Graph> LoadModel(const std::string& name_or_path);

}  // namespace tsopt::cli

#endif  // TSOPT_CLI_MODEL_LOADER_H_

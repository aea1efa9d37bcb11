#include "src/cli/model_loader.h"

#include "absl/strings/str_cat.h"
#include "tsopt/runtime/sample_graphs.h"

namespace tsopt::cli {

absl::StatusOr<Graph> LoadModel(const std::string& name_or_path) {
  if (name_or_path == "resnet_block") {
    return ResNetBasicBlock({.channels = 64, .size = 56});
  }
  if (name_or_path == "resnet_block_down") {
    return ResNetBasicBlock({.channels = 64, .size = 56, .downsample = true});
  }
  if (name_or_path == "bert_layer") {
    return BertLayer({.seq = 128, .hidden = 768, .heads = 12, .ffn = 3072});
  }
  if (name_or_path == "conv_stack") {
    return ConvStack({.depth = 8, .channels = 64, .size = 56});
  }
  return absl::NotFoundError(absl::StrCat(
      "unknown model '", name_or_path,
      "' (builtin: resnet_block, resnet_block_down, bert_layer, conv_stack; "
      "model files need the text format, not in this build yet)"));
}

}  // namespace tsopt::cli

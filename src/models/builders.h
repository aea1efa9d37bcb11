// The builder function of every model in the zoo, called by the registry
// (registry.cc) with options already checked and defaults filled in.
#ifndef TSOPT_SRC_MODELS_BUILDERS_H_
#define TSOPT_SRC_MODELS_BUILDERS_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "tsopt/ir/graph.h"

namespace tsopt::models {

struct ModelConfig {
  int64_t batch = 1;
  uint64_t seed = 1;
  // Image side for CNNs, sequence length (or steps) for BERT and NasRNN.
  int64_t size = 0;
};

// resnet.cc: torchvision's ResNet family.
absl::StatusOr<Graph> BuildResNet50(const ModelConfig& config);
absl::StatusOr<Graph> BuildResNeXt50(const ModelConfig& config);
absl::StatusOr<Graph> BuildResNetBlock(const ModelConfig& config);
absl::StatusOr<Graph> BuildResNeXtBlock(const ModelConfig& config);
// inception_v3.cc
absl::StatusOr<Graph> BuildInceptionV3(const ModelConfig& config);
absl::StatusOr<Graph> BuildInceptionBlock(const ModelConfig& config);
// squeezenet.cc
absl::StatusOr<Graph> BuildSqueezeNet11(const ModelConfig& config);
// mobilenet_v2.cc
absl::StatusOr<Graph> BuildMobileNetV2(const ModelConfig& config);
// nasnet_a.cc: TASO's NasNet-A cell stack.
absl::StatusOr<Graph> BuildNasNetA(const ModelConfig& config);
absl::StatusOr<Graph> BuildNasNetCell(const ModelConfig& config);
// nasrnn.cc
absl::StatusOr<Graph> BuildNasRnn(const ModelConfig& config);
// bert.cc
absl::StatusOr<Graph> BuildBertBase(const ModelConfig& config);
absl::StatusOr<Graph> BuildBertLayer(const ModelConfig& config);

}  // namespace tsopt::models

#endif  // TSOPT_SRC_MODELS_BUILDERS_H_

// The model registry: names, descriptions, option checks and defaults, and
// the dispatch to the builders in the other files of src/models/.
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/models/builders.h"
#include "tsopt/models/models.h"
#include "tsopt/util/status_macros.h"

namespace tsopt {
namespace {

// What ModelOptions' size fields mean for a model.
enum class SizeKind { kImage, kSequence };

struct ModelEntry {
  const char* name;
  const char* description;
  SizeKind size_kind;
  int64_t default_size;
  int64_t min_size;
  int64_t max_size;
  absl::StatusOr<Graph> (*build)(const models::ModelConfig&);
};

// Minimum image sides: the full CNNs downsample 32x (Inception-v3 needs 75,
// as in torchvision); the single blocks take any size. NasRNN's weights grow
// with its steps (16 MiB a step), so it is capped at kMaxRnnSteps.
constexpr int64_t kMaxRnnSteps = 32;
constexpr ModelEntry kModels[] = {
    {"resnet50", "ResNet-50 (torchvision), 224x224 image -> [batch, 1000]",
     SizeKind::kImage, 224, 32, kMaxModelExtent, models::BuildResNet50},
    {"resnext50",
     "ResNeXt-50 32x4d (torchvision), 224x224 image -> [batch, 1000]",
     SizeKind::kImage, 224, 32, kMaxModelExtent, models::BuildResNeXt50},
    {"inception_v3",
     "Inception-v3 (torchvision, no aux head), 299x299 image -> [batch, 1000]",
     SizeKind::kImage, 299, 75, kMaxModelExtent, models::BuildInceptionV3},
    {"squeezenet1_1",
     "SqueezeNet 1.1 (torchvision), 224x224 image -> [batch, 1000]",
     SizeKind::kImage, 224, 32, kMaxModelExtent, models::BuildSqueezeNet11},
    {"nasnet_a",
     "NasNet-A cell stack as in TASO's evaluation, 224x224 image -> "
     "[batch, 5120, 7, 7]",
     SizeKind::kImage, 224, 32, kMaxModelExtent, models::BuildNasNetA},
    {"nasrnn",
     "NasRNN cell (hidden 512) unrolled over 5 steps as in TASO -> "
     "[batch, 512]",
     SizeKind::kSequence, 5, 1, kMaxRnnSteps, models::BuildNasRnn},
    {"bert_base",
     "BERT-base encoder, 12 layers, hidden 768, 12 heads, sequence 128 -> "
     "[batch * 128, 768]",
     SizeKind::kSequence, 128, 1, kMaxModelExtent, models::BuildBertBase},
    {"mobilenet_v2",
     "MobileNet-v2 (torchvision, ReLU6 as ReLU), 224x224 image -> "
     "[batch, 1000]",
     SizeKind::kImage, 224, 32, kMaxModelExtent, models::BuildMobileNetV2},
    {"resnet_block",
     "one ResNet basic block, [batch, 64, 56, 56] -> same shape",
     SizeKind::kImage, 56, 1, kMaxModelExtent, models::BuildResNetBlock},
    {"resnext_block",
     "one ResNeXt-50 bottleneck (3x3 conv in 32 groups), "
     "[batch, 512, 28, 28] -> same shape",
     SizeKind::kImage, 28, 1, kMaxModelExtent, models::BuildResNeXtBlock},
    {"inception_block",
     "one Inception-v3 Inception-A module (Mixed_5b), [batch, 192, 35, 35] "
     "-> [batch, 256, 35, 35]",
     SizeKind::kImage, 35, 1, kMaxModelExtent, models::BuildInceptionBlock},
    {"nasnet_cell",
     "one NasNet-A normal cell (TASO), prev and cur [batch, 640, 56, 56] -> "
     "[batch, 640, 56, 56]",
     SizeKind::kImage, 56, 1, kMaxModelExtent, models::BuildNasNetCell},
    {"bert_layer",
     "one BERT-base encoder layer, [batch * 128, 768] -> same shape",
     SizeKind::kSequence, 128, 1, kMaxModelExtent, models::BuildBertLayer},
};

absl::StatusOr<const ModelEntry*> FindModel(absl::string_view name) {
  for (const ModelEntry& m : kModels) {
    if (m.name == name) return &m;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown model '", name,
                   "'; valid models: ", absl::StrJoin(ModelNames(), ", ")));
}

// Checks `value` (0: the default) against the model's range.
absl::StatusOr<int64_t> ResolveSize(const ModelEntry& m, const char* option,
                                    int64_t value) {
  if (value == 0) return m.default_size;
  if (value < m.min_size || value > m.max_size) {
    return absl::InvalidArgumentError(
        absl::StrCat("model '", m.name, "': ", option, " ", value,
                     " is out of range [", m.min_size, ", ", m.max_size,
                     "] (0 keeps the default ", m.default_size, ")"));
  }
  return value;
}

}  // namespace

std::vector<std::string> ModelNames() {
  std::vector<std::string> names;
  for (const ModelEntry& m : kModels) names.push_back(m.name);
  return names;
}

absl::StatusOr<std::string> ModelDescription(absl::string_view name) {
  TSOPT_ASSIGN_OR_RETURN(const ModelEntry* m, FindModel(name));
  return std::string(m->description);
}

absl::StatusOr<Graph> BuildModel(absl::string_view name,
                                 const ModelOptions& options) {
  TSOPT_ASSIGN_OR_RETURN(const ModelEntry* m, FindModel(name));
  if (options.batch < 1 || options.batch > kMaxModelBatch) {
    return absl::InvalidArgumentError(
        absl::StrCat("model '", m->name, "': batch ", options.batch,
                     " is out of range [1, ", kMaxModelBatch, "]"));
  }
  const bool image = m->size_kind == SizeKind::kImage;
  const int64_t unused = image ? options.seq_len : options.image_size;
  if (unused != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("model '", m->name, "' takes no ",
                     image ? "seq_len" : "image_size", " (got ", unused, ")"));
  }
  models::ModelConfig config;
  config.batch = options.batch;
  config.seed = options.seed;
  TSOPT_ASSIGN_OR_RETURN(
      config.size, ResolveSize(*m, image ? "image_size" : "seq_len",
                               image ? options.image_size : options.seq_len));
  return m->build(config);
}

}  // namespace tsopt

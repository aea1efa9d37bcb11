// The built-in model zoo: the benchmark networks of TASO, Tensat and PET
// (ResNet-50, ResNeXt-50, Inception-v3, SqueezeNet 1.1, NasNet-A, NasRNN,
// BERT-base, MobileNet-v2) and the small pieces the search is tested on
// (one ResNeXt block, one BERT layer, one NasNet-A cell, ...), all built with
// the GraphBuilder in float32 with random weights drawn from a seed.
//
//   TSOPT_ASSIGN_OR_RETURN(Graph g, BuildModel("resnet50", {.batch = 8}));
//   BuildModel(kDefaultModel, {})  // the README's tiny default job
//
// Every model keeps the published layer structure (torchvision's definitions
// for the CNNs: conv without bias then BatchNorm then ReLU, pools, global
// average pool, classifier as Flatten + MatMul + Add); the header comment of
// each src/models/*.cc file states its source and any deviation.
#ifndef TSOPT_MODELS_MODELS_H_
#define TSOPT_MODELS_MODELS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tsopt/ir/graph.h"

namespace tsopt {

// The model `tsopt optimize` runs on when given none: one ResNeXt-50
// bottleneck block (grouped 3x3 conv, 32 groups).
inline constexpr absl::string_view kDefaultModel = "resnext_block";

// Largest batch BuildModel accepts.
inline constexpr int64_t kMaxModelBatch = 4096;
// Largest image side and sequence length BuildModel accepts (NasRNN, whose
// weights grow with its steps, takes at most 32).
inline constexpr int64_t kMaxModelExtent = 4096;

struct ModelOptions {
  // Leading dimension of every input, 1 to kMaxModelBatch.
  int64_t batch = 1;
  // Seed of the random weights; the same seed gives the same graph.
  uint64_t seed = 1;
  // Side of the square input image (CNNs and CNN pieces only); 0 keeps the
  // published size (224, 299 for Inception-v3; the pieces use the spatial
  // size their block has inside the full network). Each model has a
  // minimum below which its strided layers run out of pixels.
  int64_t image_size = 0;
  // Sequence length (BERT: tokens, default 128; NasRNN: unrolled steps,
  // default 5 as in TASO); 0 keeps the default.
  int64_t seq_len = 0;
};

// The names BuildModel accepts, in a fixed order.
std::vector<std::string> ModelNames();

// One line about the model (architecture, source, default input), or
// InvalidArgumentError for an unknown name.
absl::StatusOr<std::string> ModelDescription(absl::string_view name);

// Builds the named model. InvalidArgumentError for an unknown name (the
// message lists the valid ones) and for options out of range (batch < 1 or
// > kMaxModelBatch, an image size below the model's minimum, an option the
// model does not take).
absl::StatusOr<Graph> BuildModel(absl::string_view name,
                                 const ModelOptions& options = {});

}  // namespace tsopt

#endif  // TSOPT_MODELS_MODELS_H_

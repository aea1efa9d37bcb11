// Net: the layer vocabulary the model files share (conv + BatchNorm, linear
// layers, LayerNorm, classifier head) on top of a GraphBuilder.
//
// Every weight is drawn from the Net's own generator (SplitMix64, fast
// enough to fill BERT-base's 85M parameters in well under a second):
// conv kernels, matmul weights and biases uniform in +-1/sqrt(fan_in) as
// PyTorch initializes them (a ConvSpec may scale that by a gain); normalization parameters random yet
// well-conditioned: scale in [0.8, 1.2], bias and mean in [-0.1, 0.1],
// variance in [0.5, 1.5]. Deep nets built this way keep their activations
// finite and non-degenerate.
//
//   Net net(seed);
//   ValueId x = net.b().Input({1, 3, 224, 224}, "image");
//   x = net.ConvBnRelu(x, 64, {.kernel = {7, 7}, .stride = {2, 2},
//                              .pad = {3, 3, 3, 3}});
//   return std::move(net).Finish({net.Classifier(x, 1000)});
#ifndef TSOPT_SRC_MODELS_NET_H_
#define TSOPT_SRC_MODELS_NET_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "tsopt/ir/builder.h"
#include "tsopt/ir/graph.h"

namespace tsopt::models {

// A Conv2D's window; the weight is [out, in / groups, kernel[0], kernel[1]].
struct ConvSpec {
  std::vector<int64_t> kernel = {1, 1};
  std::vector<int64_t> stride = {1, 1};
  std::vector<int64_t> pad = {0, 0, 0, 0};  // top, left, bottom, right
  int64_t groups = 1;
  // The kernel is uniform in +-gain/sqrt(fan_in).
  float gain = 1.0f;
};

// Pads {p, p, p, p} for a square kernel k x k with stride 1: "same" size.
std::vector<int64_t> SamePad(int64_t kernel);

class Net {
 public:
  explicit Net(uint64_t seed);

  GraphBuilder& b() { return builder_; }
  // Dim `i` of a value, or 1 if there is no such dim because the builder
  // has failed (so callers never index a scalar shape; Finish returns the
  // builder's first error).
  int64_t Dim(ValueId x, int i) const;

  // A weight uniform in +-gain/sqrt(fan_in).
  ValueId Weight(std::vector<int64_t> dims, int64_t fan_in, float gain = 1.0f);
  // A weight uniform in [lo, hi).
  ValueId Uniform(std::vector<int64_t> dims, float lo, float hi);

  // Conv2D without bias (the conv of a conv + BatchNorm pair).
  ValueId Conv(ValueId x, int64_t out_channels, const ConvSpec& spec);
  // Conv2D followed by Add of a [1, out, 1, 1] bias (convs without BatchNorm).
  ValueId ConvBias(ValueId x, int64_t out_channels, const ConvSpec& spec);
  // Inference BatchNorm over the channels of an NCHW value.
  ValueId BatchNorm(ValueId x, float epsilon = 1e-5f);
  ValueId ConvBn(ValueId x, int64_t out_channels, const ConvSpec& spec,
                 float epsilon = 1e-5f);
  ValueId ConvBnRelu(ValueId x, int64_t out_channels, const ConvSpec& spec,
                     float epsilon = 1e-5f);
  // x [.., in] times a [in, out] weight plus a [out] bias.
  ValueId Linear(ValueId x, int64_t out_features);
  // LayerNorm over the last axis with random scale and bias.
  ValueId LayerNorm(ValueId x, float epsilon = 1e-12f);
  // GlobalAvgPool -> Flatten -> Linear: the torchvision classifier head.
  ValueId Classifier(ValueId x, int64_t classes);

  // Marks `outputs` and returns the graph or the builder's first error.
  absl::StatusOr<Graph> Finish(std::vector<ValueId> outputs) &&;

 private:
  // The next value uniform in [0, 1).
  float NextUnit();

  GraphBuilder builder_;
  uint64_t rng_state_;
};

}  // namespace tsopt::models

#endif  // TSOPT_SRC_MODELS_NET_H_

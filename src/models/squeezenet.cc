// SqueezeNet 1.1 as torchvision defines it (torchvision/models/
// squeezenet.py, version "1_1"; dropout is the identity at inference).
//
//   fire(s, e1, e3): x -> 1x1 conv(s),relu -> concat(1x1 conv(e1),relu,
//                                                    3x3 conv(e3),relu)
//
// Convs have a bias (Conv2D + Add of a [1, c, 1, 1] weight) and no BatchNorm.
// The max pools use ceil_mode, expressed as extra padding at the end (a max
// pool pads with -inf, so the result is PyTorch's). The classifier is a
// 1x1 conv to 1000 channels, ReLU, global average pool and Flatten.
// Output: [batch, 1000].
#include "src/models/builders.h"
#include "src/models/net.h"

namespace tsopt::models {
namespace {

ValueId ConvRelu(Net& net, ValueId x, int64_t out, const ConvSpec& spec) {
  return net.b().Relu(net.ConvBias(x, out, spec));
}

ValueId Fire(Net& net, ValueId x, int64_t squeeze, int64_t expand) {
  ValueId s = ConvRelu(net, x, squeeze, {});
  ValueId e1 = ConvRelu(net, s, expand, {});
  ValueId e3 = ConvRelu(net, s, expand, {.kernel = {3, 3}, .pad = SamePad(3)});
  return net.b().Concat({e1, e3}, 1);
}

// MaxPool2d(3, stride 2, ceil_mode=True): the output has
// ceil((n - 3) / 2) + 1 pixels; pad the end so that the floor formula
// yields as many.
ValueId MaxPoolCeil(Net& net, ValueId x) {
  std::vector<int64_t> pad = {0, 0, 0, 0};
  for (int i = 0; i < 2; ++i) {
    const int64_t n = net.Dim(x, 2 + i);
    const int64_t out = (n - 3 + 1) / 2 + 1;  // ceil((n - 3) / 2) + 1
    pad[2 + i] = (out - 1) * 2 + 3 - n;
  }
  return net.b().MaxPool2D(
      x, {.kernel = {3, 3}, .stride = {2, 2}, .pad = std::move(pad)});
}

}  // namespace

absl::StatusOr<Graph> BuildSqueezeNet11(const ModelConfig& c) {
  Net net(c.seed);
  ValueId x = net.b().Input({c.batch, 3, c.size, c.size}, "image");
  x = ConvRelu(net, x, 64, {.kernel = {3, 3}, .stride = {2, 2}});
  x = MaxPoolCeil(net, x);
  x = Fire(net, x, 16, 64);
  x = Fire(net, x, 16, 64);
  x = MaxPoolCeil(net, x);
  x = Fire(net, x, 32, 128);
  x = Fire(net, x, 32, 128);
  x = MaxPoolCeil(net, x);
  x = Fire(net, x, 48, 192);
  x = Fire(net, x, 48, 192);
  x = Fire(net, x, 64, 256);
  x = Fire(net, x, 64, 256);
  x = ConvRelu(net, x, 1000, {});
  return std::move(net).Finish({net.b().Flatten(net.b().GlobalAvgPool(x), 1)});
}

}  // namespace tsopt::models

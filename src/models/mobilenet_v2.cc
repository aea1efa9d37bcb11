// MobileNet-v2 (width 1.0) as torchvision defines it (torchvision/models/
// mobilenetv2.py; dropout is the identity at inference).
//
//   inverted residual(t, c, s): x -> [1x1 conv(t * in),bn,relu6 if t > 1]
//       -> 3x3 depthwise conv(stride s),bn,relu6 -> 1x1 conv(c),bn
//       -> (+ x when s == 1 and in == c)
//
// Deviation: ReLU6 is modelled as ReLU. ops.def has no clip operator, and
// relu(x) - relu(x - 6) would triple the activation nodes and distort what
// the optimizer and the cost model see; the layer structure, shapes and
// FLOPs are torchvision's. Output: [batch, 1000].
#include "src/models/builders.h"
#include "src/models/net.h"

namespace tsopt::models {
namespace {

struct StageSpec {
  int64_t expand;    // t
  int64_t channels;  // c
  int64_t repeats;   // n
  int64_t stride;    // s of the first block
};

ValueId InvertedResidual(Net& net, ValueId x, int64_t expand, int64_t out,
                         int64_t stride) {
  const int64_t in = net.Dim(x, 1);
  const int64_t hidden = in * expand;
  ValueId y = x;
  if (expand != 1) y = net.ConvBnRelu(y, hidden, {});
  y = net.ConvBnRelu(y, hidden,
                     {.kernel = {3, 3},
                      .stride = {stride, stride},
                      .pad = SamePad(3),
                      .groups = hidden});
  y = net.ConvBn(y, out, {});
  return stride == 1 && in == out ? net.b().Add(x, y) : y;
}

}  // namespace

absl::StatusOr<Graph> BuildMobileNetV2(const ModelConfig& c) {
  constexpr StageSpec kStages[] = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2},
                                   {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2},
                                   {6, 320, 1, 1}};
  Net net(c.seed);
  ValueId x = net.b().Input({c.batch, 3, c.size, c.size}, "image");
  x = net.ConvBnRelu(x, 32,
                     {.kernel = {3, 3}, .stride = {2, 2}, .pad = SamePad(3)});
  for (const StageSpec& s : kStages) {
    for (int64_t i = 0; i < s.repeats; ++i) {
      x = InvertedResidual(net, x, s.expand, s.channels, i == 0 ? s.stride : 1);
    }
  }
  x = net.ConvBnRelu(x, 1280, {});
  return std::move(net).Finish({net.Classifier(x, 1000)});
}

}  // namespace tsopt::models

// The ResNet family as torchvision defines it (torchvision/models/resnet.py,
// "ResNet v1.5": the stride of a downsampling bottleneck sits on its 3x3
// conv): ResNet-50, ResNeXt-50 (32x4d), and two single blocks for the search
// tests.
//
//   bottleneck:  x -> 1x1 conv,bn,relu -> 3x3 conv(groups),bn,relu
//                  -> 1x1 conv,bn -> (+ x or 1x1 conv,bn(x)) -> relu
//   basic block: x -> 3x3 conv,bn,relu -> 3x3 conv,bn -> (+ x) -> relu
//
// Conv layers have no bias; every conv is followed by BatchNorm (eps 1e-5).
#include "src/models/builders.h"
#include "src/models/net.h"

namespace tsopt::models {
namespace {

struct BottleneckSpec {
  int64_t planes = 64;           // output channels are planes * 4
  int64_t stride = 1;            // on the 3x3 conv and the downsample
  int64_t groups = 1;            // 32 for ResNeXt-50 32x4d
  int64_t width_per_group = 64;  // 4 for ResNeXt-50 32x4d
};

ValueId Bottleneck(Net& net, ValueId x, const BottleneckSpec& s) {
  const int64_t width = s.planes * s.width_per_group / 64 * s.groups;
  const int64_t out = s.planes * 4;
  ValueId y = net.ConvBnRelu(x, width, {});
  y = net.ConvBnRelu(y, width,
                     {.kernel = {3, 3},
                      .stride = {s.stride, s.stride},
                      .pad = SamePad(3),
                      .groups = s.groups});
  y = net.ConvBn(y, out, {});
  ValueId identity = x;
  if (s.stride != 1 || net.Dim(x, 1) != out) {
    identity = net.ConvBn(x, out, {.stride = {s.stride, s.stride}});
  }
  return net.b().Relu(net.b().Add(y, identity));
}

// ResNet-50 / ResNeXt-50: stem, four stages of [3, 4, 6, 3] bottlenecks,
// global average pool, 1000-way classifier.
absl::StatusOr<Graph> BuildBottleneckNet(const ModelConfig& c, int64_t groups,
                                         int64_t width_per_group) {
  Net net(c.seed);
  ValueId x = net.b().Input({c.batch, 3, c.size, c.size}, "image");
  x = net.ConvBnRelu(x, 64,
                     {.kernel = {7, 7}, .stride = {2, 2}, .pad = SamePad(7)});
  x = net.b().MaxPool2D(
      x, {.kernel = {3, 3}, .stride = {2, 2}, .pad = SamePad(3)});
  constexpr int64_t kBlocks[] = {3, 4, 6, 3};
  for (int stage = 0; stage < 4; ++stage) {
    for (int64_t i = 0; i < kBlocks[stage]; ++i) {
      x = Bottleneck(net, x,
                     {.planes = int64_t{64} << stage,
                      .stride = (stage > 0 && i == 0) ? 2 : 1,
                      .groups = groups,
                      .width_per_group = width_per_group});
    }
  }
  return std::move(net).Finish({net.Classifier(x, 1000)});
}

}  // namespace

absl::StatusOr<Graph> BuildResNet50(const ModelConfig& c) {
  return BuildBottleneckNet(c, /*groups=*/1, /*width_per_group=*/64);
}

absl::StatusOr<Graph> BuildResNeXt50(const ModelConfig& c) {
  return BuildBottleneckNet(c, /*groups=*/32, /*width_per_group=*/4);
}

// The first-stage basic block of ResNet-18/34: 64 channels, 56x56.
absl::StatusOr<Graph> BuildResNetBlock(const ModelConfig& c) {
  Net net(c.seed);
  ValueId x = net.b().Input({c.batch, 64, c.size, c.size}, "x");
  const ConvSpec conv3x3 = {.kernel = {3, 3}, .pad = SamePad(3)};
  ValueId y = net.ConvBnRelu(x, 64, conv3x3);
  y = net.ConvBn(y, 64, conv3x3);
  return std::move(net).Finish({net.b().Relu(net.b().Add(y, x))});
}

// An identity bottleneck of ResNeXt-50's second stage: 512 channels at
// 28x28, width 256 in 32 groups of 8.
absl::StatusOr<Graph> BuildResNeXtBlock(const ModelConfig& c) {
  Net net(c.seed);
  ValueId x = net.b().Input({c.batch, 512, c.size, c.size}, "x");
  ValueId y = Bottleneck(
      net, x, {.planes = 128, .stride = 1, .groups = 32, .width_per_group = 4});
  return std::move(net).Finish({y});
}

}  // namespace tsopt::models

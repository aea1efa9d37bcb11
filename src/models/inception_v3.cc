// Inception-v3 as torchvision defines it (torchvision/models/inception.py,
// inference mode: no auxiliary classifier, no input transform, dropout is
// the identity) and one Inception-A module for the search tests.
//
// Every "BasicConv2d" is conv (no bias) -> BatchNorm (eps 0.001) -> ReLU.
// The 3x3 average pools inside the modules count the padding
// (count_include_pad, PyTorch's default). Output: [batch, 1000] at 299x299.
#include "src/models/builders.h"
#include "src/models/net.h"

namespace tsopt::models {
namespace {

constexpr float kEps = 1e-3f;

// BasicConv2d with a kh x kw kernel and "same" padding (kh/2, kw/2).
ValueId Basic(Net& net, ValueId x, int64_t out, int64_t kh, int64_t kw) {
  return net.ConvBnRelu(
      x, out, {.kernel = {kh, kw}, .pad = {kh / 2, kw / 2, kh / 2, kw / 2}},
      kEps);
}

// A 3x3 stride-2 BasicConv2d without padding (the grid reductions).
ValueId BasicReduce(Net& net, ValueId x, int64_t out) {
  return net.ConvBnRelu(x, out, {.kernel = {3, 3}, .stride = {2, 2}}, kEps);
}

ValueId MaxPoolReduce(Net& net, ValueId x) {
  return net.b().MaxPool2D(x, {.kernel = {3, 3}, .stride = {2, 2}});
}

ValueId AvgPool3x3(Net& net, ValueId x) {
  return net.b().AvgPool2D(
      x, {.kernel = {3, 3}, .pad = SamePad(3), .count_include_pad = 1});
}

ValueId InceptionA(Net& net, ValueId x, int64_t pool_features) {
  ValueId b1 = Basic(net, x, 64, 1, 1);
  ValueId b5 = Basic(net, Basic(net, x, 48, 1, 1), 64, 5, 5);
  ValueId b3 =
      Basic(net, Basic(net, Basic(net, x, 64, 1, 1), 96, 3, 3), 96, 3, 3);
  ValueId bp = Basic(net, AvgPool3x3(net, x), pool_features, 1, 1);
  return net.b().Concat({b1, b5, b3, bp}, 1);
}

ValueId InceptionB(Net& net, ValueId x) {
  ValueId b3 = BasicReduce(net, x, 384);
  ValueId bd =
      BasicReduce(net, Basic(net, Basic(net, x, 64, 1, 1), 96, 3, 3), 96);
  return net.b().Concat({b3, bd, MaxPoolReduce(net, x)}, 1);
}

ValueId InceptionC(Net& net, ValueId x, int64_t c7) {
  ValueId b1 = Basic(net, x, 192, 1, 1);
  ValueId b7 = Basic(net, x, c7, 1, 1);
  b7 = Basic(net, b7, c7, 1, 7);
  b7 = Basic(net, b7, 192, 7, 1);
  ValueId bd = Basic(net, x, c7, 1, 1);
  bd = Basic(net, bd, c7, 7, 1);
  bd = Basic(net, bd, c7, 1, 7);
  bd = Basic(net, bd, c7, 7, 1);
  bd = Basic(net, bd, 192, 1, 7);
  ValueId bp = Basic(net, AvgPool3x3(net, x), 192, 1, 1);
  return net.b().Concat({b1, b7, bd, bp}, 1);
}

ValueId InceptionD(Net& net, ValueId x) {
  ValueId b3 = BasicReduce(net, Basic(net, x, 192, 1, 1), 320);
  ValueId b7 = Basic(net, x, 192, 1, 1);
  b7 = Basic(net, b7, 192, 1, 7);
  b7 = Basic(net, b7, 192, 7, 1);
  b7 = BasicReduce(net, b7, 192);
  return net.b().Concat({b3, b7, MaxPoolReduce(net, x)}, 1);
}

ValueId InceptionE(Net& net, ValueId x) {
  ValueId b1 = Basic(net, x, 320, 1, 1);
  ValueId b3 = Basic(net, x, 384, 1, 1);
  b3 =
      net.b().Concat({Basic(net, b3, 384, 1, 3), Basic(net, b3, 384, 3, 1)}, 1);
  ValueId bd = Basic(net, Basic(net, x, 448, 1, 1), 384, 3, 3);
  bd =
      net.b().Concat({Basic(net, bd, 384, 1, 3), Basic(net, bd, 384, 3, 1)}, 1);
  ValueId bp = Basic(net, AvgPool3x3(net, x), 192, 1, 1);
  return net.b().Concat({b1, b3, bd, bp}, 1);
}

}  // namespace

absl::StatusOr<Graph> BuildInceptionV3(const ModelConfig& c) {
  Net net(c.seed);
  ValueId x = net.b().Input({c.batch, 3, c.size, c.size}, "image");
  x = BasicReduce(net, x, 32);                          // Conv2d_1a_3x3
  x = net.ConvBnRelu(x, 32, {.kernel = {3, 3}}, kEps);  // Conv2d_2a_3x3
  x = Basic(net, x, 64, 3, 3);                          // Conv2d_2b_3x3
  x = MaxPoolReduce(net, x);
  x = Basic(net, x, 80, 1, 1);                           // Conv2d_3b_1x1
  x = net.ConvBnRelu(x, 192, {.kernel = {3, 3}}, kEps);  // Conv2d_4a_3x3
  x = MaxPoolReduce(net, x);
  x = InceptionA(net, x, 32);   // Mixed_5b
  x = InceptionA(net, x, 64);   // Mixed_5c
  x = InceptionA(net, x, 64);   // Mixed_5d
  x = InceptionB(net, x);       // Mixed_6a
  x = InceptionC(net, x, 128);  // Mixed_6b
  x = InceptionC(net, x, 160);  // Mixed_6c
  x = InceptionC(net, x, 160);  // Mixed_6d
  x = InceptionC(net, x, 192);  // Mixed_6e
  x = InceptionD(net, x);       // Mixed_7a
  x = InceptionE(net, x);       // Mixed_7b
  x = InceptionE(net, x);       // Mixed_7c
  return std::move(net).Finish({net.Classifier(x, 1000)});
}

// Mixed_5b: the first Inception-A module, 192 channels at 35x35 in.
absl::StatusOr<Graph> BuildInceptionBlock(const ModelConfig& c) {
  Net net(c.seed);
  ValueId x = net.b().Input({c.batch, 192, c.size, c.size}, "x");
  return std::move(net).Finish({InceptionA(net, x, 32)});
}

}  // namespace tsopt::models

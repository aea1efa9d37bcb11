// NasNet-A as TASO evaluates it (TASO's examples/nasnet_a.py, after Zoph et
// al., "Learning Transferable Architectures for Scalable Image
// Recognition"): a 7x7 stride-2 conv stem and a 3x3 stride-2 max pool, then
// three stages of five normal cells and one reduction cell, with 128, 256
// and 512 cell channels (a reduction cell doubles them). The graph ends at
// the last reduction cell, as TASO's does: [batch, 5120, 7, 7] at 224x224.
//
// Each cell first squeezes both inputs to its channel count (1x1 conv +
// ReLU; the inputs always have the same spatial size in this stack, so
// TASO's strided "fit" conv never occurs). A separable conv is a depthwise
// k x k conv (groups = channels) followed by a 1x1 conv, no activation.
// Padding is TensorFlow's "SAME"; average pools exclude the padding. As in
// TASO, there is no BatchNorm and the two average pools of `prev` in the
// normal cell are separate nodes.
//
//   normal cell:  concat(sep3(cur) + cur,       sep3(prev) + sep3(cur),
//                        avg3(cur) + prev,      avg3(prev) + avg3(prev),
//                        sep3(prev) + sep3(prev))
//   reduction:    o0 = sep7/2(prev) + sep5/2(cur)
//                 o1 = max3/2(cur) + sep7/2(prev)
//                 o2 = avg3/2(cur) + sep5/2(prev)
//                 concat(o0, o1, o2, max3/2(cur) + sep3(o0), avg3(o0) + o1)
#include <algorithm>

#include "src/models/builders.h"
#include "src/models/net.h"

namespace tsopt::models {
namespace {

// Kernels uniform in +-sqrt(3 / fan_in), i.e. unit variance gain: without
// BatchNorm, the default +-1/sqrt(fan_in) shrinks the activations by ~3x in
// variance per conv, down to ~1e-4 after the 18 cells.
constexpr float kGain = 1.7320508f;

// TensorFlow's "SAME" padding of a k x k window with stride s over x:
// ceil(n / s) outputs, the odd pixel of padding at the end.
std::vector<int64_t> TfSamePad(Net& net, ValueId x, int64_t k, int64_t s) {
  std::vector<int64_t> pad(4);
  for (int i = 0; i < 2; ++i) {
    const int64_t n = net.Dim(x, 2 + i);
    const int64_t out = (n + s - 1) / s;
    const int64_t total = std::max<int64_t>((out - 1) * s + k - n, 0);
    pad[i] = total / 2;
    pad[2 + i] = total - total / 2;
  }
  return pad;
}

ValueId Squeeze(Net& net, ValueId x, int64_t channels) {
  return net.b().Relu(net.Conv(x, channels, {.gain = kGain}));
}

ValueId SepConv(Net& net, ValueId x, int64_t channels, int64_t k, int64_t s) {
  ValueId y = net.Conv(x, channels,
                       {.kernel = {k, k},
                        .stride = {s, s},
                        .pad = TfSamePad(net, x, k, s),
                        .groups = channels,
                        .gain = kGain});
  return net.Conv(y, channels, {.gain = kGain});
}

Pool2DAttrs PoolAttrs(Net& net, ValueId x, int64_t s) {
  return {.kernel = {3, 3}, .stride = {s, s}, .pad = TfSamePad(net, x, 3, s)};
}
ValueId AvgPool(Net& net, ValueId x, int64_t s) {
  return net.b().AvgPool2D(x, PoolAttrs(net, x, s));
}
ValueId MaxPool(Net& net, ValueId x, int64_t s) {
  return net.b().MaxPool2D(x, PoolAttrs(net, x, s));
}

ValueId NormalCell(Net& net, ValueId prev, ValueId cur, int64_t channels) {
  GraphBuilder& b = net.b();
  cur = Squeeze(net, cur, channels);
  prev = Squeeze(net, prev, channels);
  ValueId o0 = b.Add(SepConv(net, cur, channels, 3, 1), cur);
  ValueId o1 = b.Add(SepConv(net, prev, channels, 3, 1),
                     SepConv(net, cur, channels, 3, 1));
  ValueId o2 = b.Add(AvgPool(net, cur, 1), prev);
  ValueId o3 = b.Add(AvgPool(net, prev, 1), AvgPool(net, prev, 1));
  ValueId o4 = b.Add(SepConv(net, prev, channels, 3, 1),
                     SepConv(net, prev, channels, 3, 1));
  return b.Concat({o0, o1, o2, o3, o4}, 1);
}

ValueId ReductionCell(Net& net, ValueId prev, ValueId cur, int64_t channels) {
  GraphBuilder& b = net.b();
  cur = Squeeze(net, cur, channels);
  prev = Squeeze(net, prev, channels);
  ValueId o0 = b.Add(SepConv(net, prev, channels, 7, 2),
                     SepConv(net, cur, channels, 5, 2));
  ValueId o1 = b.Add(MaxPool(net, cur, 2), SepConv(net, prev, channels, 7, 2));
  ValueId o2 = b.Add(AvgPool(net, cur, 2), SepConv(net, prev, channels, 5, 2));
  ValueId o3 = b.Add(MaxPool(net, cur, 2), SepConv(net, o0, channels, 3, 1));
  ValueId o4 = b.Add(AvgPool(net, o0, 1), o1);
  return b.Concat({o0, o1, o2, o3, o4}, 1);
}

}  // namespace

absl::StatusOr<Graph> BuildNasNetA(const ModelConfig& c) {
  Net net(c.seed);
  ValueId x = net.b().Input({c.batch, 3, c.size, c.size}, "image");
  x = net.b().Relu(net.Conv(x, 64,
                            {.kernel = {7, 7},
                             .stride = {2, 2},
                             .pad = TfSamePad(net, x, 7, 2),
                             .gain = kGain}));
  x = MaxPool(net, x, 2);
  int64_t channels = 128;
  for (int stage = 0; stage < 3; ++stage) {
    ValueId prev = x;
    ValueId cur = x;
    for (int i = 0; i < 5; ++i) {
      ValueId next = NormalCell(net, prev, cur, channels);
      prev = cur;
      cur = next;
    }
    channels *= 2;
    x = ReductionCell(net, prev, cur, channels);
  }
  return std::move(net).Finish({x});
}

// A normal cell from the middle of the first stage: both inputs are earlier
// cells' outputs (5 x 128 = 640 channels at 56x56), 128 cell channels.
absl::StatusOr<Graph> BuildNasNetCell(const ModelConfig& c) {
  Net net(c.seed);
  ValueId prev = net.b().Input({c.batch, 640, c.size, c.size}, "prev");
  ValueId cur = net.b().Input({c.batch, 640, c.size, c.size}, "cur");
  return std::move(net).Finish({NormalCell(net, prev, cur, 128)});
}

}  // namespace tsopt::models

// The shared layers of the model zoo; see net.h.
#include "src/models/net.h"

#include <cmath>
#include <utility>

namespace tsopt::models {

std::vector<int64_t> SamePad(int64_t kernel) {
  const int64_t p = kernel / 2;
  return {p, p, p, p};
}

Net::Net(uint64_t seed) : builder_(seed), rng_state_(seed) {}

// SplitMix64 (Steele et al.), top 24 bits as a float in [0, 1).
float Net::NextUnit() {
  uint64_t z = (rng_state_ += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  return static_cast<float>(z >> 40) * 0x1.0p-24f;
}

int64_t Net::Dim(ValueId x, int i) const {
  const Shape s = builder_.shape(x);
  return i >= 0 && i < s.rank() ? s.dim(i) : 1;
}

ValueId Net::Conv(ValueId x, int64_t out_channels, const ConvSpec& spec) {
  const int64_t in_per_group = Dim(x, 1) / spec.groups;
  ValueId w =
      Weight({out_channels, in_per_group, spec.kernel[0], spec.kernel[1]},
             in_per_group * spec.kernel[0] * spec.kernel[1], spec.gain);
  Conv2DAttrs attrs;
  attrs.stride = spec.stride;
  attrs.pad = spec.pad;
  attrs.groups = spec.groups;
  return builder_.Conv2D(x, w, std::move(attrs));
}

ValueId Net::ConvBias(ValueId x, int64_t out_channels, const ConvSpec& spec) {
  ValueId y = Conv(x, out_channels, spec);
  const int64_t fan_in =
      Dim(x, 1) / spec.groups * spec.kernel[0] * spec.kernel[1];
  return builder_.Add(y, Weight({1, out_channels, 1, 1}, fan_in));
}

ValueId Net::Weight(std::vector<int64_t> dims, int64_t fan_in, float gain) {
  const float bound = gain / std::sqrt(static_cast<float>(fan_in));
  return Uniform(std::move(dims), -bound, bound);
}

ValueId Net::Uniform(std::vector<int64_t> dims, float lo, float hi) {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  std::vector<float> values(n);
  for (float& v : values) v = lo + (hi - lo) * NextUnit();
  return builder_.Weight(std::move(dims), std::move(values));
}

ValueId Net::BatchNorm(ValueId x, float epsilon) {
  const int64_t c = Dim(x, 1);
  ValueId scale = Uniform({c}, 0.8f, 1.2f);
  ValueId bias = Uniform({c}, -0.1f, 0.1f);
  ValueId mean = Uniform({c}, -0.1f, 0.1f);
  ValueId var = Uniform({c}, 0.5f, 1.5f);
  return builder_.BatchNorm(x, scale, bias, mean, var, epsilon);
}

ValueId Net::ConvBn(ValueId x, int64_t out_channels, const ConvSpec& spec,
                    float epsilon) {
  return BatchNorm(Conv(x, out_channels, spec), epsilon);
}

ValueId Net::ConvBnRelu(ValueId x, int64_t out_channels, const ConvSpec& spec,
                        float epsilon) {
  return builder_.Relu(ConvBn(x, out_channels, spec, epsilon));
}

ValueId Net::Linear(ValueId x, int64_t out_features) {
  const int64_t in_features = Dim(x, builder_.shape(x).rank() - 1);
  ValueId w = Weight({in_features, out_features}, in_features);
  ValueId bias = Weight({out_features}, in_features);
  return builder_.Add(builder_.MatMul(x, w), bias);
}

ValueId Net::LayerNorm(ValueId x, float epsilon) {
  const int64_t n = Dim(x, builder_.shape(x).rank() - 1);
  LayerNormAttrs attrs;
  attrs.axis = -1;
  attrs.epsilon = epsilon;
  return builder_.LayerNorm(x, Uniform({n}, 0.8f, 1.2f),
                            Uniform({n}, -0.1f, 0.1f), attrs);
}

ValueId Net::Classifier(ValueId x, int64_t classes) {
  return Linear(builder_.Flatten(builder_.GlobalAvgPool(x), 1), classes);
}

absl::StatusOr<Graph> Net::Finish(std::vector<ValueId> outputs) && {
  for (ValueId v : outputs) builder_.Output(v);
  return std::move(builder_).Build();
}

}  // namespace tsopt::models

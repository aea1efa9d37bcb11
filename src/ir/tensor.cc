// Tensor constructors and the float <-> residue conversions.
#include "tsopt/ir/tensor.h"

#include <cmath>

#include "absl/strings/str_cat.h"

namespace tsopt {
namespace {

// SplitMix64: tiny, fast, and the same sequence on every platform.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) without modulo bias (rejection sampling).
  uint64_t Below(uint64_t n) {
    const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do {
      x = Next();
    } while (x >= limit);
    return x % n;
  }

 private:
  uint64_t state_;
};

}  // namespace

Tensor Tensor::Zeros(const Shape& shape) {
  return Tensor{shape, std::vector<float>(shape.NumElements(), 0.0f)};
}

Tensor Tensor::Random(const Shape& shape, uint64_t seed, float lo, float hi) {
  SplitMix64 rng(seed);
  Tensor t{shape, std::vector<float>(shape.NumElements())};
  for (float& v : t.data) {
    // 24 random bits: every value is an exact float in [0, 1).
    float unit = static_cast<float>(rng.Next() >> 40) * (1.0f / 16777216.0f);
    v = lo + (hi - lo) * unit;
    if (v >= hi) v = lo;  // rounding can reach hi; keep the range half-open
  }
  return t;
}

Tensor Tensor::Integers(const Shape& shape, uint64_t seed, int64_t lo,
                        int64_t hi) {
  SplitMix64 rng(seed);
  Tensor t{shape, std::vector<float>(shape.NumElements())};
  const uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
  for (float& v : t.data) {
    v = static_cast<float>(lo + static_cast<int64_t>(rng.Below(span)));
  }
  return t;
}

ModTensor ModTensor::Random(const Shape& shape, uint64_t seed) {
  SplitMix64 rng(seed);
  ModTensor t{shape, std::vector<int64_t>(shape.NumElements())};
  for (int64_t& v : t.data) v = static_cast<int64_t>(rng.Below(kModPrime));
  return t;
}

absl::StatusOr<ModTensor> ToModTensor(const Tensor& t) {
  ModTensor m{t.shape, std::vector<int64_t>(t.data.size())};
  for (size_t i = 0; i < t.data.size(); ++i) {
    const float v = t.data[i];
    if (!std::isfinite(v) || v != std::trunc(v) || std::fabs(v) > 9007199254740992.0f) {
      return absl::InvalidArgumentError(
          absl::StrCat("value ", v, " at index ", i,
                       " is not an integer that has a residue"));
    }
    int64_t r = static_cast<int64_t>(v) % kModPrime;
    m.data[i] = r < 0 ? r + kModPrime : r;
  }
  return m;
}

Tensor FromModTensor(const ModTensor& t) {
  Tensor f{t.shape, std::vector<float>(t.data.size())};
  for (size_t i = 0; i < t.data.size(); ++i) {
    const int64_t r = t.data[i];
    f.data[i] = static_cast<float>(r <= kModPrime / 2 ? r : r - kModPrime);
  }
  return f;
}

}  // namespace tsopt

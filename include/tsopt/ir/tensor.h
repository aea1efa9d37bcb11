// Dense row-major tensors: float32 for execution, and integers modulo a
// prime for the rule generator's fingerprints.
//
//   Tensor t = Tensor::Random(Shape({2, 3}), /*seed=*/7);
//   ModTensor m = ModTensor::Random(Shape({2, 3}), /*seed=*/7);
//   TSOPT_ASSIGN_OR_RETURN(ModTensor r, ToModTensor(Tensor::Integers(s, 1)));
#ifndef TSOPT_IR_TENSOR_H_
#define TSOPT_IR_TENSOR_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "tsopt/ir/shape.h"

namespace tsopt {

struct Tensor {
  Shape shape;
  std::vector<float> data;  // shape.NumElements() values, row-major

  static Tensor Zeros(const Shape& shape);
  // Uniform in [lo, hi), deterministic for a seed (same values on every
  // platform: the generator is a fixed SplitMix64, not <random>).
  static Tensor Random(const Shape& shape, uint64_t seed, float lo = -1.0f,
                       float hi = 1.0f);
  // Uniform integers in [lo, hi], stored as floats, deterministic for a seed.
  // Small integer tensors evaluate exactly in float and modular mode.
  static Tensor Integers(const Shape& shape, uint64_t seed, int64_t lo = -3,
                         int64_t hi = 3);
};

// The prime of modular evaluation: products of two residues fit in 63 bits.
inline constexpr int64_t kModPrime = 2147483647;  // 2^31 - 1

struct ModTensor {
  Shape shape;
  std::vector<int64_t> data;  // residues in [0, kModPrime)

  // Uniform residues, deterministic for a seed.
  static ModTensor Random(const Shape& shape, uint64_t seed);
};

// The residues of an integer-valued float tensor (-1 -> kModPrime - 1).
// InvalidArgument when a value is not an integer or does not fit in 2^53.
absl::StatusOr<ModTensor> ToModTensor(const Tensor& t);
// The inverse for small values: each residue r as the float of its signed
// representative (r if r <= kModPrime / 2, else r - kModPrime).
Tensor FromModTensor(const ModTensor& t);

}  // namespace tsopt

#endif  // TSOPT_IR_TENSOR_H_

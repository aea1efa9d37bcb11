// Dense row-major tensors: float32 for execution, and integers modulo a
// prime for the rule generator's fingerprints.
//
//   Tensor t = Tensor::Random(Shape({2, 3}), /*seed=*/7);
#ifndef TSOPT_IR_TENSOR_H_
#define TSOPT_IR_TENSOR_H_

#include <cstdint>
#include <vector>

#include "tsopt/ir/shape.h"

namespace tsopt {

struct Tensor {
  Shape shape;
  std::vector<float> data;  // shape.NumElements() values, row-major

  static Tensor Zeros(const Shape& shape);
  // Uniform in [lo, hi), deterministic for a seed.
  static Tensor Random(const Shape& shape, uint64_t seed, float lo = -1.0f,
                       float hi = 1.0f);
};

// The prime of modular evaluation: products of two residues fit in 63 bits.
inline constexpr int64_t kModPrime = 2147483647;  // 2^31 - 1

struct ModTensor {
  Shape shape;
  std::vector<int64_t> data;  // residues in [0, kModPrime)

  // Uniform residues, deterministic for a seed.
  static ModTensor Random(const Shape& shape, uint64_t seed);
};

}  // namespace tsopt

#endif  // TSOPT_IR_TENSOR_H_

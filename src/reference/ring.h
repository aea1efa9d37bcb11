// Ring policies of the reference kernels. Every kernel is written once as a
// template over a ring R and instantiated for:
//   FloatRing: float32 values, double accumulators, ONNX semantics.
//   ModRing:   int64 residues modulo kModPrime (2^31 - 1); each product of
//              two residues is < 2^62, so a multiply-add fits in 63 bits
//              and is reduced at once. Nonlinear activations become the
//              fixed polynomials documented in evaluator.h.
// Operations with no modular form are not members of ModRing; kernels guard
// them with `if constexpr (R::kModular)` and return Unimplemented.
#ifndef TSOPT_SRC_REFERENCE_RING_H_
#define TSOPT_SRC_REFERENCE_RING_H_

#include <cmath>
#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "tsopt/ir/attrs.h"
#include "tsopt/ir/tensor.h"

namespace tsopt {
namespace reference_internal {

struct FloatRing {
  using Value = float;
  using Acc = double;  // reductions accumulate in double
  using Tensor = ::tsopt::Tensor;
  static constexpr bool kModular = false;

  static Value Zero() { return 0.0f; }
  static Value Add(Value a, Value b) { return a + b; }
  static Value Sub(Value a, Value b) { return a - b; }
  static Value Mul(Value a, Value b) { return a * b; }
  static Acc AccAdd(Acc acc, Value v) { return acc + v; }
  static Value FromAcc(Acc acc) { return static_cast<Value>(acc); }
  // acc / count for means and average pools (count >= 1).
  static absl::StatusOr<Value> DivideByCount(Acc acc, int64_t count) {
    return static_cast<Value>(acc / static_cast<double>(count));
  }
  // The order MaxPool uses.
  static bool Less(Value a, Value b) { return a < b; }
  static Value Exp(Value x) { return std::exp(x); }
  static Value Activate(Activation act, Value x);
  // Pad values and weight data.
  static absl::StatusOr<Value> FromFloat(float v) { return v; }
  static absl::StatusOr<Tensor> FromFloats(const Shape& shape,
                                           const std::vector<float>& data) {
    return Tensor{shape, data};
  }
  // c[m x n] = a[m x k] * b[k x n], row-major (Eigen GEMM).
  static void Gemm(int64_t m, int64_t n, int64_t k, const Value* a,
                   const Value* b, Value* c);
};

struct ModRing {
  using Value = int64_t;
  using Acc = int64_t;
  using Tensor = ModTensor;
  static constexpr bool kModular = true;
  static constexpr int64_t kP = kModPrime;

  // x mod (2^31 - 1) for 0 <= x < 2^63 by folding the Mersenne prime.
  static Value Reduce(uint64_t x) {
    x = (x & kP) + (x >> 31);  // < 2^33
    x = (x & kP) + (x >> 31);  // <= 2^31 + 1
    return static_cast<Value>(x >= static_cast<uint64_t>(kP) ? x - kP : x);
  }
  static Value Zero() { return 0; }
  static Value Add(Value a, Value b) {
    Value s = a + b;
    return s >= kP ? s - kP : s;
  }
  static Value Sub(Value a, Value b) {
    Value d = a - b;
    return d < 0 ? d + kP : d;
  }
  static Value Mul(Value a, Value b) {
    return Reduce(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
  }
  static Acc AccAdd(Acc acc, Value v) { return Add(acc, v); }
  static Value FromAcc(Acc acc) { return acc; }
  // a^(p-2): the inverse of a nonzero residue (Fermat).
  static Value Inverse(Value a);
  // acc * count^-1; an error when count is a multiple of the prime.
  static absl::StatusOr<Value> DivideByCount(Acc acc, int64_t count);
  static bool Less(Value a, Value b) { return a < b; }
  static Value Exp(Value x);
  static Value Activate(Activation act, Value x);
  // Integer floats map to their residues; anything else is an error.
  static absl::StatusOr<Value> FromFloat(float v);
  static absl::StatusOr<Tensor> FromFloats(const Shape& shape,
                                           const std::vector<float>& data);
  // c = a * b modulo the prime, reduced after every multiply-add.
  static void Gemm(int64_t m, int64_t n, int64_t k, const Value* a,
                   const Value* b, Value* c);
};

}  // namespace reference_internal
}  // namespace tsopt

#endif  // TSOPT_SRC_REFERENCE_RING_H_

// The non-inline parts of the ring policies: activations (float and their
// polynomial stand-ins), modular inverses and the two GEMMs.
#include "src/reference/ring.h"

#include "Eigen/Core"
#include "absl/strings/str_cat.h"

namespace tsopt {
namespace reference_internal {
namespace {

using ModValue = ModRing::Value;

ModValue Pow(ModValue x, int n) {
  ModValue r = 1;
  for (int i = 0; i < n; ++i) r = ModRing::Mul(r, x);
  return r;
}

}  // namespace

float FloatRing::Activate(Activation act, float x) {
  switch (act) {
    case Activation::kNone:
      return x;
    case Activation::kRelu:
      return x > 0.0f ? x : 0.0f;
    case Activation::kSigmoid:
      return 1.0f / (1.0f + std::exp(-x));
    case Activation::kTanh:
      return std::tanh(x);
    case Activation::kGelu:
      return static_cast<float>(0.5 * x * (1.0 + std::erf(x * M_SQRT1_2)));
  }
  return x;
}

void FloatRing::Gemm(int64_t m, int64_t n, int64_t k, const float* a,
                     const float* b, float* c) {
  using RowMajor =
      Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  Eigen::Map<const RowMajor> ma(a, m, k);
  Eigen::Map<const RowMajor> mb(b, k, n);
  Eigen::Map<RowMajor> mc(c, m, n);
  mc.noalias() = ma * mb;
}

// The polynomials are documented in evaluator.h; keep the two in sync.
ModValue ModRing::Activate(Activation act, ModValue x) {
  switch (act) {
    case Activation::kNone:
      return x;
    case Activation::kRelu:  // x^2 + x
      return Add(Mul(x, x), x);
    case Activation::kSigmoid:  // x^4 + x + 1
      return Add(Add(Pow(x, 4), x), 1);
    case Activation::kTanh:  // x^3 + 2x
      return Add(Pow(x, 3), Mul(2, x));
    case Activation::kGelu:  // x^5 + 3x^2 + x
      return Add(Add(Pow(x, 5), Mul(3, Mul(x, x))), x);
  }
  return x;
}

ModValue ModRing::Exp(ModValue x) {  // x^6 + 2x^3 + 1
  return Add(Add(Pow(x, 6), Mul(2, Pow(x, 3))), 1);
}

ModValue ModRing::Inverse(ModValue a) {
  ModValue result = 1;
  ModValue base = a;
  for (int64_t e = kP - 2; e > 0; e >>= 1) {
    if (e & 1) result = Mul(result, base);
    base = Mul(base, base);
  }
  return result;
}

absl::StatusOr<ModValue> ModRing::DivideByCount(Acc acc, int64_t count) {
  if (count % kP == 0) {
    return absl::UnimplementedError(absl::StrCat(
        "cannot divide by a count of ", count, ", a multiple of the prime"));
  }
  return Mul(acc, Inverse(count % kP));
}

absl::StatusOr<ModValue> ModRing::FromFloat(float v) {
  absl::StatusOr<ModTensor> m = ToModTensor(::tsopt::Tensor{Shape(), {v}});
  if (!m.ok()) return m.status();
  return m->data[0];
}

absl::StatusOr<ModTensor> ModRing::FromFloats(const Shape& shape,
                                              const std::vector<float>& data) {
  absl::StatusOr<ModTensor> m = ToModTensor(::tsopt::Tensor{shape, data});
  if (!m.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "weight data cannot be evaluated modulo the prime (",
        m.status().message(), "); feed it as a symbolic weight instead"));
  }
  return m;
}

void ModRing::Gemm(int64_t m, int64_t n, int64_t k, const ModValue* a,
                   const ModValue* b, ModValue* c) {
  for (int64_t i = 0; i < m * n; ++i) c[i] = 0;
  for (int64_t i = 0; i < m; ++i) {
    ModValue* c_row = c + i * n;
    for (int64_t p = 0; p < k; ++p) {
      const uint64_t a_ip = static_cast<uint64_t>(a[i * k + p]);
      if (a_ip == 0) continue;
      const ModValue* b_row = b + p * n;
      for (int64_t j = 0; j < n; ++j) {
        c_row[j] = Reduce(static_cast<uint64_t>(c_row[j]) +
                          a_ip * static_cast<uint64_t>(b_row[j]));
      }
    }
  }
}

}  // namespace reference_internal
}  // namespace tsopt

// TASO's constant tensors for rules (see constants.h).
#include "tsopt/rules/constants.h"

#include "absl/strings/str_cat.h"

namespace tsopt {
namespace {

absl::Status ShapeError(ConstKind kind, const Shape& shape,
                        absl::string_view need) {
  return absl::InvalidArgumentError(
      absl::StrCat("constant ", ConstKindName(kind), " needs ", need, ", got ",
                   shape.ToString()));
}

}  // namespace

absl::string_view ConstKindName(ConstKind kind) {
  switch (kind) {
    case ConstKind::kIdentityMatrix:
      return "identity-matrix";
    case ConstKind::kIdentityConv:
      return "identity-conv";
    case ConstKind::kAverageKernel:
      return "average-kernel";
    case ConstKind::kOnes:
      return "ones";
    case ConstKind::kFill:
      return "fill";
  }
  return "?";
}

std::optional<ConstKind> ConstKindFromName(absl::string_view name) {
  for (ConstKind k : {ConstKind::kIdentityMatrix, ConstKind::kIdentityConv,
                      ConstKind::kAverageKernel, ConstKind::kOnes,
                      ConstKind::kFill}) {
    if (ConstKindName(k) == name) return k;
  }
  return std::nullopt;
}

absl::Status CheckConstantShape(ConstKind kind, const Shape& shape) {
  switch (kind) {
    case ConstKind::kIdentityMatrix:
      if (shape.rank() != 2 || shape.dim(0) != shape.dim(1)) {
        return ShapeError(kind, shape, "[n, n]");
      }
      break;
    case ConstKind::kIdentityConv:
    case ConstKind::kAverageKernel:
      if (shape.rank() != 4 || shape.dim(0) != shape.dim(1)) {
        return ShapeError(kind, shape, "[c, c, kh, kw]");
      }
      if (kind == ConstKind::kIdentityConv &&
          (shape.dim(2) % 2 == 0 || shape.dim(3) % 2 == 0)) {
        return ShapeError(kind, shape, "odd kernel sizes");
      }
      break;
    case ConstKind::kOnes:
    case ConstKind::kFill:
      break;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<const WeightData>> MakeConstant(
    ConstKind kind, const Shape& shape, float fill_value) {
  if (absl::Status st = CheckConstantShape(kind, shape); !st.ok()) return st;
  std::vector<float> v(shape.NumElements(), 0.0f);
  switch (kind) {
    case ConstKind::kIdentityMatrix: {
      for (int64_t i = 0; i < shape.dim(0); ++i) v[i * shape.dim(0) + i] = 1;
      break;
    }
    case ConstKind::kIdentityConv:
    case ConstKind::kAverageKernel: {
      const int64_t c = shape.dim(0), kh = shape.dim(2), kw = shape.dim(3);
      for (int64_t o = 0; o < c; ++o) {
        float* k = &v[(o * c + o) * kh * kw];
        if (kind == ConstKind::kIdentityConv) {
          k[(kh / 2) * kw + kw / 2] = 1.0f;
        } else {
          for (int64_t i = 0; i < kh * kw; ++i) {
            k[i] = 1.0f / static_cast<float>(kh * kw);
          }
        }
      }
      break;
    }
    case ConstKind::kOnes:
      std::fill(v.begin(), v.end(), 1.0f);
      break;
    case ConstKind::kFill:
      std::fill(v.begin(), v.end(), fill_value);
      break;
  }
  return WeightData::Create(std::move(v));
}

}  // namespace tsopt

// The constant tensors that rules may use (TASO's identity conv kernel,
// identity matrix, averaging kernel, ones, plus a fill value).
//
//   TSOPT_ASSIGN_OR_RETURN(auto data,
//       MakeConstant(ConstKind::kIdentityMatrix, Shape({4, 4})));
#ifndef TSOPT_RULES_CONSTANTS_H_
#define TSOPT_RULES_CONSTANTS_H_

#include <memory>
#include <optional>

#include "absl/status/statusor.h"
#include "tsopt/ir/graph.h"
#include "tsopt/rules/rule.h"

namespace tsopt {

// The constant of `kind` at `shape`, or InvalidArgument when the shape does
// not fit the kind (identity-matrix needs [n, n]; identity-conv and
// average-kernel need [c, c, kh, kw], identity-conv with odd kh and kw).
absl::StatusOr<std::shared_ptr<const WeightData>> MakeConstant(
    ConstKind kind, const Shape& shape, float fill_value = 0.0f);

// MakeConstant's shape check alone (OK when it would succeed), without
// making the data.
absl::Status CheckConstantShape(ConstKind kind, const Shape& shape);

// Parses a kind's text name ("identity-conv"); nullopt when unknown.
std::optional<ConstKind> ConstKindFromName(absl::string_view name);

}  // namespace tsopt

#endif  // TSOPT_RULES_CONSTANTS_H_

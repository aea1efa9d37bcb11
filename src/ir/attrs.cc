#include "tsopt/ir/attrs.h"

#include "absl/strings/str_cat.h"

namespace tsopt {

absl::string_view ActivationName(Activation a) {
  switch (a) {
    case Activation::kNone:
      return "none";
    case Activation::kRelu:
      return "relu";
    case Activation::kSigmoid:
      return "sigmoid";
    case Activation::kTanh:
      return "tanh";
    case Activation::kGelu:
      return "gelu";
  }
  return "?";
}

absl::StatusOr<Activation> ParseActivation(absl::string_view name) {
  for (Activation a : {Activation::kNone, Activation::kRelu,
                       Activation::kSigmoid, Activation::kTanh,
                       Activation::kGelu}) {
    if (ActivationName(a) == name) return a;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown activation '", name, "' (none, relu, sigmoid, tanh, gelu)"));
}

std::string OpaqueOpName(const OpaqueAttrs& a) {
  return a.domain.empty() ? a.op_type : absl::StrCat(a.domain, ":", a.op_type);
}

absl::Status OpaqueNotExecutable(const OpaqueAttrs& a) {
  return absl::UnimplementedError(absl::StrCat(
      "cannot execute opaque operator '", OpaqueOpName(a),
      "': tsopt keeps operators it does not know for export only"));
}

}  // namespace tsopt

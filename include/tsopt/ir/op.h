// OpKind and the per-operator facts derived from ops.def.
//
//   OpKind k = OpKind::kConv2D;
//   OpMnemonic(k) == "conv2d"; GetOpInfo(k).min_inputs == 2
//   DefaultAttrs(k) holds a Conv2DAttrs{}.
#ifndef TSOPT_IR_OP_H_
#define TSOPT_IR_OP_H_

#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "tsopt/ir/attrs.h"

namespace tsopt {

enum class OpKind {
#define TSOPT_OP(Name, mnemonic, min_in, max_in, outs, AttrsT, comm) k##Name,
#include "tsopt/ir/ops.def"
#undef TSOPT_OP
};

inline constexpr int kNumOps = 0
#define TSOPT_OP(Name, mnemonic, min_in, max_in, outs, AttrsT, comm) +1
#include "tsopt/ir/ops.def"
#undef TSOPT_OP
    ;

struct OpInfo {
  absl::string_view name;      // "Conv2D"
  absl::string_view mnemonic;  // "conv2d": text format and rule files
  int min_inputs;
  int max_inputs;   // -1: variadic
  int num_outputs;  // -1: decided by attributes
  bool commutative;
};

const OpInfo& GetOpInfo(OpKind op);
inline absl::string_view OpName(OpKind op) { return GetOpInfo(op).name; }
inline absl::string_view OpMnemonic(OpKind op) {
  return GetOpInfo(op).mnemonic;
}
// Looks up an operator by mnemonic ("conv2d") or name ("Conv2D").
std::optional<OpKind> OpFromName(absl::string_view name);

// The default attribute struct of `op`, e.g. Conv2DAttrs{} for kConv2D.
Attrs DefaultAttrs(OpKind op);
// OK when `attrs` holds the struct type that ops.def names for `op`.
absl::Status CheckAttrsType(OpKind op, const Attrs& attrs);

// Every OpKind, in table order (for loops over the table).
const std::vector<OpKind>& AllOps();

}  // namespace tsopt

#endif  // TSOPT_IR_OP_H_

// The verifier's second, independent check: a rule (or an axiom) is run on
// random inputs at several shapes, derived from its example shapes, and,
// optionally, several attribute values, in float (reference evaluator) and
// in modular arithmetic; both sides must agree wherever they type-check
// with equal output shapes.
//
//   TSOPT_ASSIGN_OR_RETURN(NumericCheckResult r,
//                          CheckRuleNumerically(rule, {}));
//   if (!r.failure.empty()) ... r.failure says where they differ ...
#ifndef TSOPT_VERIFIER_NUMERIC_CHECK_H_
#define TSOPT_VERIFIER_NUMERIC_CHECK_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "tsopt/rules/rule.h"

namespace tsopt {

struct NumericCheckOptions {
  uint64_t seed = 1;
  // Also vary the attribute variables (each integer +1, -1, +2): the axiom
  // self-check does, so an axiom is tested on strides, pads and axes other
  // than its example.
  bool vary_attrs = false;
  // Float outputs agree when |a - b| <= tolerance * (1 + max |source|).
  float tolerance = 1e-3f;
};

struct NumericCheckResult {
  int bindings = 0;          // bindings at which both sides type-checked
  int float_checked = 0;     // of those, compared in float
  int modular_checked = 0;   // ... and in modular arithmetic
  std::string failure;       // empty: every comparison agreed
};

// FailedPrecondition when not even the example binding type-checks.
absl::StatusOr<NumericCheckResult> CheckRuleNumerically(
    const Rule& rule, const NumericCheckOptions& options);

}  // namespace tsopt

#endif  // TSOPT_VERIFIER_NUMERIC_CHECK_H_

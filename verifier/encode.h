// Encodes a rule (or an axiom, which is written as a rule) into the tensor
// algebra: each side becomes Z3 terms over one constant per pattern
// variable and per integer of each attribute variable, with
//   hypotheses: the `where` constraints, both sides type-checking, equal
//               output shapes, every variable dim >= 1;
//   facts:      dim(t, k) = <symbolic dim> for every operator term t.
// A rule is proved when hypotheses, facts and the axioms make
// source != target unsatisfiable; an axiom is the quantified formula
//   forall vars. hypotheses -> (source = target and facts).
#ifndef TSOPT_VERIFIER_ENCODE_H_
#define TSOPT_VERIFIER_ENCODE_H_

#include <string>
#include <vector>

#include <z3++.h>

#include "absl/status/statusor.h"
#include "tsopt/rules/rule.h"
#include "verifier/algebra.h"

namespace tsopt::verifier {

struct EncodedRule {
  std::vector<z3::expr> tensor_vars;  // one constant per non-constant var
  std::vector<z3::expr> int_vars;     // the integers of the attribute vars
  std::vector<z3::expr> hypotheses;
  std::vector<z3::expr> facts;
  std::vector<z3::expr> source_outputs;
  std::vector<z3::expr> target_outputs;
};

// `prefix` keeps the constants of different rules apart ("ax3.").
// `as_axiom`: the shape and fill arguments of the source's constants become
// variables of their own, equated to their values in the hypotheses, so an
// axiom's trigger `identity-conv((dim x 1), ...)` also matches a rule's
// `identity-conv(4, ...)`.
// Unimplemented when the rule uses an operator without a symbolic shape rule.
absl::StatusOr<EncodedRule> EncodeRule(Algebra& alg, const Rule& rule,
                                       const std::string& prefix,
                                       bool as_axiom = false);

}  // namespace tsopt::verifier

#endif  // TSOPT_VERIFIER_ENCODE_H_

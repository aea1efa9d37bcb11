// Rule verification: each rule is proved from the operator axioms
// (tsopt/verifier/axioms.h) with Z3 -- source == target for every input and
// attribute value where both sides type-check and the rule's `where` holds
// -- and independently checked on random tensors (numeric_check.h).
//
//   proved:   Z3 proved it and the numeric check agrees;
//   refuted:  the numeric check found inputs where the sides differ;
//   unknown:  neither (timeout, or no proof from the axioms).
// A rule that Z3 proves but that fails numerically means an axiom is wrong:
// it is marked refuted and RuleVerdict::axiom_bug is set.
//
//   std::vector<Rule> rules = ...;
//   TSOPT_ASSIGN_OR_RETURN(std::vector<RuleVerdict> v,
//                          MarkVerified(rules, VerifyOptions{}));
//   // rules[i].status is now kProved / kRefuted / kUnknown.
#ifndef TSOPT_VERIFIER_VERIFY_H_
#define TSOPT_VERIFIER_VERIFY_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "tsopt/rules/rule.h"

namespace tsopt {

struct RuleVerdict {
  std::string rule;
  VerificationStatus status = VerificationStatus::kUnknown;
  bool z3_proved = false;
  bool axiom_bug = false;     // proved by Z3, refuted numerically
  int numeric_bindings = 0;   // shapes at which the numeric check ran
  double seconds = 0;         // Z3 time
  std::string detail;         // why not proved, or the numeric failure
};

struct VerifyOptions {
  int timeout_ms = 10000;  // per rule
  int threads = 1;
  bool numeric_check = true;
  uint64_t seed = 1;
  // The axioms to prove from; empty: OperatorAxioms(). (Tests inject a
  // wrong axiom here to see the numeric check flag it.)
  std::vector<Rule> axioms;
  // Called after each rule, in completion order, one call at a time (under a
  // lock, from any worker thread): rules done, total, the verdict.
  std::function<void(int, int, const RuleVerdict&)> on_progress;
};

// Verifies every rule; the verdicts are in the order of `rules`.
absl::StatusOr<std::vector<RuleVerdict>> VerifyRules(
    absl::Span<const Rule> rules, const VerifyOptions& options);

// VerifyRules, then sets each rule's status from its verdict.
absl::StatusOr<std::vector<RuleVerdict>> MarkVerified(
    std::vector<Rule>& rules, const VerifyOptions& options);

// Only the rules whose status is proved (what the optimizer loads).
std::vector<Rule> ProvedRules(absl::Span<const Rule> rules);

// {"rules": [{"name", "status", "z3_proved", "axiom_bug", "seconds",
//  "numeric_bindings", "detail"}...], "summary": {...}}
std::string VerdictsToJson(absl::Span<const RuleVerdict> verdicts,
                           double wall_seconds);

}  // namespace tsopt

#endif  // TSOPT_VERIFIER_VERIFY_H_

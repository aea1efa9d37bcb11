// Proves one rule from the axioms with Z3 (E-matching on the quantified
// axioms, triggered by their sources; no model-based instantiation, so a
// wrong rule comes back unknown rather than hanging). One Prover per thread:
// it owns a Z3 context with the axioms encoded once.
#ifndef TSOPT_VERIFIER_PROVER_H_
#define TSOPT_VERIFIER_PROVER_H_

#include <memory>
#include <string>
#include <vector>

#include <z3++.h>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "tsopt/rules/rule.h"
#include "verifier/algebra.h"

namespace tsopt::verifier {

enum class ProofResult { kProved, kNotProved, kTimeout };

struct ProofOutcome {
  ProofResult result = ProofResult::kNotProved;
  std::string detail;
};

class Prover {
 public:
  static absl::StatusOr<std::unique_ptr<Prover>> Create(
      absl::Span<const Rule> axioms);

  absl::StatusOr<ProofOutcome> Prove(const Rule& rule, int timeout_ms);

 private:
  Prover() : alg_(ctx_), with_axioms_(ctx_), shapes_only_(ctx_) {}

  z3::context ctx_;
  Algebra alg_;
  // The axioms are asserted once; each rule is checked in a push/pop scope.
  z3::solver with_axioms_;
  // For the consistency check of a rule's own constraints.
  z3::solver shapes_only_;
};

}  // namespace tsopt::verifier

#endif  // TSOPT_VERIFIER_PROVER_H_

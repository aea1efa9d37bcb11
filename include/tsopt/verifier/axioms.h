// The operator axioms the verifier proves rules from, and their self-check.
// The axioms are written as rules (rules/README.md format) in one place,
// verifier/axioms_text.cc, one commented stanza each; each reads
//   forall variables: (both sides type-check, `where` holds) -> source = target
// over uninterpreted operators.
//
//   TSOPT_ASSIGN_OR_RETURN(std::vector<Rule> axioms, OperatorAxioms());
//   TSOPT_ASSIGN_OR_RETURN(AxiomCheckReport r, CheckAxioms(axioms));
//   r.failures.empty() -> every axiom held on every concrete instance.
#ifndef TSOPT_VERIFIER_AXIOMS_H_
#define TSOPT_VERIFIER_AXIOMS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "tsopt/rules/rule.h"

namespace tsopt {

// The axioms, parsed and validated.
absl::StatusOr<std::vector<Rule>> OperatorAxioms();

struct AxiomCheckReport {
  int axioms = 0;
  int instances = 0;         // concrete (shape, attribute) bindings run
  std::vector<std::string> failures;  // "axiom-name: what differed"
};

// TASO's validate_axioms: every axiom is instantiated at a range of small
// shapes and attribute values and both sides are evaluated on random
// tensors (float and modular). An axiom with no instance that type-checks
// is a failure too.
absl::StatusOr<AxiomCheckReport> CheckAxioms(absl::Span<const Rule> axioms,
                                             uint64_t seed = 1);

}  // namespace tsopt

#endif  // TSOPT_VERIFIER_AXIOMS_H_

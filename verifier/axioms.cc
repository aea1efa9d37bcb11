// OperatorAxioms and the axiom self-check (tsopt/verifier/axioms.h).
#include "tsopt/verifier/axioms.h"

#include "absl/strings/str_cat.h"
#include "tsopt/rules/rule_text.h"
#include "tsopt/util/status_macros.h"
#include "tsopt/verifier/numeric_check.h"
#include "verifier/axioms_text.h"

namespace tsopt {

absl::StatusOr<std::vector<Rule>> OperatorAxioms() {
  return ParseRules(verifier::AxiomText(), "verifier/axioms_text.cc");
}

absl::StatusOr<AxiomCheckReport> CheckAxioms(absl::Span<const Rule> axioms,
                                             uint64_t seed) {
  AxiomCheckReport report;
  NumericCheckOptions options;
  options.seed = seed;
  options.vary_attrs = true;
  for (const Rule& axiom : axioms) {
    ++report.axioms;
    absl::StatusOr<NumericCheckResult> r =
        CheckRuleNumerically(axiom, options);
    if (!r.ok()) {
      report.failures.push_back(
          absl::StrCat(axiom.name, ": ", r.status().message()));
      continue;
    }
    report.instances += r->bindings;
    if (!r->failure.empty()) {
      report.failures.push_back(absl::StrCat(axiom.name, ": ", r->failure));
    }
  }
  return report;
}

}  // namespace tsopt

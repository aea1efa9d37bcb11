// The text of the operator axioms (verifier/axioms_text.cc).
#ifndef TSOPT_VERIFIER_AXIOMS_TEXT_H_
#define TSOPT_VERIFIER_AXIOMS_TEXT_H_

namespace tsopt::verifier {

// The axioms in the rule text format, with a comment per axiom.
const char* AxiomText();

}  // namespace tsopt::verifier

#endif  // TSOPT_VERIFIER_AXIOMS_TEXT_H_

// Generalizes the literal sizes of a generated rule: split sizes and
// constant shapes found at the example (`[4 4]`, `(shape 4 4)`) become
// `(dim VAR AXIS)` expressions of the variables, so the rule matches at
// other shapes. Literals below 4 (kernel sizes, the batch of 1) stay. A generalization is kept only when the rule still
// type-checks at the example and, in float32 on random inputs, both sides
// agree at a second example (every dimension >= 4 grown by 2) and at every
// single-dimension change of a variable where the source still type-checks
// (which tells `(dim w1 0)` from `(dim x 1)` when they differ).
#ifndef TSOPT_SRC_RULEGEN_GENERALIZE_H_
#define TSOPT_SRC_RULEGEN_GENERALIZE_H_

#include "tsopt/rulegen/generator.h"
#include "tsopt/rules/rule.h"

namespace tsopt::rulegen {

// The rule with every literal size replaced by a dim expression where one
// passes the checks above; the rule unchanged where none does (or it has
// no literal sizes). Returns whether it changed.
bool GeneralizeDims(Rule* rule, const GeneratorOptions& options);

}  // namespace tsopt::rulegen

#endif  // TSOPT_SRC_RULEGEN_GENERALIZE_H_

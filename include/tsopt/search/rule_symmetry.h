// Output symmetries of a rule's source pattern, so that the matcher reports
// an occurrence once and not once per order of interchangeable outputs.
//
// merge-matmuls' source (matmul x w1) (matmul x w2) matches two parallel
// matmuls A, B of x as (A, B) and as (B, A); both rewrites give the same
// merged matmul up to the order of the concatenated kernels and the split
// outputs (equivalent graphs of equal cost). The swap of its two outputs is
// a symmetry: an automorphism of the source pattern (operators, attributes,
// attribute variables, variable roles, input edges with either order for
// commutative operators) that maps output i to output perm[i] and renames
// the variables so that the `where` constraints and the dim-computed
// attribute fields are unchanged. For such a rule every match m has a
// mirror m' with outputs m'.outputs[i] = m.outputs[perm[i]]; the matcher
// keeps the one whose output list is smallest.
//
// Rules with constants or more than kMaxSymmetricOutputs outputs are given
// no symmetries (they are matched in every order, as before).
//
//   for (const std::vector<int>& perm : OutputSymmetries(rule)) ...
#ifndef TSOPT_SEARCH_RULE_SYMMETRY_H_
#define TSOPT_SEARCH_RULE_SYMMETRY_H_

#include <vector>

#include "absl/types/span.h"
#include "tsopt/ir/graph.h"
#include "tsopt/rules/rule.h"

namespace tsopt {

inline constexpr int kMaxSymmetricOutputs = 4;

// The non-identity output permutations of the source's symmetries (see
// above), each as perm[i] = the output that output i maps to.
std::vector<std::vector<int>> OutputSymmetries(const Rule& rule);

// True when one of `symmetries` maps a match with these graph outputs to
// one whose output list is smaller (the matcher reports that one).
bool HasSmallerMirror(const std::vector<std::vector<int>>& symmetries,
                      absl::Span<const ValueId> outputs);

}  // namespace tsopt

#endif  // TSOPT_SEARCH_RULE_SYMMETRY_H_

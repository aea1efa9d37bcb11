// The reference evaluator: executes any graph on the CPU with plain Eigen
// kernels. It is the ground truth for every correctness check in tsopt
// (rewrites, rules, backends).
//
// Two modes:
//  - float32 (Evaluate): the ONNX semantics of every operator.
//  - integers modulo kModPrime (EvaluateModular): for the rule generator's
//    fingerprints, TASO-style. Linear operators are exact; nonlinear
//    activations are replaced by fixed, distinct polynomials (see
//    ModularActivation in evaluator.cc); operators with no meaningful
//    modular form (softmax, layernorm, sqrt, ...) return Unimplemented.
//
// Leaves: Input nodes take their values from `inputs`, in InputNodes()
// order. Weight nodes use their data; a symbolic weight (no data) takes the
// next value of `weights`, in id order of the data-less weights.
//
//   TSOPT_ASSIGN_OR_RETURN(std::vector<Tensor> outs, Evaluate(g, {x}));
#ifndef TSOPT_REFERENCE_EVALUATOR_H_
#define TSOPT_REFERENCE_EVALUATOR_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "tsopt/ir/graph.h"
#include "tsopt/ir/tensor.h"

namespace tsopt {

// Returns the graph outputs, in outputs() order.
absl::StatusOr<std::vector<Tensor>> Evaluate(
    const Graph& graph, absl::Span<const Tensor> inputs,
    absl::Span<const Tensor> weights = {});

absl::StatusOr<std::vector<ModTensor>> EvaluateModular(
    const Graph& graph, absl::Span<const ModTensor> inputs,
    absl::Span<const ModTensor> weights = {});

}  // namespace tsopt

#endif  // TSOPT_REFERENCE_EVALUATOR_H_

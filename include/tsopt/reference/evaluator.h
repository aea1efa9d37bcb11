// The reference evaluator: executes any graph on the CPU with plain Eigen
// kernels. It is the ground truth for every correctness check in tsopt
// (rewrites, rules, backends).
//
// Two modes, sharing one set of kernels templated over the element ring:
//
//  - float32 (Evaluate): the ONNX semantics of every operator. GEMMs
//    (MatMul, Conv2D via im2col) run on Eigen; reductions and normalization
//    statistics accumulate in double.
//
//  - integers modulo kModPrime = 2^31 - 1 (EvaluateModular), for the rule
//    generator's fingerprints, TASO-style. Deterministic. Every product of
//    two residues fits in 63 bits and is reduced at once, so linear
//    operators are exact: conv2d, matmul, add, sub, mul, scalar_mul, concat,
//    split, reshape, transpose, flatten, enlarge, slice, identity,
//    reduce_sum; pad with an integer value (the value's residue);
//    avgpool2d, global_avgpool and reduce_mean multiply the sum by the
//    modular inverse of the window or reduced count; div multiplies by the
//    modular inverse of the divisor (InvalidArgument on a zero divisor);
//    maxpool2d takes the largest residue (deterministic, but only rules that
//    hold for every total order are fingerprinted faithfully).
//    Nonlinear elementwise operators (and the fused activations of conv2d
//    and matmul) become fixed, distinct, nonlinear polynomials:
//        relu(x)    = x^2 + x
//        tanh(x)    = x^3 + 2x
//        sigmoid(x) = x^4 + x + 1
//        gelu(x)    = x^5 + 3x^2 + x
//        exp(x)     = x^6 + 2x^3 + 1
//    relu, tanh and gelu keep f(0) = 0, so identities such as
//    relu(pad(x)) = pad(relu(x)) still fingerprint equal; sigmoid and exp
//    keep f(0) != 0, as the real functions do. Identities specific to the
//    real function (relu(relu(x)) = relu(x)) are NOT preserved: the
//    fingerprint then calls an equivalence a difference, never the reverse
//    for a generic input, which is the safe direction for a rule generator.
//    Operators with no meaningful modular form return Unimplemented naming
//    the node: sqrt, softmax, layernorm, and batchnorm (its
//    1/sqrt(var + epsilon) has no modular form, and a stand-in would make
//    batchnorms that differ only in epsilon fingerprint equal).
//    Weights with data must hold integers (their residues are used);
//    otherwise feed them as symbolic weights.
//
// Leaves: Input nodes take their values from `inputs`, in InputNodes()
// order. Weight nodes use their data; a symbolic weight (no data) takes the
// next value of `weights`, in id order of the data-less weights.
//
// Errors (InvalidArgument, naming the node): wrong number of inputs or
// symbolic weights fed, a fed tensor whose shape differs from its node's or
// whose data size differs from its shape, a fed residue outside
// [0, kModPrime), a graph that fails Graph::Validate().
//
//   TSOPT_ASSIGN_OR_RETURN(std::vector<Tensor> outs, Evaluate(g, {x}));
//   TSOPT_ASSIGN_OR_RETURN(std::vector<ModTensor> fp,
//                          EvaluateModular(g, {ModTensor::Random(s, 1)}));
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

// The same in modular mode (see above); inputs hold residues.
absl::StatusOr<std::vector<ModTensor>> EvaluateModular(
    const Graph& graph, absl::Span<const ModTensor> inputs,
    absl::Span<const ModTensor> weights = {});

// One operator (not a leaf) applied to `inputs` in modular mode, without
// building a graph: the rule generator fingerprints one node at a time.
// The inputs are not checked for residues; shapes and attributes are
// (InvalidArgument as from Graph::AddNode).
absl::StatusOr<std::vector<ModTensor>> EvaluateOpModular(
    OpKind op, const Attrs& attrs, absl::Span<const ModTensor* const> inputs);

}  // namespace tsopt

#endif  // TSOPT_REFERENCE_EVALUATOR_H_

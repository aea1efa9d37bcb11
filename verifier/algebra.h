// The uninterpreted tensor algebra the verifier reasons in (TASO's): one Z3
// sort T for tensors, one uninterpreted function per (operator, number of
// integer parameters, number of tensor inputs, output index), with every
// attribute field flattened into integer parameters (floats by their bit
// pattern, activations by enum value), and `dim : T x Int -> Int` for shapes.
//
//   conv2d(stride h w, pad t l b r, dilation h w, groups, activation, x, w)
//     = "conv2d/10/2"(sh, sw, pt, pl, pb, pr, dh, dw, g, act, x, w)
//   split with two sizes, output 1 = "split/3/1#1"(axis, s0, s1, x)
//
// Symbolic shape inference (SymShape) gives each operator's output dims and
// type-checking conditions as Z3 integer terms over the input dims, so a
// rule (or an axiom) can state "wherever both sides type-check".
#ifndef TSOPT_VERIFIER_ALGEBRA_H_
#define TSOPT_VERIFIER_ALGEBRA_H_

#include <map>
#include <string>
#include <vector>

#include <z3++.h>

#include "absl/status/statusor.h"
#include "tsopt/ir/op.h"

namespace tsopt::verifier {

class Algebra {
 public:
  explicit Algebra(z3::context& ctx);
  Algebra(const Algebra&) = delete;
  Algebra& operator=(const Algebra&) = delete;

  z3::context& ctx() { return ctx_; }
  const z3::sort& tensor_sort() const { return tensor_; }

  // dim(t, k).
  z3::expr Dim(const z3::expr& t, int k);
  // The tensor `name`(ints..., tensors...), declared on first use.
  z3::expr Apply(const std::string& name, const std::vector<z3::expr>& ints,
                 const std::vector<z3::expr>& tensors);
  // The output extent of a sliding window: (span - 1) / stride + 1 with
  // span = in + pads - dilation * (kernel - 1), kept uninterpreted in
  // (span, stride) so no nonlinear division reaches the solver.
  z3::expr WindowOut(const z3::expr& span, const z3::expr& stride);

 private:
  z3::context& ctx_;
  z3::sort tensor_;
  z3::func_decl dim_;
  z3::func_decl window_;
  std::map<std::string, z3::func_decl> decls_;
};

// Attribute fields of one node, flattened to integer terms, by field name.
using SymAttrs = std::map<std::string, std::vector<z3::expr>>;

struct SymShapeResult {
  std::vector<std::vector<z3::expr>> outputs;  // dims per output
  std::vector<z3::expr> valid;                 // type-checking conditions
};

// Output dims and type-checking conditions of `op` on inputs of `in` dims.
// Unimplemented for operators with no symbolic shape rule here.
absl::StatusOr<SymShapeResult> SymShape(
    Algebra& alg, OpKind op, const SymAttrs& attrs, int num_outputs,
    const std::vector<std::vector<z3::expr>>& in);

}  // namespace tsopt::verifier

#endif  // TSOPT_VERIFIER_ALGEBRA_H_

// Internal interface of the reference kernels: one template Eval<Name> per
// row of ops.def, declared here from the table and defined in the
// kernels_<family>.cc files, each explicitly instantiated for FloatRing and
// ModRing. evaluator.cc dispatches to them with an exhaustive switch.
//
// A kernel reads its inputs (already checked against the node's shapes by
// the evaluator) and returns the node's outputs with exactly the shapes in
// node.output_shapes. Errors need not name the node: the evaluator adds it.
#ifndef TSOPT_SRC_REFERENCE_KERNELS_H_
#define TSOPT_SRC_REFERENCE_KERNELS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "src/reference/ring.h"
#include "tsopt/ir/graph.h"

namespace tsopt {
namespace reference_internal {

template <typename R>
struct KernelArgs {
  const Node& node;
  absl::Span<const typename R::Tensor* const> inputs;
  // Input nodes and symbolic weights: the tensor fed for this leaf.
  const typename R::Tensor* leaf = nullptr;

  const typename R::Tensor& in(int i) const { return *inputs[i]; }
  const Shape& out_shape(int i = 0) const { return node.output_shapes[i]; }
};

template <typename R>
using KernelResult = absl::StatusOr<std::vector<typename R::Tensor>>;

#define TSOPT_OP(Name, mnemonic, min_in, max_in, outs, AttrsT, comm) \
  template <typename R>                                              \
  KernelResult<R> Eval##Name(const KernelArgs<R>& args, const AttrsT& attrs);
#include "tsopt/ir/ops.def"
#undef TSOPT_OP

// Instantiates Eval<Name> for both rings; each kernel file lists its rows.
#define TSOPT_INSTANTIATE_KERNEL(Name, AttrsT)                              \
  template KernelResult<FloatRing> Eval##Name<FloatRing>(                   \
      const KernelArgs<FloatRing>&, const AttrsT&);                         \
  template KernelResult<ModRing> Eval##Name<ModRing>(const KernelArgs<ModRing>&, \
                                                     const AttrsT&)

// The error of an operator that has no form modulo a prime.
absl::Status NoModularForm(absl::string_view why);

// A single-output result.
template <typename Tensor>
absl::StatusOr<std::vector<Tensor>> Single(Tensor t) {
  std::vector<Tensor> out;
  out.push_back(std::move(t));
  return out;
}

// A zero-filled tensor of `shape`.
template <typename R>
typename R::Tensor MakeTensor(const Shape& shape) {
  return typename R::Tensor{
      shape, std::vector<typename R::Value>(shape.NumElements(), R::Zero())};
}

// Applies a fused activation in place.
template <typename R>
void ActivateInPlace(Activation act, std::vector<typename R::Value>& data) {
  if (act == Activation::kNone) return;
  for (auto& v : data) v = R::Activate(act, v);
}

}  // namespace reference_internal
}  // namespace tsopt

#endif  // TSOPT_SRC_REFERENCE_KERNELS_H_

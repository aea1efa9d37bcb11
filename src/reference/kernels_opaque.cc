// The Opaque kernel: an operator tsopt does not know cannot be evaluated,
// in either ring; the error names it.
#include "src/reference/kernels.h"

namespace tsopt {
namespace reference_internal {

template <typename R>
KernelResult<R> EvalOpaque(const KernelArgs<R>&, const OpaqueAttrs& attrs) {
  return OpaqueNotExecutable(attrs);
}

TSOPT_INSTANTIATE_KERNEL(Opaque, OpaqueAttrs);

}  // namespace reference_internal
}  // namespace tsopt

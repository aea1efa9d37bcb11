// Stride helpers of indexing.h.
#include "src/reference/indexing.h"

namespace tsopt {
namespace reference_internal {

std::vector<int64_t> RowMajorStrides(const std::vector<int64_t>& dims) {
  std::vector<int64_t> strides(dims.size(), 1);
  for (int i = static_cast<int>(dims.size()) - 2; i >= 0; --i) {
    strides[i] = strides[i + 1] * dims[i + 1];
  }
  return strides;
}

std::vector<int64_t> BroadcastStrides(const Shape& in, const Shape& out) {
  const std::vector<int64_t> in_strides = RowMajorStrides(in.dims());
  std::vector<int64_t> strides(out.rank(), 0);
  const int shift = out.rank() - in.rank();
  for (int i = 0; i < in.rank(); ++i) {
    strides[shift + i] = in.dim(i) == 1 ? 0 : in_strides[i];
  }
  return strides;
}

int64_t DimProduct(const std::vector<int64_t>& dims, int begin, int end) {
  int64_t p = 1;
  for (int i = begin; i < end; ++i) p *= dims[i];
  return p;
}

}  // namespace reference_internal
}  // namespace tsopt

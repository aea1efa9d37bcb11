// Index arithmetic shared by the reference kernels: row-major strides,
// broadcast strides, and a strided walk that gathers from or scatters into
// a tensor (transpose, slice, pad, enlarge and broadcasting all reduce to
// it).
#ifndef TSOPT_SRC_REFERENCE_INDEXING_H_
#define TSOPT_SRC_REFERENCE_INDEXING_H_

#include <cstdint>
#include <vector>

#include "tsopt/ir/shape.h"

namespace tsopt {
namespace reference_internal {

// Row-major strides of `dims` (the last stride is 1).
std::vector<int64_t> RowMajorStrides(const std::vector<int64_t>& dims);

// Strides that read a tensor of shape `in` as if broadcast to `out`
// (numpy rules, in.rank() <= out.rank()): 0 on broadcast dims.
std::vector<int64_t> BroadcastStrides(const Shape& in, const Shape& out);

// Product of dims[begin, end).
int64_t DimProduct(const std::vector<int64_t>& dims, int begin, int end);

// Calls fn(dense_index, strided_offset) for every index of `dims` in
// row-major order, where strided_offset = offset + sum(index[d] *
// strides[d]). Rank 0 visits one element.
template <typename Fn>
void ForEachStrided(const std::vector<int64_t>& dims,
                    const std::vector<int64_t>& strides, int64_t offset,
                    Fn&& fn) {
  const int rank = static_cast<int>(dims.size());
  if (rank == 0) {
    fn(int64_t{0}, offset);
    return;
  }
  for (int64_t d : dims) {
    if (d == 0) return;
  }
  const int64_t inner = dims[rank - 1];
  const int64_t inner_stride = strides[rank - 1];
  std::vector<int64_t> index(rank, 0);
  int64_t dense = 0;
  int64_t base = offset;
  while (true) {
    for (int64_t i = 0; i < inner; ++i) fn(dense + i, base + i * inner_stride);
    dense += inner;
    // Advance the odometer over the outer dims.
    int d = rank - 2;
    for (; d >= 0; --d) {
      base += strides[d];
      if (++index[d] < dims[d]) break;
      base -= strides[d] * dims[d];
      index[d] = 0;
    }
    if (d < 0) return;
  }
}

// out[i] = in[offset + strided(i)] for every index i of `out_dims`.
template <typename V>
void Gather(const std::vector<int64_t>& out_dims,
            const std::vector<int64_t>& in_strides, int64_t offset,
            const V* in, V* out) {
  ForEachStrided(out_dims, in_strides, offset,
                 [&](int64_t i, int64_t j) { out[i] = in[j]; });
}

// out[offset + strided(i)] = in[i] for every index i of `in_dims`.
template <typename V>
void Scatter(const std::vector<int64_t>& in_dims,
             const std::vector<int64_t>& out_strides, int64_t offset,
             const V* in, V* out) {
  ForEachStrided(in_dims, out_strides, offset,
                 [&](int64_t i, int64_t j) { out[j] = in[i]; });
}

}  // namespace reference_internal
}  // namespace tsopt

#endif  // TSOPT_SRC_REFERENCE_INDEXING_H_

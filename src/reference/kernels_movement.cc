// Leaf and data-movement kernels: Input, Weight, Concat, Split, Reshape,
// Transpose, Flatten, Enlarge, Pad, Slice. All are exact in both rings
// (Pad's value must be an integer in modular mode).
#include <algorithm>

#include "src/reference/indexing.h"
#include "src/reference/kernels.h"

namespace tsopt {
namespace reference_internal {
namespace {

int Axis(int64_t axis, int rank) {
  return static_cast<int>(axis < 0 ? axis + rank : axis);
}

// Copies `in` into the interior of `out` starting at `begin` per dim.
template <typename Tensor>
void CopyInto(const Tensor& in, const std::vector<int64_t>& begin,
              Tensor& out) {
  const std::vector<int64_t> strides = RowMajorStrides(out.shape.dims());
  int64_t offset = 0;
  for (size_t d = 0; d < begin.size(); ++d) offset += begin[d] * strides[d];
  Scatter(in.shape.dims(), strides, offset, in.data.data(), out.data.data());
}

}  // namespace

template <typename R>
KernelResult<R> EvalInput(const KernelArgs<R>& args, const InputAttrs&) {
  return Single(*args.leaf);
}

// A symbolic weight takes the tensor fed for it; a weight with data is
// converted from its floats (residues of integers in modular mode).
template <typename R>
KernelResult<R> EvalWeight(const KernelArgs<R>& args, const WeightAttrs&) {
  if (args.leaf != nullptr) return Single(*args.leaf);
  absl::StatusOr<typename R::Tensor> t =
      R::FromFloats(args.out_shape(), args.node.weight->values);
  if (!t.ok()) return t.status();
  return Single(*std::move(t));
}

template <typename R>
KernelResult<R> EvalConcat(const KernelArgs<R>& args, const ConcatAttrs& a) {
  typename R::Tensor out = MakeTensor<R>(args.out_shape());
  const int axis = Axis(a.axis, out.shape.rank());
  const int64_t outer = DimProduct(out.shape.dims(), 0, axis);
  const int64_t out_chunk = out.shape.NumElements() / outer;
  int64_t start = 0;  // where this input's chunk begins in an output row
  for (const auto* in : args.inputs) {
    const int64_t chunk = in->shape.NumElements() / outer;
    for (int64_t o = 0; o < outer; ++o) {
      std::copy_n(in->data.data() + o * chunk, chunk,
                  out.data.data() + o * out_chunk + start);
    }
    start += chunk;
  }
  return Single(std::move(out));
}

template <typename R>
KernelResult<R> EvalSplit(const KernelArgs<R>& args, const SplitAttrs& a) {
  const auto& x = args.in(0);
  const int axis = Axis(a.axis, x.shape.rank());
  const int64_t outer = DimProduct(x.shape.dims(), 0, axis);
  const int64_t in_chunk = x.shape.NumElements() / outer;
  std::vector<typename R::Tensor> outs;
  int64_t start = 0;
  for (int i = 0; i < args.node.num_outputs(); ++i) {
    typename R::Tensor out = MakeTensor<R>(args.out_shape(i));
    const int64_t chunk = out.shape.NumElements() / outer;
    for (int64_t o = 0; o < outer; ++o) {
      std::copy_n(x.data.data() + o * in_chunk + start, chunk,
                  out.data.data() + o * chunk);
    }
    start += chunk;
    outs.push_back(std::move(out));
  }
  return outs;
}

namespace {

// Reshape and Flatten keep the row-major data and change only the shape.
template <typename R>
KernelResult<R> Relabel(const KernelArgs<R>& args) {
  typename R::Tensor out = args.in(0);
  out.shape = args.out_shape();
  return Single(std::move(out));
}

}  // namespace

template <typename R>
KernelResult<R> EvalReshape(const KernelArgs<R>& args, const ReshapeAttrs&) {
  return Relabel(args);
}

template <typename R>
KernelResult<R> EvalFlatten(const KernelArgs<R>& args, const FlattenAttrs&) {
  return Relabel(args);
}

template <typename R>
KernelResult<R> EvalTranspose(const KernelArgs<R>& args,
                              const TransposeAttrs& a) {
  const auto& x = args.in(0);
  typename R::Tensor out = MakeTensor<R>(args.out_shape());
  const std::vector<int64_t> in_strides = RowMajorStrides(x.shape.dims());
  std::vector<int64_t> strides;
  for (int64_t p : a.perm) strides.push_back(in_strides[p]);
  Gather(out.shape.dims(), strides, 0, x.data.data(), out.data.data());
  return Single(std::move(out));
}

template <typename R>
KernelResult<R> EvalEnlarge(const KernelArgs<R>& args, const EnlargeAttrs& a) {
  const auto& w = args.in(0);
  typename R::Tensor out = MakeTensor<R>(args.out_shape());
  CopyInto(w,
           {0, 0, (a.kernel[0] - w.shape.dim(2)) / 2,
            (a.kernel[1] - w.shape.dim(3)) / 2},
           out);
  return Single(std::move(out));
}

template <typename R>
KernelResult<R> EvalPad(const KernelArgs<R>& args, const PadAttrs& a) {
  const auto& x = args.in(0);
  absl::StatusOr<typename R::Value> value = R::FromFloat(a.value);
  if (!value.ok()) return NoModularForm("pad value is not an integer");
  typename R::Tensor out = MakeTensor<R>(args.out_shape());
  std::fill(out.data.begin(), out.data.end(), *value);
  CopyInto(x,
           std::vector<int64_t>(a.pads.begin(),
                                a.pads.begin() + x.shape.rank()),
           out);
  return Single(std::move(out));
}

template <typename R>
KernelResult<R> EvalSlice(const KernelArgs<R>& args, const SliceAttrs& a) {
  const auto& x = args.in(0);
  typename R::Tensor out = MakeTensor<R>(args.out_shape());
  std::vector<int64_t> strides = RowMajorStrides(x.shape.dims());
  int64_t offset = 0;
  for (size_t i = 0; i < a.axes.size(); ++i) {
    const int axis = Axis(a.axes[i], x.shape.rank());
    const int64_t dim = x.shape.dim(axis);
    int64_t start = a.starts[i] < 0 ? a.starts[i] + dim : a.starts[i];
    start = std::clamp<int64_t>(start, 0, dim);
    offset += start * strides[axis];
    strides[axis] *= a.steps[i];
  }
  Gather(out.shape.dims(), strides, offset, x.data.data(), out.data.data());
  return Single(std::move(out));
}

TSOPT_INSTANTIATE_KERNEL(Input, InputAttrs);
TSOPT_INSTANTIATE_KERNEL(Weight, WeightAttrs);
TSOPT_INSTANTIATE_KERNEL(Concat, ConcatAttrs);
TSOPT_INSTANTIATE_KERNEL(Split, SplitAttrs);
TSOPT_INSTANTIATE_KERNEL(Reshape, ReshapeAttrs);
TSOPT_INSTANTIATE_KERNEL(Flatten, FlattenAttrs);
TSOPT_INSTANTIATE_KERNEL(Transpose, TransposeAttrs);
TSOPT_INSTANTIATE_KERNEL(Enlarge, EnlargeAttrs);
TSOPT_INSTANTIATE_KERNEL(Pad, PadAttrs);
TSOPT_INSTANTIATE_KERNEL(Slice, SliceAttrs);

}  // namespace reference_internal
}  // namespace tsopt

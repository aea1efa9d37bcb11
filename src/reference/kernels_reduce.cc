// Reducing kernels: MaxPool2D, AvgPool2D, GlobalAvgPool, ReduceSum and
// ReduceMean. Means divide through the ring (a modular inverse of the count
// in modular mode); MaxPool compares residues in modular mode, which is
// deterministic but not order-preserving, so only max-pool rules that hold
// for any total order are fingerprinted faithfully.
#include <algorithm>

#include "src/reference/indexing.h"
#include "src/reference/kernels.h"

namespace tsopt {
namespace reference_internal {
namespace {

// Fills each pool output with reduce(plane, width, h_begin, h_end, w_begin,
// w_end): the window clipped to the input (padding is never read).
template <typename R, typename Reduce>
KernelResult<R> Pool(const KernelArgs<R>& args, const Pool2DAttrs& a,
                     Reduce reduce) {
  const auto& x = args.in(0);
  typename R::Tensor out = MakeTensor<R>(args.out_shape());
  const int64_t planes = x.shape.dim(0) * x.shape.dim(1);
  const int64_t h = x.shape.dim(2), w = x.shape.dim(3);
  const int64_t oh_size = out.shape.dim(2), ow_size = out.shape.dim(3);
  for (int64_t p = 0; p < planes; ++p) {
    const auto* plane = x.data.data() + p * h * w;
    for (int64_t oh = 0; oh < oh_size; ++oh) {
      const int64_t h0 = oh * a.stride[0] - a.pad[0];
      const int64_t h_begin = std::max<int64_t>(h0, 0);
      const int64_t h_end = std::min<int64_t>(h0 + a.kernel[0], h);
      for (int64_t ow = 0; ow < ow_size; ++ow) {
        const int64_t w0 = ow * a.stride[1] - a.pad[1];
        const int64_t w_begin = std::max<int64_t>(w0, 0);
        const int64_t w_end = std::min<int64_t>(w0 + a.kernel[1], w);
        absl::StatusOr<typename R::Value> v =
            reduce(plane, w, h_begin, h_end, w_begin, w_end);
        if (!v.ok()) return v.status();
        out.data[(p * oh_size + oh) * ow_size + ow] = *v;
      }
    }
  }
  return Single(std::move(out));
}

}  // namespace

template <typename R>
KernelResult<R> EvalMaxPool2D(const KernelArgs<R>& args,
                              const Pool2DAttrs& a) {
  using V = typename R::Value;
  // Padding never wins (ONNX pads max pools with -inf); pads < kernel
  // guarantee every window holds at least one input element.
  return Pool(args, a,
              [](const V* plane, int64_t w, int64_t h_begin, int64_t h_end,
                 int64_t w_begin, int64_t w_end) -> absl::StatusOr<V> {
                V best = plane[h_begin * w + w_begin];
                for (int64_t i = h_begin; i < h_end; ++i) {
                  for (int64_t j = w_begin; j < w_end; ++j) {
                    if (R::Less(best, plane[i * w + j])) best = plane[i * w + j];
                  }
                }
                return best;
              });
}

template <typename R>
KernelResult<R> EvalAvgPool2D(const KernelArgs<R>& args,
                              const Pool2DAttrs& a) {
  using V = typename R::Value;
  const int64_t area = a.kernel[0] * a.kernel[1];
  return Pool(args, a,
              [&](const V* plane, int64_t w, int64_t h_begin, int64_t h_end,
                  int64_t w_begin, int64_t w_end) -> absl::StatusOr<V> {
                typename R::Acc sum{};
                for (int64_t i = h_begin; i < h_end; ++i) {
                  for (int64_t j = w_begin; j < w_end; ++j) {
                    sum = R::AccAdd(sum, plane[i * w + j]);
                  }
                }
                const int64_t count = a.count_include_pad
                                          ? area
                                          : (h_end - h_begin) * (w_end - w_begin);
                return R::DivideByCount(sum, count);
              });
}

template <typename R>
KernelResult<R> EvalGlobalAvgPool(const KernelArgs<R>& args, const NoAttrs&) {
  const auto& x = args.in(0);
  typename R::Tensor out = MakeTensor<R>(args.out_shape());
  const int64_t size = x.shape.dim(2) * x.shape.dim(3);
  for (int64_t p = 0; p < out.shape.NumElements(); ++p) {
    typename R::Acc sum{};
    for (int64_t i = 0; i < size; ++i) sum = R::AccAdd(sum, x.data[p * size + i]);
    absl::StatusOr<typename R::Value> mean = R::DivideByCount(sum, size);
    if (!mean.ok()) return mean.status();
    out.data[p] = *mean;
  }
  return Single(std::move(out));
}

namespace {

// Sums over attrs.axes; `mean` divides each sum by the reduced count.
template <typename R>
KernelResult<R> Reduce(const KernelArgs<R>& args, const ReduceAttrs& a,
                       bool mean) {
  const auto& x = args.in(0);
  const int rank = x.shape.rank();
  std::vector<bool> reduced(rank, a.axes.empty());
  for (int64_t axis : a.axes) reduced[axis < 0 ? axis + rank : axis] = true;
  // Strides into the output for every input dim, 0 on reduced dims.
  std::vector<int64_t> kept_dims(rank);
  int64_t count = 1;
  for (int i = 0; i < rank; ++i) {
    kept_dims[i] = reduced[i] ? 1 : x.shape.dim(i);
    if (reduced[i]) count *= x.shape.dim(i);
  }
  std::vector<int64_t> strides = RowMajorStrides(kept_dims);
  for (int i = 0; i < rank; ++i) {
    if (reduced[i]) strides[i] = 0;
  }
  typename R::Tensor out = MakeTensor<R>(args.out_shape());
  std::vector<typename R::Acc> acc(out.data.size(), typename R::Acc{});
  ForEachStrided(x.shape.dims(), strides, 0, [&](int64_t i, int64_t j) {
    acc[j] = R::AccAdd(acc[j], x.data[i]);
  });
  for (size_t i = 0; i < acc.size(); ++i) {
    if (mean) {
      absl::StatusOr<typename R::Value> v = R::DivideByCount(acc[i], count);
      if (!v.ok()) return v.status();
      out.data[i] = *v;
    } else {
      out.data[i] = R::FromAcc(acc[i]);
    }
  }
  return Single(std::move(out));
}

}  // namespace

template <typename R>
KernelResult<R> EvalReduceSum(const KernelArgs<R>& args, const ReduceAttrs& a) {
  return Reduce(args, a, /*mean=*/false);
}

template <typename R>
KernelResult<R> EvalReduceMean(const KernelArgs<R>& args,
                               const ReduceAttrs& a) {
  return Reduce(args, a, /*mean=*/true);
}

TSOPT_INSTANTIATE_KERNEL(MaxPool2D, Pool2DAttrs);
TSOPT_INSTANTIATE_KERNEL(AvgPool2D, Pool2DAttrs);
TSOPT_INSTANTIATE_KERNEL(GlobalAvgPool, NoAttrs);
TSOPT_INSTANTIATE_KERNEL(ReduceSum, ReduceAttrs);
TSOPT_INSTANTIATE_KERNEL(ReduceMean, ReduceAttrs);

}  // namespace reference_internal
}  // namespace tsopt

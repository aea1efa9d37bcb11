// GEMM-based kernels: Conv2D (im2col + one GEMM per image and group) and
// batched MatMul with numpy broadcasting of the batch dims. Both add the
// optional bias (Conv2D: per output channel; MatMul: per output column)
// and then apply the fused activation.
#include <algorithm>

#include "src/reference/indexing.h"
#include "src/reference/kernels.h"

namespace tsopt {
namespace reference_internal {
namespace {

struct ConvGeometry {
  int64_t channels, height, width;        // per group: input channels
  int64_t kernel_h, kernel_w;
  int64_t out_h, out_w;
  int64_t stride_h, stride_w, pad_top, pad_left, dilation_h, dilation_w;
};

// cols[(c*kh + i)*kw + j][oh*out_w + ow] = x[c][ih][iw], 0 in the padding.
template <typename V>
void Im2Col(const V* x, const ConvGeometry& g, V* cols) {
  const int64_t out_size = g.out_h * g.out_w;
  for (int64_t c = 0; c < g.channels; ++c) {
    const V* plane = x + c * g.height * g.width;
    for (int64_t ki = 0; ki < g.kernel_h; ++ki) {
      for (int64_t kj = 0; kj < g.kernel_w; ++kj) {
        V* row = cols + ((c * g.kernel_h + ki) * g.kernel_w + kj) * out_size;
        for (int64_t oh = 0; oh < g.out_h; ++oh) {
          V* out = row + oh * g.out_w;
          const int64_t ih = oh * g.stride_h - g.pad_top + ki * g.dilation_h;
          if (ih < 0 || ih >= g.height) {
            std::fill(out, out + g.out_w, V{0});
            continue;
          }
          const V* in_row = plane + ih * g.width;
          for (int64_t ow = 0; ow < g.out_w; ++ow) {
            const int64_t iw = ow * g.stride_w - g.pad_left + kj * g.dilation_w;
            out[ow] = (iw >= 0 && iw < g.width) ? in_row[iw] : V{0};
          }
        }
      }
    }
  }
}

// data[(o * channels + c) * inner + i] += bias[c] for every outer index o
// and inner index i: the bias of a conv (channels = Cout, inner = H*W) or
// of a matmul (outer = all rows, inner = 1).
template <typename R>
void AddBias(const std::vector<typename R::Value>& bias, int64_t inner,
             std::vector<typename R::Value>& data) {
  const int64_t channels = static_cast<int64_t>(bias.size());
  for (size_t start = 0; start < data.size();
       start += static_cast<size_t>(channels * inner)) {
    for (int64_t c = 0; c < channels; ++c) {
      auto* row = data.data() + start + c * inner;
      for (int64_t i = 0; i < inner; ++i) row[i] = R::Add(row[i], bias[c]);
    }
  }
}

}  // namespace

template <typename R>
KernelResult<R> EvalConv2D(const KernelArgs<R>& args, const Conv2DAttrs& a) {
  using V = typename R::Value;
  const Shape& xs = args.in(0).shape;
  const Shape& ws = args.in(1).shape;
  typename R::Tensor out = MakeTensor<R>(args.out_shape());
  const int64_t batch = xs.dim(0), in_c = xs.dim(1);
  const int64_t out_c = ws.dim(0);
  ConvGeometry g{in_c / a.groups, xs.dim(2),     xs.dim(3),
                 ws.dim(2),       ws.dim(3),     out.shape.dim(2),
                 out.shape.dim(3), a.stride[0],  a.stride[1],
                 a.pad[0],        a.pad[1],      a.dilation[0],
                 a.dilation[1]};
  const int64_t group_out = out_c / a.groups;
  const int64_t patch = g.channels * g.kernel_h * g.kernel_w;
  const int64_t out_size = g.out_h * g.out_w;
  // A 1x1 kernel with unit stride and no padding reads the input as is.
  const bool direct = g.kernel_h == 1 && g.kernel_w == 1 && g.stride_h == 1 &&
                      g.stride_w == 1 && a.pad[0] == 0 && a.pad[1] == 0 &&
                      a.pad[2] == 0 && a.pad[3] == 0;
  std::vector<V> cols(direct ? 0 : patch * out_size);
  const V* x = args.in(0).data.data();
  const V* w = args.in(1).data.data();
  for (int64_t n = 0; n < batch; ++n) {
    for (int64_t grp = 0; grp < a.groups; ++grp) {
      const V* xg = x + (n * in_c + grp * g.channels) * g.height * g.width;
      if (!direct) Im2Col(xg, g, cols.data());
      R::Gemm(group_out, out_size, patch, w + grp * group_out * patch,
              direct ? xg : cols.data(),
              out.data.data() + (n * out_c + grp * group_out) * out_size);
    }
  }
  if (args.inputs.size() == 3) AddBias<R>(args.in(2).data, out_size, out.data);
  ActivateInPlace<R>(a.activation, out.data);
  return Single(std::move(out));
}

template <typename R>
KernelResult<R> EvalMatMul(const KernelArgs<R>& args, const MatMulAttrs& a) {
  const auto& lhs = args.in(0);
  const auto& rhs = args.in(1);
  typename R::Tensor out = MakeTensor<R>(args.out_shape());
  const int rank = out.shape.rank();
  const int64_t m = lhs.shape.dim(lhs.shape.rank() - 2);
  const int64_t k = lhs.shape.dim(lhs.shape.rank() - 1);
  const int64_t n = rhs.shape.dim(rhs.shape.rank() - 1);
  // Batch dims of each operand, broadcast to the output's batch dims.
  std::vector<int64_t> batch(out.shape.dims().begin(),
                             out.shape.dims().end() - 2);
  const Shape batch_shape(batch);
  auto batch_of = [](const Shape& s) {
    return Shape(std::vector<int64_t>(s.dims().begin(), s.dims().end() - 2));
  };
  const Shape lhs_batch = batch_of(lhs.shape), rhs_batch = batch_of(rhs.shape);
  const int64_t num_batches = DimProduct(batch, 0, rank - 2);
  if (rhs_batch.NumElements() == 1 && lhs_batch == batch_shape) {
    // One matrix on the right: fold the left batch into the rows.
    R::Gemm(num_batches * m, n, k, lhs.data.data(), rhs.data.data(),
            out.data.data());
  } else {
    std::vector<int64_t> lhs_off(num_batches), rhs_off(num_batches);
    ForEachStrided(batch, BroadcastStrides(lhs_batch, batch_shape), 0,
                   [&](int64_t i, int64_t off) { lhs_off[i] = off; });
    ForEachStrided(batch, BroadcastStrides(rhs_batch, batch_shape), 0,
                   [&](int64_t i, int64_t off) { rhs_off[i] = off; });
    for (int64_t b = 0; b < num_batches; ++b) {
      R::Gemm(m, n, k, lhs.data.data() + lhs_off[b] * m * k,
              rhs.data.data() + rhs_off[b] * k * n,
              out.data.data() + b * m * n);
    }
  }
  if (args.inputs.size() == 3) AddBias<R>(args.in(2).data, 1, out.data);
  ActivateInPlace<R>(a.activation, out.data);
  return Single(std::move(out));
}

TSOPT_INSTANTIATE_KERNEL(Conv2D, Conv2DAttrs);
TSOPT_INSTANTIATE_KERNEL(MatMul, MatMulAttrs);

}  // namespace reference_internal
}  // namespace tsopt

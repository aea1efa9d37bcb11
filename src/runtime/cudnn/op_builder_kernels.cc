// The operator families that run on tsopt's own CUDA kernels: broadcast
// binary ops, reductions (and global average pooling), layer norm, and data
// movement (identity/reshape/flatten copies, concat, split, transpose, pad,
// enlarge, slice).
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "src/runtime/cudnn/op_builder.h"

namespace tsopt::cudnn_internal {
namespace {

// Strides of `dims` right-aligned against an output of rank `rank`, 0 along
// broadcast (size-1 or missing) dims.
void BroadcastStrides(const std::vector<int64_t>& dims, int rank,
                      int64_t* out) {
  const std::vector<int64_t> strides = RowMajorStrides(dims);
  const int shift = rank - static_cast<int>(dims.size());
  for (int k = 0; k < rank; ++k) {
    const int j = k - shift;
    out[k] = (j < 0 || dims[j] == 1) ? 0 : strides[j];
  }
}

GpuOp KernelOp() {
  GpuOp op;
  op.source = "cuda";
  return op;
}

// Copies `src` viewed through `view` into `dst`.
void AppendCopy(GpuContext& ctx, const float* src, float* dst,
                const StridedView& view, GpuOp& op) {
  cudaStream_t stream = ctx.stream();
  op.launches.push_back([=]() {
    return CudaStatus(LaunchStridedCopy(src, dst, view, stream), "copy");
  });
}

absl::StatusOr<GpuOp> BuildConcat(GpuContext& ctx, const OpIo& io, int axis) {
  GpuOp op = KernelOp();
  const std::vector<int64_t>& out_dims = io.out_shapes[0].dims();
  const std::vector<int64_t> out_strides = RowMajorStrides(out_dims);
  int64_t offset = 0;
  for (size_t i = 0; i < io.ins.size(); ++i) {
    const std::vector<int64_t>& dims = io.in_shapes[i].dims();
    const std::vector<int64_t> strides = RowMajorStrides(dims);
    StridedView view;
    view.rank = static_cast<int>(dims.size());
    for (int k = 0; k < view.rank; ++k) {
      view.dims[k] = dims[k];
      view.src_strides[k] = strides[k];
      view.dst_strides[k] = out_strides[k];
    }
    AppendCopy(ctx, io.ins[i], io.outs[0] + offset * out_strides[axis], view,
               op);
    offset += dims[axis];
  }
  return op;
}

absl::StatusOr<GpuOp> BuildSplit(GpuContext& ctx, const OpIo& io, int axis) {
  GpuOp op = KernelOp();
  const std::vector<int64_t> in_strides =
      RowMajorStrides(io.in_shapes[0].dims());
  int64_t offset = 0;
  for (size_t i = 0; i < io.outs.size(); ++i) {
    const std::vector<int64_t>& dims = io.out_shapes[i].dims();
    const std::vector<int64_t> strides = RowMajorStrides(dims);
    StridedView view;
    view.rank = static_cast<int>(dims.size());
    for (int k = 0; k < view.rank; ++k) {
      view.dims[k] = dims[k];
      view.src_strides[k] = in_strides[k];
      view.dst_strides[k] = strides[k];
    }
    AppendCopy(ctx, io.ins[0] + offset * in_strides[axis], io.outs[i], view,
               op);
    offset += dims[axis];
  }
  return op;
}

// The output iterated contiguously, reading the input at `src_strides`
// from `src_offset` (transpose, slice).
GpuOp GatherOp(GpuContext& ctx, const OpIo& io,
               const std::vector<int64_t>& src_strides, int64_t src_offset) {
  GpuOp op = KernelOp();
  const std::vector<int64_t>& dims = io.out_shapes[0].dims();
  const std::vector<int64_t> dst_strides = RowMajorStrides(dims);
  StridedView view;
  view.rank = static_cast<int>(dims.size());
  for (int k = 0; k < view.rank; ++k) {
    view.dims[k] = dims[k];
    view.src_strides[k] = src_strides[k];
    view.dst_strides[k] = dst_strides[k];
  }
  AppendCopy(ctx, io.ins[0] + src_offset, io.outs[0], view, op);
  return op;
}

}  // namespace

absl::Status AppendBias(GpuContext& ctx, float* y,
                        const std::vector<int64_t>& dims, const float* bias,
                        int axis, GpuOp& op) {
  const int rank = static_cast<int>(dims.size());
  absl::Status s = CheckRank(rank);
  if (!s.ok()) return s;
  BroadcastView view;
  view.rank = rank;
  const std::vector<int64_t> strides = RowMajorStrides(dims);
  for (int k = 0; k < rank; ++k) {
    view.dims[k] = dims[k];
    view.a_strides[k] = strides[k];
    view.b_strides[k] = k == axis ? 1 : 0;
  }
  cudaStream_t stream = ctx.stream();
  op.launches.push_back([=]() {
    return CudaStatus(LaunchBinary(BinaryKind::kAdd, y, bias, y, view, stream),
                      "bias add");
  });
  return absl::OkStatus();
}

absl::StatusOr<GpuOp> BuildBinary(GpuContext& ctx, const OpIo& io) {
  BinaryKind kind = BinaryKind::kMul;  // kMul, kScalarMul
  if (io.op == OpKind::kAdd) kind = BinaryKind::kAdd;
  if (io.op == OpKind::kSub) kind = BinaryKind::kSub;
  if (io.op == OpKind::kDiv) kind = BinaryKind::kDiv;
  const std::vector<int64_t>& dims = io.out_shapes[0].dims();
  const int rank = static_cast<int>(dims.size());
  absl::Status s = CheckRank(rank);
  if (!s.ok()) return s;
  BroadcastView view;
  view.rank = rank;
  for (int k = 0; k < rank; ++k) view.dims[k] = dims[k];
  BroadcastStrides(io.in_shapes[0].dims(), rank, view.a_strides);
  BroadcastStrides(io.in_shapes[1].dims(), rank, view.b_strides);
  GpuOp op = KernelOp();
  const float* a = io.ins[0];
  const float* b = io.ins[1];
  float* y = io.outs[0];
  cudaStream_t stream = ctx.stream();
  op.launches.push_back([=]() {
    return CudaStatus(LaunchBinary(kind, a, b, y, view, stream), "binary");
  });
  return op;
}

absl::StatusOr<GpuOp> BuildReduce(GpuContext& ctx, const OpIo& io) {
  const std::vector<int64_t>& dims = io.in_shapes[0].dims();
  const int rank = static_cast<int>(dims.size());
  absl::Status s = CheckRank(rank);
  if (!s.ok()) return s;
  std::vector<bool> reduced(rank, false);
  bool mean = io.op != OpKind::kReduceSum;
  if (io.op == OpKind::kGlobalAvgPool) {
    for (int k = 2; k < rank; ++k) reduced[k] = true;
  } else {
    const ReduceAttrs& a = std::get<ReduceAttrs>(*io.attrs);
    if (a.axes.empty()) reduced.assign(rank, true);
    for (int64_t axis : a.axes) {
      absl::StatusOr<int> k = NormalizeAxis(axis, rank);
      if (!k.ok()) return k.status();
      reduced[*k] = true;
    }
  }
  const std::vector<int64_t> strides = RowMajorStrides(dims);
  ReduceView view;
  int64_t count = 1;
  for (int k = 0; k < rank; ++k) {
    if (reduced[k]) {
      view.red_dims[view.red_rank] = dims[k];
      view.red_strides[view.red_rank++] = strides[k];
      count *= dims[k];
    } else {
      view.out_dims[view.out_rank] = dims[k];
      view.out_strides[view.out_rank++] = strides[k];
    }
  }
  view.scale = mean ? static_cast<float>(1.0 / static_cast<double>(count))
                    : 1.0f;
  GpuOp op = KernelOp();
  const float* x = io.ins[0];
  float* y = io.outs[0];
  cudaStream_t stream = ctx.stream();
  op.launches.push_back([=]() {
    return CudaStatus(LaunchReduce(x, y, view, stream), "reduce");
  });
  return op;
}

absl::StatusOr<GpuOp> BuildLayerNorm(GpuContext& ctx, const OpIo& io) {
  const LayerNormAttrs& a = std::get<LayerNormAttrs>(*io.attrs);
  const std::vector<int64_t>& dims = io.in_shapes[0].dims();
  absl::StatusOr<int> axis = NormalizeAxis(a.axis, static_cast<int>(dims.size()));
  if (!axis.ok()) return axis.status();
  int64_t cols = 1;
  for (size_t k = *axis; k < dims.size(); ++k) cols *= dims[k];
  const int64_t rows = io.in_shapes[0].NumElements() / cols;
  GpuOp op = KernelOp();
  const float* x = io.ins[0];
  const float* scale = io.ins[1];
  const float* bias = io.ins[2];
  float* y = io.outs[0];
  const float eps = a.epsilon;
  cudaStream_t stream = ctx.stream();
  op.launches.push_back([=]() {
    return CudaStatus(
        LaunchLayerNorm(x, scale, bias, y, rows, cols, eps, stream),
        "layernorm");
  });
  return op;
}

absl::StatusOr<GpuOp> BuildMovement(GpuContext& ctx, const OpIo& io) {
  int rank = io.in_shapes[0].rank();
  for (const Shape& s : io.out_shapes) rank = std::max(rank, s.rank());
  absl::Status s = CheckRank(rank);
  if (!s.ok()) return s;
  const std::vector<int64_t>& in_dims = io.in_shapes[0].dims();
  const std::vector<int64_t> in_strides = RowMajorStrides(in_dims);
  switch (io.op) {
    case OpKind::kConcat: {
      absl::StatusOr<int> axis =
          NormalizeAxis(std::get<ConcatAttrs>(*io.attrs).axis, rank);
      if (!axis.ok()) return axis.status();
      return BuildConcat(ctx, io, *axis);
    }
    case OpKind::kSplit: {
      absl::StatusOr<int> axis =
          NormalizeAxis(std::get<SplitAttrs>(*io.attrs).axis, rank);
      if (!axis.ok()) return axis.status();
      return BuildSplit(ctx, io, *axis);
    }
    case OpKind::kTranspose: {
      const TransposeAttrs& a = std::get<TransposeAttrs>(*io.attrs);
      std::vector<int64_t> strides;
      for (int64_t p : a.perm) strides.push_back(in_strides[p]);
      return GatherOp(ctx, io, strides, 0);
    }
    case OpKind::kSlice: {
      const SliceAttrs& a = std::get<SliceAttrs>(*io.attrs);
      std::vector<int64_t> strides = in_strides;
      int64_t offset = 0;
      for (size_t i = 0; i < a.axes.size(); ++i) {
        absl::StatusOr<int> axis = NormalizeAxis(a.axes[i], rank);
        if (!axis.ok()) return axis.status();
        const int64_t dim = in_dims[*axis];
        int64_t start = a.starts[i] < 0 ? a.starts[i] + dim : a.starts[i];
        start = std::clamp<int64_t>(start, 0, dim);
        offset += start * in_strides[*axis];
        strides[*axis] *= a.steps[i];
      }
      return GatherOp(ctx, io, strides, offset);
    }
    case OpKind::kPad: {
      const PadAttrs& a = std::get<PadAttrs>(*io.attrs);
      GpuOp op = KernelOp();
      s = AppendPadCopy(ctx, io.ins[0], in_dims, io.outs[0],
                        io.out_shapes[0].dims(),
                        std::vector<int64_t>(a.pads.begin(),
                                             a.pads.begin() + rank),
                        a.value, op);
      if (!s.ok()) return s;
      return op;
    }
    case OpKind::kEnlarge: {
      const std::vector<int64_t>& out_dims = io.out_shapes[0].dims();
      GpuOp op = KernelOp();
      s = AppendPadCopy(ctx, io.ins[0], in_dims, io.outs[0], out_dims,
                        {0, 0, (out_dims[2] - in_dims[2]) / 2,
                         (out_dims[3] - in_dims[3]) / 2},
                        0.0f, op);
      if (!s.ok()) return s;
      return op;
    }
    default: {  // Identity, Reshape, Flatten: a plain copy
      GpuOp op = KernelOp();
      const float* x = io.ins[0];
      float* y = io.outs[0];
      const size_t bytes = io.in_shapes[0].NumElements() * sizeof(float);
      cudaStream_t stream = ctx.stream();
      op.launches.push_back([=]() {
        return CudaStatus(cudaMemcpyAsync(y, x, bytes,
                                          cudaMemcpyDeviceToDevice, stream),
                          "copy");
      });
      return op;
    }
  }
}

}  // namespace tsopt::cudnn_internal

// BuildGpuOp's dispatch over ops.def and the helpers the families share.
#include "src/runtime/cudnn/op_builder.h"

#include "absl/strings/str_cat.h"

namespace tsopt::cudnn_internal {

absl::Status GpuOp::Launch() const {
  for (const auto& launch : launches) {
    absl::Status s = launch();
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

std::vector<int64_t> RowMajorStrides(const std::vector<int64_t>& dims) {
  std::vector<int64_t> strides(dims.size(), 1);
  for (int k = static_cast<int>(dims.size()) - 2; k >= 0; --k) {
    strides[k] = strides[k + 1] * dims[k + 1];
  }
  return strides;
}

absl::Status CheckRank(int rank) {
  if (rank > kMaxRank) {
    return absl::UnimplementedError(absl::StrCat(
        "the cuDNN backend's kernels support rank <= ", kMaxRank, ", got ",
        rank));
  }
  return absl::OkStatus();
}

absl::Status AppendActivation(GpuContext& ctx, Activation activation,
                              float* y, int64_t n, GpuOp& op) {
  UnaryKind kind;
  switch (activation) {
    case Activation::kNone:
      return absl::OkStatus();
    case Activation::kRelu:
      kind = UnaryKind::kRelu;
      break;
    case Activation::kSigmoid:
      kind = UnaryKind::kSigmoid;
      break;
    case Activation::kTanh:
      kind = UnaryKind::kTanh;
      break;
    case Activation::kGelu:
      kind = UnaryKind::kGelu;
      break;
  }
  cudaStream_t stream = ctx.stream();
  op.launches.push_back([=]() {
    return CudaStatus(LaunchUnary(kind, y, y, n, stream), "activation");
  });
  return absl::OkStatus();
}

absl::Status AppendPadCopy(GpuContext& ctx, const float* src,
                           const std::vector<int64_t>& src_dims, float* dst,
                           const std::vector<int64_t>& dst_dims,
                           const std::vector<int64_t>& begin, float value,
                           GpuOp& op) {
  const int rank = static_cast<int>(src_dims.size());
  absl::Status s = CheckRank(rank);
  if (!s.ok()) return s;
  StridedView view;
  view.rank = rank;
  const std::vector<int64_t> src_strides = RowMajorStrides(src_dims);
  const std::vector<int64_t> dst_strides = RowMajorStrides(dst_dims);
  int64_t offset = 0;
  int64_t dst_n = 1;
  for (int k = 0; k < rank; ++k) {
    view.dims[k] = src_dims[k];
    view.src_strides[k] = src_strides[k];
    view.dst_strides[k] = dst_strides[k];
    offset += begin[k] * dst_strides[k];
    dst_n *= dst_dims[k];
  }
  cudaStream_t stream = ctx.stream();
  float* at = dst + offset;
  op.launches.push_back([=]() {
    absl::Status fill = CudaStatus(LaunchFill(dst, dst_n, value, stream), "fill");
    if (!fill.ok()) return fill;
    return CudaStatus(LaunchStridedCopy(src, at, view, stream), "pad copy");
  });
  return absl::OkStatus();
}

absl::StatusOr<GpuOp> BuildGpuOp(GpuContext& ctx, const OpIo& io) {
  switch (io.op) {
    case OpKind::kInput:
    case OpKind::kWeight:
      return absl::InvalidArgumentError(
          "input and weight nodes hold data; they have no kernel");
    case OpKind::kConv2D:
      return BuildConv2D(ctx, io);
    case OpKind::kMatMul:
      return BuildMatMul(ctx, io);
    case OpKind::kAdd:
    case OpKind::kSub:
    case OpKind::kMul:
    case OpKind::kDiv:
    case OpKind::kScalarMul:
      return BuildBinary(ctx, io);
    case OpKind::kRelu:
    case OpKind::kSigmoid:
    case OpKind::kTanh:
    case OpKind::kGelu:
    case OpKind::kExp:
    case OpKind::kSqrt:
      return BuildUnary(ctx, io);
    case OpKind::kBatchNorm:
      return BuildBatchNorm(ctx, io);
    case OpKind::kLayerNorm:
      return BuildLayerNorm(ctx, io);
    case OpKind::kSoftmax:
      return BuildSoftmax(ctx, io);
    case OpKind::kMaxPool2D:
    case OpKind::kAvgPool2D:
      return BuildPool2D(ctx, io);
    case OpKind::kGlobalAvgPool:
    case OpKind::kReduceSum:
    case OpKind::kReduceMean:
      return BuildReduce(ctx, io);
    case OpKind::kIdentity:
    case OpKind::kReshape:
    case OpKind::kFlatten:
    case OpKind::kConcat:
    case OpKind::kSplit:
    case OpKind::kTranspose:
    case OpKind::kEnlarge:
    case OpKind::kPad:
    case OpKind::kSlice:
      return BuildMovement(ctx, io);
    case OpKind::kOpaque:
      return OpaqueNotExecutable(std::get<OpaqueAttrs>(*io.attrs));
  }
  return absl::InternalError("unknown operator");
}

}  // namespace tsopt::cudnn_internal

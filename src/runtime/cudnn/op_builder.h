// BuildGpuOp: turns one operator instance, with its device input and output
// buffers already allocated, into the sequence of launches that computes it
// (cuDNN, cuBLAS or tsopt's kernels). The executor builds one per node; the
// cost model builds one per signature and times its launches. Descriptors,
// scratch buffers and the chosen convolution algorithm are owned by the
// returned GpuOp. Internal to the cuDNN backend.
#ifndef TSOPT_SRC_RUNTIME_CUDNN_OP_BUILDER_H_
#define TSOPT_SRC_RUNTIME_CUDNN_OP_BUILDER_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "src/runtime/cudnn/gpu_context.h"
#include "src/runtime/cudnn/kernels.h"
#include "tsopt/ir/attrs.h"
#include "tsopt/ir/op.h"
#include "tsopt/ir/shape.h"

namespace tsopt::cudnn_internal {

// One operator instance on the device.
struct OpIo {
  OpKind op = OpKind::kIdentity;
  const Attrs* attrs = nullptr;
  std::vector<Shape> in_shapes;
  std::vector<Shape> out_shapes;
  std::vector<const float*> ins;
  std::vector<float*> outs;
};

struct GpuOp {
  // Enqueued in order on the context's stream by Launch().
  std::vector<std::function<absl::Status()>> launches;
  // Descriptors and scratch buffers the launches use.
  std::vector<std::shared_ptr<void>> owned;
  // "cudnn", "cublas" or "cuda" (tsopt's kernels), for OpCost::source.
  std::string source;

  absl::Status Launch() const;
};

absl::StatusOr<GpuOp> BuildGpuOp(GpuContext& ctx, const OpIo& io);

// Families, in op_builder_dnn.cc (cuDNN/cuBLAS) and op_builder_kernels.cc.
absl::StatusOr<GpuOp> BuildConv2D(GpuContext& ctx, const OpIo& io);
absl::StatusOr<GpuOp> BuildMatMul(GpuContext& ctx, const OpIo& io);
absl::StatusOr<GpuOp> BuildPool2D(GpuContext& ctx, const OpIo& io);
absl::StatusOr<GpuOp> BuildSoftmax(GpuContext& ctx, const OpIo& io);
absl::StatusOr<GpuOp> BuildBatchNorm(GpuContext& ctx, const OpIo& io);
// Relu, Sigmoid, Tanh on cuDNN; Gelu, Exp, Sqrt on tsopt's kernel.
absl::StatusOr<GpuOp> BuildUnary(GpuContext& ctx, const OpIo& io);
absl::StatusOr<GpuOp> BuildBinary(GpuContext& ctx, const OpIo& io);
absl::StatusOr<GpuOp> BuildReduce(GpuContext& ctx, const OpIo& io);
absl::StatusOr<GpuOp> BuildLayerNorm(GpuContext& ctx, const OpIo& io);
absl::StatusOr<GpuOp> BuildMovement(GpuContext& ctx, const OpIo& io);

// Shared helpers.
std::vector<int64_t> RowMajorStrides(const std::vector<int64_t>& dims);
absl::Status CheckRank(int rank);  // <= kMaxRank
// `activation` applied in place to n floats at y (no-op for kNone).
absl::Status AppendActivation(GpuContext& ctx, Activation activation,
                              float* y, int64_t n, GpuOp& op);
// y (dims, row-major) += bias broadcast along `axis` (in place): the bias
// of a conv (axis 1) or matmul (the last axis).
absl::Status AppendBias(GpuContext& ctx, float* y,
                        const std::vector<int64_t>& dims, const float* bias,
                        int axis, GpuOp& op);
// Fills `dst` (dst_dims) with `value` and copies `src` (src_dims) into it at
// offset `begin` per dim: pad, enlarge, explicit conv padding.
absl::Status AppendPadCopy(GpuContext& ctx, const float* src,
                           const std::vector<int64_t>& src_dims, float* dst,
                           const std::vector<int64_t>& dst_dims,
                           const std::vector<int64_t>& begin, float value,
                           GpuOp& op);

// Owns a cuDNN descriptor (or any handle) with its destroy function.
template <typename T, typename Destroy>
std::shared_ptr<void> Own(T handle, Destroy destroy) {
  return std::shared_ptr<void>(static_cast<void*>(handle),
                               [destroy](void* p) { destroy(static_cast<T>(p)); });
}

}  // namespace tsopt::cudnn_internal

#endif  // TSOPT_SRC_RUNTIME_CUDNN_OP_BUILDER_H_

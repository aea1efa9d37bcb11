// tsopt's own CUDA kernels, for what cuDNN and cuBLAS do not provide:
// broadcast elementwise, unary functions, reductions, layer norm,
// asymmetric-padding pooling, and one strided copy that serves transpose,
// slice, concat, split, pad and enlarge. All float32, launched on a given
// stream; each launcher returns the launch's cudaError_t. Internal to the
// cuDNN backend (kernels.cu).
#ifndef TSOPT_SRC_RUNTIME_CUDNN_KERNELS_H_
#define TSOPT_SRC_RUNTIME_CUDNN_KERNELS_H_

#include <cuda_runtime_api.h>

#include <cstdint>

namespace tsopt::cudnn_internal {

inline constexpr int kMaxRank = 8;

// An iteration space of `rank` dims; element idx reads
// src[sum idx_k * src_strides[k]] and writes dst[sum idx_k * dst_strides[k]].
struct StridedView {
  int rank = 0;
  int64_t dims[kMaxRank] = {};
  int64_t src_strides[kMaxRank] = {};
  int64_t dst_strides[kMaxRank] = {};
};

// Broadcast binary op: the output is contiguous over `dims`; operand
// strides are 0 along broadcast dims.
struct BroadcastView {
  int rank = 0;
  int64_t dims[kMaxRank] = {};
  int64_t a_strides[kMaxRank] = {};
  int64_t b_strides[kMaxRank] = {};
};

// Reduction: one contiguous output element per index over out_dims; it sums
// the input over red_dims (strides into the input) and multiplies by scale.
struct ReduceView {
  int out_rank = 0;
  int64_t out_dims[kMaxRank] = {};
  int64_t out_strides[kMaxRank] = {};  // input strides of the kept dims
  int red_rank = 0;
  int64_t red_dims[kMaxRank] = {};
  int64_t red_strides[kMaxRank] = {};
  float scale = 1.0f;
};

// 2-D pooling over NCHW with any padding (the bottom/right padding only
// shows in the output size).
struct PoolView {
  int64_t n = 0, c = 0, h = 0, w = 0, oh = 0, ow = 0;
  int64_t kh = 1, kw = 1, sh = 1, sw = 1;
  int64_t pad_t = 0, pad_l = 0;
  bool max = true;
  bool include_pad = false;
};

enum class UnaryKind : int { kRelu, kSigmoid, kTanh, kGelu, kExp, kSqrt };
enum class BinaryKind : int { kAdd, kSub, kMul, kDiv };

cudaError_t LaunchFill(float* dst, int64_t n, float value, cudaStream_t s);
cudaError_t LaunchStridedCopy(const float* src, float* dst,
                              const StridedView& view, cudaStream_t s);
cudaError_t LaunchUnary(UnaryKind kind, const float* x, float* y, int64_t n,
                        cudaStream_t s);
cudaError_t LaunchBinary(BinaryKind kind, const float* a, const float* b,
                         float* y, const BroadcastView& view, cudaStream_t s);
cudaError_t LaunchReduce(const float* x, float* y, const ReduceView& view,
                         cudaStream_t s);
// rows x cols; scale and bias have `cols` values.
cudaError_t LaunchLayerNorm(const float* x, const float* scale,
                            const float* bias, float* y, int64_t rows,
                            int64_t cols, float epsilon, cudaStream_t s);
cudaError_t LaunchPool2D(const float* x, float* y, const PoolView& view,
                         cudaStream_t s);

}  // namespace tsopt::cudnn_internal

#endif  // TSOPT_SRC_RUNTIME_CUDNN_KERNELS_H_

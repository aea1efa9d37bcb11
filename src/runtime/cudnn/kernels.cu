// tsopt's CUDA kernels (see kernels.h). Simple grid-stride kernels, one per
// purpose, no templates: this file must compile quickly.
#include <cfloat>

#include "src/runtime/cudnn/kernels.h"

namespace tsopt::cudnn_internal {
namespace {

constexpr int kThreads = 256;

int Blocks(int64_t n) {
  int64_t b = (n + kThreads - 1) / kThreads;
  if (b < 1) b = 1;
  if (b > 65536 * 4) b = 65536 * 4;  // grid-stride loops cover the rest
  return static_cast<int>(b);
}

__device__ __forceinline__ int64_t GlobalIndex() {
  return static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
}
__device__ __forceinline__ int64_t GridStride() {
  return static_cast<int64_t>(gridDim.x) * blockDim.x;
}

__global__ void FillKernel(float* dst, int64_t n, float value) {
  for (int64_t i = GlobalIndex(); i < n; i += GridStride()) dst[i] = value;
}

__global__ void StridedCopyKernel(const float* src, float* dst,
                                  StridedView v, int64_t n) {
  for (int64_t i = GlobalIndex(); i < n; i += GridStride()) {
    int64_t rest = i, s = 0, d = 0;
    for (int k = v.rank - 1; k >= 0; --k) {
      int64_t idx = rest % v.dims[k];
      rest /= v.dims[k];
      s += idx * v.src_strides[k];
      d += idx * v.dst_strides[k];
    }
    dst[d] = src[s];
  }
}

__global__ void UnaryKernel(int kind, const float* x, float* y, int64_t n) {
  for (int64_t i = GlobalIndex(); i < n; i += GridStride()) {
    float v = x[i];
    switch (kind) {
      case static_cast<int>(UnaryKind::kRelu): v = v > 0.0f ? v : 0.0f; break;
      case static_cast<int>(UnaryKind::kSigmoid): v = 1.0f / (1.0f + expf(-v)); break;
      case static_cast<int>(UnaryKind::kTanh): v = tanhf(v); break;
      case static_cast<int>(UnaryKind::kGelu):
        v = 0.5f * v * (1.0f + erff(v * 0.70710678118654752f));
        break;
      case static_cast<int>(UnaryKind::kExp): v = expf(v); break;
      default: v = sqrtf(v); break;  // kSqrt
    }
    y[i] = v;
  }
}

__global__ void BinaryKernel(int kind, const float* a, const float* b,
                             float* y, BroadcastView v, int64_t n) {
  for (int64_t i = GlobalIndex(); i < n; i += GridStride()) {
    int64_t rest = i, ia = 0, ib = 0;
    for (int k = v.rank - 1; k >= 0; --k) {
      int64_t idx = rest % v.dims[k];
      rest /= v.dims[k];
      ia += idx * v.a_strides[k];
      ib += idx * v.b_strides[k];
    }
    float p = a[ia], q = b[ib], r;
    switch (kind) {
      case static_cast<int>(BinaryKind::kAdd): r = p + q; break;
      case static_cast<int>(BinaryKind::kSub): r = p - q; break;
      case static_cast<int>(BinaryKind::kMul): r = p * q; break;
      default: r = p / q; break;  // kDiv
    }
    y[i] = r;
  }
}

__global__ void ReduceKernel(const float* x, float* y, ReduceView v,
                             int64_t n_out, int64_t n_red) {
  for (int64_t o = GlobalIndex(); o < n_out; o += GridStride()) {
    int64_t rest = o, base = 0;
    for (int k = v.out_rank - 1; k >= 0; --k) {
      base += (rest % v.out_dims[k]) * v.out_strides[k];
      rest /= v.out_dims[k];
    }
    double sum = 0.0;
    for (int64_t r = 0; r < n_red; ++r) {
      int64_t rr = r, off = base;
      for (int k = v.red_rank - 1; k >= 0; --k) {
        off += (rr % v.red_dims[k]) * v.red_strides[k];
        rr /= v.red_dims[k];
      }
      sum += x[off];
    }
    y[o] = static_cast<float>(sum * v.scale);
  }
}

// Sum of `value` over the block (blockDim.x == kThreads), valid in thread 0.
__device__ double BlockSum(double value, double* shared) {
  shared[threadIdx.x] = value;
  __syncthreads();
  for (int half = kThreads / 2; half > 0; half /= 2) {
    if (threadIdx.x < half) shared[threadIdx.x] += shared[threadIdx.x + half];
    __syncthreads();
  }
  double total = shared[0];
  __syncthreads();
  return total;
}

// One block per row: mean and variance in double, then normalize.
__global__ void LayerNormKernel(const float* x, const float* scale,
                                const float* bias, float* y, int64_t rows,
                                int64_t cols, float epsilon) {
  __shared__ double shared[kThreads];
  for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
    const float* in = x + row * cols;
    float* out = y + row * cols;
    double sum = 0.0;
    for (int64_t i = threadIdx.x; i < cols; i += kThreads) sum += in[i];
    const double mean = BlockSum(sum, shared) / static_cast<double>(cols);
    double sq = 0.0;
    for (int64_t i = threadIdx.x; i < cols; i += kThreads) {
      double d = in[i] - mean;
      sq += d * d;
    }
    const double var = BlockSum(sq, shared) / static_cast<double>(cols);
    const double inv_std = rsqrt(var + static_cast<double>(epsilon));
    for (int64_t i = threadIdx.x; i < cols; i += kThreads) {
      out[i] = static_cast<float>((in[i] - mean) * inv_std * scale[i] +
                                  bias[i]);
    }
  }
}

__global__ void Pool2DKernel(const float* x, float* y, PoolView p,
                             int64_t n_out) {
  for (int64_t o = GlobalIndex(); o < n_out; o += GridStride()) {
    const int64_t ow = o % p.ow;
    const int64_t oh = (o / p.ow) % p.oh;
    const int64_t nc = o / (p.ow * p.oh);
    const float* plane = x + nc * p.h * p.w;
    float best = -FLT_MAX;
    double sum = 0.0;
    int64_t inside = 0;
    for (int64_t i = 0; i < p.kh; ++i) {
      const int64_t ih = oh * p.sh - p.pad_t + i;
      for (int64_t j = 0; j < p.kw; ++j) {
        const int64_t iw = ow * p.sw - p.pad_l + j;
        if (ih < 0 || ih >= p.h || iw < 0 || iw >= p.w) continue;
        const float v = plane[ih * p.w + iw];
        best = v > best ? v : best;
        sum += v;
        ++inside;
      }
    }
    // ONNX: the whole window area, or the elements inside the input.
    const int64_t count = p.include_pad ? p.kh * p.kw : inside;
    y[o] = p.max ? best
                 : (count > 0 ? static_cast<float>(sum / count) : 0.0f);
  }
}

int64_t Product(const int64_t* dims, int rank) {
  int64_t n = 1;
  for (int k = 0; k < rank; ++k) n *= dims[k];
  return n;
}

}  // namespace

cudaError_t LaunchFill(float* dst, int64_t n, float value, cudaStream_t s) {
  FillKernel<<<Blocks(n), kThreads, 0, s>>>(dst, n, value);
  return cudaGetLastError();
}

cudaError_t LaunchStridedCopy(const float* src, float* dst,
                              const StridedView& view, cudaStream_t s) {
  const int64_t n = Product(view.dims, view.rank);
  StridedCopyKernel<<<Blocks(n), kThreads, 0, s>>>(src, dst, view, n);
  return cudaGetLastError();
}

cudaError_t LaunchUnary(UnaryKind kind, const float* x, float* y, int64_t n,
                        cudaStream_t s) {
  UnaryKernel<<<Blocks(n), kThreads, 0, s>>>(static_cast<int>(kind), x, y, n);
  return cudaGetLastError();
}

cudaError_t LaunchBinary(BinaryKind kind, const float* a, const float* b,
                         float* y, const BroadcastView& view, cudaStream_t s) {
  const int64_t n = Product(view.dims, view.rank);
  BinaryKernel<<<Blocks(n), kThreads, 0, s>>>(static_cast<int>(kind), a, b, y,
                                              view, n);
  return cudaGetLastError();
}

cudaError_t LaunchReduce(const float* x, float* y, const ReduceView& view,
                         cudaStream_t s) {
  const int64_t n_out = Product(view.out_dims, view.out_rank);
  const int64_t n_red = Product(view.red_dims, view.red_rank);
  ReduceKernel<<<Blocks(n_out), kThreads, 0, s>>>(x, y, view, n_out, n_red);
  return cudaGetLastError();
}

cudaError_t LaunchLayerNorm(const float* x, const float* scale,
                            const float* bias, float* y, int64_t rows,
                            int64_t cols, float epsilon, cudaStream_t s) {
  const int blocks = static_cast<int>(rows < 65536 * 4 ? rows : 65536 * 4);
  LayerNormKernel<<<blocks, kThreads, 0, s>>>(x, scale, bias, y, rows, cols,
                                              epsilon);
  return cudaGetLastError();
}

cudaError_t LaunchPool2D(const float* x, float* y, const PoolView& view,
                         cudaStream_t s) {
  const int64_t n_out = view.n * view.c * view.oh * view.ow;
  Pool2DKernel<<<Blocks(n_out), kThreads, 0, s>>>(x, y, view, n_out);
  return cudaGetLastError();
}

}  // namespace tsopt::cudnn_internal

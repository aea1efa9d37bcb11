// The operator families that run on cuDNN and cuBLAS: convolution (the
// algorithm chosen by cudnnFindConvolutionForwardAlgorithmEx under FP32 FMA
// math, no tensor cores; ReLU fused through
// cudnnConvolutionBiasActivationForward where cuDNN accepts it), matmul
// (one GEMM, a strided batched GEMM, or a pointer-array batched GEMM for
// general broadcasting), pooling (tsopt's kernel when the padding is
// asymmetric, which cuDNN cannot express), softmax, inference batch norm,
// and the unary activations.
#include <climits>

#include "absl/strings/str_cat.h"
#include "src/runtime/cudnn/op_builder.h"

// cuDNN 9 keeps the descriptor-based ("legacy") API used here but marks
// parts of it deprecated in favour of the graph API.
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

namespace tsopt::cudnn_internal {
namespace {

#define TSOPT_CUDNN(call)                                  \
  do {                                                     \
    absl::Status _s = CudnnStatus((call), #call);          \
    if (!_s.ok()) return _s;                               \
  } while (0)

absl::Status CheckInt(int64_t v, absl::string_view what) {
  if (v > INT_MAX) {
    return absl::UnimplementedError(
        absl::StrCat(what, " ", v, " exceeds cuDNN/cuBLAS's int range"));
  }
  return absl::OkStatus();
}

// A float NCHW tensor descriptor, owned by `op`.
absl::StatusOr<cudnnTensorDescriptor_t> Tensor4d(int64_t n, int64_t c,
                                                 int64_t h, int64_t w,
                                                 GpuOp& op) {
  for (int64_t v : {n, c, h, w}) {
    absl::Status s = CheckInt(v, "dimension");
    if (!s.ok()) return s;
  }
  cudnnTensorDescriptor_t d;
  TSOPT_CUDNN(cudnnCreateTensorDescriptor(&d));
  op.owned.push_back(Own(d, cudnnDestroyTensorDescriptor));
  TSOPT_CUDNN(cudnnSetTensor4dDescriptor(
      d, CUDNN_TENSOR_NCHW, CUDNN_DATA_FLOAT, static_cast<int>(n),
      static_cast<int>(c), static_cast<int>(h), static_cast<int>(w)));
  return d;
}

absl::StatusOr<cudnnActivationDescriptor_t> ActivationDesc(
    cudnnActivationMode_t mode, GpuOp& op) {
  cudnnActivationDescriptor_t d;
  TSOPT_CUDNN(cudnnCreateActivationDescriptor(&d));
  op.owned.push_back(Own(d, cudnnDestroyActivationDescriptor));
  TSOPT_CUDNN(cudnnSetActivationDescriptor(d, mode, CUDNN_NOT_PROPAGATE_NAN,
                                           0.0));
  return d;
}

// The fastest successful algorithm for the convolution, measured by cuDNN
// on the real buffers. The descriptor's math type stays CUDNN_FMA_MATH
// (plain FP32, no TF32): the search ran under it, and the perf entries'
// own mathType field is not relied on (PyTorch forces FMA the same way).
absl::StatusOr<cudnnConvolutionFwdAlgoPerf_t> FindAlgorithm(
    GpuContext& ctx, cudnnTensorDescriptor_t xd, const float* x,
    cudnnFilterDescriptor_t wd, const float* w, cudnnConvolutionDescriptor_t cd,
    cudnnTensorDescriptor_t yd, float* y) {
  constexpr int64_t kSearchWorkspace = int64_t{256} << 20;
  absl::Status s = ctx.ReserveWorkspace(kSearchWorkspace);
  if (!s.ok()) return s;
  cudnnConvolutionFwdAlgoPerf_t perf[CUDNN_CONVOLUTION_FWD_ALGO_COUNT];
  int returned = 0;
  TSOPT_CUDNN(cudnnFindConvolutionForwardAlgorithmEx(
      ctx.cudnn(), xd, x, wd, w, cd, yd, y, CUDNN_CONVOLUTION_FWD_ALGO_COUNT,
      &returned, perf, ctx.workspace(), ctx.workspace_bytes()));
  for (int i = 0; i < returned; ++i) {  // sorted fastest first
    if (perf[i].status == CUDNN_STATUS_SUCCESS) return perf[i];
  }
  return absl::UnimplementedError(
      "cuDNN found no algorithm for this convolution");
}

}  // namespace

absl::StatusOr<GpuOp> BuildConv2D(GpuContext& ctx, const OpIo& io) {
  const Conv2DAttrs& a = std::get<Conv2DAttrs>(*io.attrs);
  GpuOp op;
  op.source = "cudnn";
  std::vector<int64_t> xdims = io.in_shapes[0].dims();
  const std::vector<int64_t>& wdims = io.in_shapes[1].dims();
  const std::vector<int64_t>& ydims = io.out_shapes[0].dims();
  const float* x = io.ins[0];
  int64_t pad_h = a.pad[0], pad_w = a.pad[1];
  if (a.pad[0] != a.pad[2] || a.pad[1] != a.pad[3]) {
    // cuDNN pads symmetrically: pad explicitly into a scratch buffer.
    std::vector<int64_t> padded = {xdims[0], xdims[1],
                                   xdims[2] + a.pad[0] + a.pad[2],
                                   xdims[3] + a.pad[1] + a.pad[3]};
    absl::StatusOr<DeviceBuffer> buf = DeviceBuffer::Allocate(
        padded[0] * padded[1] * padded[2] * padded[3] * sizeof(float));
    if (!buf.ok()) return buf.status();
    auto owned = std::make_shared<DeviceBuffer>(std::move(*buf));
    op.owned.push_back(owned);
    absl::Status s = AppendPadCopy(ctx, x, xdims, owned->f(), padded,
                                   {0, 0, a.pad[0], a.pad[1]}, 0.0f, op);
    if (!s.ok()) return s;
    x = owned->f();
    xdims = padded;
    pad_h = pad_w = 0;
  }
  absl::StatusOr<cudnnTensorDescriptor_t> xd =
      Tensor4d(xdims[0], xdims[1], xdims[2], xdims[3], op);
  if (!xd.ok()) return xd.status();
  absl::StatusOr<cudnnTensorDescriptor_t> yd =
      Tensor4d(ydims[0], ydims[1], ydims[2], ydims[3], op);
  if (!yd.ok()) return yd.status();
  cudnnFilterDescriptor_t wd;
  TSOPT_CUDNN(cudnnCreateFilterDescriptor(&wd));
  op.owned.push_back(Own(wd, cudnnDestroyFilterDescriptor));
  TSOPT_CUDNN(cudnnSetFilter4dDescriptor(
      wd, CUDNN_DATA_FLOAT, CUDNN_TENSOR_NCHW, static_cast<int>(wdims[0]),
      static_cast<int>(wdims[1]), static_cast<int>(wdims[2]),
      static_cast<int>(wdims[3])));
  cudnnConvolutionDescriptor_t cd;
  TSOPT_CUDNN(cudnnCreateConvolutionDescriptor(&cd));
  op.owned.push_back(Own(cd, cudnnDestroyConvolutionDescriptor));
  TSOPT_CUDNN(cudnnSetConvolution2dDescriptor(
      cd, static_cast<int>(pad_h), static_cast<int>(pad_w),
      static_cast<int>(a.stride[0]), static_cast<int>(a.stride[1]),
      static_cast<int>(a.dilation[0]), static_cast<int>(a.dilation[1]),
      CUDNN_CROSS_CORRELATION, CUDNN_DATA_FLOAT));
  TSOPT_CUDNN(cudnnSetConvolutionGroupCount(cd, static_cast<int>(a.groups)));
  TSOPT_CUDNN(cudnnSetConvolutionMathType(cd, CUDNN_FMA_MATH));
  int on, oc, oh, ow;
  TSOPT_CUDNN(cudnnGetConvolution2dForwardOutputDim(cd, *xd, wd, &on, &oc,
                                                    &oh, &ow));
  if (on != ydims[0] || oc != ydims[1] || oh != ydims[2] || ow != ydims[3]) {
    return absl::InternalError("cuDNN's convolution output shape differs");
  }
  // The pad copy must have run before the search reads x.
  absl::Status s = op.Launch();
  if (!s.ok()) return s;
  float* y = io.outs[0];
  absl::StatusOr<cudnnConvolutionFwdAlgoPerf_t> perf =
      FindAlgorithm(ctx, *xd, x, wd, io.ins[1], cd, *yd, y);
  if (!perf.ok()) return perf.status();
  s = ctx.ReserveWorkspace(static_cast<int64_t>(perf->memory));
  if (!s.ok()) return s;
  const cudnnConvolutionFwdAlgo_t algo = perf->algo;
  const size_t ws_bytes = perf->memory;
  const float* w = io.ins[1];
  GpuContext* c = &ctx;
  cudnnTensorDescriptor_t xdesc = *xd, ydesc = *yd;

  const bool has_bias = io.ins.size() == 3;
  if (a.activation == Activation::kRelu) {
    // Fused convolution + bias (the node's, else zero) + ReLU, if cuDNN
    // takes it.
    std::shared_ptr<DeviceBuffer> owned_bias;
    if (!has_bias) {
      absl::StatusOr<DeviceBuffer> bias =
          DeviceBuffer::Allocate(ydims[1] * sizeof(float));
      if (!bias.ok()) return bias.status();
      s = CudaStatus(cudaMemset(bias->get(), 0, bias->bytes()), "memset");
      if (!s.ok()) return s;
      owned_bias = std::make_shared<DeviceBuffer>(std::move(*bias));
    }
    absl::StatusOr<cudnnTensorDescriptor_t> bd =
        Tensor4d(1, ydims[1], 1, 1, op);
    if (!bd.ok()) return bd.status();
    absl::StatusOr<cudnnActivationDescriptor_t> ad =
        ActivationDesc(CUDNN_ACTIVATION_RELU, op);
    if (!ad.ok()) return ad.status();
    cudnnTensorDescriptor_t bdesc = *bd;
    cudnnActivationDescriptor_t adesc = *ad;
    const float* bptr = has_bias ? io.ins[2] : owned_bias->f();
    auto fused = [=]() {
      const float one = 1.0f, zero = 0.0f;
      return CudnnStatus(
          cudnnConvolutionBiasActivationForward(
              c->cudnn(), &one, xdesc, x, wd, w, cd, algo, c->workspace(),
              ws_bytes, &zero, ydesc, y, bdesc, bptr, adesc, ydesc, y),
          "cudnnConvolutionBiasActivationForward");
    };
    if (fused().ok()) {  // a trial run on the real buffers
      if (owned_bias) op.owned.push_back(owned_bias);
      op.launches.push_back(fused);
      return op;
    }
  }
  op.launches.push_back([=]() {
    const float one = 1.0f, zero = 0.0f;
    return CudnnStatus(
        cudnnConvolutionForward(c->cudnn(), &one, xdesc, x, wd, w, cd, algo,
                                c->workspace(), ws_bytes, &zero, ydesc, y),
        "cudnnConvolutionForward");
  });
  if (has_bias) {
    s = AppendBias(ctx, y, ydims, io.ins[2], 1, op);
    if (!s.ok()) return s;
  }
  s = AppendActivation(ctx, a.activation, y, io.out_shapes[0].NumElements(),
                       op);
  if (!s.ok()) return s;
  return op;
}

absl::StatusOr<GpuOp> BuildMatMul(GpuContext& ctx, const OpIo& io) {
  const MatMulAttrs& attrs = std::get<MatMulAttrs>(*io.attrs);
  GpuOp op;
  op.source = "cublas";
  const std::vector<int64_t>& ad = io.in_shapes[0].dims();
  const std::vector<int64_t>& bd = io.in_shapes[1].dims();
  const std::vector<int64_t>& yd = io.out_shapes[0].dims();
  const int64_t m = ad[ad.size() - 2], k = ad.back(), n = bd.back();
  const int rank = static_cast<int>(yd.size());
  absl::Status s = CheckRank(rank);
  if (!s.ok()) return s;
  // Batch dims of the output, and per operand its batch strides (0 where
  // it broadcasts) and whether it is a single matrix or one per batch.
  const std::vector<int64_t> ybatch(yd.begin(), yd.end() - 2);
  const std::vector<int64_t> abatch(ad.begin(), ad.end() - 2);
  const std::vector<int64_t> bbatch(bd.begin(), bd.end() - 2);
  int64_t batch = 1, a_count = 1, b_count = 1;
  for (int64_t v : ybatch) batch *= v;
  for (int64_t v : abatch) a_count *= v;
  for (int64_t v : bbatch) b_count *= v;
  const bool a_full = a_count == batch, b_full = b_count == batch;
  for (int64_t v : {m, n, k, batch}) {
    s = CheckInt(v, "matmul dimension");
    if (!s.ok()) return s;
  }
  const float* a = io.ins[0];
  const float* b = io.ins[1];
  float* y = io.outs[0];
  cublasHandle_t h = ctx.cublas();
  // Row-major Y = A B is column-major Y^T = B^T A^T.
  if (b_count == 1 && a_full) {
    s = CheckInt(batch * m, "matmul rows");
    if (!s.ok()) return s;
    const int M = static_cast<int>(batch * m), N = static_cast<int>(n),
              K = static_cast<int>(k);
    op.launches.push_back([=]() {
      const float one = 1.0f, zero = 0.0f;
      return CublasStatus(cublasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, N, M, K,
                                      &one, b, N, a, K, &zero, y, N),
                          "cublasSgemm");
    });
  } else if ((a_full || a_count == 1) && (b_full || b_count == 1)) {
    const int M = static_cast<int>(m), N = static_cast<int>(n),
              K = static_cast<int>(k), B = static_cast<int>(batch);
    const long long sa = a_count == 1 ? 0 : m * k;
    const long long sb = b_count == 1 ? 0 : k * n;
    op.launches.push_back([=]() {
      const float one = 1.0f, zero = 0.0f;
      return CublasStatus(
          cublasSgemmStridedBatched(h, CUBLAS_OP_N, CUBLAS_OP_N, N, M, K,
                                    &one, b, N, sb, a, K, sa, &zero, y, N,
                                    m * n, B),
          "cublasSgemmStridedBatched");
    });
  } else {
    // General broadcasting: per-batch pointers, built once.
    std::vector<int64_t> astr(rank - 2), bstr(rank - 2);
    {
      const int nb = rank - 2;
      int64_t sa = m * k, sb = k * n;
      for (int i = nb - 1; i >= 0; --i) {
        const int ja = i - (nb - static_cast<int>(abatch.size()));
        const int jb = i - (nb - static_cast<int>(bbatch.size()));
        astr[i] = (ja < 0 || abatch[ja] == 1) ? 0 : sa;
        bstr[i] = (jb < 0 || bbatch[jb] == 1) ? 0 : sb;
        if (ja >= 0) sa *= abatch[ja];
        if (jb >= 0) sb *= bbatch[jb];
      }
    }
    std::vector<const float*> ptrs_a, ptrs_b;
    std::vector<float*> ptrs_y;
    for (int64_t i = 0; i < batch; ++i) {
      int64_t rest = i, oa = 0, ob = 0;
      for (int d = rank - 3; d >= 0; --d) {
        const int64_t idx = rest % ybatch[d];
        rest /= ybatch[d];
        oa += idx * astr[d];
        ob += idx * bstr[d];
      }
      ptrs_a.push_back(a + oa);
      ptrs_b.push_back(b + ob);
      ptrs_y.push_back(y + i * m * n);
    }
    absl::StatusOr<DeviceBuffer> table =
        DeviceBuffer::Allocate(3 * batch * sizeof(float*));
    if (!table.ok()) return table.status();
    auto owned = std::make_shared<DeviceBuffer>(std::move(*table));
    op.owned.push_back(owned);
    const size_t part = batch * sizeof(float*);
    char* base = static_cast<char*>(owned->get());
    s = CudaStatus(cudaMemcpy(base, ptrs_b.data(), part, cudaMemcpyHostToDevice),
                   "pointer table");
    if (s.ok()) {
      s = CudaStatus(cudaMemcpy(base + part, ptrs_a.data(), part,
                                cudaMemcpyHostToDevice),
                     "pointer table");
    }
    if (s.ok()) {
      s = CudaStatus(cudaMemcpy(base + 2 * part, ptrs_y.data(), part,
                                cudaMemcpyHostToDevice),
                     "pointer table");
    }
    if (!s.ok()) return s;
    const float* const* pb = reinterpret_cast<const float* const*>(base);
    const float* const* pa =
        reinterpret_cast<const float* const*>(base + part);
    float* const* py = reinterpret_cast<float* const*>(base + 2 * part);
    const int M = static_cast<int>(m), N = static_cast<int>(n),
              K = static_cast<int>(k), B = static_cast<int>(batch);
    op.launches.push_back([=]() {
      const float one = 1.0f, zero = 0.0f;
      return CublasStatus(cublasSgemmBatched(h, CUBLAS_OP_N, CUBLAS_OP_N, N,
                                             M, K, &one, pb, N, pa, K, &zero,
                                             py, N, B),
                          "cublasSgemmBatched");
    });
  }
  if (io.ins.size() == 3) {
    s = AppendBias(ctx, y, yd, io.ins[2], rank - 1, op);
    if (!s.ok()) return s;
  }
  s = AppendActivation(ctx, attrs.activation, y,
                       io.out_shapes[0].NumElements(), op);
  if (!s.ok()) return s;
  return op;
}

absl::StatusOr<GpuOp> BuildPool2D(GpuContext& ctx, const OpIo& io) {
  const Pool2DAttrs& a = std::get<Pool2DAttrs>(*io.attrs);
  const std::vector<int64_t>& x = io.in_shapes[0].dims();
  const std::vector<int64_t>& y = io.out_shapes[0].dims();
  const bool is_max = io.op == OpKind::kMaxPool2D;
  const float* in = io.ins[0];
  float* out = io.outs[0];
  cudaStream_t stream = ctx.stream();
  if (a.pad[0] != a.pad[2] || a.pad[1] != a.pad[3]) {
    PoolView v;
    v.n = x[0], v.c = x[1], v.h = x[2], v.w = x[3], v.oh = y[2], v.ow = y[3];
    v.kh = a.kernel[0], v.kw = a.kernel[1];
    v.sh = a.stride[0], v.sw = a.stride[1];
    v.pad_t = a.pad[0], v.pad_l = a.pad[1];
    v.max = is_max;
    v.include_pad = a.count_include_pad != 0;
    GpuOp op;
    op.source = "cuda";
    op.launches.push_back([=]() {
      return CudaStatus(LaunchPool2D(in, out, v, stream), "pool2d");
    });
    return op;
  }
  GpuOp op;
  op.source = "cudnn";
  absl::StatusOr<cudnnTensorDescriptor_t> xd = Tensor4d(x[0], x[1], x[2], x[3], op);
  if (!xd.ok()) return xd.status();
  absl::StatusOr<cudnnTensorDescriptor_t> yd = Tensor4d(y[0], y[1], y[2], y[3], op);
  if (!yd.ok()) return yd.status();
  cudnnPoolingDescriptor_t pd;
  TSOPT_CUDNN(cudnnCreatePoolingDescriptor(&pd));
  op.owned.push_back(Own(pd, cudnnDestroyPoolingDescriptor));
  const cudnnPoolingMode_t mode =
      is_max ? CUDNN_POOLING_MAX
             : (a.count_include_pad != 0
                    ? CUDNN_POOLING_AVERAGE_COUNT_INCLUDE_PADDING
                    : CUDNN_POOLING_AVERAGE_COUNT_EXCLUDE_PADDING);
  TSOPT_CUDNN(cudnnSetPooling2dDescriptor(
      pd, mode, CUDNN_NOT_PROPAGATE_NAN, static_cast<int>(a.kernel[0]),
      static_cast<int>(a.kernel[1]), static_cast<int>(a.pad[0]),
      static_cast<int>(a.pad[1]), static_cast<int>(a.stride[0]),
      static_cast<int>(a.stride[1])));
  int on, oc, oh, ow;
  TSOPT_CUDNN(cudnnGetPooling2dForwardOutputDim(pd, *xd, &on, &oc, &oh, &ow));
  if (oh != y[2] || ow != y[3]) {
    return absl::InternalError("cuDNN's pooling output shape differs");
  }
  cudnnHandle_t h = ctx.cudnn();
  cudnnTensorDescriptor_t xdesc = *xd, ydesc = *yd;
  op.launches.push_back([=]() {
    const float one = 1.0f, zero = 0.0f;
    return CudnnStatus(
        cudnnPoolingForward(h, pd, &one, xdesc, in, &zero, ydesc, out),
        "cudnnPoolingForward");
  });
  return op;
}

absl::StatusOr<GpuOp> BuildSoftmax(GpuContext& ctx, const OpIo& io) {
  const std::vector<int64_t>& dims = io.in_shapes[0].dims();
  absl::StatusOr<int> axis = NormalizeAxis(
      std::get<SoftmaxAttrs>(*io.attrs).axis, static_cast<int>(dims.size()));
  if (!axis.ok()) return axis.status();
  int64_t outer = 1, inner = 1;
  for (int k = 0; k < *axis; ++k) outer *= dims[k];
  for (size_t k = *axis + 1; k < dims.size(); ++k) inner *= dims[k];
  GpuOp op;
  op.source = "cudnn";
  // MODE_CHANNEL: softmax over C for every (n, h, w).
  absl::StatusOr<cudnnTensorDescriptor_t> d =
      Tensor4d(outer, dims[*axis], inner, 1, op);
  if (!d.ok()) return d.status();
  cudnnHandle_t h = ctx.cudnn();
  cudnnTensorDescriptor_t desc = *d;
  const float* x = io.ins[0];
  float* y = io.outs[0];
  op.launches.push_back([=]() {
    const float one = 1.0f, zero = 0.0f;
    return CudnnStatus(
        cudnnSoftmaxForward(h, CUDNN_SOFTMAX_ACCURATE,
                            CUDNN_SOFTMAX_MODE_CHANNEL, &one, desc, x, &zero,
                            desc, y),
        "cudnnSoftmaxForward");
  });
  return op;
}

absl::StatusOr<GpuOp> BuildBatchNorm(GpuContext& ctx, const OpIo& io) {
  const std::vector<int64_t>& dims = io.in_shapes[0].dims();
  int64_t inner = 1;
  for (size_t k = 2; k < dims.size(); ++k) inner *= dims[k];
  GpuOp op;
  op.source = "cudnn";
  absl::StatusOr<cudnnTensorDescriptor_t> xd =
      Tensor4d(dims[0], dims[1], inner, 1, op);
  if (!xd.ok()) return xd.status();
  absl::StatusOr<cudnnTensorDescriptor_t> pd = Tensor4d(1, dims[1], 1, 1, op);
  if (!pd.ok()) return pd.status();
  const double eps = std::get<BatchNormAttrs>(*io.attrs).epsilon;
  if (eps < CUDNN_BN_MIN_EPSILON) {
    return absl::UnimplementedError(absl::StrCat(
        "batchnorm epsilon ", eps, " is below cuDNN's minimum"));
  }
  cudnnHandle_t h = ctx.cudnn();
  cudnnTensorDescriptor_t xdesc = *xd, pdesc = *pd;
  const float* x = io.ins[0];
  const float* scale = io.ins[1];
  const float* bias = io.ins[2];
  const float* mean = io.ins[3];
  const float* var = io.ins[4];
  float* y = io.outs[0];
  op.launches.push_back([=]() {
    const float one = 1.0f, zero = 0.0f;
    return CudnnStatus(
        cudnnBatchNormalizationForwardInference(
            h, CUDNN_BATCHNORM_SPATIAL, &one, &zero, xdesc, x, xdesc, y,
            pdesc, scale, bias, mean, var, eps),
        "cudnnBatchNormalizationForwardInference");
  });
  return op;
}

absl::StatusOr<GpuOp> BuildUnary(GpuContext& ctx, const OpIo& io) {
  const int64_t n = io.in_shapes[0].NumElements();
  const float* x = io.ins[0];
  float* y = io.outs[0];
  GpuOp op;
  cudnnActivationMode_t mode;
  switch (io.op) {
    case OpKind::kRelu: mode = CUDNN_ACTIVATION_RELU; break;
    case OpKind::kSigmoid: mode = CUDNN_ACTIVATION_SIGMOID; break;
    case OpKind::kTanh: mode = CUDNN_ACTIVATION_TANH; break;
    default: {  // Gelu, Exp, Sqrt: tsopt's kernel
      const UnaryKind kind = io.op == OpKind::kGelu  ? UnaryKind::kGelu
                             : io.op == OpKind::kExp ? UnaryKind::kExp
                                                     : UnaryKind::kSqrt;
      op.source = "cuda";
      cudaStream_t stream = ctx.stream();
      op.launches.push_back([=]() {
        return CudaStatus(LaunchUnary(kind, x, y, n, stream), "unary");
      });
      return op;
    }
  }
  op.source = "cudnn";
  absl::StatusOr<cudnnTensorDescriptor_t> d = Tensor4d(1, 1, 1, n, op);
  if (!d.ok()) return d.status();
  absl::StatusOr<cudnnActivationDescriptor_t> ad = ActivationDesc(mode, op);
  if (!ad.ok()) return ad.status();
  cudnnHandle_t h = ctx.cudnn();
  cudnnTensorDescriptor_t desc = *d;
  cudnnActivationDescriptor_t adesc = *ad;
  op.launches.push_back([=]() {
    const float one = 1.0f, zero = 0.0f;
    return CudnnStatus(
        cudnnActivationForward(h, adesc, &one, desc, x, &zero, desc, y),
        "cudnnActivationForward");
  });
  return op;
}

}  // namespace tsopt::cudnn_internal

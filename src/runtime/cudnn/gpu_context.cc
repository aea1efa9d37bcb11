// GpuContext: device probing, handles, buffers, error conversion.
#include "src/runtime/cudnn/gpu_context.h"

#include "absl/strings/str_cat.h"

namespace tsopt::cudnn_internal {

absl::Status CudaStatus(cudaError_t e, absl::string_view what) {
  if (e == cudaSuccess) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(what, ": CUDA error ",
                                          static_cast<int>(e), " (",
                                          cudaGetErrorString(e), ")"));
}

absl::Status CudnnStatus(cudnnStatus_t e, absl::string_view what) {
  if (e == CUDNN_STATUS_SUCCESS) return absl::OkStatus();
  std::string msg = absl::StrCat(what, ": cuDNN error ", static_cast<int>(e),
                                 " (", cudnnGetErrorString(e), ")");
  if (e == CUDNN_STATUS_NOT_SUPPORTED) return absl::UnimplementedError(msg);
  if (e == CUDNN_STATUS_BAD_PARAM) return absl::InvalidArgumentError(msg);
  return absl::InternalError(msg);
}

absl::Status CublasStatus(cublasStatus_t e, absl::string_view what) {
  if (e == CUBLAS_STATUS_SUCCESS) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(what, ": cuBLAS error ",
                                          static_cast<int>(e), " (",
                                          cublasGetStatusString(e), ")"));
}

absl::StatusOr<DeviceBuffer> DeviceBuffer::Allocate(int64_t bytes) {
  DeviceBuffer b;
  if (bytes <= 0) return b;
  cudaError_t e = cudaMalloc(&b.ptr_, static_cast<size_t>(bytes));
  if (e != cudaSuccess) {
    b.ptr_ = nullptr;
    return absl::ResourceExhaustedError(
        absl::StrCat("cudaMalloc of ", bytes, " bytes: ",
                     cudaGetErrorString(e)));
  }
  b.bytes_ = bytes;
  return b;
}

DeviceBuffer& DeviceBuffer::operator=(DeviceBuffer&& other) noexcept {
  if (this != &other) {
    if (ptr_ != nullptr) cudaFree(ptr_);
    ptr_ = other.ptr_;
    bytes_ = other.bytes_;
    other.ptr_ = nullptr;
    other.bytes_ = 0;
  }
  return *this;
}

DeviceBuffer::~DeviceBuffer() {
  if (ptr_ != nullptr) cudaFree(ptr_);
}

absl::StatusOr<DeviceBuffer> Upload(const std::vector<float>& values) {
  const int64_t bytes = static_cast<int64_t>(values.size() * sizeof(float));
  absl::StatusOr<DeviceBuffer> b = DeviceBuffer::Allocate(bytes);
  if (!b.ok() || bytes == 0) return b;
  absl::Status s = CudaStatus(
      cudaMemcpy(b->get(), values.data(), bytes, cudaMemcpyHostToDevice),
      "upload");
  if (!s.ok()) return s;
  return b;
}

absl::StatusOr<std::unique_ptr<GpuContext>> GpuContext::Create(int device) {
  int count = 0;
  cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess) {
    return absl::FailedPreconditionError(
        absl::StrCat("no CUDA device: cudaGetDeviceCount failed with ",
                     cudaGetErrorName(e), " (", cudaGetErrorString(e), ")"));
  }
  if (count == 0) {
    return absl::FailedPreconditionError(
        "no CUDA device: cudaGetDeviceCount found none");
  }
  if (device < 0 || device >= count) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no CUDA device: device ", device, " requested, ", count, " present"));
  }
  std::unique_ptr<GpuContext> ctx(new GpuContext());
  ctx->device_ = device;
  absl::Status s = CudaStatus(cudaSetDevice(device), "cudaSetDevice");
  if (!s.ok()) return s;
  cudaDeviceProp prop;
  s = CudaStatus(cudaGetDeviceProperties(&prop, device),
                 "cudaGetDeviceProperties");
  if (!s.ok()) return s;
  CudnnDeviceInfo& info = ctx->info_;
  info.gpu_name = prop.name;
  info.compute_capability = prop.major * 10 + prop.minor;
  cudaDriverGetVersion(&info.driver_version);
  cudaRuntimeGetVersion(&info.runtime_version);
  info.cudnn_version = static_cast<int64_t>(cudnnGetVersion());
  s = CudaStatus(cudaStreamCreateWithFlags(&ctx->stream_,
                                           cudaStreamNonBlocking),
                 "cudaStreamCreate");
  if (!s.ok()) return s;
  s = CudnnStatus(cudnnCreate(&ctx->cudnn_), "cudnnCreate");
  if (!s.ok()) return s;
  s = CudnnStatus(cudnnSetStream(ctx->cudnn_, ctx->stream_), "cudnnSetStream");
  if (!s.ok()) return s;
  s = CublasStatus(cublasCreate(&ctx->cublas_), "cublasCreate");
  if (!s.ok()) return s;
  s = CublasStatus(cublasSetStream(ctx->cublas_, ctx->stream_),
                   "cublasSetStream");
  if (!s.ok()) return s;
  // FP32 GEMMs without TF32 tensor cores (cuBLAS's default math never
  // lowers the precision; set explicitly so it is not left to chance).
  s = CublasStatus(cublasSetMathMode(ctx->cublas_, CUBLAS_DEFAULT_MATH),
                   "cublasSetMathMode");
  if (!s.ok()) return s;
  s = CublasStatus(cublasGetVersion(ctx->cublas_, &info.cublas_version),
                   "cublasGetVersion");
  if (!s.ok()) return s;
  return ctx;
}

GpuContext::~GpuContext() {
  if (stream_ != nullptr) cudaStreamSynchronize(stream_);
  workspace_ = DeviceBuffer();
  if (cublas_ != nullptr) cublasDestroy(cublas_);
  if (cudnn_ != nullptr) cudnnDestroy(cudnn_);
  if (stream_ != nullptr) cudaStreamDestroy(stream_);
}

absl::Status GpuContext::ReserveWorkspace(int64_t bytes) {
  if (bytes <= workspace_.bytes()) return absl::OkStatus();
  absl::Status s = Synchronize();
  if (!s.ok()) return s;
  workspace_ = DeviceBuffer();
  absl::StatusOr<DeviceBuffer> b = DeviceBuffer::Allocate(bytes);
  if (!b.ok()) return b.status();
  workspace_ = std::move(*b);
  return absl::OkStatus();
}

absl::Status GpuContext::Synchronize() {
  return CudaStatus(cudaStreamSynchronize(stream_), "cudaStreamSynchronize");
}

}  // namespace tsopt::cudnn_internal

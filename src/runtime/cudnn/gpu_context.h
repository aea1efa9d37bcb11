// The GPU state the cuDNN backend shares between the executor and the cost
// model: device, stream, cuDNN and cuBLAS handles, a workspace, device
// buffers, and the conversion of CUDA/cuDNN/cuBLAS error codes into
// absl::Status. Internal to the cuDNN backend.
#ifndef TSOPT_SRC_RUNTIME_CUDNN_GPU_CONTEXT_H_
#define TSOPT_SRC_RUNTIME_CUDNN_GPU_CONTEXT_H_

#include <cublas_v2.h>
#include <cuda_runtime_api.h>
#include <cudnn.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tsopt/runtime/cudnn_executor.h"

namespace tsopt::cudnn_internal {

absl::Status CudaStatus(cudaError_t e, absl::string_view what);
absl::Status CudnnStatus(cudnnStatus_t e, absl::string_view what);
absl::Status CublasStatus(cublasStatus_t e, absl::string_view what);

// An owned device allocation of `bytes` (null for 0 bytes).
class DeviceBuffer {
 public:
  static absl::StatusOr<DeviceBuffer> Allocate(int64_t bytes);
  DeviceBuffer() = default;
  DeviceBuffer(DeviceBuffer&& other) noexcept { *this = std::move(other); }
  DeviceBuffer& operator=(DeviceBuffer&& other) noexcept;
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  ~DeviceBuffer();

  float* f() const { return static_cast<float*>(ptr_); }
  void* get() const { return ptr_; }
  int64_t bytes() const { return bytes_; }

 private:
  void* ptr_ = nullptr;
  int64_t bytes_ = 0;
};

class GpuContext {
 public:
  // FailedPrecondition("no CUDA device: ...") without a usable device.
  static absl::StatusOr<std::unique_ptr<GpuContext>> Create(int device);
  ~GpuContext();

  const CudnnDeviceInfo& info() const { return info_; }
  cudaStream_t stream() const { return stream_; }
  cudnnHandle_t cudnn() const { return cudnn_; }
  cublasHandle_t cublas() const { return cublas_; }
  // A scratch area shared by every node (nodes run one after another on the
  // stream). Reserve while building plans; launches read workspace() at
  // launch time, since a later reservation may move it.
  absl::Status ReserveWorkspace(int64_t bytes);
  void* workspace() const { return workspace_.get(); }
  int64_t workspace_bytes() const { return workspace_.bytes(); }
  absl::Status Synchronize();

 private:
  GpuContext() = default;
  CudnnDeviceInfo info_;
  int device_ = 0;
  cudaStream_t stream_ = nullptr;
  cudnnHandle_t cudnn_ = nullptr;
  cublasHandle_t cublas_ = nullptr;
  DeviceBuffer workspace_;
};

// Copies host floats to a new device buffer.
absl::StatusOr<DeviceBuffer> Upload(const std::vector<float>& values);

}  // namespace tsopt::cudnn_internal

#endif  // TSOPT_SRC_RUNTIME_CUDNN_GPU_CONTEXT_H_

// CudnnExecutor: runs a whole Graph on an NVIDIA GPU with cuDNN (convolution
// with the algorithm cuDNN's benchmark picks, pooling, softmax, activation,
// inference batch norm), cuBLAS (matmul, batched and broadcast) and small
// CUDA kernels for what cuDNN lacks (broadcast elementwise, layer norm,
// reductions, transpose/concat/split/pad/slice/enlarge).
//
// Built once per graph (CreateCudnnExecutor): one device buffer per value,
// allocated once (Reshape/Flatten/Identity are views of their input), weights
// uploaded once, the convolution algorithms chosen once. Run() copies the
// inputs in, launches every node on one stream, copies the outputs back.
// Everything is float32, plain row-major (NCHW) layout; tensor cores are
// not used (cuDNN FMA math, cuBLAS default math), so results stay close to
// the reference evaluator:
//   |gpu - reference| <= kCudnnAbsTolerance + kCudnnRelTolerance * |reference|
// (looser than the oneDNN executor's: cuDNN's FFT/Winograd algorithms and
// fast transcendental functions round differently), checked per operator
// and on whole graphs in tests/cudnn when a GPU is present.
//
// Without a usable GPU, creation returns FailedPrecondition("no CUDA device:
// ..."); in a build without cuDNN (TSOPT_WITH_CUDNN off) every entry point
// returns Unimplemented("built without cuDNN ...").
//
//   TSOPT_ASSIGN_OR_RETURN(std::unique_ptr<Executor> exec,
//                          CreateCudnnExecutor(graph));
//   TSOPT_ASSIGN_OR_RETURN(std::vector<Tensor> outs, exec->Run({x}));
#ifndef TSOPT_RUNTIME_CUDNN_EXECUTOR_H_
#define TSOPT_RUNTIME_CUDNN_EXECUTOR_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "tsopt/ir/graph.h"
#include "tsopt/runtime/executor.h"

namespace tsopt {

inline constexpr double kCudnnRelTolerance = 1e-3;
inline constexpr double kCudnnAbsTolerance = 1e-3;

// True when this library was built with the cuDNN backend.
bool CudnnBuilt();

// What identifies a GPU setup (for the cost cache's environment key).
struct CudnnDeviceInfo {
  std::string gpu_name;        // "NVIDIA H100 80GB HBM3"
  int compute_capability = 0;  // major * 10 + minor, e.g. 90
  int driver_version = 0;      // cudaDriverGetVersion, e.g. 13000
  int runtime_version = 0;     // cudaRuntimeGetVersion
  int64_t cudnn_version = 0;   // cudnnGetVersion, e.g. 91900
  int cublas_version = 0;      // cublasGetProperty-based, e.g. 130100
};

// Probes device `device`: FailedPrecondition("no CUDA device: ...") when
// there is none (or no driver), Unimplemented in a build without cuDNN.
absl::StatusOr<CudnnDeviceInfo> QueryCudnnDevice(int device = 0);

struct CudnnExecutorOptions {
  int device = 0;
};

absl::StatusOr<std::unique_ptr<Executor>> CreateCudnnExecutor(
    const Graph& graph, CudnnExecutorOptions options = {});

// Whether every element of `got` is within the cuDNN tolerance above of
// `want` (InvalidArgument on mismatched counts or shapes).
absl::StatusOr<OutputDiff> CompareCudnnOutputs(absl::Span<const Tensor> got,
                                               absl::Span<const Tensor> want);

}  // namespace tsopt

#endif  // TSOPT_RUNTIME_CUDNN_EXECUTOR_H_

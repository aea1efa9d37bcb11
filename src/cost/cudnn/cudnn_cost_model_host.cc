// The parts of CudnnCostModel that need no CUDA: the environment string,
// and (in a build without cuDNN) the factory that reports it.
#include "absl/strings/str_cat.h"
#include "tsopt/cost/cudnn_cost_model.h"

namespace tsopt {

std::string CudnnEnvironment(const CudnnDeviceInfo& info) {
  return absl::StrCat("cudnn gpu=", info.gpu_name,
                      " sm=", info.compute_capability,
                      " driver=", info.driver_version,
                      " cudart=", info.runtime_version,
                      " cudnn=", info.cudnn_version,
                      " cublas=", info.cublas_version, " timing=v1");
}

#ifndef TSOPT_WITH_CUDNN

struct CudnnCostModel::Impl {};

absl::StatusOr<std::unique_ptr<CudnnCostModel>> CudnnCostModel::Create(
    CudnnCostOptions options) {
  // Unimplemented("built without cuDNN ...") in this build.
  return QueryCudnnDevice(options.device).status();
}

CudnnCostModel::CudnnCostModel(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
CudnnCostModel::~CudnnCostModel() = default;

// Unreachable: Create never returns an object in this build.
std::string CudnnCostModel::Environment() const { return "cudnn unbuilt"; }
absl::StatusOr<OpCost> CudnnCostModel::Measure(const OpSignature&) {
  return QueryCudnnDevice(0).status();
}

#endif  // TSOPT_WITH_CUDNN

}  // namespace tsopt

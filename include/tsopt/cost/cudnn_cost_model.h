// CudnnCostModel: the cost of an operator measured on the GPU with the same
// kernels the CudnnExecutor runs (cuDNN, cuBLAS, tsopt's CUDA kernels): the
// signature becomes a one-node graph, its buffers are filled with values in
// [0.5, 1.5), and only the node's launches are timed with CUDA events
// (warm-up runs, repetitions adapted so a batch lasts >= min_batch_ms,
// median over batches, spread recorded in OpCost::spread).
//
// Everything runs in plain row-major layout, so OpCost layouts are empty
// (all plain) and graphs pay no reorders. Environment() names the GPU, the
// compute capability, the driver, CUDA runtime, cuDNN and cuBLAS versions,
// so the shared persistent cost cache (CachingCostModel) never mixes
// machines:
//   "cudnn gpu=NVIDIA H100 80GB HBM3 sm=90 driver=13000 cudart=13000
//    cudnn=91900 cublas=130100 timing=v1"
// (CudnnEnvironment below; "-min" is appended when timing.statistic is
// kMin, as the oneDNN model does).
//
// Construction probes the device: FailedPrecondition("no CUDA device: ...")
// without a GPU, Unimplemented("built without cuDNN ...") in a build
// without the backend.
//
//   TSOPT_ASSIGN_OR_RETURN(std::unique_ptr<CudnnCostModel> gpu,
//                          CudnnCostModel::Create({}));
//   CachingCostModel model(gpu.get(), {});
#ifndef TSOPT_COST_CUDNN_COST_MODEL_H_
#define TSOPT_COST_CUDNN_COST_MODEL_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "tsopt/cost/cost_model.h"
#include "tsopt/runtime/cudnn_executor.h"
#include "tsopt/util/timing.h"

namespace tsopt {

struct CudnnCostOptions {
  int device = 0;
  // batches, min_batch_ms, warmup_runs, max_reps and statistic are used
  // (GPU time from CUDA events: cpu_time must be false; no outlier
  // re-measurement).
  TimingOptions timing;
  uint64_t seed = 1;
};

// The Environment() string of a device (see the file comment).
std::string CudnnEnvironment(const CudnnDeviceInfo& info);

class CudnnCostModel : public CostModel {
 public:
  static absl::StatusOr<std::unique_ptr<CudnnCostModel>> Create(
      CudnnCostOptions options = {});
  ~CudnnCostModel() override;

  std::string Name() const override { return "cudnn"; }
  std::string Environment() const override;
  absl::StatusOr<OpCost> Measure(const OpSignature& sig) override;

  struct Impl;

 private:
  explicit CudnnCostModel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tsopt

#endif  // TSOPT_COST_CUDNN_COST_MODEL_H_

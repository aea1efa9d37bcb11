// CudnnCostModel: build the signature's GpuOp on fresh device buffers and
// time its launches with CUDA events (see tsopt/cost/cudnn_cost_model.h).
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/runtime/cudnn/gpu_context.h"
#include "src/runtime/cudnn/gpu_timing.h"
#include "src/runtime/cudnn/op_builder.h"
#include "tsopt/cost/cudnn_cost_model.h"
#include "tsopt/ir/shape_inference.h"
#include "tsopt/ir/tensor.h"

namespace tsopt {

using cudnn_internal::DeviceBuffer;
using cudnn_internal::GpuContext;
using cudnn_internal::GpuOp;

struct CudnnCostModel::Impl {
  CudnnCostOptions options;
  std::unique_ptr<GpuContext> ctx;
  uint64_t next_seed = 0;

  absl::StatusOr<OpCost> MeasureOp(const OpSignature& sig) {
    // Buffers first: the GpuOp (declared after) is destroyed before them.
    std::vector<DeviceBuffer> buffers;
    cudnn_internal::OpIo io;
    io.op = sig.op;
    io.attrs = &sig.attrs;
    io.in_shapes = sig.inputs;
    io.out_shapes = sig.outputs;
    for (const Shape& s : sig.inputs) {
      // Values in [0.5, 1.5): sqrt, div and batch-norm variances stay finite.
      absl::StatusOr<DeviceBuffer> b = cudnn_internal::Upload(
          Tensor::Random(s, options.seed + next_seed++, 0.5f, 1.5f).data);
      if (!b.ok()) return b.status();
      io.ins.push_back(b->f());
      buffers.push_back(std::move(*b));
    }
    for (const Shape& s : sig.outputs) {
      absl::StatusOr<DeviceBuffer> b =
          DeviceBuffer::Allocate(s.NumElements() * sizeof(float));
      if (!b.ok()) return b.status();
      io.outs.push_back(b->f());
      buffers.push_back(std::move(*b));
    }
    absl::StatusOr<GpuOp> op = cudnn_internal::BuildGpuOp(*ctx, io);
    if (!op.ok()) return op.status();
    absl::StatusOr<Timing> t = cudnn_internal::TimeOnStream(
        *ctx, [&op]() { return op->Launch(); }, options.timing);
    if (!t.ok()) return t.status();
    OpCost cost;
    cost.ms = t->ms;
    cost.spread = t->spread;
    cost.source = op->source;
    return cost;
  }
};

absl::StatusOr<std::unique_ptr<CudnnCostModel>> CudnnCostModel::Create(
    CudnnCostOptions options) {
  if (options.timing.cpu_time) {
    return absl::InvalidArgumentError(
        "the cuDNN cost model times the GPU with CUDA events; CPU time "
        "(timing.cpu_time) does not apply");
  }
  absl::StatusOr<std::unique_ptr<GpuContext>> ctx =
      GpuContext::Create(options.device);
  if (!ctx.ok()) return ctx.status();
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->ctx = std::move(*ctx);
  return std::unique_ptr<CudnnCostModel>(new CudnnCostModel(std::move(impl)));
}

CudnnCostModel::CudnnCostModel(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
CudnnCostModel::~CudnnCostModel() = default;

std::string CudnnCostModel::Environment() const {
  return absl::StrCat(
      CudnnEnvironment(impl_->ctx->info()),
      impl_->options.timing.statistic == TimingStatistic::kMin ? "-min" : "");
}

absl::StatusOr<OpCost> CudnnCostModel::Measure(const OpSignature& sig) {
  absl::StatusOr<std::vector<Shape>> outputs =
      InferShapes(sig.op, sig.attrs, sig.inputs);
  if (!outputs.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid signature ", sig.Key(), ": ", outputs.status().message()));
  }
  if (*outputs != sig.outputs) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid signature ", sig.Key(),
        ": outputs differ from the inferred shapes"));
  }
  for (const auto* layouts : {&sig.input_layouts, &sig.output_layouts}) {
    for (const std::string& l : *layouts) {
      if (l != kPlainLayout) {
        return absl::InvalidArgumentError(absl::StrCat(
            "signature ", sig.Key(), ": the cuDNN cost model runs plain "
            "layouts only, got '", l, "'"));
      }
    }
  }
  if (IsFreeOp(sig.op)) {
    OpCost cost;
    cost.source = "free";
    return cost;
  }
  return impl_->MeasureOp(sig);
}

}  // namespace tsopt

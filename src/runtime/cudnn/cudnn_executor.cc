// CudnnExecutor: one device buffer per value, one GpuOp per node, all on one
// stream (see tsopt/runtime/cudnn_executor.h).
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/runtime/cudnn/gpu_context.h"
#include "src/runtime/cudnn/gpu_timing.h"
#include "src/runtime/cudnn/op_builder.h"
#include "tsopt/runtime/cudnn_executor.h"

namespace tsopt {
namespace {

using cudnn_internal::DeviceBuffer;
using cudnn_internal::GpuContext;
using cudnn_internal::GpuOp;

bool IsView(OpKind op) {
  return op == OpKind::kIdentity || op == OpKind::kReshape ||
         op == OpKind::kFlatten;
}

class CudnnExecutor : public Executor {
 public:
  static absl::StatusOr<std::unique_ptr<Executor>> Create(
      const Graph& graph, const CudnnExecutorOptions& options) {
    absl::StatusOr<std::unique_ptr<GpuContext>> ctx =
        GpuContext::Create(options.device);
    if (!ctx.ok()) return ctx.status();
    std::unique_ptr<CudnnExecutor> exec(new CudnnExecutor());
    exec->ctx_ = std::move(*ctx);
    absl::Status s = exec->Build(graph);
    if (!s.ok()) return s;
    return std::unique_ptr<Executor>(std::move(exec));
  }

  absl::StatusOr<std::vector<Tensor>> Run(
      absl::Span<const Tensor> inputs) override {
    absl::Status s = CopyInputs(inputs);
    if (s.ok()) s = LaunchAll();
    std::vector<Tensor> outs;
    for (size_t i = 0; s.ok() && i < outputs_.size(); ++i) {
      Tensor t = Tensor::Zeros(output_shapes_[i]);
      s = cudnn_internal::CudaStatus(
          cudaMemcpyAsync(t.data.data(), outputs_[i],
                          t.data.size() * sizeof(float),
                          cudaMemcpyDeviceToHost, ctx_->stream()),
          "copy output");
      outs.push_back(std::move(t));
    }
    if (s.ok()) s = ctx_->Synchronize();
    if (!s.ok()) return s;
    return outs;
  }

  absl::StatusOr<Timing> Time(absl::Span<const Tensor> inputs,
                              const TimingOptions& options) override {
    absl::Status s = CopyInputs(inputs);
    if (!s.ok()) return s;
    return cudnn_internal::TimeOnStream(
        *ctx_, [this]() { return LaunchAll(); }, options);
  }

  const ExecutorStats& stats() const override { return stats_; }

 private:
  CudnnExecutor() = default;

  absl::StatusOr<float*> NewBuffer(const Shape& shape) {
    const int64_t bytes = shape.NumElements() * sizeof(float);
    absl::StatusOr<DeviceBuffer> b = DeviceBuffer::Allocate(bytes);
    if (!b.ok()) return b.status();
    stats_.buffer_bytes += bytes;
    stats_.unshared_bytes += bytes;
    buffers_.push_back(std::move(*b));
    return buffers_.back().f();
  }

  absl::Status BuildNode(const Graph& graph, NodeId id) {
    const Node& node = graph.node(id);
    std::vector<float*>& mine = values_[id];
    if (node.op == OpKind::kInput) {
      absl::StatusOr<float*> p = NewBuffer(node.output_shapes[0]);
      if (!p.ok()) return p.status();
      mine.push_back(*p);
      inputs_.push_back(*p);
      input_shapes_.push_back(node.output_shapes[0]);
      return absl::OkStatus();
    }
    if (node.op == OpKind::kWeight) {
      if (node.weight == nullptr) {
        return absl::FailedPreconditionError(
            "a symbolic weight (no data) cannot be executed");
      }
      absl::StatusOr<DeviceBuffer> b =
          cudnn_internal::Upload(node.weight->values);
      if (!b.ok()) return b.status();
      buffers_.push_back(std::move(*b));
      mine.push_back(buffers_.back().f());
      return absl::OkStatus();
    }
    if (IsView(node.op)) {
      mine.push_back(values_[node.inputs[0].node][node.inputs[0].output]);
      return absl::OkStatus();
    }
    cudnn_internal::OpIo io;
    io.op = node.op;
    io.attrs = &node.attrs;
    for (ValueId v : node.inputs) {
      io.in_shapes.push_back(graph.shape(v));
      io.ins.push_back(values_[v.node][v.output]);
    }
    for (const Shape& shape : node.output_shapes) {
      absl::StatusOr<float*> p = NewBuffer(shape);
      if (!p.ok()) return p.status();
      mine.push_back(*p);
      io.outs.push_back(*p);
    }
    io.out_shapes = node.output_shapes;
    absl::StatusOr<GpuOp> op = cudnn_internal::BuildGpuOp(*ctx_, io);
    if (!op.ok()) return op.status();
    stats_.primitives += static_cast<int>(op->launches.size());
    ops_.push_back(std::move(*op));
    return absl::OkStatus();
  }

  absl::Status Build(const Graph& graph) {
    values_.resize(graph.num_nodes());
    for (NodeId id = 0; id < graph.num_nodes(); ++id) {
      absl::Status s = BuildNode(graph, id);
      if (!s.ok()) {
        return absl::Status(s.code(),
                            absl::StrCat(graph.Describe(id), ": ", s.message()));
      }
    }
    for (ValueId v : graph.outputs()) {
      outputs_.push_back(values_[v.node][v.output]);
      output_shapes_.push_back(graph.shape(v));
    }
    return ctx_->Synchronize();
  }

  absl::Status CopyInputs(absl::Span<const Tensor> inputs) {
    if (inputs.size() != inputs_.size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "expected ", inputs_.size(), " inputs, got ", inputs.size()));
    }
    for (size_t i = 0; i < inputs.size(); ++i) {
      if (inputs[i].shape != input_shapes_[i] ||
          static_cast<int64_t>(inputs[i].data.size()) !=
              input_shapes_[i].NumElements()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "input ", i, " has shape ", inputs[i].shape.ToString(),
            ", expected ", input_shapes_[i].ToString()));
      }
      absl::Status s = cudnn_internal::CudaStatus(
          cudaMemcpyAsync(inputs_[i], inputs[i].data.data(),
                          inputs[i].data.size() * sizeof(float),
                          cudaMemcpyHostToDevice, ctx_->stream()),
          "copy input");
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }

  absl::Status LaunchAll() {
    for (const GpuOp& op : ops_) {
      absl::Status s = op.Launch();
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }

  std::unique_ptr<GpuContext> ctx_;
  // Ops and buffers are destroyed before the context (declaration order).
  std::vector<DeviceBuffer> buffers_;
  std::vector<std::vector<float*>> values_;  // [node][output]
  std::vector<GpuOp> ops_;
  std::vector<float*> inputs_;
  std::vector<Shape> input_shapes_;
  std::vector<float*> outputs_;
  std::vector<Shape> output_shapes_;
  ExecutorStats stats_;
};

}  // namespace

bool CudnnBuilt() { return true; }

absl::StatusOr<CudnnDeviceInfo> QueryCudnnDevice(int device) {
  absl::StatusOr<std::unique_ptr<GpuContext>> ctx = GpuContext::Create(device);
  if (!ctx.ok()) return ctx.status();
  return (*ctx)->info();
}

absl::StatusOr<std::unique_ptr<Executor>> CreateCudnnExecutor(
    const Graph& graph, CudnnExecutorOptions options) {
  return CudnnExecutor::Create(graph, options);
}

}  // namespace tsopt

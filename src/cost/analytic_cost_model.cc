// The roofline cost model: FLOPs and bytes per operator of ops.def.
#include "tsopt/cost/analytic_cost_model.h"

#include <algorithm>

#include "absl/strings/str_format.h"

namespace tsopt {
namespace {

// FLOPs per element of the transcendental activations (a polynomial each).
constexpr double kTranscendentalFlops = 8.0;

double Elements(const Shape& s) { return static_cast<double>(s.NumElements()); }

double ActivationFlops(Activation a, double elements) {
  switch (a) {
    case Activation::kNone:
      return 0;
    case Activation::kRelu:
      return elements;
    case Activation::kSigmoid:
    case Activation::kTanh:
    case Activation::kGelu:
      return kTranscendentalFlops * elements;
  }
  return 0;
}

// A conv's or matmul's optional bias: one add per output element.
double BiasFlops(const OpSignature& sig, double out) {
  return sig.inputs.size() == 3 ? out : 0;
}

double OpFlops(const OpSignature& sig) {
  const double out = Elements(sig.outputs[0]);
  const double in = Elements(sig.inputs[0]);
  switch (sig.op) {
    case OpKind::kInput:
    case OpKind::kWeight:
    case OpKind::kIdentity:
    case OpKind::kReshape:
    case OpKind::kFlatten:
    case OpKind::kConcat:
    case OpKind::kSplit:
    case OpKind::kTranspose:
    case OpKind::kEnlarge:
    case OpKind::kPad:
    case OpKind::kSlice:
    case OpKind::kOpaque:
      return 0;
    case OpKind::kConv2D: {
      const auto& a = std::get<Conv2DAttrs>(sig.attrs);
      const Shape& w = sig.inputs[1];
      double macs = out * w.dim(1) * w.dim(2) * w.dim(3);
      return 2 * macs + BiasFlops(sig, out) + ActivationFlops(a.activation, out);
    }
    case OpKind::kMatMul: {
      const auto& a = std::get<MatMulAttrs>(sig.attrs);
      const Shape& x = sig.inputs[0];
      return 2 * out * x.dim(x.rank() - 1) + BiasFlops(sig, out) +
             ActivationFlops(a.activation, out);
    }
    case OpKind::kAdd:
    case OpKind::kSub:
    case OpKind::kMul:
    case OpKind::kDiv:
    case OpKind::kScalarMul:
    case OpKind::kRelu:
    case OpKind::kSqrt:
      return out;
    case OpKind::kSigmoid:
    case OpKind::kTanh:
    case OpKind::kGelu:
    case OpKind::kExp:
      return kTranscendentalFlops * out;
    case OpKind::kBatchNorm:
      return 2 * out;
    case OpKind::kLayerNorm:
      return 8 * out;
    case OpKind::kSoftmax:
      return (kTranscendentalFlops + 3) * out;
    case OpKind::kMaxPool2D:
    case OpKind::kAvgPool2D: {
      const auto& a = std::get<Pool2DAttrs>(sig.attrs);
      return out * a.kernel[0] * a.kernel[1];
    }
    case OpKind::kGlobalAvgPool:
    case OpKind::kReduceSum:
    case OpKind::kReduceMean:
      return in;
  }
  return 0;
}

}  // namespace

OpWork WorkOf(const OpSignature& sig) {
  OpWork work;
  // Split runs as strided views of its input (the oneDNN executor): free.
  if ((IsFreeOp(sig.op) || sig.op == OpKind::kSplit) &&
      sig.input_layouts.empty()) {
    return work;
  }
  work.flops = OpFlops(sig);
  for (const Shape& s : sig.inputs) work.bytes += 4 * Elements(s);
  for (const Shape& s : sig.outputs) work.bytes += 4 * Elements(s);
  return work;
}

std::string AnalyticCostModel::Environment() const {
  return absl::StrFormat("analytic gflops=%g gbps=%g overhead_ms=%g",
                         options_.peak_gflops, options_.bandwidth_gbps,
                         options_.overhead_ms);
}

absl::StatusOr<double> AnalyticCostModel::Cost(const OpSignature& sig) {
  if (sig.inputs.empty() && !IsFreeOp(sig.op)) {
    return absl::InvalidArgumentError(
        absl::StrCat("signature of ", OpMnemonic(sig.op), " has no inputs"));
  }
  OpWork work = WorkOf(sig);
  if (work.flops == 0 && work.bytes == 0) return 0.0;
  // GFLOP/s = 1e6 FLOPs per millisecond; GB/s = 1e6 bytes per millisecond.
  double compute_ms = work.flops / (options_.peak_gflops * 1e6);
  double memory_ms = work.bytes / (options_.bandwidth_gbps * 1e6);
  return std::max(compute_ms, memory_ms) + options_.overhead_ms;
}

absl::StatusOr<OpCost> AnalyticCostModel::Measure(const OpSignature& sig) {
  absl::StatusOr<double> ms = Cost(sig);
  if (!ms.ok()) return ms.status();
  OpCost cost;
  cost.ms = *ms;
  cost.source = *ms == 0 ? "free" : "analytic";
  return cost;
}

}  // namespace tsopt

// AnalyticCostModel: a deterministic roofline estimate of each operator,
// max(FLOPs / peak, bytes moved / bandwidth) + a fixed per-operator
// overhead. It needs no hardware and always returns the same number, so it
// is what unit tests (and searches that need reproducibility) use.
//
// Fusion pays: an activation fused into Conv2D/MatMul adds its FLOPs but no
// memory traffic and no extra overhead, while a separate Relu node reads and
// writes the whole tensor and pays the overhead again.
//
//   AnalyticCostModel model;  // defaults: this 2-core AVX-512 machine
//   model.Cost(SignatureOf(graph, id));
#ifndef TSOPT_COST_ANALYTIC_COST_MODEL_H_
#define TSOPT_COST_ANALYTIC_COST_MODEL_H_

#include <cstdint>
#include <string>

#include "tsopt/cost/cost_model.h"

namespace tsopt {

struct AnalyticCostOptions {
  // 2 cores x ~2.5 GHz x 16 float32 FMA lanes x 2 FLOPs, derated to what
  // oneDNN reaches on one FMA port.
  double peak_gflops = 100.0;
  // Sustained DRAM bandwidth of a 2-core VM slice.
  double bandwidth_gbps = 20.0;
  // Fixed cost of dispatching one operator (primitive call, threading).
  double overhead_ms = 0.005;
};

// Work of one operator instance.
struct OpWork {
  double flops = 0;
  double bytes = 0;
};
// FLOPs and bytes (float32 inputs read once, outputs written once) of `sig`.
OpWork WorkOf(const OpSignature& sig);

class AnalyticCostModel : public CostModel {
 public:
  explicit AnalyticCostModel(AnalyticCostOptions options = {})
      : options_(options) {}

  std::string Name() const override { return "analytic"; }
  std::string Environment() const override;
  absl::StatusOr<OpCost> Measure(const OpSignature& sig) override;
  absl::StatusOr<double> Cost(const OpSignature& sig) override;

 private:
  AnalyticCostOptions options_;
};

}  // namespace tsopt

#endif  // TSOPT_COST_ANALYTIC_COST_MODEL_H_

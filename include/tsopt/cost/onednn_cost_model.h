// OneDnnCostModel: the cost of an operator measured on the real oneDNN
// primitive, created with format_tag::any as a deployment would (so the
// primitive runs in the blocked layouts it prefers; reorders into and out of
// them are separate signatures, measured as their own cost).
//
// Measurement (see tsopt/util/timing.h): inputs filled once, warm-up runs,
// repetitions adapted so a batch lasts >= min_batch_ms, median over batches,
// outlier batches re-measured, the spread recorded in OpCost::spread.
// Operators oneDNN does not provide (Split, Pad, Enlarge, a binary whose
// first operand broadcasts, ...) are timed on the reference evaluator's
// kernel and reported with OpCost::source == "reference".
//
// A conv2d or matmul with a fused bias or activation is timed side by side
// with the same operator without them (AnchorOf, MeasureRelative), so that
// CachingCostModel prices the fusion against the bare operator's number.
//
// Threads: oneDNN here runs on OpenMP; a positive num_threads calls
// omp_set_num_threads on the measuring thread before each measurement (the
// thread count is part of Environment(), so cached costs never mix thread
// counts). On a shared, overloaded machine use one thread and
// timing.cpu_time = true (see tsopt/util/timing.h).
//
// Not thread-safe: call Measure from one thread at a time (the
// CachingCostModel decorator serializes calls).
//
//   OneDnnCostModel model({.num_threads = 2});
//   TSOPT_ASSIGN_OR_RETURN(OpCost c, model.Measure(SignatureOf(g, id)));
#ifndef TSOPT_COST_ONEDNN_COST_MODEL_H_
#define TSOPT_COST_ONEDNN_COST_MODEL_H_

#include <cstdint>
#include <memory>
#include <string>

#include "tsopt/cost/cost_model.h"
#include "tsopt/util/timing.h"

namespace tsopt {

struct OneDnnCostOptions {
  int num_threads = 0;  // 0: keep OpenMP's default
  TimingOptions timing;
  uint64_t seed = 1;    // input values (they do not change timings much)
};

class OneDnnCostModel : public CostModel {
 public:
  explicit OneDnnCostModel(OneDnnCostOptions options = {});
  ~OneDnnCostModel() override;

  std::string Name() const override { return "onednn"; }
  // "oneDNN 2.6.3 isa=avx512_core threads=2 timing=v3"
  std::string Environment() const override;
  absl::StatusOr<OpCost> Measure(const OpSignature& sig) override;
  // A conv2d or matmul with a bias or activation: the bare operator
  // (EpilogueAnchor), timed side by side with it.
  std::optional<OpSignature> AnchorOf(const OpSignature& sig) const override;
  absl::StatusOr<RelativeCost> MeasureRelative(
      const OpSignature& sig, const OpSignature& anchor) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tsopt

#endif  // TSOPT_COST_ONEDNN_COST_MODEL_H_

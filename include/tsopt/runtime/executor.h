// Executor: runs a whole Graph on oneDNN (CPU).
//
// Built once per graph (Executor::Create): one primitive per node, created
// with format_tag::any for Conv2D/MatMul so oneDNN picks its preferred
// layouts; layouts are propagated between nodes (eltwise, binary, pooling
// and batch norm run in the layout their input arrives in) and a reorder is
// inserted only where a consumer needs another layout. Weights are
// reordered once, at creation. Intermediate buffers are shared between
// values whose lifetimes do not overlap. Reshape/Flatten/Identity are views;
// the oneDNN executor runs Split as views too.
// Operators oneDNN lacks (Pad, Enlarge, a binary whose first operand
// broadcasts, ...) run on the reference evaluator's kernel. The layout
// policy is the one the measured cost model prices (cost/cost_model.h), so
// the sum of node costs predicts the end-to-end time.
//
// Numerics: every output element satisfies
//   |executor - reference| <= kExecutorAbsTolerance
//                             + kExecutorRelTolerance * |reference|
// against tsopt::Evaluate on the same inputs (inputs in [-1, 1), weights
// of the same scale), checked in tests/runtime for every operator and for
// whole graphs (ResNet basic block, BERT-like layer).
//
// Inputs are fed in Graph::InputNodes() order, as for the reference
// evaluator. Errors name the node ("node 4 (split 'x'): ...").
//
//   TSOPT_ASSIGN_OR_RETURN(std::unique_ptr<Executor> exec,
//                          Executor::Create(graph));
//   TSOPT_ASSIGN_OR_RETURN(std::vector<Tensor> outs, exec->Run({x}));
#ifndef TSOPT_RUNTIME_EXECUTOR_H_
#define TSOPT_RUNTIME_EXECUTOR_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "tsopt/ir/graph.h"
#include "tsopt/ir/tensor.h"
#include "tsopt/util/timing.h"

namespace tsopt {

inline constexpr double kExecutorRelTolerance = 1e-4;
inline constexpr double kExecutorAbsTolerance = 1e-4;

struct ExecutorOptions {
  int num_threads = 0;  // > 0: omp_set_num_threads before each run
};

// What the executor built, for tests and reports.
struct ExecutorStats {
  int primitives = 0;          // oneDNN primitives run per execution
  int reorders = 0;            // of which layout reorders
  int reference_nodes = 0;     // nodes run on the reference kernel
  int views = 0;               // Splits, and Reshapes of their pieces, run
                               // as strided views (no copy)
  int weight_reorders = 0;     // done once, at creation
  int64_t buffer_bytes = 0;    // intermediate memory after reuse
  int64_t unshared_bytes = 0;  // what it would be without reuse
};

// Not thread-safe: one Run or Time at a time per executor.
class Executor {
 public:
  static absl::StatusOr<std::unique_ptr<Executor>> Create(
      const Graph& graph, ExecutorOptions options = {});
  virtual ~Executor() = default;

  // The graph outputs, in outputs() order, as plain row-major tensors.
  virtual absl::StatusOr<std::vector<Tensor>> Run(
      absl::Span<const Tensor> inputs) = 0;
  // Median end-to-end time of one execution (inputs copied in once).
  virtual absl::StatusOr<Timing> Time(absl::Span<const Tensor> inputs,
                                      const TimingOptions& options) = 0;
  virtual const ExecutorStats& stats() const = 0;
};

// Largest differences between two output lists, and whether every element
// is within the executor tolerance above. Mismatched counts or shapes are
// an InvalidArgument.
struct OutputDiff {
  double max_abs = 0;
  double max_rel = 0;  // |a - b| / max(|b|, tiny)
  bool within_tolerance = true;
};
absl::StatusOr<OutputDiff> CompareOutputs(absl::Span<const Tensor> got,
                                          absl::Span<const Tensor> want);

}  // namespace tsopt

#endif  // TSOPT_RUNTIME_EXECUTOR_H_

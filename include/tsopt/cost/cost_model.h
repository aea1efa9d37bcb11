// Operator costs: the signature of one operator instance, the CostModel
// interface the search queries, and the graph cost built from node costs.
//
// Cost model (TASO's): the cost of a graph is the sum of its node costs plus,
// for every edge where the producer leaves a tensor in a memory layout the
// consumer does not accept, the cost of the reorder between the two.
//
//   OneDnnCostModel onednn;                  // or AnalyticCostModel
//   CachingCostModel model(&onednn, {});     // memo + on-disk cache
//   TSOPT_ASSIGN_OR_RETURN(double ms, model.Cost(SignatureOf(graph, id)));
//   TSOPT_ASSIGN_OR_RETURN(double total, GraphCost(graph, model));
//
// Layouts are opaque strings chosen by the backend:
//   kPlainLayout ("plain")  dense row-major, what Input nodes and graph
//                           outputs use and what the IR semantics assume;
//   kFollowLayout ("")      in OpCost::input_layouts: the operator accepts
//                           whatever layout its input arrives in and
//                           produces that same layout (eltwise, binary,
//                           pooling, batch norm); in OpSignature: the
//                           backend picks (format_tag::any).
//   kFollowAllLayout ("*")  in OpCost::input_layouts: every input, whatever
//                           its shape, is wanted in the layout the lead
//                           (first) input arrives in, and the output is
//                           produced in it (Concat).
//   "view:<strides>"        a strided view of a row-major tensor (a Split's
//                           piece, tsopt/ir/strided_view.h): no copy was
//                           made. A Reshape/Flatten of a view stays a view
//                           where the strides allow (ReshapeStrides), else
//                           it pays a reorder to plain; a kFollow(All)
//                           operator takes a view plain (reorder charged);
//   kPlainOrViewLayout      in OpCost::input_layouts: the operator wants
//     ("plain|view")        plain but reads a view in place (free); another
//                           layout is reordered to plain. On a Split: its
//                           pieces are views of its input (SplitViewLayouts:
//                           a piece of a piece is a view too);
//   anything else           a backend-specific layout, independent of the
//                           shape, e.g. oneDNN's "fmt:0,2,3,1/" (NHWC: outer
//                           dims by decreasing stride) or "fmt:0,1,2,3/1:16"
//                           (nChw16c: plus inner blocks dim:size).
// A reorder is costed as the signature of an Identity whose input and output
// layouts are set (ReorderSignature), so reorders are measured and cached
// like any other operator.
//
// A backend whose Split is a view (oneDNN) reports it as cost 0 with input
// layout kPlainOrViewLayout and output layouts "plain" or "view:..." (those
// of a plain input).
//
// Zero-cost operators: Input, Weight (data is prepared ahead of time),
// Identity, Reshape, Flatten (views of a plain tensor), and Opaque: an
// operator tsopt does not know cannot be measured; every graph the search
// compares runs it once on the same inputs, so a fixed cost of 0 ranks them
// the same (GraphCostReport says "opaque" for it). Edges leaving a
// Weight node never pay a reorder: weights are reordered once, ahead of time.
#ifndef TSOPT_COST_COST_MODEL_H_
#define TSOPT_COST_COST_MODEL_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tsopt/ir/attrs.h"
#include "tsopt/ir/graph.h"
#include "tsopt/ir/op.h"
#include "tsopt/ir/shape.h"

namespace tsopt {

inline constexpr char kPlainLayout[] = "plain";
inline constexpr char kFollowLayout[] = "";
inline constexpr char kFollowAllLayout[] = "*";
inline constexpr char kPlainOrViewLayout[] = "plain|view";

// Everything the cost of one operator instance depends on.
struct OpSignature {
  OpKind op = OpKind::kIdentity;
  Attrs attrs;
  std::vector<Shape> inputs;
  std::vector<Shape> outputs;
  // Requested layouts; empty vectors (the usual case): the backend picks.
  std::vector<std::string> input_layouts;
  std::vector<std::string> output_layouts;

  // A stable, human-readable text key, used by the on-disk cache, e.g.
  //   "conv2d{stride=[1,1],pad=[1,1,1,1],dilation=[1,1],groups=1,
  //    activation=relu}([1,64,56,56],[64,64,3,3])->([1,64,56,56])"
  // (one line; layouts are appended as "@in:...;out:..." when set).
  std::string Key() const;

  friend bool operator==(const OpSignature& a, const OpSignature& b);
  friend bool operator!=(const OpSignature& a, const OpSignature& b) {
    return !(a == b);
  }
  template <typename H>
  friend H AbslHashValue(H h, const OpSignature& s) {
    return H::combine(std::move(h), s.op, AttrsHash(s.attrs), s.inputs,
                      s.outputs, s.input_layouts, s.output_layouts);
  }

 private:
  static size_t AttrsHash(const Attrs& attrs);
};

// The signature of node `id` of `graph` (layouts left to the backend).
OpSignature SignatureOf(const Graph& graph, NodeId id);

// The signature of a reorder of a `shape` tensor from layout `from` to `to`.
OpSignature ReorderSignature(const Shape& shape, std::string from,
                             std::string to);

// The layout of a Reshape/Flatten from `in` to `out` of a tensor arriving
// in `layout` when that is a view the reshape keeps a view ("plain" or
// "view:..."); "" when it is not a view or the reshape must copy.
std::string ReshapedViewLayout(const Shape& in, const std::string& layout,
                               const Shape& out);

// The layouts of the pieces `outs` of a Split run as views of `in`, which
// arrives in `layout` ("plain" or "view:..."): each piece has the input's
// strides. A model whose Split is a view says so with input layout
// kPlainOrViewLayout; the walk then names the pieces with this.
std::vector<std::string> SplitViewLayouts(const Shape& in,
                                          const std::string& layout,
                                          const std::vector<Shape>& outs);

// True for the operators every model costs at 0 (see the file comment).
bool IsFreeOp(OpKind op);

// The full record of one operator's cost.
struct OpCost {
  double ms = 0;      // median time per execution, milliseconds
  double spread = 0;  // (max - min) / median over the measured batches
  // Who produced the number: "onednn", "reference" (an operator oneDNN
  // lacks, timed on the reference kernel), "analytic", "free".
  std::string source;
  // Layout each input must arrive in (kFollowLayout: any) and each output
  // is produced in. Empty vectors mean "all plain".
  std::vector<std::string> input_layouts;
  std::vector<std::string> output_layouts;
};

// A signature's cost measured side by side with its anchor's (see
// CostModel::AnchorOf).
struct RelativeCost {
  OpCost cost;       // the signature's own record (layouts, source, spread)
  double ratio = 1;  // its time over the anchor's, timed interleaved
                     // (the model says which statistic)
};

// The anchor of a fused convolution or matmul: the same operator without
// its bias input and with activation none; nullopt for any other signature.
std::optional<OpSignature> EpilogueAnchor(const OpSignature& sig);

class CostModel {
 public:
  virtual ~CostModel() = default;
  // A short name: "analytic", "onednn".
  virtual std::string Name() const = 0;
  // Identifies everything besides the signature that a cost depends on
  // (library version, CPU ISA, thread count, model parameters); the cache
  // keys entries by it so a foreign environment's numbers are never used.
  virtual std::string Environment() const = 0;
  // The full record of one operator (may measure: slow on a miss).
  virtual absl::StatusOr<OpCost> Measure(const OpSignature& sig) = 0;
  // Milliseconds per execution of the operator. Models that cache override
  // this to a cheap lookup.
  virtual absl::StatusOr<double> Cost(const OpSignature& sig);

  // Fused variants priced against their anchor. A conv with a fused bias
  // and relu differs from the bare conv by a few percent, less than the
  // drift between two measurements taken minutes apart; priced on its own,
  // the fusion the search should take looks like a loss half of the time.
  // A model that names an anchor for `sig` has it priced by
  // CachingCostModel as cost(anchor) * max(1, ratio), the ratio timed side
  // by side by MeasureRelative. Defaults: no anchor, Unimplemented.
  virtual std::optional<OpSignature> AnchorOf(const OpSignature& sig) const {
    return std::nullopt;
  }
  virtual absl::StatusOr<RelativeCost> MeasureRelative(
      const OpSignature& sig, const OpSignature& anchor);
};

// Per-node breakdown of a graph's cost.
struct GraphCostReport {
  double total_ms = 0;
  double reorder_ms = 0;         // part of total_ms spent in reorders
  std::vector<double> node_ms;   // per node id, reorders into it included
  std::vector<std::string> node_source;  // OpCost::source per node
  int num_reorders = 0;
};

// Sum of node costs plus reorder costs (see the file comment). Errors name
// the node whose cost failed.
absl::StatusOr<GraphCostReport> GraphCostDetailed(const Graph& graph,
                                                  CostModel& model);
absl::StatusOr<double> GraphCost(const Graph& graph, CostModel& model);

}  // namespace tsopt

#endif  // TSOPT_COST_COST_MODEL_H_

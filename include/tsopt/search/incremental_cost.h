// IncrementalCost: the cost of many similar graphs, measuring each operator
// signature once.
//
// It computes GraphCost(graph, model) (node costs plus reorders between
// layouts, cost/cost_model.h) of the graph as it will run, i.e. with every
// node that computes from weights only folded into a weight (such nodes,
// which rewrites create and FoldWeights removes, cost nothing and their
// values need no reorder); on a graph without such nodes the two are equal.
// It memoizes each OpCost by a 64-bit hash of the node's signature
// (operator, attributes, input and output shapes) and each reorder by
// (shape, from, to), with layouts interned to small ints. A candidate graph
// that differs from its parent in a few nodes therefore queries the model
// only for its new signatures; the rest is one pass of hash lookups.
// Thread-safe.
//
// Totals are sums of CostUnits (fixed point, 2^-60 ms): every term is
// rounded once and the sum is exact, so a graph's cost does not depend on
// the order its terms are added in. The search relies on this: it costs a
// rewrite as parent total - removed charges + new charges (NodeStep on the
// few nodes that changed) and must get exactly what Of gives on the
// rewritten graph.
//
//   IncrementalCost cost(&model);
//   TSOPT_ASSIGN_OR_RETURN(double ms, cost.Of(graph));
#ifndef TSOPT_SEARCH_INCREMENTAL_COST_H_
#define TSOPT_SEARCH_INCREMENTAL_COST_H_

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/numeric/int128.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "tsopt/cost/cost_model.h"
#include "tsopt/ir/graph.h"

namespace tsopt {

// Milliseconds in fixed point, 2^-60 ms per unit (exact sums).
using CostUnits = absl::int128;
// Rounds to the nearest unit; `ms` must be finite and >= 0 (callers
// check with IncrementalCost's errors).
CostUnits ToCostUnits(double ms);
double ToMilliseconds(CostUnits units);

class IncrementalCost {
 public:
  // Interned layout ids: kPlain, and kWeightLayout for values computed from
  // weights only (free, never reordered); the model's layouts follow.
  static constexpr int kPlain = 0;
  static constexpr int kWeightLayout = 1;

  // A memoized operator signature cost.
  struct Entry {
    CostUnits units = 0;
    std::vector<int> input_layouts;   // kFollow(All), or an interned layout
    std::vector<int> output_layouts;  // empty: all plain
  };

  // The walk of one graph: per value its layout, per node its charge (its
  // own cost plus the reorders its inputs need) and its memo entry.
  struct Walk {
    std::vector<int> value_offset;  // per node: its output 0 in `layouts`
    std::vector<int> layouts;       // per value
    std::vector<CostUnits> node_units;
    std::vector<const Entry*> entries;    // null where none was needed
    std::vector<CostUnits> output_units;  // per graph output: to plain
    CostUnits total = 0;
  };

  // `model` must outlive this object.
  explicit IncrementalCost(CostModel* model);

  // The graph's cost in milliseconds (see above).
  absl::StatusOr<double> Of(const Graph& graph);

  // The whole walk of `graph` (Of is ToMilliseconds(walk.total)).
  absl::Status WalkGraph(const Graph& graph, Walk* walk);

  // One step of the walk: the charge of node `id` of `graph` when its
  // inputs arrive in `input_layouts`; writes its output layouts to
  // `output_layouts` (num_outputs entries). `*entry` is the node's memo
  // entry: looked up when null (and left null for nodes that need none).
  absl::StatusOr<CostUnits> NodeStep(const Graph& graph, NodeId id,
                                     absl::Span<const int> input_layouts,
                                     const Entry** entry, int* output_layouts);

  // The charge of handing a graph output of `shape` back plain.
  absl::StatusOr<CostUnits> OutputStep(const Shape& shape, int layout);

  // Signatures and reorders the model was asked about.
  int64_t model_queries() const;

 private:
  static constexpr int kFollow = -1;
  static constexpr int kFollowAll = -2;

  absl::StatusOr<const Entry*> Lookup(const Graph& graph, NodeId id);
  absl::StatusOr<CostUnits> Reorder(const Shape& shape, int from, int to);
  int Intern(const std::string& layout) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // True for a "view:..." layout (cost_model.h).
  bool IsView(int layout) const ABSL_LOCKS_EXCLUDED(mu_);

  CostModel* model_;
  mutable absl::Mutex mu_;
  std::deque<Entry> entries_ ABSL_GUARDED_BY(mu_);  // stable addresses
  absl::flat_hash_map<uint64_t, const Entry*> nodes_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<uint64_t, CostUnits> reorders_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> layouts_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, int> layout_ids_ ABSL_GUARDED_BY(mu_);
  int64_t queries_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace tsopt

#endif  // TSOPT_SEARCH_INCREMENTAL_COST_H_

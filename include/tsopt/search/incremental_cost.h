// IncrementalCost: the cost of many similar graphs, measuring each operator
// signature once.
//
// It computes GraphCost(graph, model) (node costs plus reorders between
// layouts, cost/cost_model.h) of the graph as it will run, i.e. with every
// node that computes from weights only folded into a weight (such nodes,
// which rewrites create and FoldWeights removes, cost nothing and their
// values need no reorder); on a graph without such nodes the two are equal.
// It memoizes each OpCost by a 64-bit
// hash of the node's signature (operator, attributes, input and output
// shapes) and each reorder by (shape, from, to), with layouts interned to
// small ints. A candidate graph that differs from its parent in a few nodes
// therefore queries the model only for its new signatures; the rest is one
// pass of hash lookups. Thread-safe.
//
//   IncrementalCost cost(&model);
//   TSOPT_ASSIGN_OR_RETURN(double ms, cost.Of(graph));
#ifndef TSOPT_SEARCH_INCREMENTAL_COST_H_
#define TSOPT_SEARCH_INCREMENTAL_COST_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "tsopt/cost/cost_model.h"
#include "tsopt/ir/graph.h"

namespace tsopt {

class IncrementalCost {
 public:
  // `model` must outlive this object.
  explicit IncrementalCost(CostModel* model);

  // The graph's cost in milliseconds (see above).
  absl::StatusOr<double> Of(const Graph& graph);

  // Signatures and reorders the model was asked about.
  int64_t model_queries() const;

 private:
  struct Entry {
    double ms = 0;
    std::vector<int> input_layouts;   // kFollow(All), or an interned layout
    std::vector<int> output_layouts;  // empty: all plain
  };
  static constexpr int kFollow = -1;
  static constexpr int kFollowAll = -2;
  static constexpr int kPlain = 0;
  static constexpr int kWeightLayout = 1;

  absl::StatusOr<Entry> NodeEntry(const Graph& graph, NodeId id);
  absl::StatusOr<double> Reorder(const Shape& shape, int from, int to);
  int Intern(const std::string& layout) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  CostModel* model_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<uint64_t, Entry> nodes_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<uint64_t, double> reorders_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> layouts_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, int> layout_ids_ ABSL_GUARDED_BY(mu_);
  int64_t queries_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace tsopt

#endif  // TSOPT_SEARCH_INCREMENTAL_COST_H_

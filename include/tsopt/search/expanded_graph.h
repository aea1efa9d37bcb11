// ExpandedGraph: a graph the search is about to expand, indexed once so
// that each of its (hundreds of) matches can be hashed and costed as a
// rewrite delta (rewrite_delta.h) instead of a rebuilt graph.
//
// It holds the matcher's MatchContext (consumers, weight-only nodes, nodes
// by operator), every node's structural hash and its local part
// (ir/hash.h), the node-hash multiset, use counts (input edges plus graph
// output entries per node), the inputs of every node in one array, each
// node's commutative flag (a cone node is re-hashed without its Node),
// whether every node is live, and the full cost walk
// (IncrementalCost::Walk: per-value layouts, per-node charges).
//
//   TSOPT_ASSIGN_OR_RETURN(auto g, ExpandedGraph::Create(graph, cost));
//   g->hash() == StructuralHash(*graph), g->cost_ms() == cost.Of(*graph)
#ifndef TSOPT_SEARCH_EXPANDED_GRAPH_H_
#define TSOPT_SEARCH_EXPANDED_GRAPH_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "tsopt/ir/graph.h"
#include "tsopt/search/incremental_cost.h"
#include "tsopt/search/matcher.h"

namespace tsopt {

class ExpandedGraph {
 public:
  // Indexes `graph` (kept alive by the returned object); fails only when
  // the cost model fails on it.
  static absl::StatusOr<std::unique_ptr<const ExpandedGraph>> Create(
      std::shared_ptr<const Graph> graph, IncrementalCost& cost);

  const Graph& graph() const { return *graph_; }
  const MatchContext& context() const { return context_; }
  // StructuralHash(graph()).
  uint64_t hash() const { return hash_; }
  // IncrementalCost::Of(graph()), exactly.
  CostUnits cost() const { return walk_.total; }

  // For rewrite deltas.
  const std::vector<uint64_t>& node_hashes() const { return node_hashes_; }
  const std::vector<uint64_t>& local_hashes() const { return local_hashes_; }
  // ValueHash(node_hashes()[v.node], v.output).
  uint64_t value_hash(ValueId v) const {
    return value_hashes_[walk_.value_offset[v.node] + v.output];
  }
  // NodeHashTerm(node_hashes()[id]).
  uint64_t node_term(NodeId id) const { return node_terms_[id]; }
  // Sum of NodeHashTerm over all nodes.
  uint64_t node_multiset() const { return node_multiset_; }
  // Input edges reading the node plus graph output entries naming it.
  int uses(NodeId id) const { return uses_[id]; }
  // GetOpInfo(graph().node(id).op).commutative.
  bool commutative(NodeId id) const { return commutative_[id] != 0; }
  // The values `id` reads (graph().node(id).inputs), from a compact array.
  absl::Span<const ValueId> inputs(NodeId id) const {
    return absl::MakeConstSpan(input_values_.data() + input_offsets_[id],
                               input_offsets_[id + 1] - input_offsets_[id]);
  }
  // True when every node is an Input or some output depends on it (what
  // ApplyMatch leaves; only a search's input graph may have dead nodes).
  bool all_live() const { return all_live_; }
  const IncrementalCost::Walk& walk() const { return walk_; }
  // The layout a value arrives in (walk().layouts by value).
  int layout(ValueId v) const {
    return walk_.layouts[walk_.value_offset[v.node] + v.output];
  }

 private:
  explicit ExpandedGraph(std::shared_ptr<const Graph> graph);

  std::shared_ptr<const Graph> graph_;
  MatchContext context_;
  std::vector<uint64_t> node_hashes_;
  std::vector<uint64_t> local_hashes_;
  std::vector<uint64_t> value_hashes_;  // by walk().value_offset
  std::vector<uint64_t> node_terms_;
  uint64_t node_multiset_ = 0;
  uint64_t hash_ = 0;
  std::vector<int> uses_;
  std::vector<int> input_offsets_;  // per node, plus one past the last
  std::vector<ValueId> input_values_;
  std::vector<uint8_t> commutative_;  // per node
  bool all_live_ = true;
  IncrementalCost::Walk walk_;
};

}  // namespace tsopt

#endif  // TSOPT_SEARCH_EXPANDED_GRAPH_H_

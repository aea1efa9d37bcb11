// ExpandedGraph: the per-graph index behind rewrite deltas (see
// tsopt/search/expanded_graph.h).
#include "tsopt/search/expanded_graph.h"

#include <utility>

#include "tsopt/ir/hash.h"
#include "tsopt/ir/op.h"
#include "tsopt/util/status_macros.h"

namespace tsopt {

ExpandedGraph::ExpandedGraph(std::shared_ptr<const Graph> graph)
    : graph_(std::move(graph)), context_(*graph_) {}

absl::StatusOr<std::unique_ptr<const ExpandedGraph>> ExpandedGraph::Create(
    std::shared_ptr<const Graph> graph, IncrementalCost& cost) {
  std::unique_ptr<ExpandedGraph> e(new ExpandedGraph(std::move(graph)));
  const Graph& g = *e->graph_;
  const int n = g.num_nodes();
  e->node_hashes_.resize(n);
  e->local_hashes_.resize(n);
  e->commutative_.resize(n);
  std::vector<uint64_t> inputs;
  for (NodeId id = 0; id < n; ++id) {
    const Node& node = g.node(id);
    e->local_hashes_[id] = NodeLocalHash(node);
    inputs.clear();
    for (ValueId in : node.inputs) {
      inputs.push_back(ValueHash(e->node_hashes_[in.node], in.output));
    }
    e->commutative_[id] = GetOpInfo(node.op).commutative;
    e->node_hashes_[id] = CombineInputHashes(e->commutative_[id] != 0,
                                             e->local_hashes_[id], inputs);
    e->node_terms_.push_back(NodeHashTerm(e->node_hashes_[id]));
    e->node_multiset_ += e->node_terms_.back();
  }
  e->hash_ = GraphHashFromNodeHashes(g, e->node_hashes_);
  e->input_offsets_.resize(n + 1);
  for (NodeId id = 0; id < n; ++id) {
    e->input_offsets_[id] = static_cast<int>(e->input_values_.size());
    for (ValueId in : g.node(id).inputs) e->input_values_.push_back(in);
  }
  e->input_offsets_[n] = static_cast<int>(e->input_values_.size());
  e->uses_.assign(n, 0);
  std::vector<bool> live(n, false);
  for (ValueId out : g.outputs()) {
    ++e->uses_[out.node];
    live[out.node] = true;
  }
  for (NodeId id = n - 1; id >= 0; --id) {
    const Node& node = g.node(id);
    if (node.op == OpKind::kInput) live[id] = true;
    e->all_live_ = e->all_live_ && live[id];
    for (ValueId in : node.inputs) {
      ++e->uses_[in.node];
      if (live[id]) live[in.node] = true;
    }
  }
  TSOPT_RETURN_IF_ERROR(cost.WalkGraph(g, &e->walk_));
  e->value_hashes_.resize(e->walk_.layouts.size());
  for (NodeId id = 0; id < n; ++id) {
    for (int j = 0; j < g.node(id).num_outputs(); ++j) {
      e->value_hashes_[e->walk_.value_offset[id] + j] =
          ValueHash(e->node_hashes_[id], j);
    }
  }
  return std::unique_ptr<const ExpandedGraph>(std::move(e));
}

}  // namespace tsopt

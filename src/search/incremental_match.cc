// PlanRematch: which roots of a rewritten graph to match again, and the
// earlier graph's matches everywhere else (see
// tsopt/search/incremental_match.h).
#include "tsopt/search/incremental_match.h"

#include <algorithm>
#include <deque>

namespace tsopt {
namespace {

// MatchContext::weight_only for every node of `g`.
std::vector<bool> WeightOnly(const Graph& g) {
  std::vector<bool> only(g.num_nodes(), false);
  for (NodeId id = 0; id < g.num_nodes(); ++id) {
    const Node& n = g.node(id);
    if (n.op == OpKind::kWeight) {
      only[id] = true;
    } else if (!n.inputs.empty()) {
      bool all = true;
      for (ValueId in : n.inputs) all = all && only[in.node];
      only[id] = all;
    }
  }
  return only;
}

// The nodes of `after` whose matching facts (inputs, consumers, graph
// outputs, weight-only status) may differ from their origin in `before`,
// and the nodes it added.
std::vector<bool> TouchedNodes(const MatchContext& after, const Graph& before,
                               absl::Span<const NodeId> kept) {
  const Graph& g = after.graph();
  std::vector<bool> touched(g.num_nodes(), false);
  auto mark = [&](NodeId id) {
    if (id >= 0) touched[id] = true;
  };
  auto renumbered = [&](ValueId v) {
    return ValueId{kept[v.node], v.output};
  };
  std::vector<bool> has_origin(g.num_nodes(), false);
  const std::vector<bool> was_weight_only = WeightOnly(before);
  for (NodeId id = 0; id < before.num_nodes(); ++id) {
    const Node& old_node = before.node(id);
    const NodeId now = kept[id];
    if (now < 0) {  // its inputs lose a consumer
      for (ValueId in : old_node.inputs) mark(kept[in.node]);
      continue;
    }
    has_origin[now] = true;
    const Node& node = g.node(now);
    if (was_weight_only[id] != after.weight_only(now)) mark(now);
    if (node.inputs.size() != old_node.inputs.size()) {
      mark(now);
      for (ValueId in : old_node.inputs) mark(kept[in.node]);
      for (ValueId in : node.inputs) mark(in.node);
      continue;
    }
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      ValueId was = renumbered(old_node.inputs[i]);
      if (was == node.inputs[i]) continue;
      mark(now);
      mark(was.node);
      mark(node.inputs[i].node);
    }
  }
  for (NodeId id = 0; id < g.num_nodes(); ++id) {
    if (has_origin[id]) continue;  // added by the rewrite
    mark(id);
    for (ValueId in : g.node(id).inputs) mark(in.node);
  }
  const std::vector<ValueId>& outs = g.outputs();
  const std::vector<ValueId>& old_outs = before.outputs();
  for (size_t i = 0; i < std::max(outs.size(), old_outs.size()); ++i) {
    ValueId was = i < old_outs.size() ? renumbered(old_outs[i]) : ValueId{};
    ValueId is = i < outs.size() ? outs[i] : ValueId{};
    if (was == is) continue;
    mark(was.node);
    mark(is.node);
  }
  return touched;
}

// Nodes at most `depth` consumer hops below a touched node, ascending.
std::vector<NodeId> NodesBelow(const MatchContext& ctx,
                               const std::vector<bool>& touched, int depth) {
  const int n = ctx.graph().num_nodes();
  std::vector<int> hops(n, -1);
  std::deque<NodeId> work;
  for (NodeId id = 0; id < n; ++id) {
    if (!touched[id]) continue;
    hops[id] = 0;
    work.push_back(id);
  }
  while (!work.empty()) {
    NodeId id = work.front();
    work.pop_front();
    if (hops[id] == depth) continue;
    for (NodeId c : ctx.consumers(id)) {
      if (hops[c] >= 0) continue;
      hops[c] = hops[id] + 1;
      work.push_back(c);
    }
  }
  std::vector<NodeId> below;
  for (NodeId id = 0; id < n; ++id) {
    if (hops[id] >= 0) below.push_back(id);
  }
  return below;
}

}  // namespace

MatchReuse PlanRematch(const Matcher& matcher, const MatchContext& after,
                       const Graph& before,
                       absl::Span<const Match> before_matches,
                       absl::Span<const NodeId> kept) {
  MatchReuse reuse;
  reuse.roots = NodesBelow(after, TouchedNodes(after, before, kept),
                           matcher.max_single_output_depth());
  std::vector<bool> rematched(after.graph().num_nodes(), false);
  for (NodeId id : reuse.roots) rematched[id] = true;
  for (const Match& m : before_matches) {
    if (!matcher.single_output(m.rule_index)) continue;
    NodeId root = kept[m.outputs[0].node];
    if (root < 0 || rematched[root]) continue;
    // Every node of a match at an untouched root is kept (a dropped one
    // would have made the node reading it touched).
    Match renumbered = m;
    for (NodeId& id : renumbered.nodes) {
      if (id >= 0) id = kept[id];
    }
    for (ValueId& v : renumbered.vars) {
      if (v.node >= 0) v.node = kept[v.node];
    }
    for (ValueId& v : renumbered.outputs) v.node = kept[v.node];
    reuse.reused.push_back(std::move(renumbered));
  }
  // Renumbering may reorder roots (ApplyMatch emits depth first).
  std::stable_sort(reuse.reused.begin(), reuse.reused.end(),
                   [](const Match& a, const Match& b) {
                     if (a.rule_index != b.rule_index) {
                       return a.rule_index < b.rule_index;
                     }
                     return a.outputs[0].node < b.outputs[0].node;
                   });
  return reuse;
}

}  // namespace tsopt

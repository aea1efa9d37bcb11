// PlanRematch: which roots of a rewritten graph to match again, and the
// earlier graph's matches everywhere else (see
// tsopt/search/incremental_match.h).
#include "tsopt/search/incremental_match.h"

#include <algorithm>
#include <deque>

#include "tsopt/search/rule_symmetry.h"

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

// Marks the nodes at most `hops` edges from a touched node, following
// consumers only (`both_ways` false) or inputs as well.
std::vector<bool> Near(const MatchContext& ctx,
                       const std::vector<bool>& touched, int hops,
                       bool both_ways) {
  const Graph& g = ctx.graph();
  std::vector<int> dist(g.num_nodes(), -1);
  std::deque<NodeId> work;
  for (NodeId id = 0; id < g.num_nodes(); ++id) {
    if (!touched[id]) continue;
    dist[id] = 0;
    work.push_back(id);
  }
  auto visit = [&](NodeId from, NodeId to) {
    if (dist[to] >= 0) return;
    dist[to] = dist[from] + 1;
    work.push_back(to);
  };
  while (!work.empty()) {
    NodeId id = work.front();
    work.pop_front();
    if (dist[id] == hops) continue;
    for (NodeId c : ctx.consumers(id)) visit(id, c);
    if (!both_ways) continue;
    for (ValueId in : g.node(id).inputs) visit(id, in.node);
  }
  std::vector<bool> near(g.num_nodes());
  for (NodeId id = 0; id < g.num_nodes(); ++id) near[id] = dist[id] >= 0;
  return near;
}

std::vector<NodeId> Ascending(const std::vector<bool>& marked) {
  std::vector<NodeId> ids;
  for (NodeId id = 0; id < static_cast<NodeId>(marked.size()); ++id) {
    if (marked[id]) ids.push_back(id);
  }
  return ids;
}

Match Renumbered(const Match& m, absl::Span<const NodeId> kept) {
  Match r = m;
  for (NodeId& id : r.nodes) {
    if (id >= 0) id = kept[id];
  }
  for (ValueId& v : r.vars) {
    if (v.node >= 0) v.node = kept[v.node];
  }
  for (ValueId& v : r.outputs) v.node = kept[v.node];
  return r;
}

}  // namespace

MatchReuse PlanRematch(const Matcher& matcher, const MatchContext& after,
                       const Graph& before,
                       absl::Span<const Match> before_matches,
                       absl::Span<const NodeId> kept) {
  using Reuse = Matcher::Reuse;
  const std::vector<bool> touched = TouchedNodes(after, before, kept);
  // A match depends on its nodes only: a one-output match reaching a
  // touched node has its root at most max_depth() below it, a match of a
  // connected pattern its first root at most max_reach() edges away.
  const std::vector<bool> rooted_near =
      Near(after, touched, matcher.max_depth(), /*both_ways=*/false);
  std::vector<bool> first_near =
      Near(after, touched, matcher.max_reach(), /*both_ways=*/true);
  MatchReuse reuse;
  // Every node of a reused match is kept: a dropped one would have made a
  // node reading it touched. (A match skipped here may have dropped nodes.)
  for (const Match& m : before_matches) {
    const Reuse kind = matcher.reuse(m.rule_index);
    if (kind == Reuse::kNone) continue;
    NodeId root = kept[m.outputs[0].node];
    if (root < 0) continue;
    if (kind == Reuse::kByRoot) {
      if (!rooted_near[root]) reuse.reused.push_back(Renumbered(m, kept));
      continue;
    }
    // With symmetric outputs, the renumbering may make the mirror order
    // the smaller one, reported at another first root: every output of
    // such an occurrence is matched again as a first root.
    const std::vector<std::vector<int>>& symmetries =
        matcher.symmetries(m.rule_index);
    auto rematch_outputs = [&] {
      for (ValueId v : m.outputs) {
        if (kept[v.node] >= 0) first_near[kept[v.node]] = true;
      }
    };
    if (first_near[root]) {
      if (!symmetries.empty()) rematch_outputs();
      continue;
    }
    Match r = Renumbered(m, kept);
    if (HasSmallerMirror(symmetries, r.outputs)) {
      rematch_outputs();
      continue;
    }
    reuse.reused.push_back(std::move(r));
  }
  reuse.reused.erase(
      std::remove_if(reuse.reused.begin(), reuse.reused.end(),
                     [&](const Match& m) {
                       return matcher.reuse(m.rule_index) ==
                                  Reuse::kByFirstRoot &&
                              first_near[m.outputs[0].node];
                     }),
      reuse.reused.end());
  reuse.roots = Ascending(rooted_near);
  reuse.first_roots = Ascending(first_near);
  return reuse;
}

}  // namespace tsopt

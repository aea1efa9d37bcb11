// The matcher: backtracking over the source pattern of a rule, anchored at
// graph nodes of the rule's root operator (see tsopt/search/matcher.h).
#include "tsopt/search/matcher.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "src/rules/attr_fields.h"
#include "tsopt/rules/constants.h"

namespace tsopt {
namespace {

using rules_internal::GetField;
using rules_internal::SetField;

// A pending obligation of a partial match.
struct Goal {
  ValueId pattern;  // a source pattern value ...
  ValueId graph;    // ... must map to this graph value
  int root = -1;    // >= 0: find a graph node for pattern output `root`
};

struct State {
  std::vector<NodeId> nodes;
  std::vector<ValueId> vars;
  std::map<std::string, AttrValue> attr_vars;
  std::vector<Goal> goals;  // a stack
};

class RuleMatcher {
 public:
  RuleMatcher(const MatchContext& ctx, const Rule& rule, int rule_index)
      : ctx_(ctx),
        g_(ctx.graph()),
        rule_(rule),
        p_(rule.source.graph),
        rule_index_(rule_index),
        bindings_(p_.num_nodes()) {
    for (const AttrBinding& b : rule.source.bindings) {
      bindings_[b.node].push_back(&b);
    }
  }

  void Run(std::vector<Match>* out) {
    out_ = out;
    ValueId root = p_.outputs()[0];
    OpKind op = p_.node(root.node).op;
    for (NodeId candidate : ctx_.nodes_with_op(op)) {
      if (root.output >= g_.node(candidate).num_outputs()) continue;
      State s;
      s.nodes.assign(p_.num_nodes(), -1);
      s.vars.assign(p_.num_nodes(), ValueId{-1, 0});
      for (int r = static_cast<int>(p_.outputs().size()) - 1; r >= 1; --r) {
        s.goals.push_back(Goal{{}, {}, r});
      }
      s.goals.push_back(Goal{root, ValueId{candidate, root.output}, -1});
      Solve(std::move(s));
    }
  }

 private:
  // Works through the goal stack; branches copy the state.
  void Solve(State s) {
    while (!s.goals.empty()) {
      Goal goal = s.goals.back();
      s.goals.pop_back();
      if (goal.root >= 0) {
        FindRoot(std::move(s), goal.root);
        return;
      }
      const Node& pn = p_.node(goal.pattern.node);
      if (pn.op == OpKind::kInput || pn.op == OpKind::kWeight) {
        if (!BindVar(s, goal.pattern.node, goal.graph)) return;
        continue;
      }
      if (s.nodes[goal.pattern.node] >= 0) {  // reached again: must agree
        if (s.nodes[goal.pattern.node] != goal.graph.node ||
            goal.pattern.output != goal.graph.output) {
          return;
        }
        continue;
      }
      if (!MapNode(s, goal.pattern, goal.graph)) return;
      NodeId gid = goal.graph.node;
      const Node& gn = g_.node(gid);
      if (GetOpInfo(pn.op).commutative && pn.inputs.size() == 2 &&
          gn.inputs[0] != gn.inputs[1]) {
        State swapped = s;
        swapped.goals.push_back(Goal{pn.inputs[0], gn.inputs[1], -1});
        swapped.goals.push_back(Goal{pn.inputs[1], gn.inputs[0], -1});
        Solve(std::move(swapped));
      }
      for (size_t i = pn.inputs.size(); i-- > 0;) {
        s.goals.push_back(Goal{pn.inputs[i], gn.inputs[i], -1});
      }
    }
    Finish(s);
  }

  bool BindVar(State& s, NodeId pid, ValueId gv) {
    if (s.vars[pid].node >= 0) return s.vars[pid] == gv;
    const Node& pn = p_.node(pid);
    if (pn.op == OpKind::kWeight) {
      // A constant: must be a Weight with data; the values are compared
      // once the shapes are known (Finish).
      const Node& gn = g_.node(gv.node);
      if (gn.op != OpKind::kWeight || !gn.weight) return false;
    } else {
      const PatternVar* var = rule_.FindVar(pn.name);
      if (var == nullptr) return false;
      switch (var->role) {
        case VarRole::kActivation:
          break;
        case VarRole::kWeight:
          if (!ctx_.weight_only(gv.node)) return false;
          break;
        case VarRole::kScalar:
          if (g_.shape(gv).rank() != 0) return false;
          break;
        case VarRole::kConstant:
          return false;  // constants are Weight nodes in patterns
      }
    }
    s.vars[pid] = gv;
    return true;
  }

  // Maps pattern node pv.node to graph node gv.node after checking the
  // operator, output index, arity, injectivity and attributes.
  bool MapNode(State& s, ValueId pv, ValueId gv) {
    if (pv.output != gv.output) return false;
    NodeId pid = pv.node;
    NodeId gid = gv.node;
    const Node& pn = p_.node(pid);
    const Node& gn = g_.node(gid);
    // An opaque node is never inside a match (rules cannot name it either).
    if (gn.op == OpKind::kOpaque || pn.op != gn.op ||
        pn.inputs.size() != gn.inputs.size() ||
        pn.num_outputs() != gn.num_outputs()) {
      return false;
    }
    for (NodeId used : s.nodes) {
      if (used == gid) return false;
    }
    if (!AttrsMatch(s, pid, gn)) return false;
    s.nodes[pid] = gid;
    return true;
  }

  bool AttrsMatch(State& s, NodeId pid, const Node& gn) {
    const Node& pn = p_.node(pid);
    if (bindings_[pid].empty()) return pn.attrs == gn.attrs;
    Attrs probe = gn.attrs;
    for (const AttrBinding* b : bindings_[pid]) {
      std::optional<AttrValue> value = GetField(gn.attrs, b->field);
      std::optional<AttrValue> pattern_value = GetField(pn.attrs, b->field);
      if (!value || !pattern_value) return false;
      if (!b->attr_var.empty()) {
        auto [it, inserted] = s.attr_vars.emplace(b->attr_var, *value);
        if (!inserted && !(it->second == *value)) return false;
      }
      // Dim-computed fields are checked in Finish, at the bound shapes.
      if (!SetField(probe, b->field, *pattern_value).ok()) return false;
    }
    return probe == pn.attrs;
  }

  // Pattern output `root` needs a graph node: try the consumers of a bound
  // input value, or every node of its operator.
  void FindRoot(State s, int root) {
    ValueId pv = p_.outputs()[root];
    const Node& pn = p_.node(pv.node);
    if (pn.op == OpKind::kInput || pn.op == OpKind::kWeight ||
        s.nodes[pv.node] >= 0) {
      if (pn.op == OpKind::kInput || pn.op == OpKind::kWeight) {
        if (s.vars[pv.node].node < 0) return;  // unbound bare variable
      }
      Solve(std::move(s));
      return;
    }
    const std::vector<NodeId>* candidates = &ctx_.nodes_with_op(pn.op);
    for (ValueId in : pn.inputs) {
      NodeId bound = s.nodes[in.node] >= 0 ? s.nodes[in.node]
                                           : s.vars[in.node].node;
      if (bound >= 0) {
        candidates = &ctx_.consumers(bound);
        break;
      }
    }
    NodeId previous = -1;
    for (NodeId c : *candidates) {
      if (c == previous) continue;  // consumers list a node once per edge
      previous = c;
      if (g_.node(c).op != pn.op || pv.output >= g_.node(c).num_outputs()) {
        continue;
      }
      State branch = s;
      branch.goals.push_back(Goal{pv, ValueId{c, pv.output}, -1});
      Solve(std::move(branch));
    }
  }

  void Finish(const State& s) {
    Match m;
    m.rule_index = rule_index_;
    m.nodes = s.nodes;
    m.vars = s.vars;
    for (ValueId out : p_.outputs()) {
      const Node& pn = p_.node(out.node);
      bool is_var = pn.op == OpKind::kInput || pn.op == OpKind::kWeight;
      m.outputs.push_back(is_var ? s.vars[out.node]
                                 : ValueId{s.nodes[out.node], out.output});
    }
    for (NodeId pid = 0; pid < p_.num_nodes(); ++pid) {
      if (p_.node(pid).op == OpKind::kInput && s.vars[pid].node >= 0) {
        m.binding.shapes[p_.node(pid).name] = g_.shape(s.vars[pid]);
      }
    }
    m.binding.attr_vars = s.attr_vars;
    if (!Escapes(m) && ShapesHold(m) && ConstantsHold(m)) {
      out_->push_back(std::move(m));
    }
  }

  // True when a matched intermediate value is read outside the match.
  bool Escapes(const Match& m) const {
    auto is_output = [&](ValueId v) {
      for (ValueId o : m.outputs) {
        if (o == v) return true;
      }
      return false;
    };
    auto matched = [&](NodeId id) {
      for (NodeId n : m.nodes) {
        if (n == id) return true;
      }
      return false;
    };
    for (NodeId gid : m.nodes) {
      if (gid < 0) continue;
      if (ctx_.is_output(gid)) {
        for (ValueId o : g_.outputs()) {
          if (o.node == gid && !is_output(o)) return true;
        }
      }
      for (NodeId c : ctx_.consumers(gid)) {
        if (matched(c)) continue;
        for (ValueId in : g_.node(c).inputs) {
          if (in.node == gid && !is_output(in)) return true;
        }
      }
    }
    return false;
  }

  // `where` constraints and dim-computed attribute fields.
  bool ShapesHold(const Match& m) const {
    for (const ShapeConstraint& c : rule_.where) {
      absl::StatusOr<int64_t> l = EvalDim(c.lhs, m.binding.shapes);
      absl::StatusOr<int64_t> r = EvalDim(c.rhs, m.binding.shapes);
      if (!l.ok() || !r.ok() || *l != *r) return false;
    }
    for (const AttrBinding& b : rule_.source.bindings) {
      if (!b.attr_var.empty()) continue;
      std::vector<int64_t> dims;
      for (const DimExpr& d : b.dims) {
        absl::StatusOr<int64_t> x = EvalDim(d, m.binding.shapes);
        if (!x.ok()) return false;
        dims.push_back(*x);
      }
      std::optional<AttrValue> value =
          GetField(g_.node(m.nodes[b.node]).attrs, b.field);
      if (!value) return false;
      AttrValue want = b.is_list ? AttrValue(dims)
                                 : AttrValue(dims.empty() ? 0 : dims[0]);
      if (!(*value == want)) return false;
    }
    return true;
  }

  // Constants in the source must hold exactly the constant's data.
  bool ConstantsHold(const Match& m) const {
    for (NodeId pid = 0; pid < p_.num_nodes(); ++pid) {
      if (p_.node(pid).op != OpKind::kWeight) continue;
      const PatternVar* var = rule_.FindVar(p_.node(pid).name);
      if (var == nullptr) return false;
      const Node& gn = g_.node(m.vars[pid].node);
      std::vector<int64_t> dims;
      for (const DimExpr& d : var->const_shape) {
        absl::StatusOr<int64_t> x = EvalDim(d, m.binding.shapes);
        if (!x.ok()) return false;
        dims.push_back(*x);
      }
      if (dims != gn.output_shapes[0].dims()) return false;
      float fill = var->fill_value;
      if (!var->fill_attr_var.empty()) {
        auto it = m.binding.attr_vars.find(var->fill_attr_var);
        if (it == m.binding.attr_vars.end()) return false;
        if (const float* f = std::get_if<float>(&it->second)) {
          fill = *f;
        } else if (const int64_t* i = std::get_if<int64_t>(&it->second)) {
          fill = static_cast<float>(*i);
        } else {
          return false;
        }
      }
      auto data = MakeConstant(var->const_kind, gn.output_shapes[0], fill);
      if (!data.ok() || (*data)->values != gn.weight->values) return false;
    }
    return true;
  }

  const MatchContext& ctx_;
  const Graph& g_;
  const Rule& rule_;
  const Graph& p_;
  int rule_index_;
  std::vector<std::vector<const AttrBinding*>> bindings_;
  std::vector<Match>* out_ = nullptr;
};

}  // namespace

MatchContext::MatchContext(const Graph& graph)
    : graph_(&graph),
      consumers_(graph.Consumers()),
      weight_only_(graph.num_nodes(), false),
      is_output_(graph.num_nodes(), false),
      by_op_(kNumOps) {
  for (NodeId id = 0; id < graph.num_nodes(); ++id) {
    const Node& n = graph.node(id);
    by_op_[static_cast<int>(n.op)].push_back(id);
    if (n.op == OpKind::kWeight) {
      weight_only_[id] = true;
    } else if (!n.inputs.empty()) {
      bool all = true;
      for (ValueId in : n.inputs) all = all && weight_only_[in.node];
      weight_only_[id] = all;
    }
  }
  for (ValueId out : graph.outputs()) is_output_[out.node] = true;
}

std::vector<Match> FindRuleMatches(const MatchContext& ctx,
                                   const RuleSet& rules, int rule_index) {
  std::vector<Match> out;
  const Rule& rule = rules.rules()[rule_index];
  if (!rule.RootOp().has_value()) return out;
  RuleMatcher(ctx, rule, rule_index).Run(&out);
  return out;
}

std::vector<Match> FindMatches(const MatchContext& ctx, const RuleSet& rules) {
  std::vector<Match> out;
  std::vector<bool> seen_op(kNumOps, false);
  const Graph& g = ctx.graph();
  // Rules in index order, restricted to root operators present in the graph.
  for (NodeId id = 0; id < g.num_nodes(); ++id) {
    seen_op[static_cast<int>(g.node(id).op)] = true;
  }
  std::vector<int> rule_ids;
  for (OpKind op : AllOps()) {
    if (!seen_op[static_cast<int>(op)]) continue;
    for (int r : rules.RulesWithRoot(op)) rule_ids.push_back(r);
  }
  std::sort(rule_ids.begin(), rule_ids.end());
  for (int r : rule_ids) {
    RuleMatcher(ctx, rules.rules()[r], r).Run(&out);
  }
  return out;
}

}  // namespace tsopt

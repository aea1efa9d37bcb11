// The matcher: backtracking over the source pattern of a rule, anchored at
// graph nodes of the rule's root operator (see tsopt/search/matcher.h).
#include "tsopt/search/matcher.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "src/rules/attr_fields.h"
#include "tsopt/search/rule_symmetry.h"

namespace tsopt {
namespace {

using rules_internal::GetField;

// A pending obligation of a partial match.
struct Goal {
  ValueId pattern;  // a source pattern value ...
  ValueId graph;    // ... must map to this graph value
  int root = -1;    // >= 0: find a graph node for pattern output `root`
};

struct State {
  std::vector<NodeId> nodes;
  std::vector<ValueId> vars;
  std::vector<std::optional<AttrValue>> attr_vars;  // by Rule::attr_vars
  std::vector<Goal> goals;  // a stack
};

class RuleMatcher {
 public:
  // `pool` holds spare states (their buffers are reused across rules).
  RuleMatcher(const Matcher& matcher, const MatchContext& ctx,
              const Rule& rule, int rule_index,
              const Matcher::PreparedRule& prepared, std::vector<State>* pool)
      : matcher_(matcher),
        pool_(*pool),
        ctx_(ctx),
        g_(ctx.graph()),
        rule_(rule),
        p_(rule.source.graph),
        rule_index_(rule_index),
        bound_(prepared.bound),
        symmetries_(prepared.symmetries),
        prepared_(prepared) {}

  // Every match; with `roots` (ascending), only those whose first pattern
  // output is one of these graph nodes.
  void Run(std::vector<Match>* out,
           std::optional<absl::Span<const NodeId>> roots = std::nullopt) {
    out_ = out;
    ValueId root = p_.outputs()[0];
    OpKind op = p_.node(root.node).op;
    absl::Span<const NodeId> candidates =
        roots.has_value() ? *roots
        : prepared_.root_input >= 0
            ? ctx_.nodes_with_input_op(op, prepared_.root_input,
                                       prepared_.root_input_op)
            : absl::MakeConstSpan(ctx_.nodes_with_op(op));
    for (NodeId candidate : candidates) {
      if (g_.node(candidate).op != op ||
          !MayMatch(root, ValueId{candidate, root.output})) {
        continue;
      }
      State s = Take();
      s.nodes.assign(p_.num_nodes(), -1);
      s.vars.assign(p_.num_nodes(), ValueId{-1, 0});
      s.attr_vars.assign(rule_.attr_vars.size(), std::nullopt);
      s.goals.clear();
      for (int r = static_cast<int>(p_.outputs().size()) - 1; r >= 1; --r) {
        s.goals.push_back(Goal{{}, {}, r});
      }
      s.goals.push_back(Goal{root, ValueId{candidate, root.output}, -1});
      Solve(s);
      Give(std::move(s));
    }
  }

 private:
  State Take() {
    if (pool_.empty()) return State();
    State s = std::move(pool_.back());
    pool_.pop_back();
    return s;
  }
  void Give(State&& s) { pool_.push_back(std::move(s)); }
  // A copy of `s` in a spare state.
  State Copy(const State& s) {
    State c = Take();
    c.nodes = s.nodes;
    c.vars = s.vars;
    c.attr_vars = s.attr_vars;
    c.goals = s.goals;
    return c;
  }

  // A necessary condition, checked before any state is built: the
  // operators below `pv` fit those below `gv` (operator, output index,
  // arity, attributes without variables; commutative inputs either way).
  // Variables, roles, injectivity and attribute variables are left to
  // Solve.
  bool MayMatch(ValueId pv, ValueId gv) const {
    const Node& pn = p_.node(pv.node);
    if (pn.op == OpKind::kInput || pn.op == OpKind::kWeight) return true;
    const Node& gn = g_.node(gv.node);
    if (pn.op != gn.op || pv.output != gv.output ||
        pn.inputs.size() != gn.inputs.size() ||
        pn.num_outputs() != gn.num_outputs()) {
      return false;
    }
    if (bound_[pv.node].empty() && !(pn.attrs == gn.attrs)) return false;
    if (GetOpInfo(pn.op).commutative && pn.inputs.size() == 2) {
      return (MayMatch(pn.inputs[0], gn.inputs[0]) &&
              MayMatch(pn.inputs[1], gn.inputs[1])) ||
             (MayMatch(pn.inputs[0], gn.inputs[1]) &&
              MayMatch(pn.inputs[1], gn.inputs[0]));
    }
    for (size_t i = 0; i < pn.inputs.size(); ++i) {
      if (!MayMatch(pn.inputs[i], gn.inputs[i])) return false;
    }
    return true;
  }

  // Works through the goal stack (consuming `s`); branches copy the state.
  void Solve(State& s) {
    while (!s.goals.empty()) {
      Goal goal = s.goals.back();
      s.goals.pop_back();
      if (goal.root >= 0) {
        FindRoot(s, goal.root);
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
        State swapped = Copy(s);
        swapped.goals.push_back(Goal{pn.inputs[0], gn.inputs[1], -1});
        swapped.goals.push_back(Goal{pn.inputs[1], gn.inputs[0], -1});
        Solve(swapped);
        Give(std::move(swapped));
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

  // Field by field: a concrete field must be equal, a field bound to an
  // attribute variable binds or checks it, a dim-computed field is checked
  // in Finish (at the bound shapes).
  struct FieldMatcher {
    const std::vector<Matcher::BoundField>& bound;
    std::vector<std::optional<AttrValue>>& vars;
    bool ok = true;
    size_t bound_seen = 0;

    template <typename T>
    void operator()(absl::string_view name, const T& p, const T& g) {
      if (!ok) return;
      for (const Matcher::BoundField& b : bound) {
        if (b.field != name) continue;
        ++bound_seen;
        if (b.attr_var >= 0) {
          std::optional<AttrValue>& slot = vars[b.attr_var];
          if (!slot.has_value()) {
            slot = AttrValue(g);
          } else {
            const T* value = std::get_if<T>(&*slot);
            ok = value != nullptr && *value == g;
          }
        }
        return;
      }
      ok = p == g;
    }
  };

  bool AttrsMatch(State& s, NodeId pid, const Node& gn) {
    const Node& pn = p_.node(pid);
    const std::vector<Matcher::BoundField>& bound = bound_[pid];
    if (bound.empty()) return pn.attrs == gn.attrs;
    if (pn.attrs.index() != gn.attrs.index()) return false;
    FieldMatcher m{bound, s.attr_vars};
    std::visit(
        [&](const auto& pa) {
          using A = std::decay_t<decltype(pa)>;
          A::Fields(m, pa, std::get<A>(gn.attrs));
        },
        pn.attrs);
    return m.ok && m.bound_seen == bound.size();
  }

  // Pattern output `root` needs a graph node: try the consumers of a bound
  // input value, or every node of its operator.
  void FindRoot(State& s, int root) {
    ValueId pv = p_.outputs()[root];
    const Node& pn = p_.node(pv.node);
    if (pn.op == OpKind::kInput || pn.op == OpKind::kWeight ||
        s.nodes[pv.node] >= 0) {
      if (pn.op == OpKind::kInput || pn.op == OpKind::kWeight) {
        if (s.vars[pv.node].node < 0) return;  // unbound bare variable
      }
      Solve(s);
      return;
    }
    absl::Span<const NodeId> candidates = ctx_.nodes_with_op(pn.op);
    for (ValueId in : pn.inputs) {
      NodeId bound = s.nodes[in.node] >= 0 ? s.nodes[in.node]
                                           : s.vars[in.node].node;
      if (bound >= 0) {
        candidates = ctx_.consumers(bound);
        break;
      }
    }
    NodeId previous = -1;
    for (NodeId c : candidates) {
      if (c == previous) continue;  // consumers list a node once per edge
      previous = c;
      if (!MayMatch(pv, ValueId{c, pv.output})) continue;
      if (MirrorSoFar(s, root, c)) continue;
      State branch = Copy(s);
      branch.goals.push_back(Goal{pv, ValueId{c, pv.output}, -1});
      Solve(branch);
      Give(std::move(branch));
    }
  }

  void Finish(const State& s) {
    Match m;
    m.rule_index = rule_index_;
    for (ValueId out : p_.outputs()) {
      const Node& pn = p_.node(out.node);
      bool is_var = pn.op == OpKind::kInput || pn.op == OpKind::kWeight;
      m.outputs.push_back(is_var ? s.vars[out.node]
                                 : ValueId{s.nodes[out.node], out.output});
    }
    if (HasSmallerMirror(symmetries_, m.outputs)) return;
    m.nodes = s.nodes;
    if (Escapes(m)) return;
    m.vars = s.vars;
    for (NodeId pid = 0; pid < p_.num_nodes(); ++pid) {
      if (p_.node(pid).op == OpKind::kInput && s.vars[pid].node >= 0) {
        m.binding.shapes[p_.node(pid).name] = g_.shape(s.vars[pid]);
      }
    }
    for (size_t i = 0; i < s.attr_vars.size(); ++i) {
      if (s.attr_vars[i].has_value()) {
        m.binding.attr_vars[rule_.attr_vars[i].name] = *s.attr_vars[i];
      }
    }
    if (ShapesHold(m) && ConstantsHold(m)) out_->push_back(std::move(m));
  }

  // True when the outputs bound so far (and graph node `c` for output
  // `root`) already decide that a symmetry gives a smaller output list, so
  // every completion would be a mirror (see HasSmallerMirror).
  bool MirrorSoFar(const State& s, int root, NodeId c) const {
    if (symmetries_.empty()) return false;
    const std::vector<ValueId>& outs = p_.outputs();
    auto known = [&](int i, ValueId* v) {
      if (i == root) {
        *v = ValueId{c, outs[i].output};
        return true;
      }
      NodeId pid = outs[i].node;
      OpKind op = p_.node(pid).op;
      if (op == OpKind::kInput || op == OpKind::kWeight ||
          s.nodes[pid] < 0) {
        return false;
      }
      *v = ValueId{s.nodes[pid], outs[i].output};
      return true;
    };
    for (const std::vector<int>& perm : symmetries_) {
      for (size_t i = 0; i < perm.size(); ++i) {
        ValueId a, b;
        if (!known(static_cast<int>(i), &a) || !known(perm[i], &b)) break;
        if (a != b) {
          if (b < a) return true;
          break;
        }
      }
    }
    return false;
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
      absl::StatusOr<std::shared_ptr<const WeightData>> data =
          matcher_.constants().Get(var->const_kind, gn.output_shapes[0],
                                   fill);
      if (!data.ok() || (*data)->values != gn.weight->values) return false;
    }
    return true;
  }

  const Matcher& matcher_;
  std::vector<State>& pool_;
  const MatchContext& ctx_;
  const Graph& g_;
  const Rule& rule_;
  const Graph& p_;
  int rule_index_;
  const std::vector<std::vector<Matcher::BoundField>>& bound_;
  const std::vector<std::vector<int>>& symmetries_;
  const Matcher::PreparedRule& prepared_;
  std::vector<Match>* out_ = nullptr;
};

}  // namespace

MatchContext::MatchContext(const Graph& graph)
    : graph_(&graph),
      consumer_offsets_(graph.num_nodes() + 1, 0),
      weight_only_(graph.num_nodes(), false),
      is_output_(graph.num_nodes(), false),
      by_op_(kNumOps) {
  // Consumers in one array (as Graph::Consumers, without a vector per
  // node): count, prefix sums, then fill in consumer id order.
  const int num = graph.num_nodes();
  for (NodeId id = 0; id < num; ++id) {
    for (ValueId in : graph.node(id).inputs) ++consumer_offsets_[in.node + 1];
  }
  for (NodeId id = 0; id < num; ++id) {
    consumer_offsets_[id + 1] += consumer_offsets_[id];
  }
  consumer_ids_.resize(consumer_offsets_[num]);
  std::vector<int> next(consumer_offsets_.begin(), consumer_offsets_.end() - 1);
  for (NodeId id = 0; id < num; ++id) {
    for (ValueId in : graph.node(id).inputs) {
      consumer_ids_[next[in.node]++] = id;
    }
  }
  for (NodeId id = 0; id < num; ++id) {
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
  for (NodeId id = 0; id < graph.num_nodes(); ++id) {
    const Node& n = graph.node(id);
    const int k = std::min<int>(kIndexedInputs, n.inputs.size());
    for (int i = 0; i < k; ++i) {
      by_input_op_[InputOpKey(n.op, i, graph.node(n.inputs[i].node).op)]
          .push_back(id);
    }
  }
}

absl::Span<const NodeId> MatchContext::nodes_with_input_op(
    OpKind op, int input, OpKind child) const {
  auto it = by_input_op_.find(InputOpKey(op, input, child));
  if (it == by_input_op_.end()) return {};
  return it->second;
}

namespace {

// The longest path, in edges, from the pattern's first output node up to
// any of its nodes.
int PatternDepth(const Graph& pattern) {
  std::vector<int> depth(pattern.num_nodes(), -1);
  depth[pattern.outputs()[0].node] = 0;
  int deepest = 0;
  for (NodeId id = pattern.num_nodes() - 1; id >= 0; --id) {
    if (depth[id] < 0) continue;
    deepest = std::max(deepest, depth[id]);
    for (ValueId in : pattern.node(id).inputs) {
      depth[in.node] = std::max(depth[in.node], depth[id] + 1);
    }
  }
  return deepest;
}

// The largest number of edges, followed either way, from the pattern's
// first output node to any of its nodes; -1 when some node is not
// connected to it.
int PatternReach(const Graph& pattern) {
  const int n = pattern.num_nodes();
  std::vector<std::vector<NodeId>> next(n);
  for (NodeId id = 0; id < n; ++id) {
    for (ValueId in : pattern.node(id).inputs) {
      next[id].push_back(in.node);
      next[in.node].push_back(id);
    }
  }
  std::vector<int> hops(n, -1);
  std::vector<NodeId> work = {pattern.outputs()[0].node};
  hops[work[0]] = 0;
  int reach = 0;
  for (size_t i = 0; i < work.size(); ++i) {
    for (NodeId m : next[work[i]]) {
      if (hops[m] >= 0) continue;
      hops[m] = hops[work[i]] + 1;
      reach = std::max(reach, hops[m]);
      work.push_back(m);
    }
  }
  return static_cast<int>(work.size()) == n ? reach : -1;
}

// FindAll's order of one rule's matches: by graph outputs (stable), that
// is by root node for one-output rules, as RuleMatcher finds them.
void SortByOutputs(std::vector<Match>::iterator begin,
                   std::vector<Match>::iterator end) {
  auto by_outputs = [](const Match& a, const Match& b) {
    return a.outputs < b.outputs;
  };
  if (!std::is_sorted(begin, end, by_outputs)) {
    std::stable_sort(begin, end, by_outputs);
  }
}

}  // namespace

Matcher::Matcher(const RuleSet& rules)
    : rules_(rules), prepared_(rules.size()) {
  for (int r = 0; r < rules.size(); ++r) {
    const Rule& rule = rules.rules()[r];
    PreparedRule& p = prepared_[r];
    p.bound.resize(rule.source.graph.num_nodes());
    for (const AttrBinding& b : rule.source.bindings) {
      int var = -1;
      if (!b.attr_var.empty()) {
        const AttrVar* v = rule.FindAttrVar(b.attr_var);
        // ValidateRule binds every attribute variable it names.
        var = v == nullptr ? -1 : static_cast<int>(v - rule.attr_vars.data());
      }
      p.bound[b.node].push_back(BoundField{b.field, var});
    }
    p.symmetries = OutputSymmetries(rule);
    const Graph& source = rule.source.graph;
    if (rule.RootOp().has_value()) {
      p.root_op = static_cast<int>(*rule.RootOp());
      int reach = PatternReach(source);
      if (source.outputs().size() == 1) {
        p.reuse = Reuse::kByRoot;
        max_depth_ = std::max(max_depth_, PatternDepth(source));
      } else if (reach >= 0) {
        p.reuse = Reuse::kByFirstRoot;
        max_reach_ = std::max(max_reach_, reach);
      }
    }
    // MayMatch needs the root's input i to come from an operator of the
    // pattern's kind there (either order for a commutative pair).
    const Graph& pattern = rule.source.graph;
    const Node& root = pattern.node(pattern.outputs()[0].node);
    bool either_order =
        GetOpInfo(root.op).commutative && root.inputs.size() == 2;
    const int k =
        std::min<int>(MatchContext::kIndexedInputs, root.inputs.size());
    for (int i = 0; i < k && !either_order; ++i) {
      OpKind child = pattern.node(root.inputs[i].node).op;
      if (child == OpKind::kInput || child == OpKind::kWeight) continue;
      p.root_input = i;
      p.root_input_op = child;
      break;
    }
  }
}

std::vector<Match> Matcher::FindRule(const MatchContext& ctx,
                                     int rule_index) const {
  std::vector<Match> out;
  const Rule& rule = rules_.rules()[rule_index];
  if (!rule.RootOp().has_value()) return out;
  std::vector<State> pool;
  RuleMatcher(*this, ctx, rule, rule_index, prepared_[rule_index], &pool)
      .Run(&out);
  return out;
}

std::vector<Match> Matcher::FindAll(const MatchContext& ctx,
                                    MatchReuse* reuse) const {
  std::vector<Match> out;
  std::vector<bool> seen_op(kNumOps, false);
  const Graph& g = ctx.graph();
  for (NodeId id = 0; id < g.num_nodes(); ++id) {
    seen_op[static_cast<int>(g.node(id).op)] = true;
  }
  // The nodes matched again, by operator: (op, node), ascending.
  auto by_op = [&](const std::vector<NodeId>& ids) {
    std::vector<std::pair<int, NodeId>> keyed;
    for (NodeId id : ids) {
      keyed.push_back({static_cast<int>(g.node(id).op), id});
    }
    std::sort(keyed.begin(), keyed.end());
    return keyed;
  };
  std::vector<std::pair<int, NodeId>> roots, first_roots;
  if (reuse != nullptr) {
    roots = by_op(reuse->roots);
    first_roots = by_op(reuse->first_roots);
    out.reserve(reuse->reused.size());
  }
  std::vector<NodeId> op_roots;
  auto roots_of = [&](const std::vector<std::pair<int, NodeId>>& keyed,
                      int op) -> absl::Span<const NodeId> {
    op_roots.clear();
    auto it = std::lower_bound(keyed.begin(), keyed.end(),
                               std::pair<int, NodeId>{op, -1});
    for (; it != keyed.end() && it->first == op; ++it) {
      op_roots.push_back(it->second);
    }
    return op_roots;
  };
  std::vector<State> pool;
  size_t next_reused = 0;  // reuse->reused is by rule
  // Rules in index order, those whose root operator is in the graph.
  for (int r = 0; r < rules_.size(); ++r) {
    const PreparedRule& prepared = prepared_[r];
    if (prepared.root_op < 0 || !seen_op[prepared.root_op]) continue;
    RuleMatcher matcher(*this, ctx, rules_.rules()[r], r, prepared, &pool);
    const size_t begin = out.size();
    if (reuse == nullptr || prepared.reuse == Reuse::kNone) {
      matcher.Run(&out);
    } else {
      std::vector<Match>& reused = reuse->reused;
      while (next_reused < reused.size() &&
             reused[next_reused].rule_index < r) {
        ++next_reused;
      }
      while (next_reused < reused.size() &&
             reused[next_reused].rule_index == r) {
        out.push_back(std::move(reused[next_reused++]));
      }
      matcher.Run(&out, roots_of(prepared.reuse == Reuse::kByRoot
                                     ? roots
                                     : first_roots,
                                 prepared.root_op));
    }
    SortByOutputs(out.begin() + begin, out.end());
  }
  return out;
}

std::vector<Match> FindRuleMatches(const MatchContext& ctx,
                                   const RuleSet& rules, int rule_index) {
  return Matcher(rules).FindRule(ctx, rule_index);
}

std::vector<Match> FindMatches(const MatchContext& ctx, const RuleSet& rules) {
  return Matcher(rules).FindAll(ctx);
}

}  // namespace tsopt

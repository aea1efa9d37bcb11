// Rewrite deltas: hash and cost of a rewrite without building it (see
// tsopt/search/rewrite_delta.h).
//
// Node ids: [0, n) are the parent's nodes, n + k is target node k. Every
// edge of the rewritten graph is resolved like ApplyMatch's splice does:
// a read of a replaced (matched output) value goes to the corresponding
// target output, a target Input node stands for the value its variable is
// bound to.
#include "tsopt/search/rewrite_delta.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <utility>

#include "tsopt/ir/hash.h"
#include "tsopt/rules/constants.h"
#include "tsopt/search/rewrite.h"
#include "tsopt/util/status_macros.h"

namespace tsopt {
namespace {

// ApplyMatch's limit on replacement chains (a longer one is a loop).
constexpr int kMaxHops = 64;

// At most this many inputs are hashed from a stack buffer.
constexpr size_t kInlineInputs = 16;

// Instantiated targets kept per RewriteDelta before the cache starts over.
constexpr size_t kMaxTargets = 4096;

}  // namespace

int& RewriteDelta::Uses(NodeId id) {
  if (uses_stamp_[id] != epoch_) {
    uses_stamp_[id] = epoch_;
    uses_[id] = parent_->uses(id);
  }
  return uses_[id];
}

bool RewriteDelta::ResolveParent(ValueId v, VValue* out) const {
  const std::vector<ValueId>& outputs = match_->outputs;
  for (int hops = 0; hops <= kMaxHops; ++hops) {
    int replaced = -1;  // the last entry wins, as in ApplyMatch's map
    for (int i = static_cast<int>(outputs.size()) - 1; i >= 0; --i) {
      if (outputs[i] == v) {
        replaced = i;
        break;
      }
    }
    if (replaced < 0) {
      *out = VValue{v.node, v.output};
      return true;
    }
    ValueId tv = target_->graph.outputs()[replaced];
    if (target_->var[tv.node] < 0) {
      *out = VValue{n_ + tv.node, tv.output};
      return true;
    }
    v = match_->vars[target_->var[tv.node]];
  }
  return false;
}

bool RewriteDelta::ResolveTarget(ValueId tv, VValue* out) const {
  if (target_->var[tv.node] < 0) {
    *out = VValue{n_ + tv.node, tv.output};
    return true;
  }
  return ResolveParent(match_->vars[target_->var[tv.node]], out);
}

bool RewriteDelta::Resolve(int vnode, ValueId in, VValue* out) const {
  return vnode < n_ ? ResolveParent(in, out) : ResolveTarget(in, out);
}

uint64_t RewriteDelta::HashOf(VValue v) const {
  if (v.node >= n_) return ValueHash(target_hash_[v.node - n_], v.output);
  if (InCone(v.node)) return ValueHash(new_hash_[v.node], v.output);
  return parent_->value_hash(ValueId{v.node, v.output});
}

int RewriteDelta::LayoutOf(VValue v) const {
  if (v.node >= n_) {
    return target_layouts_[target_->value_offset[v.node - n_] + v.output];
  }
  if (layout_stamp_[v.node] == epoch_) {
    return new_layouts_[parent_->walk().value_offset[v.node] + v.output];
  }
  return parent_->layout(ValueId{v.node, v.output});
}

namespace {

// Appends a binding's bytes (attribute floats by their bits) to `key`.
void AppendBinding(const RuleBinding& b, std::string* key) {
  auto add = [key](int64_t v) {
    key->append(reinterpret_cast<const char*>(&v), sizeof(v));
  };
  for (const auto& [name, shape] : b.shapes) {
    add(shape.rank());
    for (int64_t d : shape.dims()) add(d);
  }
  for (const auto& [name, value] : b.attr_vars) {
    add(-1 - static_cast<int64_t>(value.index()));
    if (const int64_t* i = std::get_if<int64_t>(&value)) {
      add(*i);
    } else if (const float* f = std::get_if<float>(&value)) {
      uint32_t bits;
      std::memcpy(&bits, f, sizeof(bits));
      add(bits);
    } else if (const auto* list = std::get_if<std::vector<int64_t>>(&value)) {
      add(static_cast<int64_t>(list->size()));
      for (int64_t x : *list) add(x);
    } else if (const Activation* a = std::get_if<Activation>(&value)) {
      add(static_cast<int64_t>(*a));
    } else if (const std::string* str = std::get_if<std::string>(&value)) {
      add(static_cast<int64_t>(str->size()));
      key->append(*str);
    }
  }
}

}  // namespace

RewriteDelta::Target& RewriteDelta::TargetFor(const Rule& rule,
                                              const Match& match) {
  key_.clear();
  int64_t index = match.rule_index;
  key_.append(reinterpret_cast<const char*>(&index), sizeof(index));
  AppendBinding(match.binding, &key_);
  auto it = targets_.find(key_);
  if (it != targets_.end()) return *it->second;
  if (targets_.size() >= kMaxTargets) targets_.clear();  // bounded memory
  Target& t = *(targets_[key_] = std::make_unique<Target>());
  // Constants stay symbolic until a hash needs their data (most rewrites
  // that place a big constant, e.g. an identity kernel, are too costly to
  // be hashed at all).
  absl::StatusOr<Graph> g = Instantiate(
      rule, rule.target, match.binding,
      [&t](ConstKind kind, const Shape& shape, float fill)
          -> absl::StatusOr<std::shared_ptr<const WeightData>> {
        TSOPT_RETURN_IF_ERROR(CheckConstantShape(kind, shape));
        t.constants.push_back(Target::Constant{-1, kind, shape, fill});
        return nullptr;
      });
  if (!g.ok()) return t;
  t.ok = true;
  t.graph = *std::move(g);
  const Graph& source = rule.source.graph;
  const int n = t.graph.num_nodes();
  t.var.assign(n, -1);
  t.local_hash.resize(n);
  t.value_offset.resize(n + 1);
  t.entries.assign(n, nullptr);
  int values = 0;
  for (NodeId k = 0; k < n; ++k) {
    const Node& tn = t.graph.node(k);
    t.local_hash[k] = NodeLocalHash(tn);
    t.value_offset[k] = values;
    values += tn.num_outputs();
    if (tn.op != OpKind::kInput) continue;
    for (NodeId pid = 0; pid < source.num_nodes(); ++pid) {
      if (source.node(pid).op == OpKind::kInput &&
          source.node(pid).name == tn.name) {
        t.var[k] = pid;
      }
    }
  }
  t.value_offset[n] = values;
  // Instantiate makes the constants in node order.
  size_t c = 0;
  for (NodeId k = 0; k < n && c < t.constants.size(); ++k) {
    if (t.graph.node(k).op == OpKind::kWeight) t.constants[c++].node = k;
  }
  t.constants_ready = t.constants.empty();
  return t;
}

void RewriteDelta::MarkCone() {
  if (cone_marked_) return;
  cone_marked_ = true;
  work_.clear();
  for (ValueId v : match_->outputs) work_.push_back(v.node);
  while (!work_.empty()) {
    NodeId x = work_.back();
    work_.pop_back();
    for (NodeId c : parent_->context().consumers(x)) {
      if (InCone(c)) continue;
      cone_stamp_[c] = epoch_;
      work_.push_back(c);
    }
  }
}

bool RewriteDelta::CycleReachable() {
  // ApplyMatch's walk from the outputs: 1 = on the walk, 2 = done. A cycle
  // runs through target and cone nodes only, and a node outside the cone
  // reads no cone or target node: the walk skips everything else.
  const int t = target_->graph.num_nodes();
  if (static_cast<int>(walk_state_.size()) < n_ + t) {
    walk_state_.resize(n_ + t);
  }
  std::fill(walk_state_.begin(), walk_state_.begin() + n_ + t, 0);
  std::vector<std::pair<int, size_t>> stack;  // node, next input
  for (ValueId o : parent_->graph().outputs()) {
    VValue root;
    ResolveParent(o, &root);
    if (walk_state_[root.node] != 0 ||
        (root.node < n_ && !InCone(root.node))) {
      continue;
    }
    walk_state_[root.node] = 1;
    stack.push_back({root.node, 0});
    while (!stack.empty()) {
      auto& [x, next] = stack.back();
      const Node& node = x < n_ ? parent_->graph().node(x)
                                : target_->graph.node(x - n_);
      if (next == node.inputs.size()) {
        walk_state_[x] = 2;
        stack.pop_back();
        continue;
      }
      VValue r;
      Resolve(x, node.inputs[next++], &r);
      if (r.node < n_ && !InCone(r.node)) continue;
      if (walk_state_[r.node] == 1) return true;
      if (walk_state_[r.node] == 0) {
        walk_state_[r.node] = 1;
        stack.push_back({r.node, 0});
      }
    }
  }
  return false;
}

RewriteDelta::Outcome RewriteDelta::Fallback() {
  absl::StatusOr<Graph> g = ApplyMatch(parent_->graph(), *rule_, *match_,
                                       /*fold_weights=*/false, constants_);
  if (!g.ok()) return kRejected;
  materialized_ = *std::move(g);
  hash_ = StructuralHash(*materialized_);
  return kReady;
}

RewriteDelta::Outcome RewriteDelta::Prepare(const ExpandedGraph& parent,
                                            const Rule& rule,
                                            const Match& match) {
  parent_ = &parent;
  rule_ = &rule;
  match_ = &match;
  materialized_.reset();
  const Graph& g = parent.graph();
  n_ = g.num_nodes();
  if (++epoch_ == 0) {  // wrapped: old stamps could look current
    std::fill(uses_stamp_.begin(), uses_stamp_.end(), 0);
    std::fill(dead_stamp_.begin(), dead_stamp_.end(), 0);
    std::fill(cone_stamp_.begin(), cone_stamp_.end(), 0);
    std::fill(layout_stamp_.begin(), layout_stamp_.end(), 0);
    std::fill(frontier_stamp_.begin(), frontier_stamp_.end(), 0);
    std::fill(reader_stamp_.begin(), reader_stamp_.end(), 0);
    epoch_ = 1;
  }
  if (static_cast<int>(uses_stamp_.size()) < n_) {
    uses_stamp_.resize(n_, 0);
    uses_.resize(n_, 0);
    dead_stamp_.resize(n_, 0);
    cone_stamp_.resize(n_, 0);
    layout_stamp_.resize(n_, 0);
    frontier_stamp_.resize(n_, 0);
    reader_stamp_.resize(n_, 0);
    new_hash_.resize(n_, 0);
  }
  if (new_layouts_.size() < parent.walk().layouts.size()) {
    new_layouts_.resize(parent.walk().layouts.size(), 0);
  }
  dead_.clear();
  cone_marked_ = false;
  if (!parent.all_live()) return Fallback();

  // The target at the bound shapes; ApplyMatch's checks.
  target_ = &TargetFor(rule, match);
  if (!target_->ok) return kRejected;
  const Graph& target = target_->graph;
  const int t = target.num_nodes();
  if (target.outputs().size() != match.outputs.size()) return kRejected;
  for (size_t i = 0; i < match.outputs.size(); ++i) {
    if (target.shape(target.outputs()[i]) != g.shape(match.outputs[i])) {
      return kRejected;
    }
  }
  for (NodeId k = 0; k < t; ++k) {
    // An unbound variable fails ApplyMatch only where it is read.
    if (target.node(k).op == OpKind::kInput &&
        (target_->var[k] < 0 || match.vars[target_->var[k]].node < 0)) {
      return Fallback();
    }
  }

  // A target node reading the cone (the parent nodes downstream of a
  // replaced value) or a later target node may close a cycle (merging two
  // convs where one reads the other's output). A cone node comes after the
  // first replaced node and has inputs: the cone is walked only when a
  // target node reads such a node.
  const std::vector<ValueId>& outputs = match.outputs;
  first_out_ = n_;
  for (ValueId v : outputs) first_out_ = std::min(first_out_, v.node);
  for (NodeId k = 0; k < t; ++k) {
    if (target_->var[k] >= 0) continue;
    for (ValueId in : target.node(k).inputs) {
      VValue r;
      if (!ResolveTarget(in, &r)) return Fallback();
      bool maybe_cone = r.node >= n_ ? r.node >= n_ + k
                                     : r.node > first_out_ &&
                                           !g.node(r.node).inputs.empty();
      if (!maybe_cone) continue;
      MarkCone();
      if (r.node >= n_ || InCone(r.node)) {
        return CycleReachable() ? kRejected : Fallback();
      }
    }
  }

  // References move from the replaced values to what replaces them.
  target_uses_.assign(t, 0);
  auto add_use = [&](VValue v, int delta) -> int {
    return v.node >= n_ ? (target_uses_[v.node - n_] += delta)
                        : (Uses(v.node) += delta);
  };
  for (size_t i = 0; i < outputs.size(); ++i) {
    ValueId v = outputs[i];
    bool later = false;
    for (size_t j = i + 1; j < outputs.size(); ++j) later |= outputs[j] == v;
    if (later) continue;
    int refs = 0;
    NodeId previous = -1;
    for (NodeId c : parent.context().consumers(v.node)) {
      if (c == previous) continue;
      previous = c;
      for (ValueId in : g.node(c).inputs) refs += in == v;
    }
    for (ValueId o : g.outputs()) refs += o == v;
    VValue to;
    if (!ResolveParent(v, &to)) return Fallback();
    Uses(v.node) -= refs;
    add_use(to, refs);
  }
  for (NodeId k = 0; k < t; ++k) {
    if (target_->var[k] >= 0) continue;
    for (ValueId in : target.node(k).inputs) {
      VValue r;
      if (!ResolveTarget(in, &r)) return Fallback();
      add_use(r, 1);
    }
  }

  // Dead nodes: use counts that reach 0 release their inputs.
  work_.clear();
  for (NodeId k = 0; k < t; ++k) {
    if (target_->var[k] < 0 && target_uses_[k] == 0) work_.push_back(n_ + k);
  }
  for (ValueId v : outputs) {
    if (Uses(v.node) == 0 && g.node(v.node).op != OpKind::kInput &&
        std::find(work_.begin(), work_.end(), v.node) == work_.end()) {
      work_.push_back(v.node);
    }
  }
  while (!work_.empty()) {
    int x = work_.back();
    work_.pop_back();
    const Node& node = x < n_ ? g.node(x) : target.node(x - n_);
    if (x < n_) {
      dead_stamp_[x] = epoch_;
      dead_.push_back(x);
    }
    for (ValueId in : node.inputs) {
      VValue r;
      Resolve(x, in, &r);  // resolved once already: no loop
      if (add_use(r, -1) != 0) continue;
      if (r.node >= n_ || g.node(r.node).op != OpKind::kInput) {
        work_.push_back(r.node);
      }
    }
  }

  // Cost() follows the id order of the parent: a reader of a replaced
  // value must not read a later parent node through the replacement.
  for (ValueId v : outputs) {
    for (NodeId c : parent.context().consumers(v.node)) {
      if (Dead(c)) continue;
      for (ValueId in : g.node(c).inputs) {
        VValue r;
        ResolveParent(in, &r);  // resolved once already: no loop
        if (r.node < n_ && r.node >= c) return Fallback();
      }
    }
  }
  hashed_ = false;
  return kReady;
}

bool RewriteDelta::ConstantsReady() {
  Target& t = *target_;
  if (t.constants_ready) return true;
  for (const Target::Constant& c : t.constants) {
    absl::StatusOr<std::shared_ptr<const WeightData>> data =
        constants_ != nullptr ? constants_->Get(c.kind, c.shape, c.fill)
                              : MakeConstant(c.kind, c.shape, c.fill);
    if (!data.ok()) return false;
    Node& node = t.graph.MutableNode(c.node);
    node.weight = *std::move(data);
    t.local_hash[c.node] = NodeLocalHash(node);
  }
  t.constants_ready = true;
  return true;
}

RewriteDelta::Outcome RewriteDelta::Hash() {
  if (materialized_.has_value() || hashed_) return kReady;
  hashed_ = true;
  if (!ConstantsReady()) return Fallback();
  const ExpandedGraph& parent = *parent_;
  const Graph& g = parent.graph();
  const Graph& target = target_->graph;
  const int t = target.num_nodes();
  // Hashes: live target nodes in order, then the cone in id order.
  uint64_t inline_values[kInlineInputs];
  std::vector<uint64_t> many_values;
  auto input_hashes = [&](int x, const Node& node,
                          uint64_t** values) -> bool {
    *values = inline_values;
    if (node.inputs.size() > kInlineInputs) {
      many_values.resize(node.inputs.size());
      *values = many_values.data();
    }
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      VValue r;
      Resolve(x, node.inputs[i], &r);
      // Reading a later target node, a cone node from a target node or a
      // later parent node (through a replacement) means the rewritten graph
      // has a cycle or an order this walk cannot follow: ApplyMatch
      // decides.
      bool unordered = r.node >= n_
                           ? x >= n_ && r.node >= x
                           : x >= n_ ? InCone(r.node) : r.node >= x;
      if (unordered) return false;
      (*values)[i] = HashOf(r);
    }
    return true;
  };
  uint64_t multiset = parent.node_multiset();
  int64_t count = n_ - static_cast<int64_t>(dead_.size());
  target_hash_.assign(t, 0);
  for (NodeId k = 0; k < t; ++k) {
    if (target_->var[k] >= 0 || target_uses_[k] <= 0) continue;
    const Node& node = target.node(k);
    uint64_t* values;
    if (!input_hashes(n_ + k, node, &values)) return Fallback();
    target_hash_[k] = CombineNodeHash(
        node, target_->local_hash[k],
        absl::MakeConstSpan(values, node.inputs.size()));
    multiset += NodeHashTerm(target_hash_[k]);
    ++count;
  }
  for (NodeId x : dead_) multiset -= parent.node_term(x);
  // The cone in id order: the readers of replaced values (marked first),
  // and live nodes reading a cone node (or marked by MarkCone), are
  // re-hashed. (A reader of another output of a replaced node re-hashes
  // to its old hash.)
  for (ValueId v : match_->outputs) {
    for (NodeId c : parent.context().consumers(v.node)) {
      cone_stamp_[c] = epoch_;
      reader_stamp_[c] = epoch_;
    }
  }
  for (NodeId x = first_out_ + 1; x < n_; ++x) {
    absl::Span<const ValueId> ins = parent.inputs(x);
    bool in_cone = InCone(x);
    for (ValueId in : ins) {
      if (in_cone) break;
      in_cone = InCone(in.node);
    }
    if (!in_cone || Dead(x)) continue;
    cone_stamp_[x] = epoch_;
    uint64_t* values;
    if (reader_stamp_[x] == epoch_) {  // may read through the replacement
      if (!input_hashes(x, g.node(x), &values)) return Fallback();
    } else {  // reads earlier parent nodes, as they are
      values = inline_values;
      if (ins.size() > kInlineInputs) {
        many_values.resize(ins.size());
        values = many_values.data();
      }
      for (size_t i = 0; i < ins.size(); ++i) {
        ValueId in = ins[i];
        values[i] = InCone(in.node) ? ValueHash(new_hash_[in.node], in.output)
                                    : parent.value_hash(in);
      }
    }
    new_hash_[x] = CombineInputHashes(parent.commutative(x),
                                      parent.local_hashes()[x],
                                      absl::MakeConstSpan(values, ins.size()));
    multiset += NodeHashTerm(new_hash_[x]) - parent.node_term(x);
  }
  output_hashes_.clear();
  for (ValueId o : g.outputs()) {
    VValue r;
    ResolveParent(o, &r);
    output_hashes_.push_back(HashOf(r));
  }
  hash_ = GraphHashFromParts(count, multiset, output_hashes_);
  return kReady;
}

absl::StatusOr<CostUnits> RewriteDelta::Cost() {
  if (materialized_.has_value()) {
    IncrementalCost::Walk walk;
    TSOPT_RETURN_IF_ERROR(cost_->WalkGraph(*materialized_, &walk));
    return walk.total;
  }
  const Graph& g = parent_->graph();
  const IncrementalCost::Walk& walk = parent_->walk();
  CostUnits total = parent_->cost();
  for (NodeId x : dead_) total -= walk.node_units[x];
  int in_layouts[kInlineInputs];
  std::vector<int> many;
  auto gather = [&](int x, const Node& node) -> int* {
    int* in = in_layouts;
    if (node.inputs.size() > kInlineInputs) {
      many.resize(node.inputs.size());
      in = many.data();
    }
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      VValue r;
      Resolve(x, node.inputs[i], &r);
      in[i] = LayoutOf(r);
    }
    return in;
  };
  const Graph& target = target_->graph;
  target_layouts_.resize(target_->value_offset.back());
  for (NodeId k = 0; k < target.num_nodes(); ++k) {
    if (target_->var[k] >= 0 || target_uses_[k] <= 0) continue;
    const Node& node = target.node(k);
    int* in = gather(n_ + k, node);
    TSOPT_ASSIGN_OR_RETURN(
        CostUnits units,
        cost_->NodeStep(target, k, absl::MakeConstSpan(in, node.inputs.size()),
                        &target_->entries[k],
                        &target_layouts_[target_->value_offset[k]]));
    total += units;
  }
  // Parent nodes whose inputs may arrive in other layouts: the readers of
  // replaced values, then the readers of nodes whose output layouts
  // changed, in id order (a min-heap); the rest keep their charges.
  const MatchContext& ctx = parent_->context();
  frontier_.clear();
  auto push = [&](NodeId c) {
    if (Dead(c) || frontier_stamp_[c] == epoch_) return;
    frontier_stamp_[c] = epoch_;
    frontier_.push_back(c);
    std::push_heap(frontier_.begin(), frontier_.end(), std::greater<>());
  };
  for (ValueId v : match_->outputs) {
    for (NodeId c : ctx.consumers(v.node)) push(c);
  }
  while (!frontier_.empty()) {
    std::pop_heap(frontier_.begin(), frontier_.end(), std::greater<>());
    NodeId x = frontier_.back();
    frontier_.pop_back();
    const Node& node = g.node(x);
    int* in = gather(x, node);
    bool same = true;
    for (size_t i = 0; i < node.inputs.size() && same; ++i) {
      same = in[i] == parent_->layout(node.inputs[i]);
    }
    if (same) continue;
    int* out = &new_layouts_[walk.value_offset[x]];
    const IncrementalCost::Entry* entry = walk.entries[x];
    TSOPT_ASSIGN_OR_RETURN(
        CostUnits units,
        cost_->NodeStep(g, x, absl::MakeConstSpan(in, node.inputs.size()),
                        &entry, out));
    total += units - walk.node_units[x];
    bool changed = false;
    for (int j = 0; j < node.num_outputs(); ++j) {
      changed = changed || out[j] != parent_->layout(ValueId{x, j});
    }
    if (!changed) continue;
    layout_stamp_[x] = epoch_;
    for (NodeId c : ctx.consumers(x)) push(c);
  }
  for (size_t i = 0; i < g.outputs().size(); ++i) {
    ValueId o = g.outputs()[i];
    VValue r;
    ResolveParent(o, &r);
    int layout = LayoutOf(r);
    if (layout == parent_->layout(o)) continue;
    TSOPT_ASSIGN_OR_RETURN(CostUnits units,
                           cost_->OutputStep(g.shape(o), layout));
    total += units - walk.output_units[i];
  }
  return total;
}

}  // namespace tsopt

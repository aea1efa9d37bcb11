// Generalization of literal sizes in generated rules (generalize.h).
#include "src/rulegen/generalize.h"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>

#include "src/rulegen/graph_record.h"
#include "tsopt/reference/evaluator.h"

namespace tsopt::rulegen {
namespace {

// One literal size: item `item` of a split node's sizes (node >= 0, in the
// source or the target), or axis `item` of constant variable `var`'s shape.
struct Slot {
  bool target = false;
  NodeId node = -1;
  int var = -1;
  int item = 0;
  std::vector<DimExpr> candidates;  // dims of variables equal to the literal
};

constexpr size_t kMaxAssignments = 256;
// Literals below this stay (kernel sizes 1 and 3, the batch of 1): the
// universe's channel and matrix sizes are 4 and up.
constexpr int64_t kMinSize = 4;

std::vector<Slot> FindSlots(const Rule& rule) {
  std::vector<Slot> slots;
  auto candidates = [&](int64_t value) {
    std::vector<DimExpr> c;
    for (const PatternVar& v : rule.vars) {
      if (v.role == VarRole::kConstant) continue;
      for (size_t a = 0; a < v.example_shape.size(); ++a) {
        if (v.example_shape[a] == value) {
          c.push_back(DimExpr::Dim(v.name, static_cast<int64_t>(a)));
        }
      }
    }
    return c;
  };
  for (bool target : {false, true}) {
    const Graph& g = target ? rule.target.graph : rule.source.graph;
    for (NodeId id = 0; id < g.num_nodes(); ++id) {
      const Node& n = g.node(id);
      if (n.op != OpKind::kSplit) continue;
      const std::vector<int64_t>& sizes = std::get<SplitAttrs>(n.attrs).sizes;
      for (size_t i = 0; i < sizes.size(); ++i) {
        if (sizes[i] < kMinSize) continue;
        slots.push_back({target, id, -1, static_cast<int>(i),
                         candidates(sizes[i])});
      }
    }
  }
  for (size_t v = 0; v < rule.vars.size(); ++v) {
    const PatternVar& var = rule.vars[v];
    if (var.role != VarRole::kConstant) continue;
    for (size_t i = 0; i < var.const_shape.size(); ++i) {
      if (!var.const_shape[i].is_literal() ||
          var.const_shape[i].value < kMinSize) {
        continue;
      }
      slots.push_back({false, -1, static_cast<int>(v), static_cast<int>(i),
                       candidates(var.const_shape[i].value)});
    }
  }
  return slots;
}

// `rule` with slot k set to slots[k].candidates[choice[k]].
Rule Assign(const Rule& rule, const std::vector<Slot>& slots,
            const std::vector<size_t>& choice) {
  Rule r = rule;
  for (size_t k = 0; k < slots.size(); ++k) {
    const Slot& s = slots[k];
    const DimExpr& d = s.candidates[choice[k]];
    if (s.var >= 0) {
      r.vars[s.var].const_shape[s.item] = d;
      continue;
    }
    Pattern& p = s.target ? r.target : r.source;
    auto it = std::find_if(p.bindings.begin(), p.bindings.end(),
                           [&](const AttrBinding& b) {
                             return b.node == s.node && b.field == "sizes";
                           });
    if (it == p.bindings.end()) {
      AttrBinding b;
      b.node = s.node;
      b.field = "sizes";
      b.is_list = true;
      const auto& sizes =
          std::get<SplitAttrs>(p.graph.node(s.node).attrs).sizes;
      for (int64_t x : sizes) b.dims.push_back(DimExpr::Literal(x));
      p.bindings.push_back(b);
      it = p.bindings.end() - 1;
    }
    it->dims[s.item] = d;
  }
  return r;
}

// The example, the example with every dim >= 4 grown by 2, and the example
// with one dim >= 4 of one variable grown by 4 (one binding per such dim).
std::vector<RuleBinding> Bindings(const Rule& rule) {
  const RuleBinding example = ExampleBinding(rule);
  std::vector<RuleBinding> out = {example, example};
  for (auto& [name, shape] : out[1].shapes) {
    std::vector<int64_t> dims = shape.dims();
    for (int64_t& d : dims) d = d >= kMinSize ? d + 2 : d;
    shape = Shape(dims);
  }
  for (const auto& [name, shape] : example.shapes) {
    for (int a = 0; a < shape.rank(); ++a) {
      if (shape.dim(a) < kMinSize) continue;
      RuleBinding b = example;
      std::vector<int64_t> dims = shape.dims();
      dims[a] += 4;
      b.shapes[name] = Shape(dims);
      out.push_back(b);
    }
  }
  return out;
}

enum class Check { kNotApplicable, kHolds, kFails };

// Whether the sides of `rule` type-check with equal output shapes at `b`
// (not applicable where the source does not type-check), and, when
// `in_float`, agree on random inputs.
// `source`: the source instantiated at `b` when known (null: instantiate).
Check CheckAt(const Rule& rule, const RuleBinding& b, bool in_float,
              const GeneratorOptions& o, const Graph* source = nullptr) {
  absl::StatusOr<Graph> instantiated;
  if (source == nullptr) {
    instantiated = Instantiate(rule, rule.source, b);
    if (!instantiated.ok()) return Check::kNotApplicable;
    source = &*instantiated;
  }
  const Graph* src = source;
  absl::StatusOr<Graph> tgt = Instantiate(rule, rule.target, b);
  if (!tgt.ok() || src->outputs().size() != tgt->outputs().size()) {
    return Check::kFails;
  }
  for (size_t i = 0; i < src->outputs().size(); ++i) {
    if (src->shape(src->outputs()[i]) != tgt->shape(tgt->outputs()[i])) {
      return Check::kFails;
    }
  }
  if (!in_float) return Check::kHolds;
  uint64_t seed = Mix(o.seed, 0x9e4);
  std::vector<Tensor> inputs;
  for (NodeId id : src->InputNodes()) {
    inputs.push_back(Tensor::Random(src->node(id).output_shapes[0], ++seed));
  }
  absl::StatusOr<std::vector<Tensor>> a = Evaluate(*src, inputs);
  absl::StatusOr<std::vector<Tensor>> c = Evaluate(*tgt, inputs);
  if (!a.ok() || !c.ok() || a->size() != c->size()) return Check::kFails;
  for (size_t i = 0; i < a->size(); ++i) {
    if (!FloatClose((*a)[i], (*c)[i], o)) return Check::kFails;
  }
  return Check::kHolds;
}

}  // namespace

bool GeneralizeDims(Rule* rule, const GeneratorOptions& o) {
  std::vector<Slot> slots = FindSlots(*rule);
  if (slots.empty()) return false;
  for (const Slot& s : slots) {
    if (s.candidates.empty()) return false;
  }
  const std::vector<RuleBinding> bindings = Bindings(*rule);
  // When no slot is in the source, the source is instantiated once per
  // binding, and an assignment that applies wherever the source does is
  // the best possible: the search stops there.
  bool source_fixed = true;
  for (const Slot& s : slots) {
    if (s.var < 0) {
      source_fixed = source_fixed && s.target;
      continue;
    }
    for (const Node& n : rule->source.graph.nodes()) {
      source_fixed = source_fixed && !(n.op == OpKind::kWeight &&
                                       n.name == rule->vars[s.var].name);
    }
  }
  std::vector<std::optional<Graph>> sources(bindings.size());
  int best_possible = static_cast<int>(bindings.size());
  if (source_fixed) {
    best_possible = 0;
    for (size_t i = 0; i < bindings.size(); ++i) {
      absl::StatusOr<Graph> g = Instantiate(*rule, rule->source, bindings[i]);
      if (g.ok()) {
        sources[i] = *std::move(g);
        ++best_possible;
      }
    }
    if (!sources[0] || !sources[1]) return false;
  }
  // An assignment's instances at a binding depend only on the values its
  // slots take there, and a slot's candidates all take the literal's value
  // at the example (and at the grown example): checks are memoized by
  // (binding, slot values), and most assignments cost no instantiation.
  std::map<std::tuple<bool, size_t, std::vector<int64_t>>, Check> memo;
  auto check = [&](const std::vector<size_t>& c, std::optional<Rule>& r,
                   size_t i, bool in_float) {
    std::vector<int64_t> values;
    for (size_t k = 0; k < slots.size(); ++k) {
      absl::StatusOr<int64_t> v =
          EvalDim(slots[k].candidates[c[k]], bindings[i].shapes);
      values.push_back(v.ok() ? *v : -1);
    }
    auto key = std::make_tuple(in_float, i, std::move(values));
    if (auto it = memo.find(key); it != memo.end()) return it->second;
    if (!r) r = Assign(*rule, slots, c);
    Check result = CheckAt(*r, bindings[i], in_float, o,
                           sources[i] ? &*sources[i] : nullptr);
    // -1 (a dim that does not evaluate) is no value to share a result by.
    const auto& vals = std::get<2>(key);
    if (std::find(vals.begin(), vals.end(), -1) == vals.end()) {
      memo.emplace(std::move(key), result);
    }
    return result;
  };
  // Every assignment (up to kMaxAssignments, in lexicographic order) that
  // type-checks at the example and the grown example and nowhere fails,
  // scored by how many bindings it applies to: the most general wins.
  std::vector<std::pair<int, std::vector<size_t>>> passing;
  std::vector<size_t> choice(slots.size(), 0);
  for (size_t n = 0; n < kMaxAssignments; ++n) {
    std::optional<Rule> r;
    int score = 0;
    bool ok = true;
    for (size_t i = 0; i < bindings.size() && ok; ++i) {
      if (source_fixed && !sources[i]) continue;
      Check c = check(choice, r, i, false);
      ok = c != Check::kFails && (i >= 2 || c == Check::kHolds);
      score += c == Check::kHolds;
    }
    if (ok) passing.push_back({score, choice});
    if (ok && score == best_possible) break;
    size_t k = 0;
    while (k < slots.size() && ++choice[k] == slots[k].candidates.size()) {
      choice[k++] = 0;
    }
    if (k == slots.size()) break;
  }
  std::stable_sort(passing.begin(), passing.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& [score, c] : passing) {
    std::optional<Rule> r;
    bool ok = true;
    for (size_t i = 0; i < bindings.size() && ok; ++i) {
      if (source_fixed && !sources[i]) continue;
      ok = check(c, r, i, true) != Check::kFails;
    }
    if (ok) {
      *rule = r ? *std::move(r) : Assign(*rule, slots, c);
      return true;
    }
  }
  return false;
}

}  // namespace tsopt::rulegen

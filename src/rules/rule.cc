// Rule validation, instantiation at concrete shapes, and the frozen RuleSet.
#include "tsopt/rules/rule.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "src/rules/attr_fields.h"
#include "tsopt/rules/constants.h"
#include "tsopt/util/status_macros.h"

namespace tsopt {
namespace {

using rules_internal::AttrValueTypeName;
using rules_internal::GetField;
using rules_internal::SetField;

absl::Status RuleError(const Rule& rule, absl::string_view msg) {
  return absl::InvalidArgumentError(
      absl::StrCat("rule '", rule.name, "': ", msg));
}

bool IsKebabCase(absl::string_view name) {
  if (name.empty() || name.front() == '-' || name.back() == '-') return false;
  char prev = 0;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok || (c == '-' && prev == '-')) return false;
    prev = c;
  }
  return true;
}

// The value of attribute variable `name` under `binding`.
absl::StatusOr<AttrValue> AttrVarValue(const Rule& rule,
                                       const RuleBinding& binding,
                                       absl::string_view name) {
  auto it = binding.attr_vars.find(std::string(name));
  if (it != binding.attr_vars.end()) return it->second;
  const AttrVar* v = rule.FindAttrVar(name);
  if (v == nullptr) {
    return RuleError(rule, absl::StrCat("unknown attribute variable ?", name));
  }
  return v->example;
}

absl::StatusOr<AttrValue> BindingValue(const Rule& rule, const AttrBinding& b,
                                       const RuleBinding& binding) {
  if (!b.attr_var.empty()) return AttrVarValue(rule, binding, b.attr_var);
  std::vector<int64_t> dims;
  for (const DimExpr& d : b.dims) {
    TSOPT_ASSIGN_OR_RETURN(int64_t x, EvalDim(d, binding.shapes));
    dims.push_back(x);
  }
  if (b.is_list) return AttrValue(dims);
  if (dims.size() != 1) {
    return RuleError(rule, absl::StrCat("field '", b.field,
                                        "' is bound to ", dims.size(),
                                        " dims; it takes one"));
  }
  return AttrValue(dims[0]);
}

// Non-constant variables that a side reads (an Input node with a consumer
// or that is an output).
std::set<std::string> UsedVars(const Graph& g) {
  std::vector<bool> used(g.num_nodes(), false);
  for (const Node& n : g.nodes()) {
    for (ValueId in : n.inputs) used[in.node] = true;
  }
  for (ValueId out : g.outputs()) used[out.node] = true;
  std::set<std::string> names;
  for (NodeId i = 0; i < g.num_nodes(); ++i) {
    if (used[i] && (g.node(i).op == OpKind::kInput ||
                    g.node(i).op == OpKind::kWeight)) {
      names.insert(g.node(i).name);
    }
  }
  return names;
}

absl::Status CheckDimVars(const Rule& rule, const std::vector<DimExpr>& dims,
                          const std::set<std::string>& source_vars,
                          absl::string_view where) {
  for (const DimExpr& d : dims) {
    if (d.is_literal()) continue;
    const PatternVar* v = rule.FindVar(d.var);
    if (v == nullptr || v->role == VarRole::kConstant) {
      return RuleError(rule, absl::StrCat(where, ": (dim ", d.var, " ...) "
                                          "must name a non-constant variable"));
    }
    if (!source_vars.count(d.var)) {
      return RuleError(rule, absl::StrCat(where, ": variable ", d.var,
                                          " is not bound by the source"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateSide(const Rule& rule, const Pattern& p,
                          absl::string_view side,
                          const std::set<std::string>& source_vars,
                          const std::set<std::string>& source_attr_vars) {
  const Graph& g = p.graph;
  std::vector<std::string> inputs;
  for (const Node& n : g.nodes()) {
    if (n.op == OpKind::kOpaque) {
      return RuleError(rule, absl::StrCat(side, ": opaque operators are never "
                                          "rewritten and cannot appear in a "
                                          "rule"));
    }
    if (n.op == OpKind::kInput) inputs.push_back(n.name);
    if (n.op == OpKind::kWeight) {
      const PatternVar* v = rule.FindVar(n.name);
      if (v == nullptr || v->role != VarRole::kConstant || !n.weight) {
        return RuleError(rule, absl::StrCat(side, ": weight node '", n.name,
                                            "' is not a constant variable"));
      }
    }
  }
  std::vector<std::string> expected;
  for (const PatternVar& v : rule.vars) {
    if (v.role != VarRole::kConstant) expected.push_back(v.name);
  }
  if (inputs != expected) {
    return RuleError(rule, absl::StrCat(side, ": the Input nodes must be the "
                                        "non-constant variables in order"));
  }
  if (g.outputs().empty()) {
    return RuleError(rule, absl::StrCat(side, " has no outputs"));
  }
  for (const AttrBinding& b : p.bindings) {
    if (b.node < 0 || b.node >= g.num_nodes()) {
      return RuleError(rule, absl::StrCat(side, ": binding of a missing node"));
    }
    const Node& n = g.node(b.node);
    std::optional<AttrValue> field = GetField(n.attrs, b.field);
    if (!field) {
      return RuleError(rule, absl::StrCat(side, ": ", OpMnemonic(n.op),
                                          " has no attribute '", b.field,
                                          "'"));
    }
    if (!b.attr_var.empty()) {
      const AttrVar* av = rule.FindAttrVar(b.attr_var);
      if (av == nullptr) {
        return RuleError(rule, absl::StrCat(side, ": undeclared attribute "
                                            "variable ?", b.attr_var));
      }
      Attrs probe = n.attrs;
      absl::Status st = SetField(probe, b.field, av->example);
      if (!st.ok()) {
        return RuleError(rule, absl::StrCat(side, ": ?", b.attr_var, ": ",
                                            st.message()));
      }
      if (side == "target" && !source_attr_vars.count(b.attr_var)) {
        return RuleError(rule, absl::StrCat("target: attribute variable ?",
                                            b.attr_var,
                                            " is not bound by the source"));
      }
    } else {
      bool list_field = std::holds_alternative<std::vector<int64_t>>(*field);
      bool int_field = std::holds_alternative<int64_t>(*field);
      if (b.is_list ? !list_field : !int_field) {
        return RuleError(rule, absl::StrCat(side, ": attribute '", b.field,
                                            "' takes ",
                                            AttrValueTypeName(*field)));
      }
      TSOPT_RETURN_IF_ERROR(CheckDimVars(
          rule, b.dims, source_vars, absl::StrCat(side, " '", b.field, "'")));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::string_view VarRoleName(VarRole role) {
  switch (role) {
    case VarRole::kActivation:
      return "act";
    case VarRole::kWeight:
      return "weight";
    case VarRole::kScalar:
      return "scalar";
    case VarRole::kConstant:
      return "const";
  }
  return "?";
}

absl::string_view VerificationStatusName(VerificationStatus s) {
  switch (s) {
    case VerificationStatus::kUnverified:
      return "unverified";
    case VerificationStatus::kProved:
      return "proved";
    case VerificationStatus::kRefuted:
      return "refuted";
    case VerificationStatus::kUnknown:
      return "unknown";
  }
  return "?";
}

const PatternVar* Rule::FindVar(absl::string_view name) const {
  for (const PatternVar& v : vars) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

const AttrVar* Rule::FindAttrVar(absl::string_view name) const {
  for (const AttrVar& v : attr_vars) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

std::optional<OpKind> Rule::RootOp() const {
  if (source.graph.outputs().empty()) return std::nullopt;
  OpKind op = source.graph.node(source.graph.outputs()[0].node).op;
  if (op == OpKind::kInput || op == OpKind::kWeight) return std::nullopt;
  return op;
}

absl::StatusOr<int64_t> EvalDim(const DimExpr& d,
                                const std::map<std::string, Shape>& shapes) {
  if (d.is_literal()) return d.value;
  auto it = shapes.find(d.var);
  if (it == shapes.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("(dim ", d.var, " ", d.value, "): no shape for ", d.var));
  }
  absl::StatusOr<int> axis = NormalizeAxis(d.value, it->second.rank());
  if (!axis.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "(dim ", d.var, " ", d.value, "): ", d.var, " has shape ",
        it->second.ToString()));
  }
  return it->second.dim(*axis);
}

RuleBinding ExampleBinding(const Rule& rule) {
  RuleBinding b;
  for (const PatternVar& v : rule.vars) {
    if (v.role != VarRole::kConstant) b.shapes[v.name] = Shape(v.example_shape);
  }
  for (const AttrVar& v : rule.attr_vars) b.attr_vars[v.name] = v.example;
  return b;
}

absl::StatusOr<Graph> Instantiate(const Rule& rule, const Pattern& pattern,
                                  const RuleBinding& binding) {
  return Instantiate(rule, pattern, binding,
                     [](ConstKind kind, const Shape& shape, float fill) {
                       return MakeConstant(kind, shape, fill);
                     });
}

absl::StatusOr<Graph> Instantiate(const Rule& rule, const Pattern& pattern,
                                  const RuleBinding& binding,
                                  const ConstantMaker& make_constant) {
  for (const ShapeConstraint& c : rule.where) {
    TSOPT_ASSIGN_OR_RETURN(int64_t l, EvalDim(c.lhs, binding.shapes));
    TSOPT_ASSIGN_OR_RETURN(int64_t r, EvalDim(c.rhs, binding.shapes));
    if (l != r) {
      return RuleError(rule, absl::StrCat("shape constraint fails: ", l,
                                          " != ", r));
    }
  }
  std::vector<std::vector<const AttrBinding*>> by_node(
      pattern.graph.num_nodes());
  for (const AttrBinding& b : pattern.bindings) {
    if (b.node < 0 || b.node >= pattern.graph.num_nodes()) {
      return RuleError(rule, "binding of a missing node");
    }
    by_node[b.node].push_back(&b);
  }
  Graph g;
  for (NodeId id = 0; id < pattern.graph.num_nodes(); ++id) {
    const Node& n = pattern.graph.node(id);
    if (n.op == OpKind::kInput) {
      auto it = binding.shapes.find(n.name);
      if (it == binding.shapes.end()) {
        return RuleError(rule, absl::StrCat("no shape bound for ", n.name));
      }
      TSOPT_RETURN_IF_ERROR(g.AddInput(n.name, it->second.dims()).status());
      continue;
    }
    if (n.op == OpKind::kWeight) {
      const PatternVar* v = rule.FindVar(n.name);
      if (v == nullptr || v->role != VarRole::kConstant) {
        return RuleError(rule, absl::StrCat("weight node '", n.name,
                                            "' is not a constant variable"));
      }
      std::vector<int64_t> dims;
      for (const DimExpr& d : v->const_shape) {
        TSOPT_ASSIGN_OR_RETURN(int64_t x, EvalDim(d, binding.shapes));
        dims.push_back(x);
      }
      TSOPT_ASSIGN_OR_RETURN(Shape shape, Shape::Create(dims));
      float fill = v->fill_value;
      if (!v->fill_attr_var.empty()) {
        TSOPT_ASSIGN_OR_RETURN(AttrValue fv,
                               AttrVarValue(rule, binding, v->fill_attr_var));
        if (const float* f = std::get_if<float>(&fv)) {
          fill = *f;
        } else if (const int64_t* i = std::get_if<int64_t>(&fv)) {
          fill = static_cast<float>(*i);
        } else {
          return RuleError(rule, absl::StrCat("?", v->fill_attr_var,
                                              " is not a number"));
        }
      }
      TSOPT_ASSIGN_OR_RETURN(auto data,
                             make_constant(v->const_kind, shape, fill));
      TSOPT_RETURN_IF_ERROR(g.AddWeight(dims, std::move(data), n.name).status());
      continue;
    }
    Attrs attrs = n.attrs;
    for (const AttrBinding* b : by_node[id]) {
      TSOPT_ASSIGN_OR_RETURN(AttrValue value, BindingValue(rule, *b, binding));
      absl::Status st = SetField(attrs, b->field, value);
      if (!st.ok()) return RuleError(rule, st.message());
    }
    absl::StatusOr<std::vector<ValueId>> outs =
        g.AddNode(n.op, std::move(attrs), n.inputs, n.name);
    if (!outs.ok()) return RuleError(rule, outs.status().message());
  }
  for (ValueId out : pattern.graph.outputs()) {
    TSOPT_RETURN_IF_ERROR(g.MarkOutput(out));
  }
  return g;
}

absl::Status ValidateRule(const Rule& rule) {
  if (!IsKebabCase(rule.name)) {
    return RuleError(rule, "the name must be kebab-case ([a-z0-9] and '-')");
  }
  std::set<std::string> names;
  for (const PatternVar& v : rule.vars) {
    if (!names.insert(v.name).second) {
      return RuleError(rule, absl::StrCat("variable ", v.name, " declared twice"));
    }
    if (v.role == VarRole::kScalar && !v.example_shape.empty()) {
      return RuleError(rule, absl::StrCat("scalar ", v.name, " has a shape"));
    }
    if (v.role == VarRole::kConstant && v.const_shape.empty() &&
        v.const_kind != ConstKind::kFill && v.const_kind != ConstKind::kOnes) {
      return RuleError(rule, absl::StrCat("constant ", v.name, " has no shape"));
    }
  }
  for (const AttrVar& v : rule.attr_vars) {
    if (!names.insert(v.name).second) {
      return RuleError(rule, absl::StrCat("name ", v.name, " declared twice"));
    }
  }
  std::set<std::string> source_vars = UsedVars(rule.source.graph);
  std::set<std::string> source_attr_vars;
  for (const AttrBinding& b : rule.source.bindings) {
    if (!b.attr_var.empty()) source_attr_vars.insert(b.attr_var);
  }
  for (const PatternVar& v : rule.vars) {
    if (v.role == VarRole::kConstant) {
      if (!v.fill_attr_var.empty() && !source_attr_vars.count(v.fill_attr_var)) {
        return RuleError(rule, absl::StrCat("constant ", v.name, ": ?",
                                            v.fill_attr_var,
                                            " is not bound by the source"));
      }
      TSOPT_RETURN_IF_ERROR(CheckDimVars(rule, v.const_shape, source_vars,
                                         absl::StrCat("constant ", v.name)));
    }
  }
  for (const ShapeConstraint& c : rule.where) {
    TSOPT_RETURN_IF_ERROR(
        CheckDimVars(rule, {c.lhs, c.rhs}, source_vars, "where"));
  }
  TSOPT_RETURN_IF_ERROR(ValidateSide(rule, rule.source, "source", source_vars,
                                     source_attr_vars));
  TSOPT_RETURN_IF_ERROR(ValidateSide(rule, rule.target, "target", source_vars,
                                     source_attr_vars));
  for (const std::string& v : UsedVars(rule.target.graph)) {
    const PatternVar* pv = rule.FindVar(v);
    if (pv != nullptr && pv->role != VarRole::kConstant &&
        !source_vars.count(v)) {
      return RuleError(rule, absl::StrCat("target variable ", v,
                                          " is not bound by the source"));
    }
  }
  for (const PatternVar& v : rule.vars) {
    if (v.role == VarRole::kConstant) continue;
    if (!source_vars.count(v.name)) {
      return RuleError(rule, absl::StrCat("variable ", v.name,
                                          " is not used by the source"));
    }
  }
  const auto& so = rule.source.graph.outputs();
  const auto& to = rule.target.graph.outputs();
  if (so.size() != to.size()) {
    return RuleError(rule, absl::StrCat("source has ", so.size(),
                                        " outputs but target has ", to.size()));
  }
  for (size_t i = 0; i < so.size(); ++i) {
    if (rule.source.graph.shape(so[i]) != rule.target.graph.shape(to[i])) {
      return RuleError(rule, absl::StrCat(
          "output ", i, " has shape ", rule.source.graph.shape(so[i]).ToString(),
          " in the source but ", rule.target.graph.shape(to[i]).ToString(),
          " in the target"));
    }
  }
  RuleBinding example = ExampleBinding(rule);
  TSOPT_RETURN_IF_ERROR(Instantiate(rule, rule.source, example).status());
  TSOPT_RETURN_IF_ERROR(Instantiate(rule, rule.target, example).status());
  return absl::OkStatus();
}

absl::StatusOr<RuleSet> RuleSet::Create(std::vector<Rule> rules) {
  RuleSet set;
  set.by_root_.resize(kNumOps);
  std::set<std::string> names;
  for (int i = 0; i < static_cast<int>(rules.size()); ++i) {
    TSOPT_RETURN_IF_ERROR(ValidateRule(rules[i]));
    if (!names.insert(rules[i].name).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("rule name '", rules[i].name, "' is used twice"));
    }
    std::optional<OpKind> root = rules[i].RootOp();
    if (root) {
      set.by_root_[static_cast<int>(*root)].push_back(i);
    } else {
      set.variable_root_.push_back(i);
    }
  }
  set.rules_ = std::move(rules);
  return set;
}

absl::Span<const int> RuleSet::RulesWithRoot(OpKind op) const {
  return by_root_[static_cast<int>(op)];
}

const Rule* RuleSet::Find(absl::string_view name) const {
  for (const Rule& r : rules_) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

}  // namespace tsopt

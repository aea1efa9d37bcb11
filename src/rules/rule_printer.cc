// The rule text printer: the canonical form that rule_parser.cc reads back
// to the same text (rules/README.md).
#include <cstdio>
#include <fstream>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "src/rules/attr_fields.h"
#include "tsopt/rules/constants.h"
#include "tsopt/rules/rule_text.h"

namespace tsopt {
namespace {

using rules_internal::FieldNames;
using rules_internal::GetField;

std::string FloatText(float f) {
  std::string s = absl::StrFormat("%.9g", f);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

std::string DimText(const DimExpr& d) {
  if (d.is_literal()) return absl::StrCat(d.value);
  return absl::StrCat("(dim ", d.var, " ", d.value, ")");
}

std::string ListText(const std::vector<int64_t>& v) {
  return absl::StrCat("[", absl::StrJoin(v, " "), "]");
}

std::string ValueText(const AttrValue& v) {
  struct Printer {
    std::string operator()(int64_t x) const { return absl::StrCat(x); }
    std::string operator()(float x) const { return FloatText(x); }
    std::string operator()(const std::vector<int64_t>& x) const {
      return ListText(x);
    }
    std::string operator()(Activation a) const {
      return std::string(ActivationName(a));
    }
    std::string operator()(const std::string& s) const {
      return absl::StrCat("\"", s, "\"");
    }
  };
  return std::visit(Printer{}, v);
}

std::string BindingText(const AttrBinding& b) {
  if (!b.attr_var.empty()) return absl::StrCat("?", b.attr_var);
  if (!b.is_list) return DimText(b.dims[0]);
  return absl::StrCat(
      "[",
      absl::StrJoin(b.dims, " ",
                    [](std::string* out, const DimExpr& d) {
                      out->append(DimText(d));
                    }),
      "]");
}

class PatternPrinter {
 public:
  PatternPrinter(const Rule& rule, const Pattern& p) : rule_(rule), p_(p) {
    const Graph& g = p.graph;
    std::vector<int> uses(g.num_nodes(), 0);
    for (const Node& n : g.nodes()) {
      for (ValueId in : n.inputs) ++uses[in.node];
    }
    for (ValueId out : g.outputs()) ++uses[out.node];
    std::set<std::string> taken;
    for (const PatternVar& v : rule.vars) taken.insert(v.name);
    for (const Node& n : g.nodes()) {
      if (!n.name.empty()) taken.insert(n.name);
    }
    names_.resize(g.num_nodes());
    for (NodeId i = 0; i < g.num_nodes(); ++i) {
      const Node& n = g.node(i);
      if (n.op == OpKind::kInput || n.op == OpKind::kWeight) {
        names_[i] = n.name;
      } else if (!n.name.empty()) {
        names_[i] = n.name;
        let_.push_back(i);
      } else if (uses[i] > 1 || n.num_outputs() != 1) {
        std::string name = absl::StrCat("t", i);
        while (taken.count(name)) name += "_";
        taken.insert(name);
        names_[i] = name;
        let_.push_back(i);
      }
    }
    for (const AttrBinding& b : p.bindings) bindings_[b.node].push_back(&b);
  }

  std::string Print(absl::string_view head) const {
    std::string out = absl::StrCat("(", head);
    for (NodeId i : let_) {
      absl::StrAppend(&out, " (let ", names_[i], " ", OpText(i), ")");
    }
    for (ValueId v : p_.graph.outputs()) {
      absl::StrAppend(&out, " ", ValueText(v));
    }
    return out + ")";
  }

 private:
  std::string ValueText(ValueId v) const {
    const Node& n = p_.graph.node(v.node);
    if (names_[v.node].empty()) return OpText(v.node);
    if (n.num_outputs() == 1) return names_[v.node];
    return absl::StrCat(names_[v.node], ".", v.output);
  }

  std::string OpText(NodeId id) const {
    const Node& n = p_.graph.node(id);
    std::string out = absl::StrCat("(", OpMnemonic(n.op));
    const Attrs defaults = DefaultAttrs(n.op);
    auto it = bindings_.find(id);
    for (const std::string& field : FieldNames(n.attrs)) {
      const AttrBinding* bound = nullptr;
      if (it != bindings_.end()) {
        for (const AttrBinding* b : it->second) {
          if (b->field == field) bound = b;
        }
      }
      if (bound != nullptr) {
        absl::StrAppend(&out, " :", field, " ", BindingText(*bound));
        continue;
      }
      AttrValue value = *GetField(n.attrs, field);
      if (value != *GetField(defaults, field)) {
        absl::StrAppend(&out, " :", field, " ", tsopt::ValueText(value));
      }
    }
    for (ValueId in : n.inputs) absl::StrAppend(&out, " ", ValueText(in));
    return out + ")";
  }

  const Rule& rule_;
  const Pattern& p_;
  std::vector<std::string> names_;  // leaves and let-bound nodes
  std::vector<NodeId> let_;
  std::map<NodeId, std::vector<const AttrBinding*>> bindings_;
};

std::string ProvenanceText(const Provenance& p) {
  if (p.hand_written) {
    if (p.source.empty()) return "(provenance hand-written)";
    return absl::StrCat("(provenance hand-written \"", p.source, "\")");
  }
  return absl::StrCat("(provenance (generator \"", p.generator, "\") (ops",
                      p.ops.empty() ? "" : " ", absl::StrJoin(p.ops, " "),
                      ") (max-ops ", p.max_ops, ") (seed ", p.seed, "))");
}

std::string VarText(const PatternVar& v) {
  switch (v.role) {
    case VarRole::kActivation:
    case VarRole::kWeight:
      return absl::StrCat("(", v.name, " ", VarRoleName(v.role), " ",
                          ListText(v.example_shape), ")");
    case VarRole::kScalar:
      return absl::StrCat("(", v.name, " scalar)");
    case VarRole::kConstant: {
      std::string kind =
          v.const_kind != ConstKind::kFill
              ? std::string(ConstKindName(v.const_kind))
              : absl::StrCat("(fill ",
                             v.fill_attr_var.empty()
                                 ? FloatText(v.fill_value)
                                 : absl::StrCat("?", v.fill_attr_var),
                             ")");
      std::string shape = "(shape";
      for (const DimExpr& d : v.const_shape) {
        absl::StrAppend(&shape, " ", DimText(d));
      }
      return absl::StrCat("(", v.name, " const ", kind, " ", shape, "))");
    }
  }
  return "";
}

}  // namespace

std::string PrintRule(const Rule& rule) {
  std::string out = absl::StrCat("(rule ", rule.name, "\n");
  absl::StrAppend(&out, "  ", ProvenanceText(rule.provenance), "\n");
  absl::StrAppend(&out, "  (status ", VerificationStatusName(rule.status),
                  ")\n");
  if (!rule.attr_vars.empty()) {
    absl::StrAppend(&out, "  (attr-vars");
    for (const AttrVar& v : rule.attr_vars) {
      absl::StrAppend(&out, " (", v.name, " ", ValueText(v.example), ")");
    }
    absl::StrAppend(&out, ")\n");
  }
  absl::StrAppend(&out, "  (vars");
  for (const PatternVar& v : rule.vars) absl::StrAppend(&out, " ", VarText(v));
  absl::StrAppend(&out, ")\n");
  if (!rule.where.empty()) {
    absl::StrAppend(&out, "  (where");
    for (const ShapeConstraint& c : rule.where) {
      absl::StrAppend(&out, " (= ", DimText(c.lhs), " ", DimText(c.rhs), ")");
    }
    absl::StrAppend(&out, ")\n");
  }
  absl::StrAppend(&out, "  ", PatternPrinter(rule, rule.source).Print("source"),
                  "\n");
  absl::StrAppend(&out, "  ", PatternPrinter(rule, rule.target).Print("target"),
                  ")\n");
  return out;
}

std::string PrintRules(absl::Span<const Rule> rules,
                       absl::Span<const std::string> header) {
  std::string out;
  for (const std::string& line : header) {
    absl::StrAppend(&out, line.empty() ? ";" : absl::StrCat("; ", line), "\n");
  }
  for (size_t i = 0; i < rules.size(); ++i) {
    if (i > 0 || !header.empty()) out += "\n";
    out += PrintRule(rules[i]);
  }
  return out;
}

absl::Status WriteRuleFile(const std::string& path,
                           absl::Span<const Rule> rules,
                           absl::Span<const std::string> header) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return absl::PermissionDeniedError(absl::StrCat("cannot write ", tmp));
    out << PrintRules(rules, header);
    out.close();
    if (!out) return absl::DataLossError(absl::StrCat("write failed: ", tmp));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return absl::PermissionDeniedError(
        absl::StrCat("cannot rename ", tmp, " to ", path));
  }
  return absl::OkStatus();
}

}  // namespace tsopt

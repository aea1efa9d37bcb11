// The rule text loader: s-expressions -> validated Rules (rules/README.md).
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "src/rules/attr_fields.h"
#include "src/rules/sexpr.h"
#include "tsopt/rules/constants.h"
#include "tsopt/rules/rule_text.h"
#include "tsopt/util/status_macros.h"

namespace tsopt {
namespace {

using rules_internal::ErrorAt;
using rules_internal::GetField;
using rules_internal::ReadSExprs;
using rules_internal::SetField;
using rules_internal::SExpr;

bool IsIdentifier(absl::string_view s) {
  if (s.empty() || !(absl::ascii_isalpha(s[0]) || s[0] == '_')) return false;
  for (char c : s) {
    if (!(absl::ascii_isalnum(c) || c == '_')) return false;
  }
  return true;
}

bool LooksFloat(absl::string_view s) {
  return absl::StrContains(s, '.') || absl::StrContains(s, 'e') ||
         absl::StrContains(s, 'E');
}

class RuleParser {
 public:
  explicit RuleParser(absl::string_view filename) : filename_(filename) {}

  absl::StatusOr<Rule> Parse(const SExpr& stanza) {
    if (!stanza.IsForm("rule")) return Err(stanza, "expected (rule NAME ...)");
    if (stanza.items.size() < 2 || !stanza.items[1].is_atom()) {
      return Err(stanza, "expected a rule name after 'rule'");
    }
    rule_ = Rule();
    rule_.name = stanza.items[1].text;
    const SExpr* source = nullptr;
    const SExpr* target = nullptr;
    std::set<std::string> seen;
    for (size_t i = 2; i < stanza.items.size(); ++i) {
      const SExpr& c = stanza.items[i];
      if (!c.is_list() || c.items.empty() || !c.items[0].is_atom()) {
        return Err(c, "expected a clause like (vars ...)");
      }
      const std::string& head = c.items[0].text;
      if (!seen.insert(head).second) {
        return Err(c, absl::StrCat("clause '", head, "' appears twice"));
      }
      if (head == "provenance") {
        TSOPT_RETURN_IF_ERROR(ParseProvenance(c));
      } else if (head == "status") {
        TSOPT_RETURN_IF_ERROR(ParseStatus(c));
      } else if (head == "vars") {
        TSOPT_RETURN_IF_ERROR(ParseVars(c));
      } else if (head == "attr-vars") {
        TSOPT_RETURN_IF_ERROR(ParseAttrVars(c));
      } else if (head == "where") {
        TSOPT_RETURN_IF_ERROR(ParseWhere(c));
      } else if (head == "source") {
        source = &c;
      } else if (head == "target") {
        target = &c;
      } else {
        return Err(c, absl::StrCat("unknown clause '", head,
                                   "' (provenance, status, vars, attr-vars, "
                                   "where, source, target)"));
      }
    }
    if (!seen.count("vars")) return Err(stanza, "rule has no (vars ...)");
    if (source == nullptr) return Err(stanza, "rule has no (source ...)");
    if (target == nullptr) return Err(stanza, "rule has no (target ...)");
    TSOPT_ASSIGN_OR_RETURN(rule_.source, ParseSide(*source));
    TSOPT_ASSIGN_OR_RETURN(rule_.target, ParseSide(*target));
    absl::Status valid = ValidateRule(rule_);
    if (!valid.ok()) return Err(stanza, valid.message());
    return std::move(rule_);
  }

 private:
  absl::Status Err(const SExpr& at, absl::string_view msg) {
    return ErrorAt(filename_, at, msg);
  }

  absl::StatusOr<int64_t> ParseInt(const SExpr& e) {
    int64_t v;
    if (!e.is_atom() || !absl::SimpleAtoi(e.text, &v)) {
      return Err(e, "expected an integer");
    }
    return v;
  }

  absl::Status ParseProvenance(const SExpr& c) {
    Provenance& p = rule_.provenance;
    if (c.items.size() >= 2 && c.items[1].is_atom() &&
        c.items[1].text == "hand-written") {
      p.hand_written = true;
      if (c.items.size() == 3 && c.items[2].kind == SExpr::Kind::kString) {
        p.source = c.items[2].text;
      } else if (c.items.size() != 2) {
        return Err(c, "expected (provenance hand-written [\"where from\"])");
      }
      return absl::OkStatus();
    }
    for (size_t i = 1; i < c.items.size(); ++i) {
      const SExpr& f = c.items[i];
      if (f.IsForm("generator") && f.items.size() == 2 &&
          f.items[1].kind == SExpr::Kind::kString) {
        p.generator = f.items[1].text;
      } else if (f.IsForm("ops")) {
        for (size_t j = 1; j < f.items.size(); ++j) {
          if (!f.items[j].is_atom() || !OpFromName(f.items[j].text)) {
            return Err(f.items[j], "expected an operator mnemonic");
          }
          p.ops.push_back(f.items[j].text);
        }
      } else if (f.IsForm("max-ops") && f.items.size() == 2) {
        TSOPT_ASSIGN_OR_RETURN(int64_t n, ParseInt(f.items[1]));
        p.max_ops = static_cast<int>(n);
      } else if (f.IsForm("seed") && f.items.size() == 2) {
        uint64_t s;
        if (!f.items[1].is_atom() || !absl::SimpleAtoi(f.items[1].text, &s)) {
          return Err(f.items[1], "expected an unsigned integer seed");
        }
        p.seed = s;
      } else {
        return Err(f, "expected hand-written, (generator \"...\"), (ops ...), "
                      "(max-ops N) or (seed S)");
      }
    }
    if (p.generator.empty()) {
      return Err(c, "generated provenance needs (generator \"...\")");
    }
    return absl::OkStatus();
  }

  absl::Status ParseStatus(const SExpr& c) {
    if (c.items.size() == 2 && c.items[1].is_atom()) {
      for (VerificationStatus s :
           {VerificationStatus::kUnverified, VerificationStatus::kProved,
            VerificationStatus::kRefuted, VerificationStatus::kUnknown}) {
        if (VerificationStatusName(s) == c.items[1].text) {
          rule_.status = s;
          return absl::OkStatus();
        }
      }
    }
    return Err(c, "expected (status unverified|proved|refuted|unknown)");
  }

  absl::StatusOr<DimExpr> ParseDim(const SExpr& e) {
    if (e.is_atom()) {
      TSOPT_ASSIGN_OR_RETURN(int64_t v, ParseInt(e));
      return DimExpr::Literal(v);
    }
    if (!e.IsForm("dim") || e.items.size() != 3 || !e.items[1].is_atom()) {
      return Err(e, "expected an integer or (dim VAR AXIS)");
    }
    const PatternVar* v = rule_.FindVar(e.items[1].text);
    if (v == nullptr || v->role == VarRole::kConstant) {
      return Err(e.items[1], absl::StrCat("'", e.items[1].text,
                                          "' is not a non-constant variable"));
    }
    TSOPT_ASSIGN_OR_RETURN(int64_t axis, ParseInt(e.items[2]));
    DimExpr d = DimExpr::Dim(e.items[1].text, axis);
    if (!EvalDim(d, example_shapes_).ok()) {
      return Err(e, absl::StrCat("axis ", axis, " is out of range for ",
                                 v->name));
    }
    return d;
  }

  absl::StatusOr<std::vector<int64_t>> ParseShape(const SExpr& e) {
    if (e.kind != SExpr::Kind::kBracket) return Err(e, "expected a shape [..]");
    std::vector<int64_t> dims;
    for (const SExpr& d : e.items) {
      TSOPT_ASSIGN_OR_RETURN(int64_t v, ParseInt(d));
      dims.push_back(v);
    }
    absl::Status st = Shape::Create(dims).status();
    if (!st.ok()) return Err(e, st.message());
    return dims;
  }

  absl::Status ParseVars(const SExpr& c) {
    for (size_t i = 1; i < c.items.size(); ++i) {
      const SExpr& v = c.items[i];
      if (!v.is_list() || v.items.size() < 2 || !v.items[0].is_atom() ||
          !v.items[1].is_atom()) {
        return Err(v, "expected (NAME ROLE ...)");
      }
      PatternVar var;
      var.name = v.items[0].text;
      if (!IsIdentifier(var.name)) {
        return Err(v.items[0], "variable names are identifiers [A-Za-z_][A-Za-z0-9_]*");
      }
      if (rule_.FindVar(var.name)) {
        return Err(v.items[0], absl::StrCat("variable ", var.name,
                                            " declared twice"));
      }
      const std::string& role = v.items[1].text;
      if (role == "act" || role == "weight") {
        var.role = role == "act" ? VarRole::kActivation : VarRole::kWeight;
        if (v.items.size() != 3) return Err(v, "expected (NAME ROLE [dims])");
        TSOPT_ASSIGN_OR_RETURN(var.example_shape, ParseShape(v.items[2]));
      } else if (role == "scalar") {
        var.role = VarRole::kScalar;
        if (v.items.size() != 2) return Err(v, "expected (NAME scalar)");
      } else if (role == "const") {
        TSOPT_RETURN_IF_ERROR(ParseConstVar(v, var));
      } else {
        return Err(v.items[1], absl::StrCat("unknown role '", role,
                                            "' (act, weight, scalar, const)"));
      }
      if (var.role != VarRole::kConstant) {
        example_shapes_[var.name] = Shape(var.example_shape);
      }
      rule_.vars.push_back(std::move(var));
    }
    return absl::OkStatus();
  }

  // (NAME const KIND (shape DIM...)), KIND an atom or (fill VALUE|?VAR).
  absl::Status ParseConstVar(const SExpr& v, PatternVar& var) {
    var.role = VarRole::kConstant;
    if (v.items.size() != 4 || !v.items[3].IsForm("shape")) {
      return Err(v, "expected (NAME const KIND (shape DIM...))");
    }
    const SExpr& kind = v.items[2];
    if (kind.IsForm("fill") && kind.items.size() == 2 &&
        kind.items[1].is_atom()) {
      var.const_kind = ConstKind::kFill;
      const std::string& x = kind.items[1].text;
      if (absl::StartsWith(x, "?")) {
        if (!rule_.FindAttrVar(x.substr(1))) {
          return Err(kind.items[1], absl::StrCat("undeclared attribute "
                                                 "variable ", x,
                                                 " (attr-vars come before vars)"));
        }
        var.fill_attr_var = x.substr(1);
      } else if (!absl::SimpleAtof(x, &var.fill_value)) {
        return Err(kind.items[1], "expected a number or ?VAR");
      }
    } else {
      std::optional<ConstKind> k =
          kind.is_atom() ? ConstKindFromName(kind.text) : std::nullopt;
      if (!k || *k == ConstKind::kFill) {
        return Err(kind, "expected identity-matrix, identity-conv, "
                         "average-kernel, ones or (fill VALUE)");
      }
      var.const_kind = *k;
    }
    const SExpr& shape = v.items[3];
    for (size_t i = 1; i < shape.items.size(); ++i) {
      TSOPT_ASSIGN_OR_RETURN(DimExpr d, ParseDim(shape.items[i]));
      var.const_shape.push_back(d);
    }
    return absl::OkStatus();
  }

  absl::Status ParseAttrVars(const SExpr& c) {
    if (!rule_.vars.empty()) {
      return Err(c, "(attr-vars ...) must come before (vars ...)");
    }
    for (size_t i = 1; i < c.items.size(); ++i) {
      const SExpr& v = c.items[i];
      if (!v.is_list() || v.items.size() != 2 || !v.items[0].is_atom() ||
          !IsIdentifier(v.items[0].text)) {
        return Err(v, "expected (NAME EXAMPLE-VALUE)");
      }
      AttrVar av;
      av.name = v.items[0].text;
      if (rule_.FindAttrVar(av.name)) {
        return Err(v, absl::StrCat("attribute variable ", av.name,
                                   " declared twice"));
      }
      const SExpr& x = v.items[1];
      if (x.kind == SExpr::Kind::kBracket) {
        std::vector<int64_t> list;
        for (const SExpr& e : x.items) {
          TSOPT_ASSIGN_OR_RETURN(int64_t n, ParseInt(e));
          list.push_back(n);
        }
        av.example = list;
      } else if (x.kind == SExpr::Kind::kString) {
        av.example = x.text;
      } else if (x.is_atom()) {
        int64_t n;
        float f;
        if (!LooksFloat(x.text) && absl::SimpleAtoi(x.text, &n)) {
          av.example = n;
        } else if (absl::SimpleAtof(x.text, &f)) {
          av.example = f;
        } else if (absl::StatusOr<Activation> a = ParseActivation(x.text);
                   a.ok()) {
          av.example = *a;
        } else {
          return Err(x, "expected an int, float, [list], activation or "
                        "\"string\"");
        }
      } else {
        return Err(x, "expected an example value");
      }
      rule_.attr_vars.push_back(std::move(av));
    }
    return absl::OkStatus();
  }

  absl::Status ParseWhere(const SExpr& c) {
    for (size_t i = 1; i < c.items.size(); ++i) {
      const SExpr& e = c.items[i];
      if (!e.IsForm("=") || e.items.size() != 3) {
        return Err(e, "expected (= DIM DIM)");
      }
      ShapeConstraint sc;
      TSOPT_ASSIGN_OR_RETURN(sc.lhs, ParseDim(e.items[1]));
      TSOPT_ASSIGN_OR_RETURN(sc.rhs, ParseDim(e.items[2]));
      rule_.where.push_back(sc);
    }
    return absl::OkStatus();
  }

  // --- Patterns ---------------------------------------------------------------

  struct Side {
    Pattern pattern;
    std::map<std::string, NodeId> symbols;  // vars and lets -> node
  };

  absl::StatusOr<Pattern> ParseSide(const SExpr& c) {
    Side side;
    for (const PatternVar& v : rule_.vars) {
      if (v.role == VarRole::kConstant) continue;
      TSOPT_ASSIGN_OR_RETURN(ValueId id,
                             side.pattern.graph.AddInput(v.name, v.example_shape));
      side.symbols[v.name] = id.node;
    }
    for (size_t i = 1; i < c.items.size(); ++i) {
      const SExpr& item = c.items[i];
      if (item.IsForm("let")) {
        TSOPT_RETURN_IF_ERROR(ParseLet(item, side));
        continue;
      }
      TSOPT_ASSIGN_OR_RETURN(ValueId v, ParseValue(item, side));
      TSOPT_RETURN_IF_ERROR(side.pattern.graph.MarkOutput(v));
    }
    if (side.pattern.graph.outputs().empty()) {
      return Err(c, "a pattern needs at least one output expression");
    }
    return std::move(side.pattern);
  }

  absl::Status ParseLet(const SExpr& item, Side& side) {
    if (item.items.size() != 3 || !item.items[1].is_atom() ||
        !IsIdentifier(item.items[1].text)) {
      return Err(item, "expected (let NAME EXPR)");
    }
    const std::string& name = item.items[1].text;
    if (side.symbols.count(name) || rule_.FindVar(name)) {
      return Err(item.items[1], absl::StrCat("'", name, "' is already bound"));
    }
    const SExpr& expr = item.items[2];
    if (!expr.is_list()) return Err(expr, "a let binds an operator expression");
    TSOPT_ASSIGN_OR_RETURN(NodeId node, ParseOp(expr, side));
    side.pattern.graph.MutableNode(node).name = name;
    side.symbols[name] = node;
    return absl::OkStatus();
  }

  // A symbol (VAR, LET or LET.K) or a single-output operator expression.
  absl::StatusOr<ValueId> ParseValue(const SExpr& e, Side& side) {
    const Graph& g = side.pattern.graph;
    if (e.is_atom()) {
      std::string name = e.text;
      int output = -1;
      if (size_t dot = name.find('.'); dot != std::string::npos) {
        if (!absl::SimpleAtoi(name.substr(dot + 1), &output) || output < 0) {
          return Err(e, "expected NAME.K with an output index K");
        }
        name = name.substr(0, dot);
      }
      auto it = side.symbols.find(name);
      if (it == side.symbols.end()) {
        const PatternVar* v = rule_.FindVar(name);
        if (v == nullptr || v->role != VarRole::kConstant) {
          return Err(e, absl::StrCat("unbound name '", name, "'"));
        }
        TSOPT_ASSIGN_OR_RETURN(NodeId id, AddConstant(e, *v, side));
        it = side.symbols.find(name);
        (void)id;
      }
      const Node& n = g.node(it->second);
      if (output < 0) {
        if (n.num_outputs() != 1) {
          return Err(e, absl::StrCat("'", name, "' has ", n.num_outputs(),
                                     " outputs; use ", name, ".0 .. ", name,
                                     ".", n.num_outputs() - 1));
        }
        output = 0;
      } else if (n.num_outputs() == 1 || output >= n.num_outputs()) {
        return Err(e, absl::StrCat("'", name, "' has ", n.num_outputs(),
                                   " output(s); ", e.text, " does not exist"));
      }
      return ValueId{it->second, output};
    }
    if (!e.is_list()) return Err(e, "expected a name or (OP ...)");
    TSOPT_ASSIGN_OR_RETURN(NodeId node, ParseOp(e, side));
    if (g.node(node).num_outputs() != 1) {
      return Err(e, absl::StrCat("this ", OpMnemonic(g.node(node).op), " has ",
                                 g.node(node).num_outputs(),
                                 " outputs; bind it with (let NAME ...) and "
                                 "use NAME.K"));
    }
    return ValueId{node, 0};
  }

  absl::StatusOr<NodeId> AddConstant(const SExpr& at, const PatternVar& v,
                                     Side& side) {
    std::vector<int64_t> dims;
    for (const DimExpr& d : v.const_shape) {
      TSOPT_ASSIGN_OR_RETURN(int64_t x, EvalDim(d, example_shapes_));
      dims.push_back(x);
    }
    absl::StatusOr<Shape> shape = Shape::Create(dims);
    if (!shape.ok()) return Err(at, shape.status().message());
    float fill = v.fill_value;
    if (!v.fill_attr_var.empty()) {
      const AttrValue& ex = rule_.FindAttrVar(v.fill_attr_var)->example;
      if (const float* f = std::get_if<float>(&ex)) {
        fill = *f;
      } else if (const int64_t* i = std::get_if<int64_t>(&ex)) {
        fill = static_cast<float>(*i);
      } else {
        return Err(at, absl::StrCat("?", v.fill_attr_var, " is not a number"));
      }
    }
    absl::StatusOr<std::shared_ptr<const WeightData>> data =
        MakeConstant(v.const_kind, *shape, fill);
    if (!data.ok()) return Err(at, data.status().message());
    absl::StatusOr<ValueId> id =
        side.pattern.graph.AddWeight(dims, *std::move(data), v.name);
    if (!id.ok()) return Err(at, id.status().message());
    side.symbols[v.name] = id->node;
    return id->node;
  }

  absl::StatusOr<NodeId> ParseOp(const SExpr& e, Side& side) {
    if (e.items.empty() || !e.items[0].is_atom()) {
      return Err(e, "expected (OP ...)");
    }
    std::optional<OpKind> op = OpFromName(e.items[0].text);
    if (!op) {
      return Err(e.items[0], absl::StrCat("unknown operator '",
                                          e.items[0].text, "'"));
    }
    if (*op == OpKind::kInput || *op == OpKind::kWeight) {
      return Err(e.items[0], "patterns name leaves through (vars ...), not "
                             "input/weight operators");
    }
    if (*op == OpKind::kOpaque) {
      return Err(e.items[0], "opaque operators are never rewritten and "
                             "cannot appear in a rule");
    }
    Attrs attrs = DefaultAttrs(*op);
    std::vector<AttrBinding> bindings;
    std::vector<ValueId> inputs;
    std::set<std::string> fields_seen;
    for (size_t i = 1; i < e.items.size(); ++i) {
      const SExpr& item = e.items[i];
      if (item.is_atom() && absl::StartsWith(item.text, ":")) {
        std::string field = item.text.substr(1);
        if (!GetField(attrs, field)) {
          return Err(item, absl::StrCat(OpMnemonic(*op), " has no attribute '",
                                        field, "'"));
        }
        if (!fields_seen.insert(field).second) {
          return Err(item, absl::StrCat("attribute '", field, "' given twice"));
        }
        if (i + 1 >= e.items.size()) {
          return Err(item, absl::StrCat("attribute '", field, "' has no value"));
        }
        TSOPT_RETURN_IF_ERROR(
            ParseAttr(e.items[++i], field, attrs, bindings));
        continue;
      }
      TSOPT_ASSIGN_OR_RETURN(ValueId v, ParseValue(item, side));
      inputs.push_back(v);
    }
    absl::StatusOr<std::vector<ValueId>> outs =
        side.pattern.graph.AddNode(*op, std::move(attrs), std::move(inputs));
    if (!outs.ok()) return Err(e, outs.status().message());
    NodeId node = side.pattern.graph.num_nodes() - 1;
    for (AttrBinding& b : bindings) {
      b.node = node;
      side.pattern.bindings.push_back(std::move(b));
    }
    return node;
  }

  // One `:field VALUE`: a literal, ?VAR, (dim V A) or a list with dims.
  absl::Status ParseAttr(const SExpr& x, const std::string& field,
                         Attrs& attrs, std::vector<AttrBinding>& bindings) {
    const AttrValue current = *GetField(attrs, field);
    AttrValue value;
    AttrBinding binding;
    binding.field = field;
    bool bound = false;
    if (x.is_atom() && absl::StartsWith(x.text, "?")) {
      const AttrVar* av = rule_.FindAttrVar(x.text.substr(1));
      if (av == nullptr) {
        return Err(x, absl::StrCat("undeclared attribute variable ", x.text));
      }
      value = av->example;
      binding.attr_var = av->name;
      bound = true;
    } else if (x.IsForm("dim")) {
      TSOPT_ASSIGN_OR_RETURN(DimExpr d, ParseDim(x));
      value = *EvalDim(d, example_shapes_);
      binding.dims.push_back(d);
      bound = true;
    } else if (std::holds_alternative<std::vector<int64_t>>(current)) {
      if (x.kind != SExpr::Kind::kBracket) {
        return Err(x, absl::StrCat("attribute '", field, "' takes a list [..]"));
      }
      std::vector<int64_t> list;
      for (const SExpr& item : x.items) {
        TSOPT_ASSIGN_OR_RETURN(DimExpr d, ParseDim(item));
        bound = bound || !d.is_literal();
        binding.dims.push_back(d);
        list.push_back(*EvalDim(d, example_shapes_));
      }
      binding.is_list = true;
      value = list;
    } else if (std::holds_alternative<int64_t>(current)) {
      TSOPT_ASSIGN_OR_RETURN(int64_t n, ParseInt(x));
      value = n;
    } else if (std::holds_alternative<float>(current)) {
      float f;
      if (!x.is_atom() || !absl::SimpleAtof(x.text, &f)) {
        return Err(x, absl::StrCat("attribute '", field, "' takes a number"));
      }
      value = f;
    } else if (std::holds_alternative<Activation>(current)) {
      absl::StatusOr<Activation> a = x.is_atom()
                                         ? ParseActivation(x.text)
                                         : absl::InvalidArgumentError(
                                               "expected an activation name");
      if (!a.ok()) return Err(x, a.status().message());
      value = *a;
    } else {
      if (x.kind != SExpr::Kind::kString) {
        return Err(x, absl::StrCat("attribute '", field, "' takes a \"string\""));
      }
      value = x.text;
    }
    absl::Status st = SetField(attrs, field, value);
    if (!st.ok()) return Err(x, st.message());
    if (bound) bindings.push_back(std::move(binding));
    return absl::OkStatus();
  }

  std::string filename_;
  Rule rule_;
  std::map<std::string, Shape> example_shapes_;
};

}  // namespace

absl::StatusOr<std::vector<Rule>> ParseRules(absl::string_view text,
                                             absl::string_view filename) {
  TSOPT_ASSIGN_OR_RETURN(std::vector<SExpr> stanzas,
                         ReadSExprs(text, filename));
  std::vector<Rule> rules;
  std::map<std::string, const SExpr*> names;
  for (const SExpr& s : stanzas) {
    RuleParser parser(filename);
    TSOPT_ASSIGN_OR_RETURN(Rule rule, parser.Parse(s));
    if (!names.emplace(rule.name, &s).second) {
      const SExpr& first = *names[rule.name];
      return ErrorAt(filename, s,
                     absl::StrCat("rule name '", rule.name,
                                  "' already used at line ", first.line));
    }
    rules.push_back(std::move(rule));
  }
  return rules;
}

absl::StatusOr<std::vector<Rule>> LoadRuleFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseRules(buffer.str(), path);
}

absl::StatusOr<RuleSet> LoadRuleSet(const std::string& path) {
  TSOPT_ASSIGN_OR_RETURN(std::vector<Rule> rules, LoadRuleFile(path));
  return RuleSet::Create(std::move(rules));
}

}  // namespace tsopt

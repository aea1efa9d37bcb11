// Rule -> tensor-algebra terms (see encode.h).
#include "verifier/encode.h"

#include <cstring>
#include <map>
#include <type_traits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "src/rules/attr_fields.h"
#include "tsopt/util/status_macros.h"

namespace tsopt::verifier {
namespace {

using Dims = std::vector<z3::expr>;

int64_t FloatBits(float f) {
  int32_t bits;
  std::memcpy(&bits, &f, sizeof(bits));
  return bits;
}

// The integers of an attribute value (literal fields and attribute-variable
// examples alike).
std::vector<int64_t> Flatten(const AttrValue& v) {
  return std::visit(
      [](const auto& x) -> std::vector<int64_t> {
        using X = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<X, int64_t>) {
          return {x};
        } else if constexpr (std::is_same_v<X, float>) {
          return {FloatBits(x)};
        } else if constexpr (std::is_same_v<X, std::vector<int64_t>>) {
          return x;
        } else if constexpr (std::is_same_v<X, Activation>) {
          return {static_cast<int64_t>(x)};
        } else {
          // Strings (names) carry no semantics for the verifier.
          return {static_cast<int64_t>(x.size())};
        }
      },
      v);
}

class RuleEncoder {
 public:
  RuleEncoder(Algebra& alg, const Rule& rule, std::string prefix,
              bool as_axiom)
      : alg_(alg), rule_(rule), prefix_(std::move(prefix)),
        as_axiom_(as_axiom) {}

  absl::StatusOr<EncodedRule> Run() {
    z3::context& c = alg_.ctx();
    for (const AttrVar& v : rule_.attr_vars) {
      std::vector<int64_t> example = Flatten(v.example);
      Dims ints;
      for (size_t i = 0; i < example.size(); ++i) {
        ints.push_back(
            c.int_const(absl::StrCat(prefix_, "?", v.name, ".", i).c_str()));
        out_.int_vars.push_back(ints.back());
      }
      attr_ints_.emplace(v.name, std::move(ints));
    }
    for (const PatternVar& v : rule_.vars) {
      if (v.role == VarRole::kConstant) continue;
      z3::expr t = c.constant((prefix_ + v.name).c_str(), alg_.tensor_sort());
      out_.tensor_vars.push_back(t);
      Dims dims;
      for (size_t k = 0; k < v.example_shape.size(); ++k) {
        dims.push_back(alg_.Dim(t, static_cast<int>(k)));
        out_.hypotheses.push_back(dims.back() >= 1);
      }
      vars_.emplace(v.name, SymValue{t, std::move(dims)});
    }
    for (const PatternVar& v : rule_.vars) {
      if (v.role != VarRole::kConstant) continue;
      TSOPT_ASSIGN_OR_RETURN(SymValue cv, Constant(v));
      vars_.emplace(v.name, std::move(cv));
    }
    for (const ShapeConstraint& w : rule_.where) {
      TSOPT_ASSIGN_OR_RETURN(z3::expr l, SymDim(w.lhs));
      TSOPT_ASSIGN_OR_RETURN(z3::expr r, SymDim(w.rhs));
      out_.hypotheses.push_back(l == r);
    }
    std::vector<Dims> src_dims, tgt_dims;
    TSOPT_RETURN_IF_ERROR(Side(rule_.source, out_.source_outputs, src_dims));
    TSOPT_RETURN_IF_ERROR(Side(rule_.target, out_.target_outputs, tgt_dims));
    if (src_dims.size() != tgt_dims.size()) {
      return absl::InvalidArgumentError("output counts differ");
    }
    for (size_t i = 0; i < src_dims.size(); ++i) {
      if (src_dims[i].size() != tgt_dims[i].size()) {
        out_.hypotheses.push_back(c.bool_val(false));
        continue;
      }
      for (size_t k = 0; k < src_dims[i].size(); ++k) {
        out_.hypotheses.push_back(src_dims[i][k] == tgt_dims[i][k]);
      }
    }
    return std::move(out_);
  }

 private:
  struct SymValue {
    z3::expr term;
    Dims dims;
  };

  absl::StatusOr<z3::expr> SymDim(const DimExpr& d) {
    if (d.is_literal()) return alg_.ctx().int_val(d.value);
    auto it = vars_.find(d.var);
    if (it == vars_.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("(dim ", d.var, " ...) names no variable"));
    }
    const int rank = static_cast<int>(it->second.dims.size());
    const int64_t axis = d.value < 0 ? d.value + rank : d.value;
    if (axis < 0 || axis >= rank) {
      return absl::InvalidArgumentError(
          absl::StrCat("(dim ", d.var, " ", d.value, ") is out of range"));
    }
    return it->second.dims[axis];
  }

  // A constant is a function of its kind, shape (and fill value) only.
  absl::StatusOr<SymValue> Constant(const PatternVar& v) {
    Dims dims;
    if (v.const_shape.empty()) {
      for (int64_t d : v.example_shape) dims.push_back(alg_.ctx().int_val(d));
    }
    for (const DimExpr& d : v.const_shape) {
      TSOPT_ASSIGN_OR_RETURN(z3::expr e, SymDim(d));
      dims.push_back(e);
    }
    Dims ints = dims;
    if (v.const_kind == ConstKind::kFill) {
      if (v.fill_attr_var.empty()) {
        ints.push_back(alg_.ctx().int_val(FloatBits(v.fill_value)));
      } else {
        auto it = attr_ints_.find(v.fill_attr_var);
        if (it == attr_ints_.end() || it->second.size() != 1) {
          return absl::InvalidArgumentError(
              absl::StrCat("fill ?", v.fill_attr_var, " is not a number"));
        }
        ints.push_back(it->second[0]);
      }
    }
    if (as_axiom_ && InSource(v.name)) {
      for (size_t i = 0; i < ints.size(); ++i) {
        z3::expr fresh = alg_.ctx().int_const(
            absl::StrCat(prefix_, v.name, "#", i).c_str());
        out_.int_vars.push_back(fresh);
        out_.hypotheses.push_back(fresh == ints[i]);
        ints[i] = fresh;
      }
    }
    std::string name = absl::StrCat("const:", ConstKindName(v.const_kind),
                                     "/", ints.size());
    z3::expr t = alg_.Apply(name, ints, {});
    for (size_t k = 0; k < dims.size(); ++k) {
      out_.facts.push_back(alg_.Dim(t, static_cast<int>(k)) == dims[k]);
    }
    return SymValue{t, std::move(dims)};
  }

  bool InSource(const std::string& name) const {
    for (const Node& n : rule_.source.graph.nodes()) {
      if (n.op == OpKind::kWeight && n.name == name) return true;
    }
    return false;
  }

  absl::StatusOr<SymAttrs> Fields(const Pattern& p, NodeId id) {
    const Node& n = p.graph.node(id);
    SymAttrs attrs;
    for (const std::string& field : rules_internal::FieldNames(n.attrs)) {
      std::optional<AttrValue> v = rules_internal::GetField(n.attrs, field);
      Dims ints;
      for (int64_t i : Flatten(*v)) ints.push_back(alg_.ctx().int_val(i));
      attrs[field] = std::move(ints);
    }
    for (const AttrBinding& b : p.bindings) {
      if (b.node != id) continue;
      Dims ints;
      if (!b.attr_var.empty()) {
        auto it = attr_ints_.find(b.attr_var);
        if (it == attr_ints_.end()) {
          return absl::InvalidArgumentError(
              absl::StrCat("unknown attribute variable ?", b.attr_var));
        }
        ints = it->second;
      } else {
        for (const DimExpr& d : b.dims) {
          TSOPT_ASSIGN_OR_RETURN(z3::expr e, SymDim(d));
          ints.push_back(e);
        }
      }
      attrs[b.field] = std::move(ints);
    }
    return attrs;
  }

  absl::Status Side(const Pattern& p, std::vector<z3::expr>& outputs,
                    std::vector<Dims>& output_dims) {
    std::map<ValueId, SymValue> values;
    for (NodeId id = 0; id < p.graph.num_nodes(); ++id) {
      const Node& n = p.graph.node(id);
      if (n.op == OpKind::kInput || n.op == OpKind::kWeight) {
        auto it = vars_.find(n.name);
        if (it == vars_.end()) {
          return absl::InvalidArgumentError(
              absl::StrCat("leaf '", n.name, "' is not a rule variable"));
        }
        values.emplace(ValueId{id, 0}, it->second);
        continue;
      }
      TSOPT_ASSIGN_OR_RETURN(SymAttrs attrs, Fields(p, id));
      std::vector<z3::expr> ints, tensors;
      for (const auto& field : rules_internal::FieldNames(n.attrs)) {
        for (const z3::expr& e : attrs.at(field)) ints.push_back(e);
      }
      std::vector<Dims> in;
      for (ValueId v : n.inputs) {
        tensors.push_back(values.at(v).term);
        in.push_back(values.at(v).dims);
      }
      TSOPT_ASSIGN_OR_RETURN(
          SymShapeResult shape,
          SymShape(alg_, n.op, attrs, n.num_outputs(), in));
      for (const z3::expr& v : shape.valid) out_.hypotheses.push_back(v);
      // Batched matmul reads its operands' dims by rank: its functions are
      // kept apart per rank, so a rank-2 axiom never states rank-3 facts.
      // (Every other operator's axioms hold at any rank.)
      std::string base = absl::StrCat(OpMnemonic(n.op), "/", ints.size(), "/",
                                      tensors.size());
      if (n.op == OpKind::kMatMul) {
        absl::StrAppend(&base, "@", shape.outputs[0].size());
      }
      for (int o = 0; o < n.num_outputs(); ++o) {
        std::string name =
            n.num_outputs() == 1 ? base : absl::StrCat(base, "#", o);
        z3::expr t = alg_.Apply(name, ints, tensors);
        const Dims& dims = shape.outputs.at(o);
        for (size_t k = 0; k < dims.size(); ++k) {
          out_.facts.push_back(alg_.Dim(t, static_cast<int>(k)) == dims[k]);
        }
        values.emplace(ValueId{id, o}, SymValue{t, dims});
      }
    }
    for (ValueId v : p.graph.outputs()) {
      outputs.push_back(values.at(v).term);
      output_dims.push_back(values.at(v).dims);
    }
    return absl::OkStatus();
  }

  Algebra& alg_;
  const Rule& rule_;
  std::string prefix_;
  bool as_axiom_;
  EncodedRule out_;
  std::map<std::string, Dims> attr_ints_;
  std::map<std::string, SymValue> vars_;
};

}  // namespace

absl::StatusOr<EncodedRule> EncodeRule(Algebra& alg, const Rule& rule,
                                       const std::string& prefix,
                                       bool as_axiom) {
  try {
    return RuleEncoder(alg, rule, prefix, as_axiom).Run();
  } catch (const z3::exception& e) {
    return absl::InternalError(
        absl::StrCat("rule ", rule.name, ": z3: ", e.msg()));
  }
}

}  // namespace tsopt::verifier

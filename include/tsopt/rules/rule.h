// Substitution rules as data: a Rule is a named pair of patterns (source and
// target) over pattern variables, with an output map, attribute variables,
// shape constraints, provenance and a verification status. A RuleSet is a
// frozen, validated collection indexed by the root operator of the source.
// The text format (rules/README.md) is read and written by rule_text.h.
//
// Patterns reuse the IR. Each side is a tsopt::Graph built at the rule's
// EXAMPLE shapes (the small concrete shapes the rule was found or written
// at), so the reference evaluator can run both sides on concrete tensors:
//   - every non-constant pattern variable is an Input node named after the
//     variable; both sides hold the same Input nodes in the same order (the
//     order of Rule::vars), so one input list feeds both;
//   - a constant variable (identity matrix, identity conv kernel, ...) is a
//     Weight node named after the variable, with its data at the example
//     shape;
//   - the graph outputs are the output map: source output i is replaced by
//     target output i (several for multi-output rules).
//
//   matmul-assoc:   (matmul (matmul a b) c)  =>  (matmul a (matmul b c))
//     source graph: a b c -> matmul -> matmul -> out0
//     target graph: a b c -> matmul(b,c) -> matmul(a, .) -> out0
//
// Attributes in patterns: a pattern node's attributes are concrete (what the
// Graph node holds), except the fields listed in Pattern::bindings, which
// are bound to an attribute variable (`?s`: the same stride on two convs) or
// computed from the dims of pattern variables (split sizes
// `[(dim w1 0) (dim w2 0)]`). In a source pattern, a concrete field must
// equal the matched node's field exactly; a bound field binds or checks its
// variable. In a target pattern, every field is concrete or computed.
//
// Shapes: a rule is meant to match at ANY shape. The matcher decides shape
// compatibility by construction: it binds the variables to the matched
// values, checks Rule::where (dim equalities, e.g. `(= (dim w 2) 1)` for a
// 1x1 kernel), instantiates the target at the bound shapes (Instantiate
// below) and rejects the match if shape inference fails there or the target
// output shapes differ from the matched source outputs. A rule therefore
// claims: wherever both sides type-check with equal output shapes and the
// `where` constraints hold, they compute the same values. The generator finds
// rules at the example shapes; the verifier proves the claim.
//
// Variable roles: `act` matches any value; `weight` matches a value computed
// from Weight nodes only (so weight-only subexpressions of a target can be
// folded ahead of time); `scalar` is a rank-0 value; `const` matches a Weight
// node whose data equals the constant at its shape, and in a target creates
// that constant.
#ifndef TSOPT_RULES_RULE_H_
#define TSOPT_RULES_RULE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "tsopt/ir/graph.h"

namespace tsopt {

enum class VarRole { kActivation, kWeight, kScalar, kConstant };
absl::string_view VarRoleName(VarRole role);  // "act", "weight", ...

// TASO's constant tensors (plus a fill value), made by MakeConstant.
enum class ConstKind {
  kIdentityMatrix,  // [n, n], 1 on the diagonal
  kIdentityConv,    // [c, c, kh, kw] (kh, kw odd): 1 at the center of o == i
  kAverageKernel,   // [c, c, kh, kw]: 1/(kh*kw) where o == i (avgpool as conv)
  kOnes,            // any shape, all 1
  kFill,            // any shape, all PatternVar::fill_value
};
absl::string_view ConstKindName(ConstKind kind);  // "identity-matrix", ...

// A dimension: a literal, or dim `axis` of variable `var`'s shape
// (`(dim w 0)`; a negative axis counts from the end).
struct DimExpr {
  std::string var;  // empty: literal
  int64_t value = 0;  // the literal, or the axis

  static DimExpr Literal(int64_t v) { return {"", v}; }
  static DimExpr Dim(std::string var, int64_t axis) {
    return {std::move(var), axis};
  }
  bool is_literal() const { return var.empty(); }
  friend bool operator==(const DimExpr& a, const DimExpr& b) {
    return a.var == b.var && a.value == b.value;
  }
};

// The value of an attribute variable (one attribute field's type).
using AttrValue =
    std::variant<int64_t, float, std::vector<int64_t>, Activation, std::string>;

// A non-concrete attribute field of one pattern node.
struct AttrBinding {
  NodeId node = -1;
  std::string field;      // "stride"
  std::string attr_var;   // "s" (without '?'); empty when `dims` is used
  // The field computed from dims: one entry for an int field, a list for a
  // list field (`is_list`).
  std::vector<DimExpr> dims;
  bool is_list = false;
};

struct Pattern {
  Graph graph;
  std::vector<AttrBinding> bindings;
};

struct PatternVar {
  std::string name;
  VarRole role = VarRole::kActivation;
  std::vector<int64_t> example_shape;  // the shape of the Graph node
  // Constants only.
  ConstKind const_kind = ConstKind::kOnes;
  float fill_value = 0.0f;       // kFill with a literal value
  std::string fill_attr_var;     // kFill with an attribute variable's value
  std::vector<DimExpr> const_shape;
};

struct AttrVar {
  std::string name;  // without '?'
  AttrValue example;
};

// `(= lhs rhs)`: two dims are equal.
struct ShapeConstraint {
  DimExpr lhs;
  DimExpr rhs;
};

struct Provenance {
  bool hand_written = false;
  std::string source;  // hand-written: where it comes from (may be empty)
  // Generated rules:
  std::string generator;          // "tsopt-rulegen 1"
  std::vector<std::string> ops;   // the operator set (mnemonics)
  int max_ops = 0;
  uint64_t seed = 0;
};

enum class VerificationStatus { kUnverified, kProved, kRefuted, kUnknown };
absl::string_view VerificationStatusName(VerificationStatus s);

struct Rule {
  std::string name;  // stable kebab-case id
  Provenance provenance;
  VerificationStatus status = VerificationStatus::kUnverified;
  std::vector<PatternVar> vars;
  std::vector<AttrVar> attr_vars;
  std::vector<ShapeConstraint> where;
  Pattern source;
  Pattern target;

  const PatternVar* FindVar(absl::string_view name) const;
  const AttrVar* FindAttrVar(absl::string_view name) const;
  // The operator at the root of the source (that of its first output), or
  // nullopt when that output is a variable.
  std::optional<OpKind> RootOp() const;
};

// Concrete shapes and attribute values for a rule's variables.
struct RuleBinding {
  std::map<std::string, Shape> shapes;         // every non-constant variable
  std::map<std::string, AttrValue> attr_vars;  // missing: the example value
};

// Evaluates a dim expression against variable shapes.
absl::StatusOr<int64_t> EvalDim(const DimExpr& d,
                                const std::map<std::string, Shape>& shapes);

// Builds `pattern` (a side of `rule`) at the binding's shapes and attribute
// values: Input nodes get the bound shapes, constants are made at their
// computed shapes, bound attribute fields are filled in, and every node goes
// through shape inference. Fails (InvalidArgument) where the pattern does
// not type-check at those shapes or a `where` constraint does not hold.
absl::StatusOr<Graph> Instantiate(const Rule& rule, const Pattern& pattern,
                                  const RuleBinding& binding);

// Makes a constant of a kind at a shape (MakeConstant's contract).
using ConstantMaker =
    std::function<absl::StatusOr<std::shared_ptr<const WeightData>>(
        ConstKind kind, const Shape& shape, float fill_value)>;
// Instantiate with the constants made by `make_constant` (the search shares
// them between the many bindings it instantiates).
absl::StatusOr<Graph> Instantiate(const Rule& rule, const Pattern& pattern,
                                  const RuleBinding& binding,
                                  const ConstantMaker& make_constant);

// The binding of the rule's example shapes and attribute values.
RuleBinding ExampleBinding(const Rule& rule);

// Checks a rule's internal consistency: kebab-case name, distinct variable
// names, Input nodes matching `vars`, bindings naming real fields of the
// right type, attribute and dim variables bound in the source, equal output
// counts and example output shapes on both sides.
absl::Status ValidateRule(const Rule& rule);

// A frozen, validated set of rules with unique names, indexed by root op.
class RuleSet {
 public:
  static absl::StatusOr<RuleSet> Create(std::vector<Rule> rules);

  absl::Span<const Rule> rules() const { return rules_; }
  int size() const { return static_cast<int>(rules_.size()); }
  // Indices into rules() whose source root is `op`.
  absl::Span<const int> RulesWithRoot(OpKind op) const;
  // Indices of rules whose source root is a variable (match anywhere).
  absl::Span<const int> RulesWithVariableRoot() const {
    return variable_root_;
  }
  const Rule* Find(absl::string_view name) const;

 private:
  std::vector<Rule> rules_;
  std::vector<std::vector<int>> by_root_;  // indexed by OpKind
  std::vector<int> variable_root_;
};

}  // namespace tsopt

#endif  // TSOPT_RULES_RULE_H_

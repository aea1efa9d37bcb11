// Output symmetries of source patterns: a small backtracking search for
// automorphisms (see tsopt/search/rule_symmetry.h). Patterns have a handful
// of nodes, so states are copied at each branch.
#include "tsopt/search/rule_symmetry.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <string>
#include <utility>

namespace tsopt {
namespace {

using Pairs = std::vector<std::pair<ValueId, ValueId>>;

class AutomorphismFinder {
 public:
  explicit AutomorphismFinder(const Rule& rule)
      : rule_(rule), p_(rule.source.graph), bindings_(p_.num_nodes()) {
    for (const AttrBinding& b : rule.source.bindings) {
      bindings_[b.node].push_back(&b);
    }
  }

  // True when an automorphism maps output i to output perm[i].
  bool Exists(const std::vector<int>& perm) const {
    Pairs todo;
    for (size_t i = 0; i < perm.size(); ++i) {
      todo.push_back({p_.outputs()[i], p_.outputs()[perm[i]]});
    }
    return Solve(std::vector<NodeId>(p_.num_nodes(), -1), std::move(todo));
  }

 private:
  bool Solve(std::vector<NodeId> f, Pairs todo) const {
    while (!todo.empty()) {
      auto [va, vb] = todo.back();
      todo.pop_back();
      if (va.output != vb.output) return false;
      NodeId a = va.node, b = vb.node;
      if (f[a] >= 0) {
        if (f[a] != b) return false;
        continue;
      }
      if (std::find(f.begin(), f.end(), b) != f.end()) return false;
      if (!LocalEqual(a, b)) return false;
      f[a] = b;
      const std::vector<ValueId>& in_a = p_.node(a).inputs;
      const std::vector<ValueId>& in_b = p_.node(b).inputs;
      if (GetOpInfo(p_.node(a).op).commutative && in_a.size() == 2) {
        Pairs swapped = todo;
        swapped.push_back({in_a[0], in_b[1]});
        swapped.push_back({in_a[1], in_b[0]});
        if (Solve(f, std::move(swapped))) return true;
      }
      for (size_t i = 0; i < in_a.size(); ++i) {
        todo.push_back({in_a[i], in_b[i]});
      }
    }
    return Complete(f);
  }

  // Same operator, attributes, attribute variables and variable role.
  bool LocalEqual(NodeId a, NodeId b) const {
    const Node& na = p_.node(a);
    const Node& nb = p_.node(b);
    if (na.op != nb.op || na.inputs.size() != nb.inputs.size()) return false;
    if (na.op == OpKind::kInput) {  // its attributes hold the example shape
      const PatternVar* x = rule_.FindVar(na.name);
      const PatternVar* y = rule_.FindVar(nb.name);
      return x != nullptr && y != nullptr && x->role == y->role;
    }
    if (!(na.attrs == nb.attrs) ||
        bindings_[a].size() != bindings_[b].size()) {
      return false;
    }
    for (const AttrBinding* x : bindings_[a]) {
      if (x->attr_var.empty()) continue;  // dims: checked in Complete
      bool found = false;
      for (const AttrBinding* y : bindings_[b]) {
        found |= y->field == x->field && y->attr_var == x->attr_var;
      }
      if (!found) return false;
    }
    return true;
  }

  // Every node mapped; `where` and dim-computed fields unchanged under the
  // variable renaming the map induces.
  bool Complete(const std::vector<NodeId>& f) const {
    std::map<std::string, std::string> rename;
    for (NodeId a = 0; a < p_.num_nodes(); ++a) {
      if (f[a] < 0) return false;
      if (p_.node(a).op == OpKind::kInput) {
        rename[p_.node(a).name] = p_.node(f[a]).name;
      }
    }
    auto renamed = [&](const DimExpr& d) {
      if (d.is_literal()) return d;
      auto it = rename.find(d.var);
      return it == rename.end() ? d : DimExpr::Dim(it->second, d.value);
    };
    for (const ShapeConstraint& c : rule_.where) {
      DimExpr l = renamed(c.lhs), r = renamed(c.rhs);
      bool found = false;
      for (const ShapeConstraint& o : rule_.where) {
        found |= (o.lhs == l && o.rhs == r) || (o.lhs == r && o.rhs == l);
      }
      if (!found) return false;
    }
    for (NodeId a = 0; a < p_.num_nodes(); ++a) {
      for (const AttrBinding* x : bindings_[a]) {
        if (!x->attr_var.empty()) continue;
        std::vector<DimExpr> dims;
        for (const DimExpr& d : x->dims) dims.push_back(renamed(d));
        bool found = false;
        for (const AttrBinding* y : bindings_[f[a]]) {
          found |= y->attr_var.empty() && y->field == x->field &&
                   y->is_list == x->is_list && y->dims == dims;
        }
        if (!found) return false;
      }
    }
    return true;
  }

  const Rule& rule_;
  const Graph& p_;
  std::vector<std::vector<const AttrBinding*>> bindings_;
};

}  // namespace

std::vector<std::vector<int>> OutputSymmetries(const Rule& rule) {
  std::vector<std::vector<int>> result;
  const Graph& p = rule.source.graph;
  const int k = static_cast<int>(p.outputs().size());
  if (k < 2 || k > kMaxSymmetricOutputs) return result;
  for (const PatternVar& v : rule.vars) {
    if (v.role == VarRole::kConstant) return result;
  }
  for (ValueId out : p.outputs()) {
    OpKind op = p.node(out.node).op;
    if (op == OpKind::kInput || op == OpKind::kWeight) return result;
  }
  AutomorphismFinder finder(rule);
  std::vector<int> perm(k);
  std::iota(perm.begin(), perm.end(), 0);
  while (std::next_permutation(perm.begin(), perm.end())) {
    if (finder.Exists(perm)) result.push_back(perm);
  }
  return result;
}

bool HasSmallerMirror(const std::vector<std::vector<int>>& symmetries,
                      absl::Span<const ValueId> outputs) {
  for (const std::vector<int>& perm : symmetries) {
    for (size_t i = 0; i < perm.size(); ++i) {
      ValueId mirrored = outputs[perm[i]];
      if (mirrored != outputs[i]) {
        if (mirrored < outputs[i]) return true;
        break;
      }
    }
  }
  return false;
}

}  // namespace tsopt

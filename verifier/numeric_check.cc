// The numeric cross-check of a rule (tsopt/verifier/numeric_check.h).
#include "tsopt/verifier/numeric_check.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tsopt/reference/evaluator.h"

namespace tsopt {
namespace {

// Dim maps applied to every example dim: other sizes of the same rule.
const std::vector<std::function<int64_t(int64_t)>>& DimMaps() {
  static const auto* maps = new std::vector<std::function<int64_t(int64_t)>>{
      [](int64_t d) { return d; },
      [](int64_t d) { return d == 1 ? d : d + 1; },
      [](int64_t d) { return d == 1 ? d : d + 2; },
      [](int64_t d) { return d + 1; },
      [](int64_t d) { return d == 1 ? d : 2 * d - 1; },
  };
  return *maps;
}

// Integer maps applied to every integer of every attribute variable.
const std::vector<std::function<int64_t(int64_t)>>& AttrMaps() {
  static const auto* maps = new std::vector<std::function<int64_t(int64_t)>>{
      [](int64_t v) { return v; },
      [](int64_t v) { return v + 1; },
      [](int64_t v) { return std::max<int64_t>(v - 1, 0); },
      [](int64_t v) { return v + 2; },
  };
  return *maps;
}

AttrValue MapAttr(const AttrValue& v,
                  const std::function<int64_t(int64_t)>& f) {
  if (const int64_t* i = std::get_if<int64_t>(&v)) return f(*i);
  if (const auto* l = std::get_if<std::vector<int64_t>>(&v)) {
    std::vector<int64_t> out;
    for (int64_t x : *l) out.push_back(f(x));
    return out;
  }
  return v;  // floats, activations, strings keep their example
}

std::vector<RuleBinding> Bindings(const Rule& rule, bool vary_attrs) {
  std::vector<RuleBinding> out;
  const size_t attr_variants = vary_attrs ? AttrMaps().size() : 1;
  for (const auto& dim_map : DimMaps()) {
    for (size_t a = 0; a < attr_variants; ++a) {
      RuleBinding b;
      for (const PatternVar& v : rule.vars) {
        if (v.role == VarRole::kConstant) continue;
        std::vector<int64_t> dims;
        for (int64_t d : v.example_shape) dims.push_back(dim_map(d));
        b.shapes[v.name] = Shape(dims);
      }
      for (const AttrVar& v : rule.attr_vars) {
        b.attr_vars[v.name] = MapAttr(v.example, AttrMaps()[a]);
      }
      out.push_back(std::move(b));
    }
  }
  return out;
}

std::string BindingText(const RuleBinding& b) {
  std::string s;
  for (const auto& [name, shape] : b.shapes) {
    absl::StrAppend(&s, s.empty() ? "" : " ", name, shape.ToString());
  }
  for (const auto& [name, value] : b.attr_vars) {
    if (const int64_t* i = std::get_if<int64_t>(&value)) {
      absl::StrAppend(&s, " ?", name, "=", *i);
    } else if (const auto* l = std::get_if<std::vector<int64_t>>(&value)) {
      absl::StrAppend(&s, " ?", name, "=", DimsToString(*l));
    }
  }
  return s;
}

// Inputs of `g` in InputNodes() order, by variable name.
template <typename T>
std::vector<T> InputsFor(const Graph& g, const std::map<std::string, T>& by) {
  std::vector<T> out;
  for (NodeId id : g.InputNodes()) out.push_back(by.at(g.node(id).name));
  return out;
}

bool AllFinite(const std::vector<Tensor>& ts) {
  for (const Tensor& t : ts) {
    for (float f : t.data) {
      if (!std::isfinite(f)) return false;
    }
  }
  return true;
}

// Empty when the float outputs agree.
std::string CompareFloat(const std::vector<Tensor>& a,
                         const std::vector<Tensor>& b, float tol) {
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].shape != b[i].shape) {
      return absl::StrCat("output ", i, " shapes ", a[i].shape.ToString(),
                          " vs ", b[i].shape.ToString());
    }
    float scale = 0;
    for (float f : a[i].data) scale = std::max(scale, std::fabs(f));
    for (size_t k = 0; k < a[i].data.size(); ++k) {
      const float d = std::fabs(a[i].data[k] - b[i].data[k]);
      if (!(d <= tol * (1 + scale))) {
        return absl::StrCat("output ", i, " element ", k, ": ",
                            a[i].data[k], " vs ", b[i].data[k]);
      }
    }
  }
  return "";
}

bool UsesMaxPool(const Graph& g) {
  for (const Node& n : g.nodes()) {
    if (n.op == OpKind::kMaxPool2D) return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<NumericCheckResult> CheckRuleNumerically(
    const Rule& rule, const NumericCheckOptions& options) {
  NumericCheckResult r;
  uint64_t seed = options.seed;
  for (const RuleBinding& b : Bindings(rule, options.vary_attrs)) {
    absl::StatusOr<Graph> src = Instantiate(rule, rule.source, b);
    if (!src.ok()) continue;
    absl::StatusOr<Graph> tgt = Instantiate(rule, rule.target, b);
    if (!tgt.ok()) continue;
    bool same_shapes = src->outputs().size() == tgt->outputs().size();
    for (size_t i = 0; same_shapes && i < src->outputs().size(); ++i) {
      same_shapes = src->shape(src->outputs()[i]) == tgt->shape(tgt->outputs()[i]);
    }
    if (!same_shapes) continue;
    ++r.bindings;
    const std::string where = absl::StrCat(" at ", BindingText(b));

    // Float: inputs in [-1, 1); where that leaves the domain (sqrt of a
    // negative), in [0.5, 1.5).
    for (float lo : {-1.0f, 0.5f}) {
      std::map<std::string, Tensor> by_name;
      for (NodeId id : src->InputNodes()) {
        const Node& n = src->node(id);
        by_name[n.name] =
            Tensor::Random(n.output_shapes[0], ++seed, lo,
                                      lo < 0 ? 1.0f : 1.5f);
      }
      // An operator the evaluator refuses leaves this binding unchecked.
      absl::StatusOr<std::vector<Tensor>> a =
          Evaluate(*src, InputsFor(*src, by_name));
      if (!a.ok() || !AllFinite(*a)) continue;
      absl::StatusOr<std::vector<Tensor>> c =
          Evaluate(*tgt, InputsFor(*tgt, by_name));
      if (!c.ok()) continue;
      std::string diff = CompareFloat(*a, *c, options.tolerance);
      if (!diff.empty()) {
        r.failure = absl::StrCat("float ", diff, where);
        return r;
      }
      ++r.float_checked;
      break;
    }

    // Modular: exact; skipped for operators without a modular form, and
    // for maxpool, whose modular form (largest residue) does not commute
    // with the polynomial stand-ins of the activations.
    if (UsesMaxPool(*src) || UsesMaxPool(*tgt)) continue;
    std::map<std::string, ModTensor> by_name;
    for (NodeId id : src->InputNodes()) {
      const Node& n = src->node(id);
      by_name[n.name] = ModTensor::Random(n.output_shapes[0], ++seed);
    }
    absl::StatusOr<std::vector<ModTensor>> ma =
        EvaluateModular(*src, InputsFor(*src, by_name));
    absl::StatusOr<std::vector<ModTensor>> mc =
        ma.ok() ? EvaluateModular(*tgt, InputsFor(*tgt, by_name)) : ma;
    if (!ma.ok() || !mc.ok()) continue;
    for (size_t i = 0; i < ma->size(); ++i) {
      if ((*ma)[i].data != (*mc)[i].data) {
        r.failure = absl::StrCat("modular output ", i, " differs", where);
        return r;
      }
    }
    ++r.modular_checked;
  }
  if (r.bindings == 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "rule ", rule.name, ": no binding type-checks on both sides"));
  }
  return r;
}

}  // namespace tsopt

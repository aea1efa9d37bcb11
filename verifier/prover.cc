// Axioms as quantified Z3 formulas, and one proof query per rule.
#include "verifier/prover.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "tsopt/util/status_macros.h"
#include "verifier/encode.h"

namespace tsopt::verifier {
namespace {

// Axioms whose trigger is the smallest part of the source that holds every
// variable, rather than the whole source: `concat-split` fires on a split
// (making every split value a concat of its parts), not on a concat of splits.
bool TriggersOnSubterm(const std::string& name) {
  return name == "concat-split";
}

// push() now, pop() on every way out (also when Z3 throws), so no rule's
// assertions outlive its query.
class Scope {
 public:
  explicit Scope(z3::solver& s) : s_(s) { s_.push(); }
  ~Scope() {
    try {
      s_.pop();
    } catch (const z3::exception&) {
      // pop() after a matching push() only fails if Z3 itself is broken.
    }
  }
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

 private:
  z3::solver& s_;
};

z3::expr Conjunction(z3::context& c, const std::vector<z3::expr>& es) {
  z3::expr_vector v(c);
  for (const z3::expr& e : es) v.push_back(e);
  return z3::mk_and(v);
}

void CollectConstants(const z3::expr& e, std::set<unsigned>& out) {
  if (e.is_app() && e.num_args() == 0 &&
      e.decl().decl_kind() == Z3_OP_UNINTERPRETED) {
    out.insert(e.id());
    return;
  }
  if (!e.is_app()) return;
  for (unsigned i = 0; i < e.num_args(); ++i) CollectConstants(e.arg(i), out);
}

bool ContainsAll(const std::vector<z3::expr>& terms,
                 const std::set<unsigned>& vars) {
  std::set<unsigned> found;
  for (const z3::expr& t : terms) CollectConstants(t, found);
  for (unsigned v : vars) {
    if (!found.count(v)) return false;
  }
  return true;
}

// The deepest tensor-valued subterm of `e` that holds every variable.
std::optional<z3::expr> SmallestCover(const z3::expr& e,
                                      const std::set<unsigned>& vars,
                                      const z3::sort& tensor) {
  if (!e.is_app()) return std::nullopt;
  for (unsigned i = 0; i < e.num_args(); ++i) {
    if (auto sub = SmallestCover(e.arg(i), vars, tensor)) return sub;
  }
  if (e.num_args() > 0 && z3::eq(e.get_sort(), tensor) &&
      ContainsAll({e}, vars)) {
    return e;
  }
  return std::nullopt;
}

absl::StatusOr<z3::expr> Quantify(Algebra& alg, const Rule& axiom,
                                  const EncodedRule& enc) {
  z3::context& c = alg.ctx();
  std::vector<z3::expr> bound = enc.tensor_vars;
  bound.insert(bound.end(), enc.int_vars.begin(), enc.int_vars.end());
  std::set<unsigned> var_ids;
  for (const z3::expr& v : bound) var_ids.insert(v.id());

  std::vector<z3::expr> conclusion = enc.facts;
  for (size_t i = 0; i < enc.source_outputs.size(); ++i) {
    conclusion.push_back(enc.source_outputs[i] == enc.target_outputs[i]);
  }
  z3::expr body = z3::implies(Conjunction(c, enc.hypotheses),
                              Conjunction(c, conclusion));

  std::vector<z3::expr> trigger;
  if (TriggersOnSubterm(axiom.name)) {
    for (const z3::expr& s : enc.source_outputs) {
      if (auto sub = SmallestCover(s, var_ids, alg.tensor_sort())) {
        trigger = {*sub};
        break;
      }
    }
  } else {
    trigger = enc.source_outputs;
  }
  for (const z3::expr& t : trigger) {
    if (t.is_const()) trigger.clear();
  }
  if (trigger.empty() || !ContainsAll(trigger, var_ids)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "axiom ", axiom.name,
        ": its source cannot trigger it (a bare variable, or a variable "
        "only the target uses)"));
  }
  std::vector<Z3_app> apps;
  for (const z3::expr& v : bound) apps.push_back(Z3_to_app(c, v));
  std::vector<Z3_ast> terms;
  for (const z3::expr& t : trigger) terms.push_back(t);
  Z3_pattern pattern =
      Z3_mk_pattern(c, static_cast<unsigned>(terms.size()), terms.data());
  Z3_ast q = Z3_mk_forall_const(c, 0, static_cast<unsigned>(apps.size()),
                                apps.data(), 1, &pattern, body);
  c.check_error();
  return z3::expr(c, q);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Prover>> Prover::Create(
    absl::Span<const Rule> axioms) {
  std::unique_ptr<Prover> p(new Prover());
  try {
    for (size_t i = 0; i < axioms.size(); ++i) {
      TSOPT_ASSIGN_OR_RETURN(
          EncodedRule enc,
          EncodeRule(p->alg_, axioms[i], absl::StrCat("ax", i, "."),
                     /*as_axiom=*/true));
      TSOPT_ASSIGN_OR_RETURN(z3::expr q, Quantify(p->alg_, axioms[i], enc));
      p->with_axioms_.add(q);
    }
    // A window of stride 1 slides span - 1 times: (span - 1) / 1 + 1 = span.
    z3::expr n = p->ctx_.int_const("window.n");
    z3::expr unit = p->alg_.WindowOut(n, p->ctx_.int_val(1));
    p->with_axioms_.add(z3::forall(n, z3::implies(n >= 1, unit == n)));
    z3::params params(p->ctx_);
    params.set("mbqi", false);
    params.set("auto_config", false);
    p->with_axioms_.set(params);
    p->shapes_only_.set(params);
  } catch (const z3::exception& e) {
    return absl::InternalError(absl::StrCat("z3: ", e.msg()));
  }
  return p;
}

absl::StatusOr<ProofOutcome> Prover::Prove(const Rule& rule, int timeout_ms) {
  absl::StatusOr<EncodedRule> enc = EncodeRule(alg_, rule, "r.");
  if (!enc.ok()) {
    if (absl::IsUnimplemented(enc.status())) {
      return ProofOutcome{ProofResult::kNotProved,
                          std::string(enc.status().message())};
    }
    return enc.status();
  }
  try {
    z3::params params(ctx_);
    params.set("timeout", static_cast<unsigned>(timeout_ms));

    // A rule whose constraints never hold would be proved vacuously.
    shapes_only_.set(params);
    z3::check_result consistent = z3::unknown;
    {
      Scope scope(shapes_only_);
      for (const z3::expr& h : enc->hypotheses) shapes_only_.add(h);
      for (const z3::expr& f : enc->facts) shapes_only_.add(f);
      consistent = shapes_only_.check();
    }
    if (consistent == z3::unsat) {
      return ProofOutcome{ProofResult::kNotProved,
                          "the rule's shape constraints are unsatisfiable"};
    }

    z3::solver& s = with_axioms_;
    s.set(params);
    Scope scope(s);
    for (const z3::expr& h : enc->hypotheses) s.add(h);
    for (const z3::expr& f : enc->facts) s.add(f);
    std::vector<z3::expr> goals;
    for (size_t i = 0; i < enc->source_outputs.size(); ++i) {
      goals.push_back(enc->source_outputs[i] == enc->target_outputs[i]);
    }
    s.add(!Conjunction(ctx_, goals));
    const z3::check_result result = s.check();
    const std::string why = result == z3::unknown ? s.reason_unknown() : "";
    switch (result) {
      case z3::unsat:
        return ProofOutcome{ProofResult::kProved, ""};
      case z3::sat:
        return ProofOutcome{ProofResult::kNotProved,
                            "the axioms admit a model where the sides differ"};
      case z3::unknown: {
        if (why.find("timeout") != std::string::npos ||
            why.find("canceled") != std::string::npos) {
          return ProofOutcome{ProofResult::kTimeout,
                              absl::StrCat("timeout after ", timeout_ms, " ms")};
        }
        return ProofOutcome{ProofResult::kNotProved,
                            absl::StrCat("no proof from the axioms (", why,
                                         ")")};
      }
    }
  } catch (const z3::exception& e) {
    return absl::InternalError(
        absl::StrCat("rule ", rule.name, ": z3: ", e.msg()));
  }
  return absl::InternalError("unreachable");
}

}  // namespace tsopt::verifier

// VerifyRules / MarkVerified (tsopt/verifier/verify.h): Z3 proofs on a pool
// of threads (one Z3 context each), then the numeric cross-check.
#include "tsopt/verifier/verify.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tsopt/util/status_macros.h"
#include "tsopt/verifier/axioms.h"
#include "tsopt/verifier/numeric_check.h"
#include "verifier/prover.h"

namespace tsopt {
namespace {

using Clock = std::chrono::steady_clock;

absl::StatusOr<RuleVerdict> VerifyOne(verifier::Prover& prover,
                                      const Rule& rule,
                                      const VerifyOptions& options) {
  RuleVerdict v;
  v.rule = rule.name;
  const Clock::time_point start = Clock::now();
  TSOPT_ASSIGN_OR_RETURN(verifier::ProofOutcome proof,
                         prover.Prove(rule, options.timeout_ms));
  v.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  v.z3_proved = proof.result == verifier::ProofResult::kProved;
  v.detail = proof.detail;
  v.status = v.z3_proved ? VerificationStatus::kProved
                         : VerificationStatus::kUnknown;
  if (!options.numeric_check) return v;

  NumericCheckOptions numeric;
  numeric.seed = options.seed;
  absl::StatusOr<NumericCheckResult> n = CheckRuleNumerically(rule, numeric);
  if (!n.ok()) {
    // No binding type-checks: nothing was compared.
    if (v.z3_proved) v.detail = std::string(n.status().message());
    return v;
  }
  v.numeric_bindings = n->bindings;
  if (!n->failure.empty()) {
    v.status = VerificationStatus::kRefuted;
    v.axiom_bug = v.z3_proved;
    v.detail = absl::StrCat(
        v.axiom_bug ? "AXIOM BUG: proved by Z3 but refuted numerically: "
                    : "refuted numerically: ",
        n->failure);
  }
  return v;
}

std::string JsonEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += absl::StrFormat("\\u%04x", c);
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<RuleVerdict>> VerifyRules(
    absl::Span<const Rule> rules, const VerifyOptions& options) {
  if (options.timeout_ms <= 0) {
    return absl::InvalidArgumentError("the timeout must be positive");
  }
  if (options.threads <= 0) {
    return absl::InvalidArgumentError("the thread count must be positive");
  }
  std::vector<Rule> axioms = options.axioms;
  if (axioms.empty()) {
    TSOPT_ASSIGN_OR_RETURN(axioms, OperatorAxioms());
  }
  std::vector<RuleVerdict> verdicts(rules.size());
  std::atomic<size_t> next{0};
  std::mutex mu;
  int done = 0;
  absl::Status error;

  auto worker = [&]() {
    absl::StatusOr<std::unique_ptr<verifier::Prover>> prover =
        verifier::Prover::Create(axioms);
    if (!prover.ok()) {
      std::lock_guard<std::mutex> lock(mu);
      error.Update(prover.status());
      return;
    }
    for (size_t i = next++; i < rules.size(); i = next++) {
      absl::StatusOr<RuleVerdict> v = VerifyOne(**prover, rules[i], options);
      std::lock_guard<std::mutex> lock(mu);
      if (!v.ok()) {
        error.Update(v.status());
        continue;
      }
      verdicts[i] = *std::move(v);
      ++done;
      if (options.on_progress) {
        options.on_progress(done, static_cast<int>(rules.size()), verdicts[i]);
      }
    }
  };
  const int threads =
      std::min<int>(options.threads, std::max<int>(1, rules.size()));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
  if (!error.ok()) return error;
  return verdicts;
}

absl::StatusOr<std::vector<RuleVerdict>> MarkVerified(
    std::vector<Rule>& rules, const VerifyOptions& options) {
  TSOPT_ASSIGN_OR_RETURN(std::vector<RuleVerdict> verdicts,
                         VerifyRules(rules, options));
  for (size_t i = 0; i < rules.size(); ++i) rules[i].status = verdicts[i].status;
  return verdicts;
}

std::vector<Rule> ProvedRules(absl::Span<const Rule> rules) {
  std::vector<Rule> out;
  for (const Rule& r : rules) {
    if (r.status == VerificationStatus::kProved) out.push_back(r);
  }
  return out;
}

std::string VerdictsToJson(absl::Span<const RuleVerdict> verdicts,
                           double wall_seconds) {
  int proved = 0, refuted = 0, unknown = 0, axiom_bugs = 0;
  std::string rules;
  for (const RuleVerdict& v : verdicts) {
    proved += v.status == VerificationStatus::kProved;
    refuted += v.status == VerificationStatus::kRefuted;
    unknown += v.status == VerificationStatus::kUnknown;
    axiom_bugs += v.axiom_bug;
    absl::StrAppend(
        &rules, rules.empty() ? "" : ",\n",
        absl::StrFormat(
            "    {\"name\": \"%s\", \"status\": \"%s\", \"z3_proved\": %s, "
            "\"axiom_bug\": %s, \"seconds\": %.4f, \"numeric_bindings\": %d, "
            "\"detail\": \"%s\"}",
            JsonEscape(v.rule), VerificationStatusName(v.status),
            v.z3_proved ? "true" : "false", v.axiom_bug ? "true" : "false",
            v.seconds, v.numeric_bindings, JsonEscape(v.detail)));
  }
  return absl::StrFormat(
      "{\n  \"rules\": [\n%s\n  ],\n  \"summary\": {\"total\": %d, "
      "\"proved\": %d, \"refuted\": %d, \"unknown\": %d, \"axiom_bugs\": %d, "
      "\"wall_seconds\": %.3f}\n}\n",
      rules, static_cast<int>(verdicts.size()), proved, refuted, unknown,
      axiom_bugs, wall_seconds);
}

}  // namespace tsopt

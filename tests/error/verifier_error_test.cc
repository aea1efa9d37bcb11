// Must-fail inputs of the verifier: bad options, an axiom that cannot be
// triggered.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tsopt/rules/rule_text.h"
#include "tsopt/verifier/axioms.h"
#include "tsopt/verifier/verify.h"

namespace tsopt {
namespace {

std::vector<Rule> Parse(const std::string& text) {
  absl::StatusOr<std::vector<Rule>> rules = ParseRules(text, "t.rules");
  EXPECT_TRUE(rules.ok()) << rules.status();
  return rules.ok() ? *rules : std::vector<Rule>{};
}

constexpr char kRule[] = R"(
(rule add-comm-test (provenance hand-written "test")
  (vars (x act [2 3]) (y act [2 3]))
  (source (add x y)) (target (add y x))))";

TEST(VerifierErrorTest, NonPositiveTimeoutIsRefused) {
  VerifyOptions o;
  o.timeout_ms = 0;
  absl::StatusOr<std::vector<RuleVerdict>> v = VerifyRules(Parse(kRule), o);
  EXPECT_EQ(v.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(v.status().message()), ::testing::HasSubstr("timeout"));
}

TEST(VerifierErrorTest, NonPositiveThreadCountIsRefused) {
  VerifyOptions o;
  o.threads = 0;
  absl::StatusOr<std::vector<RuleVerdict>> v = VerifyRules(Parse(kRule), o);
  EXPECT_EQ(v.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(v.status().message()), ::testing::HasSubstr("thread"));
}

TEST(VerifierErrorTest, AxiomWithABareVariableSourceIsRefused) {
  VerifyOptions o;
  o.axioms = Parse(R"(
(rule bare-source (provenance hand-written "test")
  (vars (x act [2 3]))
  (source x) (target (identity x))))");
  ASSERT_EQ(o.axioms.size(), 1u);
  absl::StatusOr<std::vector<RuleVerdict>> v = VerifyRules(Parse(kRule), o);
  EXPECT_EQ(v.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(v.status().message()),
              ::testing::HasSubstr("bare-source"));
}

}  // namespace
}  // namespace tsopt

#include "tests/verifier/verifier_test_util.h"

#include "gtest/gtest.h"
#include "tsopt/rules/rule_text.h"

namespace tsopt::testing {

std::vector<Rule> ParseOrDie(const std::string& text) {
  absl::StatusOr<std::vector<Rule>> rules = ParseRules(text, "test.rules");
  EXPECT_TRUE(rules.ok()) << rules.status();
  return rules.ok() ? *rules : std::vector<Rule>{};
}

std::vector<RuleVerdict> VerifyOrDie(const std::vector<Rule>& rules,
                                     VerifyOptions options) {
  if (options.timeout_ms == VerifyOptions{}.timeout_ms) {
    options.timeout_ms = 5000;
  }
  absl::StatusOr<std::vector<RuleVerdict>> v = VerifyRules(rules, options);
  EXPECT_TRUE(v.ok()) << v.status();
  return v.ok() ? *v : std::vector<RuleVerdict>{};
}

}  // namespace tsopt::testing

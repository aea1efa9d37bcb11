// Helpers for the verifier tests: parse one rule from text, verify rules.
#ifndef TSOPT_TESTS_VERIFIER_VERIFIER_TEST_UTIL_H_
#define TSOPT_TESTS_VERIFIER_VERIFIER_TEST_UTIL_H_

#include <string>
#include <vector>

#include "tsopt/rules/rule.h"
#include "tsopt/verifier/verify.h"

namespace tsopt::testing {

// Parses rule text; fails the test (and returns no rules) when it is invalid.
std::vector<Rule> ParseOrDie(const std::string& text);

// Verifies `rules` with a short timeout; fails the test on an error status.
std::vector<RuleVerdict> VerifyOrDie(const std::vector<Rule>& rules,
                                     VerifyOptions options = {});

}  // namespace tsopt::testing

#endif  // TSOPT_TESTS_VERIFIER_VERIFIER_TEST_UTIL_H_

// Malformed rule files must be refused with FILE:LINE:COL and a reason.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tsopt/rules/rule_text.h"

namespace tsopt {
namespace {

using ::testing::HasSubstr;

struct BadRule {
  const char* name;
  const char* text;
  const char* location;  // "f.rules:L:C"
  const char* reason;
};

const BadRule kBad[] = {
    {"unclosed", "(rule a\n  (vars (x act [2]))", "f.rules:1:1", "unclosed"},
    {"stray_paren", "(rule a))", "f.rules:1:9", "unexpected ')'"},
    {"not_a_rule", "(rul a)", "f.rules:1:1", "expected (rule NAME"},
    {"bad_name",
     "(rule Bad_Name (vars (x act [2])) (source (relu x)) (target (relu x)))",
     "f.rules:1:1", "kebab-case"},
    {"unknown_op",
     "(rule a (vars (x act [2]))\n (source (frobnicate x)) (target x))",
     "f.rules:2:11", "unknown operator 'frobnicate'"},
    {"opaque_op",
     "(rule a (vars (x act [2 2]))\n (source (opaque x)) (target x))",
     "f.rules:2:11", "opaque operators are never rewritten"},
    {"arity",
     "(rule a (vars (x act [2 2]))\n (source (matmul x)) (target x))",
     "f.rules:2:10", "matmul"},
    {"unknown_attr",
     "(rule a (vars (x act [2 2]))\n (source (relu :axis 1 x)) (target x))",
     "f.rules:2:16", "no attribute 'axis'"},
    {"attr_type",
     "(rule a (vars (x act [2 2]))\n"
     " (source (transpose :perm 1 x)) (target x))",
     "f.rules:2:27", "takes a list"},
    {"unbound_target_var",
     "(rule a (vars (x act [2 2]))\n (source (relu x)) (target (add x y)))",
     "f.rules:2:35", "unbound name 'y'"},
    {"target_var_not_in_source",
     "(rule a (vars (x act [2 2]) (y act [2 2]))\n"
     " (source (relu x)) (target (add x y)))",
     "f.rules:1:1", "not bound by the source"},
    {"undeclared_attr_var",
     "(rule a (vars (x act [1 1 3 3]) (w weight [1 1 1 1]))\n"
     " (source (conv2d :stride ?s x w)) (target x))",
     "f.rules:2:26", "undeclared attribute variable ?s"},
    {"target_attr_var_unbound",
     "(rule a (attr-vars (s [1 1])) (vars (x act [1 1 3 3]) "
     "(w weight [1 1 1 1]))\n"
     " (source (conv2d x w)) (target (conv2d :stride ?s x w)))",
     "f.rules:1:1", "?s is not bound by the source"},
    {"shape_mismatch",
     "(rule a (vars (x act [2 3]) (y act [3 2]))\n"
     " (source (add x x)) (target (add x y)))",
     "f.rules:2:29", "broadcast"},
    {"output_count",
     "(rule a (vars (x act [2 3]))\n (source (relu x) x) (target x))",
     "f.rules:1:1", "source has 2 outputs but target has 1"},
    {"output_shape",
     "(rule a (vars (x act [2 3]))\n"
     " (source x) (target (transpose :perm [1 0] x)))",
     "f.rules:1:1", "output 0 has shape"},
    {"multi_output_inline",
     "(rule a (vars (x act [4]))\n"
     " (source (split :sizes [2 2] x)) (target x))",
     "f.rules:2:10", "bind it with (let NAME"},
    {"bad_output_index",
     "(rule a (vars (x act [4]))\n"
     " (source (let t (split :sizes [2 2] x)) t.5) (target x))",
     "f.rules:2:41", "does not exist"},
    {"missing_target", "(rule a (vars (x act [2]))\n (source x))",
     "f.rules:1:1", "no (target"},
    {"dup_clause",
     "(rule a (vars (x act [2])) (vars (y act [2])) (source x) (target x))",
     "f.rules:1:28", "appears twice"},
    {"dim_out_of_range",
     "(rule a (vars (x act [2]))\n"
     " (source (reshape :shape [(dim x 3)] x)) (target x))",
     "f.rules:2:27", "out of range"},
    {"bad_const_shape",
     "(rule a (vars (x act [2 3]) (i const identity-matrix (shape 2 3)))\n"
     " (source x) (target (matmul x i)))",
     "f.rules:2:31", "needs [n, n]"},
    {"bad_status",
     "(rule a (status maybe) (vars (x act [2])) (source x) (target x))",
     "f.rules:1:9", "expected (status"},
    {"bad_shape", "(rule a (vars (x act [2 0])) (source x) (target x))",
     "f.rules:1:22", "dim"},
    {"unterminated_string",
     "(rule a (provenance hand-written \"oops\n", "f.rules:1:34",
     "unterminated string"},
    {"input_op",
     "(rule a (vars (x act [2]))\n (source (input x)) (target x))",
     "f.rules:2:11", "not input/weight operators"},
};

class RuleParseErrorTest : public ::testing::TestWithParam<BadRule> {};

TEST_P(RuleParseErrorTest, RefusedWithLocationAndReason) {
  const BadRule& bad = GetParam();
  absl::StatusOr<std::vector<Rule>> rules = ParseRules(bad.text, "f.rules");
  ASSERT_FALSE(rules.ok()) << bad.name;
  EXPECT_EQ(rules.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(rules.status().message(), HasSubstr(bad.location));
  EXPECT_THAT(rules.status().message(), HasSubstr(bad.reason));
}

INSTANTIATE_TEST_SUITE_P(Bad, RuleParseErrorTest, ::testing::ValuesIn(kBad),
                         [](const auto& info) {
                           return std::string(info.param.name);
                         });

TEST(RuleParseErrorTest, DuplicateRuleName) {
  const char* text =
      "(rule a (vars (x act [2])) (source (relu x)) (target (relu x)))\n"
      "(rule a (vars (x act [2])) (source (relu x)) (target (relu x)))";
  absl::StatusOr<std::vector<Rule>> rules = ParseRules(text, "f.rules");
  ASSERT_FALSE(rules.ok());
  EXPECT_THAT(rules.status().message(),
              HasSubstr("f.rules:2:1: rule name 'a' already used at line 1"));
}

TEST(RuleParseErrorTest, DeepNestingIsRefusedNotACrash) {
  std::string text(100000, '(');
  absl::StatusOr<std::vector<Rule>> rules = ParseRules(text, "f.rules");
  ASSERT_FALSE(rules.ok());
  EXPECT_THAT(rules.status().message(), HasSubstr("nesting deeper"));
}

TEST(RuleParseErrorTest, MissingFileIsNotFound) {
  absl::StatusOr<std::vector<Rule>> rules =
      LoadRuleFile("/nonexistent/dir/x.rules");
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(rules.status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace tsopt

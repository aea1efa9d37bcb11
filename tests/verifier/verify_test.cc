// Rule proofs: the hand-written and default rules are proved, deliberately
// wrong rules never are, and a wrong axiom is caught by the numeric check.
#include "tsopt/verifier/verify.h"

#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/verifier/verifier_test_util.h"
#include "tsopt/rules/rule_text.h"
#include "tsopt/verifier/axioms.h"

namespace tsopt {
namespace {

using ::tsopt::testing::ParseOrDie;
using ::tsopt::testing::VerifyOrDie;

constexpr char kWrongRules[] = R"(
(rule relu-distributes-over-add (provenance hand-written "wrong")
  (vars (a act [2 3]) (b act [2 3]))
  (source (relu (add a b))) (target (add (relu a) (relu b))))

(rule transpose-matmul-same-order (provenance hand-written "wrong")
  (vars (a act [3 3]) (b act [3 3]))
  (source (transpose :perm [1 0] (matmul a b)))
  (target (matmul (transpose :perm [1 0] a) (transpose :perm [1 0] b))))

(rule concat-interchange-wrong-axes (provenance hand-written "wrong")
  (vars (a act [2 2]) (b act [2 2]) (c act [2 2]) (d act [2 2]))
  (source (concat :axis 0 (concat :axis 1 a b) (concat :axis 1 c d)))
  (target (concat :axis 1 (concat :axis 0 a b) (concat :axis 0 c d))))

(rule conv-kernels-concat-wrong-axis (provenance hand-written "wrong")
  (vars (x act [1 4 4 4]) (w1 weight [2 4 3 3]) (w2 weight [2 4 3 3]))
  (source (conv2d :pad [1 1 1 1] x (concat :axis 0 w1 w2)))
  (target (concat :axis 1 (conv2d :pad [1 1 1 1] x w2) (conv2d :pad [1 1 1 1] x w1))))

(rule conv-stride2-is-stride1 (provenance hand-written "wrong")
  (vars (x act [1 2 1 1]) (w weight [2 2 1 1]))
  (source (conv2d :stride [2 2] x w)) (target (conv2d x w)))
)";

TEST(VerifyTest, HandWrittenRulesAreProved) {
  absl::StatusOr<std::vector<Rule>> rules =
      LoadRuleFile(std::string(TSOPT_RULES_DIR) + "/taso_handwritten.rules");
  ASSERT_TRUE(rules.ok()) << rules.status();
  ASSERT_FALSE(rules->empty());
  // The file ships with the status the verifier gives (the optimizer loads
  // proved rules only).
  for (const Rule& r : *rules) {
    EXPECT_EQ(r.status, VerificationStatus::kProved) << r.name;
  }
  for (const RuleVerdict& v : VerifyOrDie(*rules)) {
    EXPECT_EQ(v.status, VerificationStatus::kProved) << v.rule << ": "
                                                     << v.detail;
    EXPECT_TRUE(v.z3_proved) << v.rule;
    EXPECT_GT(v.numeric_bindings, 0) << v.rule;
  }
}

TEST(VerifyTest, DefaultRulesAreFullyProved) {
  const std::string path = std::string(TSOPT_RULES_DIR) + "/default.rules";
  if (!std::ifstream(path).good()) {
    GTEST_SKIP() << path << " does not exist yet (the rule generator writes "
                 << "it); this test enforces that it is fully proved";
  }
  absl::StatusOr<std::vector<Rule>> rules = LoadRuleFile(path);
  ASSERT_TRUE(rules.ok()) << rules.status();
  VerifyOptions options;
  options.threads = 2;
  int proved = 0;
  for (const RuleVerdict& v : VerifyOrDie(*rules, options)) {
    EXPECT_EQ(v.status, VerificationStatus::kProved) << v.rule << ": "
                                                     << v.detail;
    proved += v.status == VerificationStatus::kProved;
  }
  EXPECT_EQ(proved, static_cast<int>(rules->size()));
}

TEST(VerifyTest, WrongRulesAreNeverProved) {
  std::vector<Rule> rules = ParseOrDie(kWrongRules);
  ASSERT_EQ(rules.size(), 5u);
  VerifyOptions options;
  options.timeout_ms = 3000;
  std::vector<RuleVerdict> verdicts = VerifyOrDie(rules, options);
  ASSERT_EQ(verdicts.size(), rules.size());
  for (const RuleVerdict& v : verdicts) {
    EXPECT_NE(v.status, VerificationStatus::kProved) << v.rule;
    EXPECT_FALSE(v.z3_proved) << v.rule;
  }
  // The first four differ at their example shapes: a concrete refutation.
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(verdicts[i].status, VerificationStatus::kRefuted)
        << verdicts[i].rule;
  }
}

TEST(VerifyTest, ProofWithoutTheNumericCheckStillRefusesWrongRules) {
  std::vector<Rule> rules = ParseOrDie(kWrongRules);
  VerifyOptions options;
  options.numeric_check = false;
  options.timeout_ms = 3000;
  for (const RuleVerdict& v : VerifyOrDie(rules, options)) {
    EXPECT_EQ(v.status, VerificationStatus::kUnknown) << v.rule;
  }
}

TEST(VerifyTest, WrongAxiomIsReportedAsAxiomBug) {
  absl::StatusOr<std::vector<Rule>> axioms = OperatorAxioms();
  ASSERT_TRUE(axioms.ok()) << axioms.status();
  std::vector<Rule> wrong = ParseOrDie(R"(
(rule relu-add-wrong-axiom (provenance hand-written "wrong")
  (vars (x act [2 3]) (y act [2 3]))
  (source (relu (add x y))) (target (add (relu x) (relu y)))))");
  ASSERT_EQ(wrong.size(), 1u);
  VerifyOptions options;
  options.axioms = *axioms;
  options.axioms.push_back(wrong[0]);
  std::vector<RuleVerdict> v =
      VerifyOrDie({ParseOrDie(kWrongRules)[0]}, options);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_TRUE(v[0].z3_proved);
  EXPECT_TRUE(v[0].axiom_bug);
  EXPECT_EQ(v[0].status, VerificationStatus::kRefuted);
  EXPECT_THAT(v[0].detail, ::testing::HasSubstr("AXIOM BUG"));
}

TEST(VerifyTest, MarkVerifiedSetsStatusesAndRoundTripsThroughText) {
  std::vector<Rule> rules = ParseOrDie(R"(
(rule matmul-assoc-test (provenance hand-written "test")
  (vars (a act [2 3]) (b act [3 4]) (c act [4 2]))
  (source (matmul (matmul a b) c)) (target (matmul a (matmul b c))))
(rule relu-add-test (provenance hand-written "test")
  (vars (a act [2 3]) (b act [2 3]))
  (source (relu (add a b))) (target (add (relu a) (relu b)))))");
  ASSERT_EQ(rules.size(), 2u);
  absl::StatusOr<std::vector<RuleVerdict>> v = MarkVerified(rules, {});
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(rules[0].status, VerificationStatus::kProved);
  EXPECT_EQ(rules[1].status, VerificationStatus::kRefuted);
  std::vector<Rule> proved = ProvedRules(rules);
  ASSERT_EQ(proved.size(), 1u);
  EXPECT_EQ(proved[0].name, "matmul-assoc-test");
  std::vector<Rule> back = ParseOrDie(PrintRules(rules));
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].status, VerificationStatus::kProved);
  EXPECT_EQ(back[1].status, VerificationStatus::kRefuted);
  const std::string json = VerdictsToJson(*v, 1.5);
  EXPECT_THAT(json, ::testing::HasSubstr("\"proved\": 1"));
  EXPECT_THAT(json, ::testing::HasSubstr("\"refuted\": 1"));
}

TEST(VerifyTest, GroupedConvConcatFamilyIsProved) {
  // TASO's verifier hangs on these: two convs = one conv over concatenated
  // inputs and kernels, in its three forms.
  std::vector<Rule> rules = ParseOrDie(R"(
(rule two-convs-one-kernel-concat (provenance hand-written "test")
  (attr-vars (s [1 1]) (p [1 1 1 1]))
  (vars (x act [1 2 5 5]) (w1 weight [3 2 3 3]) (w2 weight [4 2 3 3]))
  (source (conv2d :stride ?s :pad ?p x w1) (conv2d :stride ?s :pad ?p x w2))
  (target (let y (split :axis 1 :sizes [(dim w1 0) (dim w2 0)]
                   (conv2d :stride ?s :pad ?p x (concat w1 w2))))
          y.0 y.1))
(rule concat-of-two-convs (provenance hand-written "test")
  (attr-vars (s [1 1]) (p [1 1 1 1]))
  (vars (x1 act [1 2 5 5]) (x2 act [1 3 5 5]) (w1 weight [4 2 3 3]) (w2 weight [4 3 3 3]))
  (source (add (conv2d :stride ?s :pad ?p x1 w1) (conv2d :stride ?s :pad ?p x2 w2)))
  (target (conv2d :stride ?s :pad ?p (concat :axis 1 x1 x2) (concat :axis 1 w1 w2))))
(rule split-of-concat-conv (provenance hand-written "test")
  (vars (x act [1 4 5 5]) (w1 weight [2 4 3 3]) (w2 weight [2 4 3 3]))
  (source (concat :axis 1 (conv2d :pad [1 1 1 1] x w1) (conv2d :pad [1 1 1 1] x w2)))
  (target (let y (split :axis 1 :sizes [(dim w1 0) (dim w2 0)]
                   (conv2d :pad [1 1 1 1] x (concat :axis 0 w1 w2))))
          (concat :axis 1 y.0 y.1))))");
  ASSERT_EQ(rules.size(), 3u);
  for (const RuleVerdict& v : VerifyOrDie(rules)) {
    EXPECT_EQ(v.status, VerificationStatus::kProved) << v.rule << ": "
                                                     << v.detail;
  }
}

TEST(VerifyTest, UnsupportedOperatorIsUnknownNotAnError) {
  std::vector<Rule> rules = ParseOrDie(R"(
(rule pad-identity (provenance hand-written "test")
  (vars (x act [2 3]))
  (source (pad :pads [0 0 0 0] x)) (target (identity x))))");
  ASSERT_EQ(rules.size(), 1u);
  std::vector<RuleVerdict> v = VerifyOrDie(rules);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].status, VerificationStatus::kUnknown);
  EXPECT_THAT(v[0].detail, ::testing::HasSubstr("pad"));
}

TEST(VerifyTest, ThreadsGiveTheSameVerdicts) {
  absl::StatusOr<std::vector<Rule>> rules =
      LoadRuleFile(std::string(TSOPT_RULES_DIR) + "/taso_handwritten.rules");
  ASSERT_TRUE(rules.ok()) << rules.status();
  VerifyOptions two;
  two.threads = 2;
  std::vector<RuleVerdict> a = VerifyOrDie(*rules), b = VerifyOrDie(*rules, two);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].rule, b[i].rule);
    EXPECT_EQ(a[i].status, b[i].status) << a[i].rule;
  }
}

// Plausible but wrong forms of the bias rules: the bias after the fused
// activation, swapped biases in a merge, a dropped bias.
constexpr char kWrongBiasRules[] = R"(
(rule bias-after-relu (provenance hand-written "wrong")
  (vars (x act [1 2 4 4]) (w weight [2 2 3 3]) (b weight [2]))
  (source (relu (conv2d x w b)))
  (target (add (conv2d :activation relu x w) (reshape :shape [1 (dim w 0) 1 1] b))))
(rule merge-matmuls-biases-swapped (provenance hand-written "wrong")
  (vars (x act [2 3]) (w1 weight [3 4]) (w2 weight [3 4]) (b1 weight [4]) (b2 weight [4]))
  (source (matmul x w1 b1) (matmul x w2 b2))
  (target (let y (split :axis 1 :sizes [(dim w1 1) (dim w2 1)] (matmul x (concat :axis 1 w1 w2) (concat b2 b1)))) y.0 y.1))
(rule conv-bias-dropped (provenance hand-written "wrong")
  (vars (x act [1 2 4 4]) (w weight [2 2 3 3]) (b weight [2]))
  (source (conv2d x w b))
  (target (conv2d x w)))
(rule gelu-before-bias (provenance hand-written "wrong")
  (vars (x act [2 2 3]) (w weight [3 4]) (b weight [4]))
  (source (add (matmul :activation gelu x w) b))
  (target (matmul :activation gelu x w b)))
)";

TEST(VerifyTest, WrongBiasRulesAreNeverProved) {
  std::vector<Rule> rules = ParseOrDie(kWrongBiasRules);
  ASSERT_EQ(rules.size(), 4u);
  for (const RuleVerdict& v : VerifyOrDie(rules)) {
    EXPECT_EQ(v.status, VerificationStatus::kRefuted) << v.rule;
    EXPECT_FALSE(v.z3_proved) << v.rule;
  }
}

}  // namespace
}  // namespace tsopt

// Matcher tests: operator kinds, attribute variables, shared inputs,
// commutative inputs, roles, constants, `where`, multi-output patterns and
// occurrences blocked by external uses of intermediate values.
#include "tsopt/search/matcher.h"

#include <string>

#include "gtest/gtest.h"
#include "tests/search/search_test_util.h"
#include "tsopt/rules/constants.h"

namespace tsopt {
namespace {

using testing_util::GraphWithData;
using testing_util::kTestRules;
using testing_util::RulesFromText;

// Matches of the rule named `rule` in `graph_text`.
std::vector<Match> MatchesOf(const std::string& graph_text,
                             const std::string& rule,
                             const std::string& rules_text = kTestRules) {
  absl::StatusOr<Graph> g = GraphWithData(graph_text);
  EXPECT_TRUE(g.ok()) << g.status();
  absl::StatusOr<RuleSet> rules = RulesFromText(rules_text);
  EXPECT_TRUE(rules.ok()) << rules.status();
  if (!g.ok() || !rules.ok()) return {};
  const Rule* r = rules->Find(rule);
  EXPECT_NE(r, nullptr) << rule;
  if (r == nullptr) return {};
  MatchContext ctx(*g);
  return FindRuleMatches(ctx, *rules, static_cast<int>(r - rules->rules().data()));
}

TEST(MatcherTest, ConvReluMatchesOnceAndBindsVariables) {
  std::vector<Match> m = MatchesOf(R"(
    %x = input {shape=[1,2,6,6], name="x"}
    %w = weight {shape=[3,2,3,3]}
    %c = conv2d(%x, %w) {stride=[2,2], pad=[1,1,1,1]}
    %r = relu(%c)
    return %r)", "fuse-conv-relu");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].outputs[0], (ValueId{3, 0}));
  EXPECT_EQ(m[0].binding.shapes.at("x"), Shape({1, 2, 6, 6}));
  EXPECT_EQ(m[0].binding.shapes.at("w"), Shape({3, 2, 3, 3}));
  EXPECT_EQ(std::get<std::vector<int64_t>>(m[0].binding.attr_vars.at("s")),
            (std::vector<int64_t>{2, 2}));
}

TEST(MatcherTest, ConcreteAttributeMustEqual) {
  // fuse-conv-relu's conv has the default activation (none): a conv that
  // already has a fused sigmoid does not match.
  EXPECT_TRUE(MatchesOf(R"(
    %x = input {shape=[1,2,6,6], name="x"}
    %w = weight {shape=[3,2,3,3]}
    %c = conv2d(%x, %w) {activation=sigmoid}
    %r = relu(%c)
    return %r)", "fuse-conv-relu").empty());
}

TEST(MatcherTest, ExternalUseOfIntermediateBlocksTheMatch) {
  // The conv's output is also read by the add: fusing would lose it.
  EXPECT_TRUE(MatchesOf(R"(
    %x = input {shape=[1,2,6,6], name="x"}
    %w = weight {shape=[2,2,3,3]}
    %c = conv2d(%x, %w) {pad=[1,1,1,1]}
    %r = relu(%c)
    %a = add(%r, %c)
    return %a)", "fuse-conv-relu").empty());
  // ... and so does being a graph output.
  EXPECT_TRUE(MatchesOf(R"(
    %x = input {shape=[1,2,6,6], name="x"}
    %w = weight {shape=[2,2,3,3]}
    %c = conv2d(%x, %w) {pad=[1,1,1,1]}
    %r = relu(%c)
    return %r, %c)", "fuse-conv-relu").empty());
}

TEST(MatcherTest, WeightRoleRejectsActivations) {
  // The kernel is a graph input, not computed from weights.
  EXPECT_TRUE(MatchesOf(R"(
    %x = input {shape=[1,2,6,6], name="x"}
    %w = input {shape=[3,2,3,3], name="w"}
    %c = conv2d(%x, %w)
    %r = relu(%c)
    return %r)", "fuse-conv-relu").empty());
}

TEST(MatcherTest, WeightRoleAcceptsWeightOnlyExpressions) {
  EXPECT_EQ(MatchesOf(R"(
    %x = input {shape=[1,2,6,6], name="x"}
    %w = weight {shape=[3,2,3,3]}
    %w2 = relu(%w)
    %c = conv2d(%x, %w2)
    %r = relu(%c)
    return %r)", "fuse-conv-relu").size(), 1u);
}

TEST(MatcherTest, MultiOutputNeedsSharedInput) {
  const char kShared[] = R"(
    %x = input {shape=[1,2,6,6], name="x"}
    %w1 = weight {shape=[3,2,3,3]}
    %w2 = weight {shape=[4,2,3,3]}
    %a = conv2d(%x, %w1) {pad=[1,1,1,1]}
    %b = conv2d(%x, %w2) {pad=[1,1,1,1]}
    return %a, %b)";
  std::vector<Match> m = MatchesOf(kShared, "merge-convs");
  // Both orders of the two convs.
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].outputs[0], (ValueId{3, 0}));
  EXPECT_EQ(m[0].outputs[1], (ValueId{4, 0}));
  EXPECT_EQ(m[1].outputs[0], (ValueId{4, 0}));
  EXPECT_EQ(m[1].outputs[1], (ValueId{3, 0}));
  // Different inputs: x is used twice by the pattern, so no match.
  EXPECT_TRUE(MatchesOf(R"(
    %x = input {shape=[1,2,6,6], name="x"}
    %y = input {shape=[1,2,6,6], name="y"}
    %w1 = weight {shape=[3,2,3,3]}
    %w2 = weight {shape=[4,2,3,3]}
    %a = conv2d(%x, %w1) {pad=[1,1,1,1]}
    %b = conv2d(%y, %w2) {pad=[1,1,1,1]}
    return %a, %b)", "merge-convs").empty());
}

TEST(MatcherTest, AttributeVariableMustAgree) {
  // ?p binds the pad of the first conv; the second has another pad.
  EXPECT_TRUE(MatchesOf(R"(
    %x = input {shape=[1,2,6,6], name="x"}
    %w1 = weight {shape=[3,2,3,3]}
    %w2 = weight {shape=[4,2,3,3]}
    %a = conv2d(%x, %w1) {pad=[1,1,1,1]}
    %b = conv2d(%x, %w2)
    return %a, %b)", "merge-convs").empty());
}

TEST(MatcherTest, WhereConstraintsHold) {
  // Two 3x3 convs are not a 1x1 and a 3x3.
  const char kTwo3x3[] = R"(
    %x = input {shape=[1,2,6,6], name="x"}
    %w1 = weight {shape=[3,2,3,3]}
    %w3 = weight {shape=[4,2,3,3]}
    %a = conv2d(%x, %w1) {pad=[1,1,1,1]}
    %b = conv2d(%x, %w3) {pad=[1,1,1,1]}
    return %a, %b)";
  EXPECT_TRUE(MatchesOf(kTwo3x3, "merge-conv1x1-conv3x3").empty());
  std::vector<Match> m = MatchesOf(R"(
    %x = input {shape=[1,2,6,6], name="x"}
    %w1 = weight {shape=[3,2,1,1]}
    %w3 = weight {shape=[4,2,3,3]}
    %a = conv2d(%x, %w1)
    %b = conv2d(%x, %w3) {pad=[1,1,1,1]}
    return %a, %b)", "merge-conv1x1-conv3x3");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].outputs[0], (ValueId{3, 0}));
}

TEST(MatcherTest, CommutativeInputsMatchEitherOrder) {
  const char kRule[] = R"((rule add-relu-left
    (provenance hand-written)
    (status unverified)
    (vars (x act [2 3]) (y act [2 3]))
    (source (add (relu x) y))
    (target (add y (relu x)))))";
  // The relu is the SECOND input of the add in the graph.
  std::vector<Match> m = MatchesOf(R"(
    %a = input {shape=[2,3], name="a"}
    %b = input {shape=[2,3], name="b"}
    %r = relu(%a)
    %s = add(%b, %r)
    return %s)", "add-relu-left", kRule);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].binding.shapes.size(), 2u);
}

TEST(MatcherTest, SharedVariableWithinOnePattern) {
  const char kRule[] = R"((rule add-self
    (provenance hand-written)
    (status unverified)
    (vars (x act [2 3]))
    (source (add x x))
    (target (add x x))))";
  EXPECT_EQ(MatchesOf(R"(
    %a = input {shape=[2,3], name="a"}
    %s = add(%a, %a)
    return %s)", "add-self", kRule).size(), 1u);
  EXPECT_TRUE(MatchesOf(R"(
    %a = input {shape=[2,3], name="a"}
    %b = input {shape=[2,3], name="b"}
    %s = add(%a, %b)
    return %s)", "add-self", kRule).empty());
}

TEST(MatcherTest, ConstantMatchesOnlyItsData) {
  const char kRule[] = R"((rule matmul-identity
    (provenance hand-written)
    (status unverified)
    (vars (x act [2 3]) (i const identity-matrix (shape (dim x 1) (dim x 1))))
    (source (matmul x i))
    (target x)))";
  absl::StatusOr<std::shared_ptr<const WeightData>> eye =
      MakeConstant(ConstKind::kIdentityMatrix, Shape({3, 3}));
  ASSERT_TRUE(eye.ok());
  std::string data;
  for (float v : (*eye)->values) data += (data.empty() ? "" : ",") + std::to_string(v);
  std::string with_identity = R"(
    %x = input {shape=[2,3], name="x"}
    %i = weight {shape=[3,3]} data=[)" + data + R"(]
    %m = matmul(%x, %i)
    return %m)";
  EXPECT_EQ(MatchesOf(with_identity, "matmul-identity", kRule).size(), 1u);
  // Random data is not the identity.
  EXPECT_TRUE(MatchesOf(R"(
    %x = input {shape=[2,3], name="x"}
    %i = weight {shape=[3,3]}
    %m = matmul(%x, %i)
    return %m)", "matmul-identity", kRule).empty());
}

TEST(MatcherTest, ScalarRoleNeedsRankZero) {
  EXPECT_EQ(MatchesOf(R"(
    %a = input {shape=[2,3], name="a"}
    %b = input {shape=[3,4], name="b"}
    %s = weight {shape=[]}
    %m = matmul(%a, %b)
    %y = scalar_mul(%m, %s)
    return %y)", "matmul-scalar-right").size(), 1u);
}

TEST(MatcherTest, FindMatchesCoversEveryRuleByRoot) {
  absl::StatusOr<Graph> g = GraphWithData(R"(
    %x = input {shape=[1,2,6,6], name="x"}
    %w1 = weight {shape=[3,2,3,3]}
    %w2 = weight {shape=[3,2,3,3]}
    %a = conv2d(%x, %w1) {pad=[1,1,1,1]}
    %b = conv2d(%x, %w2) {pad=[1,1,1,1]}
    %ra = relu(%a)
    %rb = relu(%b)
    return %ra, %rb)");
  ASSERT_TRUE(g.ok()) << g.status();
  absl::StatusOr<RuleSet> rules = RulesFromText(kTestRules);
  ASSERT_TRUE(rules.ok()) << rules.status();
  MatchContext ctx(*g);
  std::vector<Match> all = FindMatches(ctx, *rules);
  int fuse = 0, merge = 0;
  for (const Match& m : all) {
    const std::string& name = rules->rules()[m.rule_index].name;
    if (name == "fuse-conv-relu") ++fuse;
    if (name == "merge-convs") ++merge;
  }
  EXPECT_EQ(fuse, 2);
  EXPECT_EQ(merge, 2);
}

// Rules for biased convs and matmuls (the shapes of the shipped ones).
constexpr char kBiasRules[] = R"(
(rule fuse-conv-bias-relu
  (attr-vars (s [1 1]) (p [1 1 1 1]))
  (vars (x act [1 2 4 4]) (w weight [2 2 3 3]) (b weight [2]))
  (source (relu (conv2d :stride ?s :pad ?p x w b)))
  (target (conv2d :stride ?s :pad ?p :activation relu x w b)))
(rule merge-matmuls-bias
  (vars (x act [2 3]) (w1 weight [3 4]) (w2 weight [3 5]) (b1 weight [4]) (b2 weight [5]))
  (source (matmul x w1 b1) (matmul x w2 b2))
  (target (let y (split :axis 1 :sizes [(dim w1 1) (dim w2 1)] (matmul x (concat :axis 1 w1 w2) (concat b1 b2)))) y.0 y.1))
)";

TEST(MatcherTest, ArityMustEqualForOptionalInputs) {
  // A 2-input conv pattern never matches a biased (3-input) conv ...
  EXPECT_TRUE(MatchesOf(R"(
    %x = input {shape=[1,2,6,6], name="x"}
    %w = weight {shape=[3,2,3,3]}
    %b = weight {shape=[3]}
    %c = conv2d(%x, %w, %b) {pad=[1,1,1,1]}
    %r = relu(%c)
    return %r)", "fuse-conv-relu").empty());
  // ... and a 3-input pattern never matches an unbiased one.
  EXPECT_TRUE(MatchesOf(R"(
    %x = input {shape=[1,2,6,6], name="x"}
    %w = weight {shape=[3,2,3,3]}
    %c = conv2d(%x, %w) {pad=[1,1,1,1]}
    %r = relu(%c)
    return %r)", "fuse-conv-bias-relu", kBiasRules).empty());
  std::vector<Match> m = MatchesOf(R"(
    %x = input {shape=[1,2,6,6], name="x"}
    %w = weight {shape=[3,2,3,3]}
    %b = weight {shape=[3]}
    %c = conv2d(%x, %w, %b) {pad=[1,1,1,1]}
    %r = relu(%c)
    return %r)", "fuse-conv-bias-relu", kBiasRules);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].binding.shapes.at("b"), Shape({3}));
}

TEST(MatcherTest, BiasedMatmulsMergeOnlyWithBiasedOnes) {
  const std::string both_biased = R"(
    %x = input {shape=[4,3], name="x"}
    %w1 = weight {shape=[3,2]}
    %w2 = weight {shape=[3,5]}
    %b1 = weight {shape=[2]}
    %b2 = weight {shape=[5]}
    %m1 = matmul(%x, %w1, %b1)
    %m2 = matmul(%x, %w2, %b2)
    return %m1, %m2)";
  EXPECT_EQ(MatchesOf(both_biased, "merge-matmuls-bias", kBiasRules).size(),
            2u);  // (m1, m2) and (m2, m1)
  EXPECT_TRUE(MatchesOf(both_biased, "merge-matmuls").empty());
  EXPECT_TRUE(MatchesOf(R"(
    %x = input {shape=[4,3], name="x"}
    %w1 = weight {shape=[3,2]}
    %w2 = weight {shape=[3,5]}
    %b1 = weight {shape=[2]}
    %m1 = matmul(%x, %w1, %b1)
    %m2 = matmul(%x, %w2)
    return %m1, %m2)", "merge-matmuls-bias", kBiasRules).empty());
}

}  // namespace
}  // namespace tsopt

// Tests of the generalization of literal sizes in generated rules: the
// multi-output conv merge and the concat-split rule come out with
// `(dim VAR AXIS)` sizes and match in graphs with real (unequal) sizes.
#include <string>

#include "gtest/gtest.h"
#include "tsopt/rulegen/generator.h"
#include "tsopt/rules/rule_text.h"
#include "tsopt/search/matcher.h"

namespace tsopt {
namespace {

std::vector<Rule> Generate(std::vector<std::string> ops, int max_ops) {
  GeneratorOptions o;
  o.ops = std::move(ops);
  o.max_ops = max_ops;
  o.threads = 2;
  absl::StatusOr<GeneratorResult> r = GenerateRules(o);
  EXPECT_TRUE(r.ok()) << r.status();
  if (!r.ok()) return {};
  return FinalizeRules(std::move(r->rules));
}

// Rules whose printed source contains `source` and target contains `target`.
std::vector<const Rule*> RulesWith(const std::vector<Rule>& rules,
                                   const std::string& source,
                                   const std::string& target) {
  std::vector<const Rule*> out;
  for (const Rule& r : rules) {
    std::string text = PrintRule(r);
    size_t t = text.find("  (target");
    if (text.substr(0, t).find(source) != std::string::npos &&
        text.substr(t).find(target) != std::string::npos) {
      out.push_back(&r);
    }
  }
  return out;
}

// Number of (rule, match) pairs among `rules` in `g` whose target
// instantiates at the match with the matched output shapes.
int UsableMatches(const Graph& g, const std::vector<const Rule*>& rules) {
  std::vector<Rule> copies;
  for (const Rule* r : rules) copies.push_back(*r);
  absl::StatusOr<RuleSet> set = RuleSet::Create(std::move(copies));
  EXPECT_TRUE(set.ok()) << set.status();
  if (!set.ok()) return 0;
  MatchContext ctx(g);
  int usable = 0;
  for (const Match& m : FindMatches(ctx, *set)) {
    const Rule& r = set->rules()[m.rule_index];
    absl::StatusOr<Graph> t = Instantiate(r, r.target, m.binding);
    if (!t.ok() || t->outputs().size() != m.outputs.size()) continue;
    bool same = true;
    for (size_t i = 0; i < m.outputs.size(); ++i) {
      same = same && t->shape(t->outputs()[i]) == g.shape(m.outputs[i]);
    }
    usable += same;
  }
  return usable;
}

TEST(GeneralizeTest, ConvMergeSplitSizesComeFromTheKernels) {
  std::vector<Rule> rules = Generate({"conv2d", "concat", "split"}, 3);
  std::vector<const Rule*> merges =
      RulesWith(rules, "(source (conv2d", "(split :axis 1 :sizes [(dim w");
  ASSERT_FALSE(merges.empty());
  // No merge keeps the literal sizes of the example.
  EXPECT_TRUE(
      RulesWith(rules, "(conv2d", "(split :axis 1 :sizes [4 4] (conv2d")
          .empty());

  // Two 3x3 convs of one 64-channel input with 32 and 48 output channels.
  Graph g;
  ValueId x = *g.AddInput("x", {1, 64, 14, 14});
  ValueId w1 = *g.AddWeight({32, 64, 3, 3}, nullptr, "w1");
  ValueId w2 = *g.AddWeight({48, 64, 3, 3}, nullptr, "w2");
  ValueId c1 = *g.AddOp(OpKind::kConv2D, Conv2DAttrs{}, {x, w1});
  ValueId c2 = *g.AddOp(OpKind::kConv2D, Conv2DAttrs{}, {x, w2});
  ASSERT_TRUE(g.MarkOutput(c1).ok());
  ASSERT_TRUE(g.MarkOutput(c2).ok());
  EXPECT_GE(UsableMatches(g, merges), 1);
}

TEST(GeneralizeTest, ConcatSplitMatchesAtUnequalSizes) {
  std::vector<Rule> rules = Generate({"concat", "split"}, 2);
  std::vector<const Rule*> cs =
      RulesWith(rules, "(split :sizes [(dim a", "");
  ASSERT_FALSE(cs.empty());
  Graph g;
  ValueId a = *g.AddInput("a", {3, 16});
  ValueId b = *g.AddInput("b", {5, 16});
  ValueId c = *g.AddOp(OpKind::kConcat, ConcatAttrs{}, {a, b});
  SplitAttrs s;
  s.sizes = {3, 5};
  std::vector<ValueId> parts = *g.AddNode(OpKind::kSplit, s, {c});
  ASSERT_TRUE(g.MarkOutput(parts[0]).ok());
  ASSERT_TRUE(g.MarkOutput(parts[1]).ok());
  EXPECT_GE(UsableMatches(g, cs), 1);
}

TEST(GeneralizeTest, IdentityMatrixShapeFollowsTheMatrix) {
  std::vector<Rule> rules = Generate({"matmul"}, 1);
  std::vector<const Rule*> id = RulesWith(rules, "idm", "");
  ASSERT_FALSE(id.empty());
  for (const Rule* r : id) {
    EXPECT_EQ(PrintRule(*r).find("(shape 4 4)"), std::string::npos)
        << PrintRule(*r);
  }
}

}  // namespace
}  // namespace tsopt

// Graphviz output: the rewritten region is the set of nodes whose structural
// hash is new, and it is what the dot file fills in orange.
#include "tsopt/search/dot.h"

#include "gtest/gtest.h"
#include "tests/search/search_test_util.h"
#include "tsopt/search/matcher.h"
#include "tsopt/search/rewrite.h"

namespace tsopt {
namespace {

TEST(DotTest, HighlightsOnlyTheRewrittenNodes) {
  absl::StatusOr<Graph> g = testing_util::GraphWithData(R"(
    %x = input {shape=[1,2,6,6], name="x"}
    %w = weight {shape=[3,2,3,3]}
    %c = conv2d(%x, %w) {pad=[1,1,1,1]}
    %r = relu(%c)
    return %r)");
  ASSERT_TRUE(g.ok()) << g.status();
  absl::StatusOr<RuleSet> rules =
      testing_util::RulesFromText(testing_util::kTestRules);
  ASSERT_TRUE(rules.ok()) << rules.status();
  const Rule* fuse = rules->Find("fuse-conv-relu");
  ASSERT_NE(fuse, nullptr);
  MatchContext ctx(*g);
  std::vector<Match> m = FindRuleMatches(
      ctx, *rules, static_cast<int>(fuse - rules->rules().data()));
  ASSERT_EQ(m.size(), 1u);
  absl::StatusOr<Graph> after = ApplyMatch(*g, *fuse, m[0]);
  ASSERT_TRUE(after.ok()) << after.status();

  std::vector<bool> changed = ChangedNodes(*after, *g);
  ASSERT_EQ(changed.size(), 3u);  // x, w, fused conv
  EXPECT_FALSE(changed[0]);
  EXPECT_FALSE(changed[1]);
  EXPECT_TRUE(changed[2]);
  std::vector<bool> removed = ChangedNodes(*g, *after);
  EXPECT_TRUE(removed[2]);  // the unfused conv
  EXPECT_TRUE(removed[3]);  // the relu

  std::string dot = GraphToDot(*after, changed, "after");
  EXPECT_EQ(dot.rfind("digraph \"after\" {", 0), 0u);
  EXPECT_NE(dot.find("n2 [shape=box, label=\"conv2d"), std::string::npos);
  EXPECT_NE(dot.find("activation=relu"), std::string::npos);
  EXPECT_NE(dot.find("fillcolor=orange"), std::string::npos);
  EXPECT_EQ(dot.find("n0 [shape=ellipse, label=\"input x\\n[1,2,6,6]\", style"),
            std::string::npos);
  EXPECT_NE(dot.find("n1 -> n2;"), std::string::npos);
  EXPECT_NE(dot.find("n2 -> out0;"), std::string::npos);
}

}  // namespace
}  // namespace tsopt

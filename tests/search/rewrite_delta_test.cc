// Rewrite deltas must give exactly what materializing gives: on random
// walks through the rewrites of the test models (test rules plus the
// shipped rules), every match's delta hash equals StructuralHash of
// ApplyMatch's graph and its delta cost equals IncrementalCost's walk of
// that graph, bit for bit, on the analytic model and on a model with
// blocked layouts; a rejected delta is a failing ApplyMatch.
#include "tsopt/search/rewrite_delta.h"

#include <memory>
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "tests/search/search_test_util.h"
#include "tsopt/cost/analytic_cost_model.h"
#include "tsopt/ir/hash.h"
#include "tsopt/models/models.h"
#include "tsopt/optimize.h"
#include "tsopt/search/rewrite.h"

namespace tsopt {
namespace {

using testing_util::GraphWithData;
using testing_util::kTestRules;
using testing_util::LayoutModel;
using testing_util::RulesFromText;

// The test rules plus the shipped ones (unverified included).
RuleSet AllRules() {
  absl::StatusOr<RuleSet> test = RulesFromText(kTestRules);
  EXPECT_TRUE(test.ok()) << test.status();
  std::vector<Rule> all(test->rules().begin(), test->rules().end());
  absl::StatusOr<std::string> dir = DefaultRulesDir();
  EXPECT_TRUE(dir.ok()) << dir.status();
  absl::StatusOr<RuleSet> shipped =
      LoadRulesForSearch(*dir, /*allow_unverified=*/true, nullptr);
  EXPECT_TRUE(shipped.ok()) << shipped.status();
  for (const Rule& r : shipped->rules()) {
    if (test->Find(r.name) == nullptr) all.push_back(r);
  }
  absl::StatusOr<RuleSet> set = RuleSet::Create(std::move(all));
  EXPECT_TRUE(set.ok()) << set.status();
  return *std::move(set);
}

struct Tally {
  int checked = 0;
  int rejected = 0;
  int materialized = 0;
};

// Checks every match of `g` (at most `limit`, spread evenly); returns the
// rewritten graphs that succeeded.
std::vector<Graph> CheckAllMatches(const Graph& g, const RuleSet& rules,
                                   IncrementalCost& cost, int limit,
                                   Tally* tally) {
  auto parent = std::make_shared<const Graph>(g);
  absl::StatusOr<std::unique_ptr<const ExpandedGraph>> e =
      ExpandedGraph::Create(parent, cost);
  EXPECT_TRUE(e.ok()) << e.status();
  if (!e.ok()) return {};
  EXPECT_EQ((*e)->hash(), StructuralHash(g));
  std::vector<Match> matches = FindMatches((*e)->context(), rules);
  std::vector<Graph> results;
  RewriteDelta delta(&cost);
  size_t step = std::max<size_t>(1, matches.size() / limit);
  for (size_t i = 0; i < matches.size(); i += step) {
    const Match& m = matches[i];
    const Rule& rule = rules.rules()[m.rule_index];
    RewriteDelta::Outcome outcome = delta.Prepare(**e, rule, m);
    absl::StatusOr<Graph> built = ApplyMatch(g, rule, m, false);
    ++tally->checked;
    if (outcome == RewriteDelta::kRejected) {
      EXPECT_FALSE(built.ok()) << rule.name << " rejected, but applies";
      ++tally->rejected;
      continue;
    }
    EXPECT_TRUE(built.ok()) << rule.name << ": " << built.status();
    if (!built.ok()) continue;
    // The search's order: the cost first, the hash only if it is needed;
    // hashing must not find a reason to materialize that Prepare missed
    // (the cost before it would be the delta's).
    bool materialized = delta.materialized();
    absl::StatusOr<CostUnits> units = delta.Cost();
    EXPECT_EQ(delta.Hash(), RewriteDelta::kReady) << rule.name;
    EXPECT_EQ(delta.materialized(), materialized) << rule.name;
    tally->materialized += delta.materialized();
    EXPECT_EQ(delta.hash(), StructuralHash(*built)) << rule.name;
    IncrementalCost::Walk walk;
    absl::Status walked = cost.WalkGraph(*built, &walk);
    EXPECT_TRUE(walked.ok()) << walked;
    EXPECT_TRUE(units.ok()) << units.status();
    if (units.ok()) {
      EXPECT_TRUE(*units == walk.total)
          << rule.name << ": delta " << ToMilliseconds(*units)
          << " ms, rebuilt " << ToMilliseconds(walk.total) << " ms";
    }
    results.push_back(*std::move(built));
  }
  return results;
}

// A seeded random walk of `steps` rewrites from `g`, checking every match
// on the way.
Tally RandomWalk(Graph g, const RuleSet& rules, CostModel* model, int steps,
                 uint64_t seed) {
  IncrementalCost cost(model);
  std::mt19937_64 rng(seed);
  Tally tally;
  for (int s = 0; s < steps; ++s) {
    std::vector<Graph> next = CheckAllMatches(g, rules, cost, 150, &tally);
    if (next.empty()) break;
    g = std::move(next[rng() % next.size()]);
  }
  return tally;
}

struct WalkCase {
  const char* model;
  ModelOptions options;
};

class RewriteDeltaModelTest : public ::testing::TestWithParam<WalkCase> {};

TEST_P(RewriteDeltaModelTest, HashAndCostEqualTheRebuiltGraph) {
  static const RuleSet* rules = new RuleSet(AllRules());
  absl::StatusOr<Graph> g = BuildModel(GetParam().model, GetParam().options);
  ASSERT_TRUE(g.ok()) << g.status();
  AnalyticCostModel analytic;
  LayoutModel layouts;
  for (uint64_t seed : {1, 2}) {
    Tally a = RandomWalk(*g, *rules, &analytic, 6, seed);
    Tally l = RandomWalk(*g, *rules, &layouts, 6, seed + 10);
    EXPECT_GE(a.checked - a.rejected, 10);
    // The delta path, not the fallback, does the work.
    EXPECT_EQ(a.materialized, 0);
    EXPECT_EQ(l.materialized, 0);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Models, RewriteDeltaModelTest,
    ::testing::Values(WalkCase{"resnext_block", {.image_size = 8}},
                      WalkCase{"nasnet_cell", {.image_size = 8}},
                      WalkCase{"bert_layer", {.seq_len = 16}},
                      WalkCase{"inception_block", {.image_size = 8}},
                      WalkCase{"nasrnn", {.seq_len = 2}}),
    [](const ::testing::TestParamInfo<WalkCase>& info) {
      return std::string(info.param.model);
    });

TEST(RewriteDeltaTest, BareVariableTargetAndGraphOutputs) {
  // concat-split-cancel's target is the variable x itself, and the
  // replaced concat is a graph output.
  absl::StatusOr<Graph> g = GraphWithData(R"(
    %x = input {shape=[1,4,2,2], name="x"}
    %s:2 = split(%x) {axis=1, sizes=[2,2]}
    %c = concat(%s#0, %s#1) {axis=1}
    %r = relu(%c)
    return %c, %r)");
  ASSERT_TRUE(g.ok()) << g.status();
  absl::StatusOr<RuleSet> rules = RulesFromText(kTestRules);
  ASSERT_TRUE(rules.ok());
  LayoutModel model;
  IncrementalCost cost(&model);
  Tally t;
  std::vector<Graph> next = CheckAllMatches(*g, *rules, cost, 100, &t);
  EXPECT_EQ(t.materialized, 0);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].num_nodes(), 2);  // x and relu
}

TEST(RewriteDeltaTest, CycleIsRejectedLikeApplyMatch) {
  // Both matmuls read w; the second one's kernel is the first one's
  // output (weights only), so merging them would make a cycle.
  absl::StatusOr<Graph> g = GraphWithData(R"(
    %w = weight {shape=[4,4]}
    %k = weight {shape=[4,4]}
    %a = matmul(%w, %k)
    %b = matmul(%w, %a)
    %x = input {shape=[4,4], name="x"}
    %y = add(%x, %b)
    return %y)");
  ASSERT_TRUE(g.ok()) << g.status();
  absl::StatusOr<RuleSet> rules = RulesFromText(kTestRules);
  ASSERT_TRUE(rules.ok());
  AnalyticCostModel model;
  IncrementalCost cost(&model);
  Tally t;
  CheckAllMatches(*g, *rules, cost, 100, &t);
  EXPECT_GT(t.rejected, 0);
}

TEST(RewriteDeltaTest, ParentWithDeadNodesIsMaterialized) {
  absl::StatusOr<Graph> g = GraphWithData(R"(
    %x = input {shape=[1,8,8,8], name="x"}
    %w = weight {shape=[8,8,3,3]}
    %c = conv2d(%x, %w) {pad=[1,1,1,1]}
    %r = relu(%c)
    %dead = tanh(%x)
    return %r)");
  ASSERT_TRUE(g.ok()) << g.status();
  absl::StatusOr<RuleSet> rules = RulesFromText(kTestRules);
  ASSERT_TRUE(rules.ok());
  AnalyticCostModel model;
  IncrementalCost cost(&model);
  Tally t;
  std::vector<Graph> next = CheckAllMatches(*g, *rules, cost, 100, &t);
  ASSERT_EQ(next.size(), 1u);  // fuse-conv-relu, without the dead tanh
  EXPECT_EQ(t.materialized, 1);
}

}  // namespace
}  // namespace tsopt

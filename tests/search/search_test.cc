// Search tests on the analytic cost model with the hand-written test rules:
// the rewrites TASO reports are found (conv+relu fusion, merging parallel
// convs and matmuls via concat+split, enlarge-and-merge of 1x1 and 3x3
// convs), results are numerically equal to the input, the search is
// deterministic, and the benchmark pieces get cheaper.
#include "tsopt/search/search.h"

#include <string>

#include "gtest/gtest.h"
#include "tests/search/reference_search_util.h"
#include "tests/search/search_test_util.h"
#include "tsopt/cost/analytic_cost_model.h"
#include "tsopt/ir/hash.h"
#include "tsopt/models/models.h"
#include "tsopt/optimize.h"

namespace tsopt {
namespace {

using testing_util::CountOp;
using testing_util::LayoutModel;
using testing_util::ReferenceSearch;
using testing_util::GraphWithData;
using testing_util::kTestRules;
using testing_util::MaxRelativeDifference;
using testing_util::RulesFromText;

class SearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<RuleSet> rules = RulesFromText(kTestRules);
    ASSERT_TRUE(rules.ok()) << rules.status();
    rules_ = *std::move(rules);
  }

  SearchResult Run(const Graph& g, SearchOptions options = {}) {
    IncrementalCost cost(&model_);
    absl::StatusOr<SearchResult> r = Search(g, rules_, cost, options);
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok()) return {};
    EXPECT_LE(r->report.cost_after_ms, r->report.cost_before_ms);
    absl::StatusOr<double> diff = MaxRelativeDifference(g, r->best);
    EXPECT_TRUE(diff.ok()) << diff.status();
    if (diff.ok()) {
      EXPECT_LT(*diff, 1e-3);
    }
    return *std::move(r);
  }

  Graph Parse(const std::string& text) {
    absl::StatusOr<Graph> g = GraphWithData(text);
    EXPECT_TRUE(g.ok()) << g.status();
    return g.ok() ? *std::move(g) : Graph();
  }

  AnalyticCostModel model_;
  RuleSet rules_;
};

TEST_F(SearchTest, FindsConvReluFusion) {
  Graph g = Parse(R"(
    %x = input {shape=[1,8,16,16], name="x"}
    %w = weight {shape=[8,8,3,3]}
    %c = conv2d(%x, %w) {pad=[1,1,1,1]}
    %r = relu(%c)
    %t = tanh(%r)
    return %t)");
  SearchResult r = Run(g);
  EXPECT_EQ(CountOp(r.best, OpKind::kRelu), 0);
  EXPECT_EQ(r.report.rules_applied["fuse-conv-relu"], 1);
  EXPECT_LT(r.report.cost_after_ms, r.report.cost_before_ms);
  EXPECT_EQ(r.report.stop_reason, StopReason::kQueueEmpty);
  EXPECT_GE(r.report.graphs_expanded, 2);
}

TEST_F(SearchTest, MergesParallelConvs) {
  // Two thin 1x1 convs of a wide input: reading x once pays for the split.
  Graph g = Parse(R"(
    %x = input {shape=[1,64,32,32], name="x"}
    %w1 = weight {shape=[4,64,1,1]}
    %w2 = weight {shape=[4,64,1,1]}
    %a = conv2d(%x, %w1)
    %b = conv2d(%x, %w2)
    %s = add(%a, %b)
    return %s)");
  SearchResult r = Run(g);
  EXPECT_EQ(CountOp(r.best, OpKind::kConv2D), 1);
  EXPECT_EQ(r.report.rules_applied["merge-convs"], 1);
  EXPECT_LT(r.report.cost_after_ms, r.report.cost_before_ms);
}

TEST_F(SearchTest, MergesParallelMatMuls) {
  Graph g = Parse(R"(
    %x = input {shape=[256,512], name="x"}
    %w1 = weight {shape=[512,8]}
    %w2 = weight {shape=[512,8]}
    %a = matmul(%x, %w1)
    %b = matmul(%x, %w2)
    %s = add(%a, %b)
    return %s)");
  SearchResult r = Run(g);
  EXPECT_EQ(CountOp(r.best, OpKind::kMatMul), 1);
  EXPECT_EQ(r.report.rules_applied["merge-matmuls"], 1);
  EXPECT_LT(r.report.cost_after_ms, r.report.cost_before_ms);
}

TEST_F(SearchTest, EnlargesAndMerges1x1And3x3ThenCancelsSplitConcat) {
  // Inception-style branches: a 1x1 and a 3x3 conv of x, concatenated.
  // Merging alone costs a split (above alpha = 1.05 on this model); the
  // search must go through it (alpha 1.5) to cancel split + concat.
  Graph g = Parse(R"(
    %x = input {shape=[1,16,32,32], name="x"}
    %w1 = weight {shape=[4,16,1,1]}
    %w3 = weight {shape=[4,16,3,3]}
    %a = conv2d(%x, %w1)
    %b = conv2d(%x, %w3) {pad=[1,1,1,1]}
    %c = concat(%a, %b) {axis=1}
    return %c)");
  SearchOptions options;
  options.alpha = 1.5;
  SearchResult r = Run(g, options);
  EXPECT_EQ(CountOp(r.best, OpKind::kConv2D), 1);
  EXPECT_EQ(CountOp(r.best, OpKind::kConcat), 0);
  EXPECT_EQ(CountOp(r.best, OpKind::kSplit), 0);
  EXPECT_EQ(r.report.rules_applied["merge-conv1x1-conv3x3"], 1);
  EXPECT_EQ(r.report.rules_applied["concat-split-cancel"], 1);
}

TEST_F(SearchTest, SameSeedSameResultAnyThreadCount) {
  absl::StatusOr<Graph> g =
      BuildModel("nasnet_cell", {.image_size = 8});
  ASSERT_TRUE(g.ok()) << g.status();
  SearchOptions options;
  options.budget = 30;
  SearchResult a = Run(*g, options);
  SearchResult b = Run(*g, options);
  options.threads = 3;
  SearchResult c = Run(*g, options);
  EXPECT_TRUE(StructurallyEqual(a.best, b.best));
  EXPECT_TRUE(StructurallyEqual(a.best, c.best));
  EXPECT_EQ(a.report.graphs_expanded, b.report.graphs_expanded);
  EXPECT_EQ(a.report.graphs_generated, c.report.graphs_generated);
  EXPECT_EQ(a.report.rules_applied, c.report.rules_applied);
}

TEST_F(SearchTest, StopsAtBudget) {
  absl::StatusOr<Graph> g = BuildModel("nasnet_cell", {.image_size = 8});
  ASSERT_TRUE(g.ok()) << g.status();
  SearchOptions options;
  options.budget = 1;
  SearchResult r = Run(*g, options);
  EXPECT_EQ(r.report.stop_reason, StopReason::kBudget);
  EXPECT_EQ(r.report.graphs_expanded, 1);
  EXPECT_GT(r.report.graphs_generated, 0);
}

TEST_F(SearchTest, TinyQueueStillReturnsABetterGraph) {
  absl::StatusOr<Graph> g = BuildModel("nasnet_cell", {.image_size = 8});
  ASSERT_TRUE(g.ok()) << g.status();
  SearchOptions options;
  options.max_queue = 1;
  options.budget = 20;
  SearchResult r = Run(*g, options);
  EXPECT_LE(r.report.peak_queue, 1);
  EXPECT_LT(r.report.cost_after_ms, r.report.cost_before_ms);
}

struct ModelCase {
  const char* name;
  ModelOptions options;
  const char* expected_rule;  // a rule the best graph must use
};

class ModelSearchTest : public SearchTest,
                        public ::testing::WithParamInterface<ModelCase> {};

TEST_P(ModelSearchTest, GetsCheaperAndStaysEqual) {
  const ModelCase& c = GetParam();
  absl::StatusOr<Graph> g = BuildModel(c.name, c.options);
  ASSERT_TRUE(g.ok()) << g.status();
  SearchOptions options;
  options.budget = 40;
  SearchResult r = Run(*g, options);
  EXPECT_LT(r.report.cost_after_ms, r.report.cost_before_ms);
  EXPECT_GT(r.report.rules_applied[c.expected_rule], 0)
      << "rule " << c.expected_rule << " not on the path to the best graph";
}

INSTANTIATE_TEST_SUITE_P(
    Pieces, ModelSearchTest,
    ::testing::Values(
        ModelCase{"resnext_block", {.image_size = 8}, "fold-conv-batchnorm"},
        ModelCase{"nasnet_cell", {.image_size = 8}, "fuse-conv-relu"},
        ModelCase{"bert_layer", {.seq_len = 16}, "matmul-scalar-right"}),
    [](const ::testing::TestParamInfo<ModelCase>& info) {
      return std::string(info.param.name);
    });

// The delta search against the materializing reference: the same best
// graph and the same counters, on the analytic model and with layouts.
class SameAsReferenceTest : public SearchTest,
                            public ::testing::WithParamInterface<ModelCase> {};

TEST_P(SameAsReferenceTest, SameBestGraphAndCounters) {
  const ModelCase& c = GetParam();
  absl::StatusOr<Graph> g = BuildModel(c.name, c.options);
  ASSERT_TRUE(g.ok()) << g.status();
  SearchOptions options;
  options.budget = 25;
  options.alpha = 1.1;
  AnalyticCostModel analytic;
  LayoutModel layouts;
  for (CostModel* model : {static_cast<CostModel*>(&analytic),
                           static_cast<CostModel*>(&layouts)}) {
    IncrementalCost cost_a(model), cost_b(model);
    absl::StatusOr<SearchResult> a = Search(*g, rules_, cost_a, options);
    absl::StatusOr<SearchResult> b = ReferenceSearch(*g, rules_, cost_b, options);
    ASSERT_TRUE(a.ok()) << a.status();
    ASSERT_TRUE(b.ok()) << b.status();
    const SearchReport& x = a->report;
    const SearchReport& y = b->report;
    EXPECT_TRUE(StructurallyEqual(a->best, b->best)) << model->Name();
    EXPECT_EQ(x.cost_before_ms, y.cost_before_ms);
    EXPECT_EQ(x.cost_after_ms, y.cost_after_ms);
    EXPECT_EQ(x.nodes_after, y.nodes_after);
    EXPECT_EQ(x.graphs_expanded, y.graphs_expanded);
    EXPECT_EQ(x.graphs_generated, y.graphs_generated);
    EXPECT_EQ(x.graphs_deduplicated, y.graphs_deduplicated);
    EXPECT_EQ(x.graphs_pruned, y.graphs_pruned);
    EXPECT_EQ(x.matches, y.matches);
    EXPECT_EQ(x.rewrites_rejected, y.rewrites_rejected);
    EXPECT_EQ(x.peak_queue, y.peak_queue);
    EXPECT_EQ(x.stop_reason, y.stop_reason);
    EXPECT_EQ(x.rules_applied, y.rules_applied);
    EXPECT_GT(x.graphs_generated, 0);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Pieces, SameAsReferenceTest,
    ::testing::Values(ModelCase{"resnext_block", {.image_size = 8}, ""},
                      ModelCase{"nasnet_cell", {.image_size = 8}, ""},
                      ModelCase{"bert_layer", {.seq_len = 16}, ""},
                      ModelCase{"inception_block", {.image_size = 8}, ""},
                      ModelCase{"nasrnn", {.seq_len = 2}, ""}),
    [](const ::testing::TestParamInfo<ModelCase>& info) {
      return std::string(info.param.name);
    });

TEST(OptimizeTest, OptimizeUsesGivenRulesAndAnalyticModel) {
  absl::StatusOr<RuleSet> rules = RulesFromText(kTestRules);
  ASSERT_TRUE(rules.ok()) << rules.status();
  absl::StatusOr<Graph> g = BuildModel("resnext_block", {.image_size = 8});
  ASSERT_TRUE(g.ok()) << g.status();
  OptimizeOptions options;
  options.rules = &*rules;
  options.cost_kind = CostModelKind::kAnalytic;
  options.search.budget = 20;
  absl::StatusOr<OptimizeResult> r = Optimize(*g, options);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->cost_model, "analytic");
  EXPECT_EQ(r->rules_used, rules->size());
  EXPECT_LT(r->report.cost_after_ms, r->report.cost_before_ms);
}

TEST(OptimizeTest, ShippedRulesLoadAndUnverifiedAreSkippedByDefault) {
  absl::StatusOr<std::string> dir = DefaultRulesDir();
  ASSERT_TRUE(dir.ok()) << dir.status();
  int skipped_strict = 0, skipped_loose = 0;
  absl::StatusOr<RuleSet> strict =
      LoadRulesForSearch(*dir, /*allow_unverified=*/false, &skipped_strict);
  absl::StatusOr<RuleSet> loose =
      LoadRulesForSearch(*dir, /*allow_unverified=*/true, &skipped_loose);
  ASSERT_TRUE(strict.ok()) << strict.status();
  ASSERT_TRUE(loose.ok()) << loose.status();
  EXPECT_GT(loose->size(), 0);
  EXPECT_EQ(strict->size() + skipped_strict, loose->size() + skipped_loose);
  for (const Rule& r : strict->rules()) {
    EXPECT_EQ(r.status, VerificationStatus::kProved) << r.name;
  }
}

}  // namespace
}  // namespace tsopt

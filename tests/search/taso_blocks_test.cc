// tsopt::Optimize with the SHIPPED proved rules (rules/*.rules) on the three
// blocks TASO evaluates, at small shapes: the result computes the same
// values on the reference evaluator, costs less, and the path to it uses
// the rewrites TASO reports:
//   resnext_block: conv -> batchnorm -> relu becomes one conv with a bias
//                  and a fused relu (fold-conv-batchnorm, fuse-conv-bias,
//                  fuse-conv-bias-relu);
//   bert_layer:    every linear layer (matmul + bias) becomes one biased
//                  matmul, the feed-forward one with a fused gelu. Merging
//                  the Q/K/V matmuls (merge-matmuls-bias) applies and is
//                  exact, but does not pay on a CPU: the split after the
//                  merged matmul copies its output, and one wider GEMM is
//                  no faster per FLOP (the analytic model and the measured
//                  oneDNN one agree). TASO's merge pays on a GPU, where a
//                  wider GEMM fills more of the device. The merge is tested
//                  as a rewrite on the real layer below;
//   nasnet_cell:   a conv merge or an activation fusion (fewer convs plus
//                  relus; the generated rules fuse relu as well as
//                  fuse-conv-relu does, so no rule name is required).
// Cost model: the analytic one (deterministic; a measured model would make
// the chosen path depend on the machine's timings).
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/search/search_test_util.h"
#include "tsopt/models/models.h"
#include "tsopt/optimize.h"
#include "tsopt/search/matcher.h"
#include "tsopt/search/rewrite.h"

namespace tsopt {
namespace {

using testing_util::CountOp;
using testing_util::MaxRelativeDifference;

struct BlockCase {
  const char* model;
  ModelOptions options;
  int budget;
  // Every rule of `all_of` and at least one of `any_of` (if not empty) is
  // on the path to the best graph.
  std::vector<std::string> all_of;
  std::vector<std::string> any_of;
  // If not empty: the best graph has fewer nodes of these operators, in
  // total, than the input (a fusion removes relus, a merge removes convs).
  std::vector<OpKind> fewer_of;
};

void PrintTo(const BlockCase& c, std::ostream* os) { *os << c.model; }

class TasoBlocksTest : public ::testing::TestWithParam<BlockCase> {};

TEST_P(TasoBlocksTest, ShippedRulesFindTasoRewrites) {
  const BlockCase& c = GetParam();
  absl::StatusOr<Graph> g = BuildModel(c.model, c.options);
  ASSERT_TRUE(g.ok()) << g.status();
  OptimizeOptions options;
  options.cost_kind = CostModelKind::kAnalytic;
  options.search.budget = c.budget;
  absl::StatusOr<OptimizeResult> r = Optimize(*g, options);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->rules_skipped, 0) << "a shipped rule is not proved";
  EXPECT_LT(r->report.cost_after_ms, r->report.cost_before_ms);
  absl::StatusOr<double> diff = MaxRelativeDifference(*g, r->graph);
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_LT(*diff, 1e-3);
  std::string applied;
  for (const auto& [name, count] : r->report.rules_applied) {
    applied += name + "=" + std::to_string(count) + " ";
  }
  for (const std::string& rule : c.all_of) {
    EXPECT_GT(r->report.rules_applied[rule], 0)
        << rule << " not on the path to the best graph; applied: " << applied;
  }
  if (!c.any_of.empty()) {
    int64_t found = 0;
    for (const std::string& rule : c.any_of) {
      found += r->report.rules_applied[rule];
    }
    EXPECT_GT(found, 0) << "none of the expected rules applied: " << applied;
  }
  if (!c.fewer_of.empty()) {
    int before = 0, after = 0;
    for (OpKind op : c.fewer_of) {
      before += CountOp(*g, op);
      after += CountOp(r->graph, op);
    }
    EXPECT_LT(after, before) << "applied: " << applied;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Blocks, TasoBlocksTest,
    ::testing::Values(
        BlockCase{"resnext_block",
                  {.image_size = 8},
                  60,
                  {"fold-conv-batchnorm", "fuse-conv-bias",
                   "fuse-conv-bias-relu"},
                  {}},
        BlockCase{"bert_layer",
                  {.seq_len = 8},
                  60,
                  {"fuse-matmul-bias", "fuse-matmul-bias-gelu"},
                  {}},
        BlockCase{"nasnet_cell",
                  {.image_size = 8},
                  60,
                  {},
                  {},
                  {OpKind::kConv2D, OpKind::kRelu}}),
    [](const ::testing::TestParamInfo<BlockCase>& info) {
      return std::string(info.param.model);
    });

// The optimized ResNeXt block has no batchnorm, no relu and no add left
// outside the residual: every conv carries its bias and relu.
TEST(TasoBlocksStructureTest, ResnextBlockConvsCarryBiasAndRelu) {
  absl::StatusOr<Graph> g = BuildModel("resnext_block", {.image_size = 8});
  ASSERT_TRUE(g.ok()) << g.status();
  OptimizeOptions options;
  options.cost_kind = CostModelKind::kAnalytic;
  options.search.budget = 60;
  absl::StatusOr<OptimizeResult> r = Optimize(*g, options);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(CountOp(r->graph, OpKind::kBatchNorm), 0);
  int biased = 0;
  for (const Node& n : r->graph.nodes()) {
    if (n.op == OpKind::kConv2D && n.inputs.size() == 3) ++biased;
  }
  EXPECT_EQ(biased, CountOp(r->graph, OpKind::kConv2D));
}

// On the optimized BERT layer (biased matmuls), merge-matmuls-bias finds
// the Q/K/V projections (3 pairs, each in both orders) and merging two of
// them gives one fewer matmul computing the same values.
TEST(TasoBlocksStructureTest, BertLayerQkvMatmulsMerge) {
  absl::StatusOr<Graph> g = BuildModel("bert_layer", {.seq_len = 8});
  ASSERT_TRUE(g.ok()) << g.status();
  OptimizeOptions options;
  options.cost_kind = CostModelKind::kAnalytic;
  options.search.budget = 60;
  absl::StatusOr<OptimizeResult> fused = Optimize(*g, options);
  ASSERT_TRUE(fused.ok()) << fused.status();
  absl::StatusOr<std::string> dir = DefaultRulesDir();
  ASSERT_TRUE(dir.ok()) << dir.status();
  int skipped = 0;
  absl::StatusOr<RuleSet> rules =
      LoadRulesForSearch(*dir, /*allow_unverified=*/false, &skipped);
  ASSERT_TRUE(rules.ok()) << rules.status();
  const Rule* merge = rules->Find("merge-matmuls-bias");
  ASSERT_NE(merge, nullptr);
  MatchContext ctx(fused->graph);
  std::vector<Match> matches = FindRuleMatches(
      ctx, *rules, static_cast<int>(merge - rules->rules().data()));
  ASSERT_EQ(matches.size(), 6u);
  absl::StatusOr<Graph> merged = ApplyMatch(fused->graph, *merge, matches[0]);
  ASSERT_TRUE(merged.ok()) << merged.status();
  EXPECT_EQ(CountOp(*merged, OpKind::kMatMul),
            CountOp(fused->graph, OpKind::kMatMul) - 1);
  EXPECT_EQ(CountOp(*merged, OpKind::kSplit), 1);
  absl::StatusOr<double> diff = MaxRelativeDifference(*g, *merged);
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_LT(*diff, 1e-3);
}

}  // namespace
}  // namespace tsopt

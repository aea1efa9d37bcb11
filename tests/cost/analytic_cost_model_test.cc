// The roofline model: deterministic, monotone in work, fusion pays, and the
// graph cost is the sum of node costs.
#include "tsopt/cost/analytic_cost_model.h"

#include "gtest/gtest.h"
#include "tsopt/models/models.h"

namespace tsopt {
namespace {

// Small zoo models keep the tests fast.
ModelOptions SmallImage() {
  ModelOptions o;
  o.image_size = 8;
  return o;
}
ModelOptions ShortSequence() {
  ModelOptions o;
  o.seq_len = 4;
  return o;
}

OpSignature ConvSig(int64_t channels, int64_t size, Activation act) {
  Graph g;
  ValueId x = *g.AddInput("x", {1, channels, size, size});
  ValueId w = *g.AddWeight({channels, channels, 3, 3}, nullptr);
  Conv2DAttrs a;
  a.pad = {1, 1, 1, 1};
  a.activation = act;
  ValueId y = *g.AddOp(OpKind::kConv2D, a, {x, w});
  return SignatureOf(g, y.node);
}

TEST(AnalyticCostModelTest, ConvWorkMatchesTheFormula) {
  OpWork w = WorkOf(ConvSig(8, 10, Activation::kNone));
  // 2 * N*K*OH*OW * C*KH*KW
  EXPECT_DOUBLE_EQ(w.flops, 2.0 * 8 * 10 * 10 * 8 * 3 * 3);
  EXPECT_DOUBLE_EQ(w.bytes, 4.0 * (800 + 8 * 8 * 9 + 800));
}

TEST(AnalyticCostModelTest, DeterministicAndMonotone) {
  AnalyticCostModel a, b;
  double small = *a.Cost(ConvSig(16, 14, Activation::kNone));
  EXPECT_EQ(small, *b.Cost(ConvSig(16, 14, Activation::kNone)));
  EXPECT_GT(small, 0);
  EXPECT_GT(*a.Cost(ConvSig(32, 14, Activation::kNone)), small);
  EXPECT_GT(*a.Cost(ConvSig(16, 28, Activation::kNone)), small);
}

TEST(AnalyticCostModelTest, ParametersScaleTheCost) {
  AnalyticCostModel slow({.peak_gflops = 10, .bandwidth_gbps = 2});
  AnalyticCostModel fast;
  OpSignature sig = ConvSig(32, 28, Activation::kNone);
  EXPECT_GT(*slow.Cost(sig), *fast.Cost(sig));
  EXPECT_NE(slow.Environment(), fast.Environment());
}

TEST(AnalyticCostModelTest, FusedActivationIsCheaperThanASeparateRelu) {
  Graph fused, separate;
  for (Graph* g : {&fused, &separate}) {
    ValueId x = *g->AddInput("x", {1, 16, 14, 14});
    ValueId w = *g->AddWeight({16, 16, 3, 3}, nullptr);
    Conv2DAttrs a;
    a.pad = {1, 1, 1, 1};
    if (g == &fused) a.activation = Activation::kRelu;
    ValueId y = *g->AddOp(OpKind::kConv2D, a, {x, w});
    if (g == &separate) y = *g->AddOp(OpKind::kRelu, NoAttrs{}, {y});
    ASSERT_TRUE(g->MarkOutput(y).ok());
  }
  AnalyticCostModel model;
  double with_fusion = *GraphCost(fused, model);
  double without = *GraphCost(separate, model);
  EXPECT_LT(with_fusion, without);
  // The fused activation adds (almost) nothing over the bare conv.
  double bare = *model.Cost(ConvSig(16, 14, Activation::kNone));
  EXPECT_LT(with_fusion - bare, 0.01 * bare);
}

TEST(AnalyticCostModelTest, GraphCostIsTheSumOfNodeCosts) {
  absl::StatusOr<Graph> g = BuildModel("resnet_block", SmallImage());
  ASSERT_TRUE(g.ok());
  AnalyticCostModel model;
  double sum = 0;
  for (NodeId id = 0; id < g->num_nodes(); ++id) {
    double c = *model.Cost(SignatureOf(*g, id));
    if (IsFreeOp(g->node(id).op)) {
      EXPECT_EQ(c, 0) << g->Describe(id);
    }
    sum += c;
  }
  absl::StatusOr<GraphCostReport> report = GraphCostDetailed(*g, model);
  ASSERT_TRUE(report.ok());
  EXPECT_DOUBLE_EQ(report->total_ms, sum);
  EXPECT_EQ(report->num_reorders, 0);  // the analytic model is all plain
}

TEST(AnalyticCostModelTest, EveryOperatorHasAFiniteCost) {
  absl::StatusOr<Graph> g = BuildModel("bert_layer", ShortSequence());
  ASSERT_TRUE(g.ok());
  AnalyticCostModel model;
  for (NodeId id = 0; id < g->num_nodes(); ++id) {
    absl::StatusOr<double> c = model.Cost(SignatureOf(*g, id));
    ASSERT_TRUE(c.ok()) << g->Describe(id);
    EXPECT_GE(*c, 0);
  }
}

}  // namespace
}  // namespace tsopt

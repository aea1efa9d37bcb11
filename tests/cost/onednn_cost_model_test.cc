// OneDnnCostModel on small shapes with short measurements: real primitives
// are timed, layouts reported, missing primitives fall back to the
// reference kernel, reorders are measurable signatures.
#include "tsopt/cost/onednn_cost_model.h"

#include "gtest/gtest.h"
#include "tsopt/cost/cost_cache.h"
#include "tsopt/models/models.h"

namespace tsopt {
namespace {

// Small zoo models keep the tests fast.
ModelOptions SmallImage() {
  ModelOptions o;
  o.image_size = 8;
  return o;
}

OneDnnCostOptions Fast() {
  OneDnnCostOptions o;
  o.num_threads = 1;
  o.timing.batches = 3;
  o.timing.min_batch_ms = 0.2;
  o.timing.warmup_runs = 1;
  return o;
}

TEST(OneDnnCostModelTest, TimesAConvAndReportsItsLayouts) {
  OneDnnCostModel model(Fast());
  Graph g;
  ValueId x = *g.AddInput("x", {1, 16, 8, 8});
  ValueId w = *g.AddWeight({16, 16, 3, 3}, nullptr);
  Conv2DAttrs a;
  a.pad = {1, 1, 1, 1};
  a.activation = Activation::kRelu;
  ValueId y = *g.AddOp(OpKind::kConv2D, a, {x, w});
  absl::StatusOr<OpCost> c = model.Measure(SignatureOf(g, y.node));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_GT(c->ms, 0);
  EXPECT_GE(c->spread, 0);
  EXPECT_EQ(c->source, "onednn");
  EXPECT_EQ(c->input_layouts.size(), 2u);
  EXPECT_EQ(c->output_layouts.size(), 1u);
}

TEST(OneDnnCostModelTest, FollowOpsAndPlainOps) {
  OneDnnCostModel model(Fast());
  Graph g;
  ValueId x = *g.AddInput("x", {4, 32});
  ValueId r = *g.AddOp(OpKind::kRelu, NoAttrs{}, {x});
  ValueId s = *g.AddOp(OpKind::kSoftmax, SoftmaxAttrs{}, {x});
  OpCost relu = *model.Measure(SignatureOf(g, r.node));
  EXPECT_EQ(relu.input_layouts, std::vector<std::string>{kFollowLayout});
  OpCost softmax = *model.Measure(SignatureOf(g, s.node));
  EXPECT_TRUE(softmax.input_layouts.empty());  // plain
  EXPECT_EQ(softmax.source, "onednn");
}

TEST(OneDnnCostModelTest, MissingPrimitivesAreTimedOnTheReference) {
  OneDnnCostModel model(Fast());
  Graph g;
  ValueId x = *g.AddInput("x", {4, 6});
  std::vector<ValueId> parts =
      *g.AddNode(OpKind::kSplit, SplitAttrs{1, {2, 4}}, {x});
  absl::StatusOr<OpCost> c = model.Measure(SignatureOf(g, parts[0].node));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->source, "reference");
  EXPECT_GT(c->ms, 0);
}

TEST(OneDnnCostModelTest, ReorderSignatureIsMeasured) {
  OneDnnCostModel model(Fast());
  // NCHW -> NHWC of [1, 8, 4, 4], and NHWC -> nChw16c.
  OpSignature sig = ReorderSignature(Shape({1, 8, 4, 4}), "plain",
                                     "fmt:0,2,3,1/");
  absl::StatusOr<OpCost> c = model.Measure(sig);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_GT(c->ms, 0);
  c = model.Measure(ReorderSignature(Shape({1, 8, 4, 4}), "fmt:0,2,3,1/",
                                     "fmt:0,1,2,3/1:16"));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_GT(c->ms, 0);
}

TEST(OneDnnCostModelTest, EnvironmentNamesVersionIsaAndThreads) {
  OneDnnCostModel model(Fast());
  std::string env = model.Environment();
  EXPECT_NE(env.find("oneDNN 2."), std::string::npos) << env;
  EXPECT_NE(env.find("isa="), std::string::npos) << env;
  EXPECT_NE(env.find("threads=1"), std::string::npos) << env;
}

TEST(OneDnnCostModelTest, GraphCostOfAResNetBlockWithCache) {
  OneDnnCostModel base(Fast());
  CachingCostModel model(&base, {.path = "", .persist = false});
  absl::StatusOr<Graph> g = BuildModel("resnet_block", SmallImage());
  ASSERT_TRUE(g.ok());
  absl::StatusOr<GraphCostReport> r = GraphCostDetailed(*g, model);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_GT(r->total_ms, 0);
  int64_t measured = model.measured();
  // Identical convs, batch norms and relus share one measurement each.
  EXPECT_LT(measured, g->num_nodes());
  ASSERT_TRUE(GraphCost(*g, model).ok());
  EXPECT_EQ(model.measured(), measured);
}

}  // namespace
}  // namespace tsopt

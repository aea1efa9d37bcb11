// OneDnnCostModel on small shapes with short measurements: real primitives
// are timed, layouts reported, missing primitives fall back to the
// reference kernel, reorders are measurable signatures.
#include "tsopt/cost/onednn_cost_model.h"

#include "gtest/gtest.h"
#include "src/runtime/onednn/primitive_builder.h"
#include "tests/common/fast_cost_options.h"
#include "tsopt/cost/cost_cache.h"
#include "tsopt/models/models.h"
#include "tsopt/optimize.h"

namespace tsopt {
namespace {

// Small zoo models keep the tests fast.
ModelOptions SmallImage() {
  ModelOptions o;
  o.image_size = 8;
  return o;
}

using testing_util::FastOneDnnCostOptions;

TEST(OneDnnCostModelTest, TimesAConvAndReportsItsLayouts) {
  OneDnnCostModel model(FastOneDnnCostOptions());
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
  OneDnnCostModel model(FastOneDnnCostOptions());
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
  OneDnnCostModel model(FastOneDnnCostOptions());
  Graph g;
  ValueId x = *g.AddInput("x", {4, 6});
  ValueId p = *g.AddOp(OpKind::kPad, PadAttrs{{0, 1, 0, 1}, 0.0f}, {x});
  absl::StatusOr<OpCost> c = model.Measure(SignatureOf(g, p.node));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->source, "reference");
  EXPECT_GT(c->ms, 0);
}

TEST(OneDnnCostModelTest, ReorderSignatureIsMeasured) {
  OneDnnCostModel model(FastOneDnnCostOptions());
  // NCHW -> NHWC of [1, 8, 4, 4], and NHWC -> nChw16c.
  OpSignature sig =
      ReorderSignature(Shape({1, 8, 4, 4}), "plain", "fmt:0,2,3,1/");
  absl::StatusOr<OpCost> c = model.Measure(sig);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_GT(c->ms, 0);
  c = model.Measure(ReorderSignature(Shape({1, 8, 4, 4}), "fmt:0,2,3,1/",
                                     "fmt:0,1,2,3/1:16"));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_GT(c->ms, 0);
}

TEST(OneDnnCostModelTest, EnvironmentNamesVersionIsaAndThreads) {
  OneDnnCostModel model(FastOneDnnCostOptions());
  std::string env = model.Environment();
  EXPECT_NE(env.find("oneDNN 2."), std::string::npos) << env;
  EXPECT_NE(env.find("isa="), std::string::npos) << env;
  EXPECT_NE(env.find("threads=1"), std::string::npos) << env;
}

TEST(OneDnnCostModelTest, GraphCostOfAResNetBlockWithCache) {
  OneDnnCostModel base(FastOneDnnCostOptions());
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

// Every layout a measured conv or matmul reports can be rebuilt for a
// reorder, including the one-row operands oneDNN would put in padded
// 16-row blocks (NasRNN's merged matmuls once failed on that).
TEST(OneDnnCostModelTest, EveryReportedLayoutCanBeRebuilt) {
  OneDnnCostModel model(FastOneDnnCostOptions());
  Graph g;
  ValueId h = *g.AddInput("h", {1, 512});
  ValueId ht = *g.AddInput("ht", {512, 1});
  ValueId w = *g.AddWeight({512, 1024}, nullptr);
  ValueId a = *g.AddWeight({512, 512}, nullptr);
  ValueId x = *g.AddInput("x", {1, 3, 8, 8});
  ValueId k = *g.AddWeight({4, 3, 3, 3}, nullptr);
  std::vector<ValueId> ys = {*g.AddOp(OpKind::kMatMul, MatMulAttrs{}, {h, w}),
                             *g.AddOp(OpKind::kMatMul, MatMulAttrs{}, {a, ht}),
                             *g.AddOp(OpKind::kMatMul, MatMulAttrs{}, {h, ht}),
                             *g.AddOp(OpKind::kConv2D, Conv2DAttrs{}, {x, k})};
  for (ValueId y : ys) {
    OpSignature sig = SignatureOf(g, y.node);
    absl::StatusOr<OpCost> c = model.Measure(sig);
    ASSERT_TRUE(c.ok()) << c.status();
    ASSERT_EQ(c->input_layouts.size(), sig.inputs.size());
    for (size_t i = 0; i < sig.inputs.size(); ++i) {
      // "plain|view" is reordered to (as) plain.
      std::string layout = c->input_layouts[i] == kPlainOrViewLayout
                               ? kPlainLayout
                               : c->input_layouts[i];
      EXPECT_TRUE(onednn::DescFromLayout(sig.inputs[i], layout).ok())
          << sig.Key() << " input " << i << ": " << layout;
    }
    ASSERT_EQ(c->output_layouts.size(), 1u);
    EXPECT_TRUE(
        onednn::DescFromLayout(sig.outputs[0], c->output_layouts[0]).ok())
        << sig.Key() << " output: " << c->output_layouts[0];
  }
}

// The same through a search: NasRNN's rewrites (merged one-row matmuls)
// are costed without a layout error.
TEST(OneDnnCostModelTest, NasRnnSearchCostsEveryRewrite) {
  absl::StatusOr<Graph> g = BuildModel("nasrnn");
  ASSERT_TRUE(g.ok());
  OneDnnCostModel model(FastOneDnnCostOptions());
  OptimizeOptions o;
  o.cost_model = &model;
  o.search.budget = 2;
  absl::StatusOr<OptimizeResult> r = Optimize(*g, o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_GT(r->report.graphs_generated, 0);
}

}  // namespace
}  // namespace tsopt

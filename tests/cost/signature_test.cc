// OpSignature: stable text keys, equality and hashing, graph costs with
// reorders priced through a layout-aware fake model.
#include "gtest/gtest.h"
#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "tsopt/cost/cost_model.h"

namespace tsopt {
namespace {

Graph ConvGraph(Activation act, int64_t size) {
  Graph g;
  ValueId x = *g.AddInput("x", {1, 4, size, size});
  ValueId w = *g.AddWeight({8, 4, 3, 3}, nullptr);
  Conv2DAttrs a;
  a.pad = {1, 1, 1, 1};
  a.activation = act;
  ValueId y = *g.AddOp(OpKind::kConv2D, a, {x, w});
  EXPECT_TRUE(g.MarkOutput(y).ok());
  return g;
}

TEST(OpSignatureTest, KeyIsStableText) {
  Graph g = ConvGraph(Activation::kRelu, 8);
  EXPECT_EQ(SignatureOf(g, 2).Key(),
            "conv2d{stride=[1,1],pad=[1,1,1,1],dilation=[1,1],groups=1,"
            "activation=relu}([1,4,8,8],[8,4,3,3])->([1,8,8,8])");
  EXPECT_EQ(ReorderSignature(Shape({2, 3}), "plain", "blk:1,2/").Key(),
            "identity{}([2,3])->([2,3])@in:plain@out:blk:1,2/");
}

TEST(OpSignatureTest, FloatAttributesRoundTripInTheKey) {
  Graph g;
  ValueId x = *g.AddInput("x", {2, 3});
  ValueId s = *g.AddWeight({3}, nullptr);
  ValueId b = *g.AddWeight({3}, nullptr);
  ValueId y = *g.AddOp(OpKind::kLayerNorm, LayerNormAttrs{-1, 1e-12f},
                       {x, s, b});
  EXPECT_EQ(SignatureOf(g, y.node).Key(),
            "layernorm{axis=-1,epsilon=9.99999996e-13}([2,3],[3],[3])->([2,3])");
}

TEST(OpSignatureTest, EqualNodesHaveEqualSignaturesAndHashes) {
  Graph a = ConvGraph(Activation::kRelu, 8);
  Graph b = ConvGraph(Activation::kRelu, 8);
  EXPECT_EQ(SignatureOf(a, 2), SignatureOf(b, 2));
  EXPECT_EQ(absl::HashOf(SignatureOf(a, 2)), absl::HashOf(SignatureOf(b, 2)));
}

TEST(OpSignatureTest, AttributesShapesAndLayoutsDistinguish) {
  absl::flat_hash_set<OpSignature> set;
  set.insert(SignatureOf(ConvGraph(Activation::kRelu, 8), 2));
  set.insert(SignatureOf(ConvGraph(Activation::kNone, 8), 2));
  set.insert(SignatureOf(ConvGraph(Activation::kRelu, 9), 2));
  set.insert(ReorderSignature(Shape({2}), "plain", "x"));
  set.insert(ReorderSignature(Shape({2}), "x", "plain"));
  EXPECT_EQ(set.size(), 5u);
  EXPECT_NE(SignatureOf(ConvGraph(Activation::kRelu, 8), 2).Key(),
            SignatureOf(ConvGraph(Activation::kNone, 8), 2).Key());
}

// Conv produces "blocked" and wants "blocked"; relu follows; everything
// else is plain. Each op costs 1, each reorder 10.
class LayoutFake : public CostModel {
 public:
  std::string Name() const override { return "fake"; }
  std::string Environment() const override { return "fake"; }
  absl::StatusOr<OpCost> Measure(const OpSignature& sig) override {
    OpCost c;
    c.source = "fake";
    c.ms = sig.input_layouts.empty() ? 1 : 10;
    if (sig.op == OpKind::kConv2D) {
      c.input_layouts = {"blocked", "blocked"};
      c.output_layouts = {"blocked"};
    }
    if (sig.op == OpKind::kRelu) c.input_layouts = {kFollowLayout};
    if (!sig.input_layouts.empty()) ++reorders;
    return c;
  }
  int reorders = 0;
};

TEST(GraphCostTest, ReordersArePricedWhereLayoutsChange) {
  // x -> conv -> relu -> conv -> softmax -> out.
  Graph g;
  ValueId x = *g.AddInput("x", {1, 4, 6, 6});
  ValueId w = *g.AddWeight({4, 4, 1, 1}, nullptr);
  ValueId y = *g.AddOp(OpKind::kConv2D, Conv2DAttrs{}, {x, w});
  y = *g.AddOp(OpKind::kRelu, NoAttrs{}, {y});
  y = *g.AddOp(OpKind::kConv2D, Conv2DAttrs{}, {y, w});
  y = *g.AddOp(OpKind::kSoftmax, SoftmaxAttrs{}, {y});
  ASSERT_TRUE(g.MarkOutput(y).ok());
  LayoutFake model;
  absl::StatusOr<GraphCostReport> r = GraphCostDetailed(g, model);
  ASSERT_TRUE(r.ok()) << r.status();
  // plain x -> blocked conv (1 reorder); relu follows (none); conv takes the
  // blocked relu output (none); softmax needs plain (1 reorder). Weights
  // are free to reorder.
  EXPECT_EQ(r->num_reorders, 2);
  EXPECT_DOUBLE_EQ(r->reorder_ms, 20);
  EXPECT_DOUBLE_EQ(r->total_ms, 4 + 20);
  EXPECT_DOUBLE_EQ(r->node_ms[2], 11);  // first conv pays for its input
}

TEST(GraphCostTest, BlockedGraphOutputIsReorderedToPlain) {
  Graph g = ConvGraph(Activation::kNone, 4);
  LayoutFake model;
  absl::StatusOr<GraphCostReport> r = GraphCostDetailed(g, model);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->num_reorders, 2);  // into the conv, and out to plain
}

}  // namespace
}  // namespace tsopt

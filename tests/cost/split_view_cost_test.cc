// Split priced as what the oneDNN executor runs: a view (free); the reorder
// a view needs is charged to the consumer that needs it (a relu, a copying
// reshape), not to those that read it in place (matmul, transpose, a
// reshape that stays a view). The layout walk of GraphCostDetailed and of
// IncrementalCost agree on it. The analytic model prices Split at 0.
#include <cmath>

#include "gtest/gtest.h"
#include "src/runtime/onednn/primitive_builder.h"
#include "tests/common/fast_cost_options.h"
#include "tsopt/cost/analytic_cost_model.h"
#include "tsopt/cost/cost_cache.h"
#include "tsopt/cost/onednn_cost_model.h"
#include "tsopt/search/incremental_cost.h"

namespace tsopt {
namespace {

using testing_util::FastOneDnnCostOptions;

// x [8, 96] -> matmul with a [96, 96] weight -> split along axis 1 into
// `sizes`; returns the pieces.
std::vector<ValueId> SplitOfAMatMul(Graph& g, std::vector<int64_t> sizes) {
  ValueId x = *g.AddInput("x", {8, 96});
  ValueId base = *g.AddOp(OpKind::kMatMul, MatMulAttrs{},
                          {x, *g.AddWeight({96, 96}, nullptr)});
  return *g.AddNode(OpKind::kSplit, SplitAttrs{1, std::move(sizes)}, {base});
}

// The oneDNN cost of `g` by GraphCostDetailed (each signature measured
// once), after checking that IncrementalCost sums to the same total.
GraphCostReport CostBothWays(const Graph& g) {
  OneDnnCostModel base_model(FastOneDnnCostOptions());
  CachingCostModel model(&base_model, {.path = "", .persist = false});
  absl::StatusOr<GraphCostReport> r = GraphCostDetailed(g, model);
  EXPECT_TRUE(r.ok()) << r.status();
  if (!r.ok()) return {};
  IncrementalCost incremental(&model);
  absl::StatusOr<double> total = incremental.Of(g);
  EXPECT_TRUE(total.ok()) << total.status();
  if (total.ok()) {
    EXPECT_NEAR(*total, r->total_ms, 1e-9);
  }
  return *r;
}

TEST(SplitViewCostTest, OneDnnSplitIsAFreeView) {
  OneDnnCostModel model(FastOneDnnCostOptions());
  Graph g;
  ValueId x = *g.AddInput("x", {4, 10});
  std::vector<ValueId> last =
      *g.AddNode(OpKind::kSplit, SplitAttrs{1, {2, 8}}, {x});
  std::vector<ValueId> first =
      *g.AddNode(OpKind::kSplit, SplitAttrs{0, {1, 3}}, {x});
  absl::StatusOr<OpCost> c = model.Measure(SignatureOf(g, last[0].node));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->ms, 0);
  EXPECT_EQ(c->source, "view");
  EXPECT_EQ(c->input_layouts, std::vector<std::string>{kPlainOrViewLayout});
  EXPECT_EQ(c->output_layouts,
            (std::vector<std::string>{"view:10,1", "view:10,1"}));
  c = model.Measure(SignatureOf(g, first[0].node));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->output_layouts, (std::vector<std::string>{"plain", "plain"}));
}

TEST(SplitViewCostTest, MatMulAndTransposeReadViews) {
  OneDnnCostModel model(FastOneDnnCostOptions());
  Graph g;
  ValueId x = *g.AddInput("x", {4, 8});
  ValueId w = *g.AddWeight({8, 8}, nullptr);
  ValueId mm = *g.AddOp(OpKind::kMatMul, MatMulAttrs{}, {x, w});
  ValueId tr = *g.AddOp(OpKind::kTranspose, TransposeAttrs{{1, 0}}, {x});
  OpCost m = *model.Measure(SignatureOf(g, mm.node));
  EXPECT_EQ(m.input_layouts[0], kPlainOrViewLayout);
  OpCost t = *model.Measure(SignatureOf(g, tr.node));
  EXPECT_EQ(t.input_layouts, std::vector<std::string>{kPlainOrViewLayout});
}

TEST(SplitViewCostTest, AViewLayoutIsRebuiltAndItsReorderMeasured) {
  absl::StatusOr<dnnl::memory::desc> md =
      onednn::DescFromLayout(Shape({4, 2}), "view:10,1");
  ASSERT_TRUE(md.ok()) << md.status();
  EXPECT_EQ(onednn::LayoutName(*md), "view:10,1");
  EXPECT_FALSE(onednn::DescFromLayout(Shape({4, 2}), "view:10").ok());
  OneDnnCostModel model(FastOneDnnCostOptions());
  absl::StatusOr<OpCost> c =
      model.Measure(ReorderSignature(Shape({64, 32}), "view:96,1", "plain"));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_GT(c->ms, 0);
}

// x -> matmul -> split into three [8, 32] views: one into a matmul (read in
// place), one reshaped into heads and transposed (a view, then read in
// place), one into a relu (reordered to plain: the one reorder) and one
// flattened (must copy: the second reorder).
TEST(SplitViewCostTest, ReordersAreChargedOnlyWhereAViewIsCopied) {
  Graph g;
  std::vector<ValueId> p = SplitOfAMatMul(g, {32, 32, 32});
  ValueId mm = *g.AddOp(OpKind::kMatMul, MatMulAttrs{},
                        {p[0], *g.AddWeight({32, 8}, nullptr)});
  ValueId heads = *g.AddOp(OpKind::kReshape, ReshapeAttrs{{8, 4, 8}}, {p[1]});
  ValueId tr =
      *g.AddOp(OpKind::kTranspose, TransposeAttrs{{1, 0, 2}}, {heads});
  ValueId relu = *g.AddOp(OpKind::kRelu, NoAttrs{}, {p[2]});
  ValueId flat = *g.AddOp(OpKind::kReshape, ReshapeAttrs{{256}}, {p[2]});
  for (ValueId v : {mm, tr, relu, flat}) ASSERT_TRUE(g.MarkOutput(v).ok());
  GraphCostReport r = CostBothWays(g);
  ASSERT_EQ(r.node_ms.size(), static_cast<size_t>(g.num_nodes()));
  EXPECT_EQ(r.num_reorders, 2);
  EXPECT_EQ(r.node_ms[p[0].node], 0);
  EXPECT_GT(r.node_ms[flat.node], 0);
  EXPECT_EQ(r.node_ms[heads.node], 0);
}

// A split of a split (TASO merges Q and K, then QK and V): the pieces of a
// piece are views too, read in place by matmuls: no reorder at all.
TEST(SplitViewCostTest, SplitOfAPieceIsAView) {
  Graph g;
  std::vector<ValueId> p = SplitOfAMatMul(g, {64, 32});
  std::vector<ValueId> q =
      *g.AddNode(OpKind::kSplit, SplitAttrs{1, {32, 32}}, {p[0]});
  for (ValueId v : {q[0], q[1], p[1]}) {
    ValueId y = *g.AddOp(OpKind::kMatMul, MatMulAttrs{},
                         {v, *g.AddWeight({32, 8}, nullptr)});
    ASSERT_TRUE(g.MarkOutput(y).ok());
  }
  EXPECT_EQ(CostBothWays(g).num_reorders, 0);
  EXPECT_EQ(SplitViewLayouts(Shape({8, 64}), "view:96,1",
                             {Shape({8, 32}), Shape({8, 32})}),
            (std::vector<std::string>{"view:96,1", "view:96,1"}));
}

TEST(SplitViewCostTest, AnalyticSplitIsFree) {
  Graph g;
  ValueId x = *g.AddInput("x", {64, 96});
  std::vector<ValueId> p =
      *g.AddNode(OpKind::kSplit, SplitAttrs{1, {32, 64}}, {x});
  AnalyticCostModel model;
  EXPECT_EQ(*model.Cost(SignatureOf(g, p[0].node)), 0);
}

}  // namespace
}  // namespace tsopt

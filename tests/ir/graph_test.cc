// Graph construction, validation, Consumers and WithoutDeadNodes.
#include "tsopt/ir/graph.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tsopt/ir/text.h"

namespace tsopt {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Graph Parse(absl::string_view text) {
  absl::StatusOr<Graph> g = ParseGraph(text);
  EXPECT_TRUE(g.ok()) << g.status();
  return g.ok() ? *std::move(g) : Graph();
}

TEST(GraphTest, AddNodeRecordsShapesAndIds) {
  Graph g;
  ValueId x = g.AddInput("x", {1, 2, 4, 4}).value();
  ValueId w = g.AddWeight({3, 2, 1, 1}, nullptr, "w").value();
  ValueId y = g.AddOp(OpKind::kConv2D, Conv2DAttrs{}, {x, w}, "c").value();
  EXPECT_EQ(x, (ValueId{0, 0}));
  EXPECT_EQ(w, (ValueId{1, 0}));
  EXPECT_EQ(y, (ValueId{2, 0}));
  EXPECT_EQ(g.num_nodes(), 3);
  EXPECT_EQ(g.shape(y), Shape({1, 3, 4, 4}));
  EXPECT_EQ(g.node(2).name, "c");
  EXPECT_EQ(g.node(0).attrs_as<InputAttrs>().name, "x");
  EXPECT_EQ(g.Describe(2), "node 2 (conv2d 'c')");
  EXPECT_TRUE(g.Validate().ok());
}

TEST(GraphTest, MultiOutputNodeGivesOneValuePerOutput) {
  Graph g;
  ValueId x = g.AddInput("x", {6}).value();
  std::vector<ValueId> outs =
      g.AddNode(OpKind::kSplit, SplitAttrs{0, {1, 2, 3}}, {x}).value();
  ASSERT_EQ(outs.size(), 3u);
  EXPECT_EQ(outs[2], (ValueId{1, 2}));
  EXPECT_EQ(g.shape(outs[2]), Shape({3}));
  EXPECT_TRUE(g.Contains(outs[2]));
  EXPECT_FALSE(g.Contains({1, 3}));
  EXPECT_FALSE(g.Contains({2, 0}));
  EXPECT_FALSE(g.Contains({-1, 0}));
}

TEST(GraphTest, AddOpRefusesMultiOutputNodes) {
  Graph g;
  ValueId x = g.AddInput("x", {4}).value();
  absl::StatusOr<ValueId> v =
      g.AddOp(OpKind::kSplit, SplitAttrs{0, {2, 2}}, {x});
  ASSERT_FALSE(v.ok());
  EXPECT_THAT(v.status().message(), HasSubstr("use AddNode"));
}

TEST(GraphTest, InputNodesInIdOrder) {
  Graph g = Parse(R"(
    %b = input {shape=[2], name="b"}
    %w = weight {shape=[2]}
    %a = input {shape=[2], name="a"}
    %s = add(%a, %b)
    return %s)");
  EXPECT_THAT(g.InputNodes(), ElementsAre(0, 2));
}

TEST(GraphTest, ConsumersListEachInputEdge) {
  Graph g = Parse(R"(
    %x = input {shape=[2], name="x"}
    %r = relu(%x)
    %m = mul(%r, %r)
    %a = add(%m, %x)
    return %a)");
  std::vector<std::vector<NodeId>> consumers = g.Consumers();
  ASSERT_EQ(consumers.size(), 4u);
  EXPECT_THAT(consumers[0], ElementsAre(1, 3));
  EXPECT_THAT(consumers[1], ElementsAre(2, 2));
  EXPECT_THAT(consumers[2], ElementsAre(3));
  EXPECT_TRUE(consumers[3].empty());
}

TEST(GraphTest, WithoutDeadNodesKeepsInputsAndRenumbers) {
  Graph g = Parse(R"(
    %x = input {shape=[2], name="x"}
    %unused = input {shape=[3], name="unused"}
    %d1 = tanh(%x)
    %r = relu(%x)
    %d2 = exp(%d1)
    %s:2 = split(%r) {sizes=[1,1]}
    return %s#1)");
  Graph live = g.WithoutDeadNodes();
  EXPECT_TRUE(live.Validate().ok());
  ASSERT_EQ(live.num_nodes(), 4);
  EXPECT_EQ(live.node(0).name, "x");
  EXPECT_EQ(live.node(1).name, "unused");
  EXPECT_EQ(live.node(2).name, "r");
  EXPECT_EQ(live.node(2).inputs, (std::vector<ValueId>{{0, 0}}));
  EXPECT_EQ(live.node(3).op, OpKind::kSplit);
  EXPECT_THAT(live.outputs(), ElementsAre(ValueId{3, 1}));
}

TEST(GraphTest, WithoutDeadNodesOfALiveGraphIsTheSameGraph) {
  Graph g = Parse(R"(
    %x = input {shape=[2], name="x"}
    %r = relu(%x)
    return %r, %x)");
  Graph live = g.WithoutDeadNodes();
  EXPECT_EQ(PrintGraph(live), PrintGraph(g));
}

TEST(GraphTest, AddCopyKeepsKnownShapesAndReinfersOthers) {
  Graph from = Parse(R"(
    %x = input {shape=[2, 3], name="x"}
    %w = weight {shape=[3, 4]}
    %y = matmul(%x, %w)
    return %y)");
  Graph to;
  NodeId x = to.AddCopy(from, 0, {}, "x").value();
  NodeId w = to.AddCopy(from, 1, {}, "").value();
  NodeId y = to.AddCopy(from, 2, {{x, 0}, {w, 0}}, "y").value();
  EXPECT_EQ(to.node(y).op, OpKind::kMatMul);
  EXPECT_EQ(to.shape({y, 0}), Shape({2, 4}));
  EXPECT_EQ(to.node(y).name, "y");
  EXPECT_EQ(to.node(x).attrs_as<InputAttrs>().name, "x");
  // Another input shape: inferred again, and checked.
  ValueId x5 = to.AddInput("x5", {5, 3}).value();
  NodeId y5 = to.AddCopy(from, 2, {x5, {w, 0}}, "").value();
  EXPECT_EQ(to.shape({y5, 0}), Shape({5, 4}));
  ValueId bad = to.AddInput("bad", {5, 7}).value();
  EXPECT_FALSE(to.AddCopy(from, 2, {bad, {w, 0}}, "").ok());
  EXPECT_FALSE(to.AddCopy(from, 2, {{99, 0}, {w, 0}}, "").ok());
  EXPECT_FALSE(to.AddCopy(from, 2, {{w, 0}}, "").ok());
  EXPECT_FALSE(to.AddCopy(from, 7, {}, "").ok());
  EXPECT_TRUE(to.Validate().ok());
}

TEST(GraphTest, WeightDataIsSharedAndHashed) {
  auto data = WeightData::Create({1.0f, 2.0f});
  auto same = WeightData::Create({1.0f, 2.0f});
  auto other = WeightData::Create({1.0f, 3.0f});
  auto signed_zero = WeightData::Create({1.0f, -0.0f});
  auto zero = WeightData::Create({1.0f, 0.0f});
  EXPECT_EQ(data->content_hash(), same->content_hash());
  EXPECT_NE(data->content_hash(), other->content_hash());
  EXPECT_NE(zero->content_hash(), signed_zero->content_hash());
  // Hashed on first use: the same value as hashed at once, every time.
  auto lazy = WeightData::CreateUnhashed({1.0f, 2.0f});
  auto lazy_other = WeightData::CreateUnhashed({1.0f, 3.0f});
  EXPECT_EQ(lazy->content_hash(), data->content_hash());
  EXPECT_EQ(lazy->content_hash(), data->content_hash());
  EXPECT_EQ(lazy_other->content_hash(), other->content_hash());
  Graph g;
  ValueId w = g.AddWeight({2}, data).value();
  Graph copy = g;
  EXPECT_EQ(copy.node(w.node).weight.get(), data.get());
}

TEST(GraphTest, MarkOutputAllowsRepeats) {
  Graph g;
  ValueId x = g.AddInput("x", {1}).value();
  ASSERT_TRUE(g.MarkOutput(x).ok());
  ASSERT_TRUE(g.MarkOutput(x).ok());
  EXPECT_THAT(g.outputs(), ElementsAre(x, x));
}

TEST(GraphTest, ValidateAcceptsConsistentInPlaceEdits) {
  Graph g = Parse(R"(
    %x = input {shape=[1,1,4,4], name="x"}
    %w = weight {shape=[2,1,3,3]}
    %c = conv2d(%x, %w) {pad=[1,1,1,1]}
    return %c)");
  g.MutableNode(2).attrs = Conv2DAttrs{.pad = {1, 1, 1, 1},
                                       .activation = Activation::kSigmoid};
  g.MutableNode(2).name = "renamed";
  EXPECT_TRUE(g.Validate().ok());
}

}  // namespace
}  // namespace tsopt

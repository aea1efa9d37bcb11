// Must-fail graph construction and validation: bad input references, wrong
// attribute types, bad outputs, weight data of the wrong size, invalid
// shapes, and in-place edits that Validate must catch.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tsopt/ir/builder.h"
#include "tsopt/ir/graph.h"
#include "tsopt/ir/text.h"

namespace tsopt {
namespace {

using ::testing::HasSubstr;

Graph TwoNodeGraph() {
  Graph g;
  ValueId x = g.AddInput("x", {2, 3}).value();
  ValueId r = g.AddOp(OpKind::kRelu, NoAttrs{}, {x}, "r").value();
  EXPECT_TRUE(g.MarkOutput(r).ok());
  return g;
}

TEST(GraphErrorTest, InputFromALaterNodeIsRefused) {
  Graph g = TwoNodeGraph();
  absl::StatusOr<ValueId> v = g.AddOp(OpKind::kTanh, NoAttrs{}, {{5, 0}}, "t");
  ASSERT_FALSE(v.ok());
  EXPECT_THAT(v.status().message(),
              HasSubstr("node 2 (tanh 't'): input 0 refers to %5:0"));
  EXPECT_EQ(g.num_nodes(), 2);
}

TEST(GraphErrorTest, NegativeNodeIdIsRefused) {
  Graph g = TwoNodeGraph();
  absl::StatusOr<ValueId> v = g.AddOp(OpKind::kTanh, NoAttrs{}, {{-1, 0}});
  ASSERT_FALSE(v.ok());
  EXPECT_THAT(v.status().message(), HasSubstr("not an earlier node's output"));
}

TEST(GraphErrorTest, MissingOutputIndexIsRefused) {
  Graph g = TwoNodeGraph();
  absl::StatusOr<ValueId> v =
      g.AddOp(OpKind::kAdd, NoAttrs{}, {{0, 0}, {1, 1}}, "a");
  ASSERT_FALSE(v.ok());
  EXPECT_THAT(v.status().message(), HasSubstr("input 1 refers to %1:1"));
}

TEST(GraphErrorTest, WrongAttributeTypeIsRefused) {
  Graph g = TwoNodeGraph();
  absl::StatusOr<ValueId> v =
      g.AddOp(OpKind::kSoftmax, ConcatAttrs{}, {{0, 0}}, "s");
  ASSERT_FALSE(v.ok());
  EXPECT_THAT(v.status().message(),
              HasSubstr("node 2 (softmax 's'): Softmax was given the "
                        "attributes of another op"));
}

TEST(GraphErrorTest, MarkOutputOfMissingValueIsRefused) {
  Graph g = TwoNodeGraph();
  absl::Status s = g.MarkOutput({7, 0});
  EXPECT_THAT(s.message(), HasSubstr("graph output %7:0 does not exist"));
  EXPECT_FALSE(g.MarkOutput({1, 1}).ok());
  EXPECT_EQ(g.outputs().size(), 1u);
}

TEST(GraphErrorTest, WeightDataOfTheWrongSizeIsRefused) {
  Graph g;
  absl::StatusOr<ValueId> w =
      g.AddWeight({2, 2}, WeightData::Create({1, 2, 3}), "w");
  ASSERT_FALSE(w.ok());
  EXPECT_THAT(w.status().message(),
              HasSubstr("node 0 (weight 'w'): weight data has 3 values but "
                        "shape [2,2] needs 4"));
  EXPECT_EQ(g.num_nodes(), 0);
}

TEST(GraphErrorTest, InvalidShapesAreRefused) {
  EXPECT_THAT(Shape::Create({1, 2, 3, 4, 5, 6, 7}).status().message(),
              HasSubstr("rank 7"));
  EXPECT_THAT(Shape::Create({3, 0}).status().message(),
              HasSubstr("dim < 1"));
  EXPECT_THAT(Shape::Create({int64_t{1} << 40, int64_t{1} << 40})
                  .status()
                  .message(),
              HasSubstr("elements"));
  Graph g;
  EXPECT_THAT(g.AddInput("x", {2, -3}).status().message(),
              HasSubstr("node 0 (input 'x'): shape [2,-3] has a dim < 1"));
}

TEST(GraphErrorTest, NormalizeAxisRefusesOutOfRange) {
  EXPECT_FALSE(NormalizeAxis(2, 2).ok());
  EXPECT_FALSE(NormalizeAxis(-3, 2).ok());
  EXPECT_FALSE(NormalizeAxis(0, 0).ok());
  EXPECT_EQ(NormalizeAxis(-1, 2).value(), 1);
}

TEST(GraphErrorTest, ValidateCatchesShapeChangingAttributeEdit) {
  Graph g = ParseGraph(R"(
    %x = input {shape=[1,1,4,4], name="x"}
    %w = weight {shape=[2,1,3,3]}
    %c = conv2d(%x, %w) {pad=[1,1,1,1]}
    return %c)")
                .value();
  g.MutableNode(2).attrs = Conv2DAttrs{};  // no pads: output would be 2x2
  absl::Status s = g.Validate();
  EXPECT_THAT(s.message(), HasSubstr("node 2 (conv2d 'c'): recorded output "
                                     "shapes differ"));
}

TEST(GraphErrorTest, ValidateCatchesInvalidAttributeEdit) {
  Graph g = TwoNodeGraph();
  g.MutableNode(1).op = OpKind::kSoftmax;  // attrs still NoAttrs
  EXPECT_THAT(g.Validate().message(),
              HasSubstr("attributes of another op"));
}

TEST(GraphErrorTest, ValidateCatchesForwardInputEdit) {
  Graph g = TwoNodeGraph();
  g.MutableNode(1).inputs = {{1, 0}};  // reads itself: a cycle
  EXPECT_THAT(g.Validate().message(),
              HasSubstr("node 1 (relu 'r'): input 0 refers to %1:0"));
}

TEST(GraphErrorTest, ValidateCatchesWeightDataEdit) {
  Graph g;
  ValueId w = g.AddWeight({2}, WeightData::Create({1, 2})).value();
  g.MutableNode(w.node).weight = WeightData::Create({1, 2, 3});
  EXPECT_THAT(g.Validate().message(),
              HasSubstr("weight data size does not match"));
}

TEST(GraphErrorTest, ValidateCatchesBrokenArityEdit) {
  Graph g = TwoNodeGraph();
  g.MutableNode(1).inputs.push_back({0, 0});
  EXPECT_THAT(g.Validate().message(),
              HasSubstr("relu takes 1 inputs, got 2"));
}

TEST(GraphErrorTest, BuilderReportsTheFirstErrorOnly) {
  GraphBuilder b;
  ValueId x = b.Input({2, 3}, "x");
  b.Transpose(x, {0, 0});       // first error: node 1
  b.Reshape(x, {7});            // would be a second error
  absl::StatusOr<Graph> g = std::move(b).Build();
  ASSERT_FALSE(g.ok());
  EXPECT_THAT(g.status().message(), HasSubstr("node 1 (transpose)"));
  EXPECT_THAT(g.status().message(), ::testing::Not(HasSubstr("reshape")));
}

}  // namespace
}  // namespace tsopt

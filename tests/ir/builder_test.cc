// GraphBuilder: every helper, deterministic weights, and the first error
// being recorded (later calls are no-ops, Build returns it).
#include "tsopt/ir/builder.h"

#include <cmath>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tsopt {
namespace {

using ::testing::HasSubstr;

TEST(BuilderTest, BuildsTheResNetBlockShape) {
  GraphBuilder b(/*seed=*/1);
  ValueId x = b.Input({1, 8, 6, 6}, "x");
  ValueId y = b.Conv2D(x, b.Weight({8, 8, 3, 3}),
                       {.stride = {1, 1}, .pad = {1, 1, 1, 1}});
  y = b.Relu(b.BatchNorm(y, b.Constant({8}, 1.0f), b.Weight({8}),
                         b.Weight({8}), b.Constant({8}, 1.0f)));
  b.Output(b.Relu(b.Add(y, x)));
  EXPECT_EQ(b.shape(y), Shape({1, 8, 6, 6}));
  absl::StatusOr<Graph> g = std::move(b).Build();
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(g->num_nodes(), 11);
  EXPECT_EQ(g->shape(g->outputs()[0]), Shape({1, 8, 6, 6}));
  EXPECT_TRUE(g->Validate().ok());
}

TEST(BuilderTest, WeightsAreDeterministicForASeedAndBounded) {
  auto build = [](uint64_t seed) {
    GraphBuilder b(seed);
    b.Output(b.Weight({4, 9}));
    return std::move(b).Build().value();
  };
  Graph a = build(5);
  Graph b = build(5);
  Graph c = build(6);
  EXPECT_EQ(a.node(0).weight->values, b.node(0).weight->values);
  EXPECT_NE(a.node(0).weight->values, c.node(0).weight->values);
  for (float v : a.node(0).weight->values) {
    EXPECT_LE(std::abs(v), 1.0f / 3.0f);  // 1/sqrt(fan_in = 9)
  }
}

TEST(BuilderTest, ConstantFillsTheValue) {
  GraphBuilder b;
  b.Output(b.Constant({2, 3}, 0.5f, "half"));
  Graph g = std::move(b).Build().value();
  EXPECT_EQ(g.node(0).weight->values, std::vector<float>(6, 0.5f));
  EXPECT_EQ(g.node(0).name, "half");
}

TEST(BuilderTest, AutoNamesInputs) {
  GraphBuilder b;
  ValueId x = b.Input({2});
  ValueId y = b.Input({2});
  b.Output(b.Add(x, y));
  Graph g = std::move(b).Build().value();
  EXPECT_EQ(g.node(0).attrs_as<InputAttrs>().name, "input0");
  EXPECT_EQ(g.node(1).attrs_as<InputAttrs>().name, "input1");
}

TEST(BuilderTest, FirstErrorIsRecordedAndLaterCallsAreNoOps) {
  GraphBuilder b;
  ValueId x = b.Input({1, 3, 8, 8}, "x");
  ValueId bad = b.Conv2D(x, b.Weight({4, 5, 3, 3}));  // 5 != 3 channels
  ASSERT_FALSE(b.status().ok());
  EXPECT_THAT(b.status().message(), HasSubstr("node 2 (conv2d)"));
  const int nodes = b.graph().num_nodes();
  // Later calls change nothing, even valid ones, and keep the first error.
  ValueId r = b.Relu(x);
  b.Transpose(x, {9, 9});
  std::vector<ValueId> parts = b.Split(x, 1, {1, 2});
  b.Output(x);
  EXPECT_EQ(b.graph().num_nodes(), nodes);
  EXPECT_TRUE(b.graph().outputs().empty());
  EXPECT_TRUE(parts.empty());
  EXPECT_EQ(r, ValueId{});
  EXPECT_EQ(bad, ValueId{});
  EXPECT_EQ(b.shape(bad), Shape());
  EXPECT_THAT(b.status().message(), HasSubstr("node 2 (conv2d)"));
  absl::StatusOr<Graph> g = std::move(b).Build();
  ASSERT_FALSE(g.ok());
  EXPECT_THAT(g.status().message(), HasSubstr("node 2 (conv2d)"));
  EXPECT_THAT(g.status().message(), HasSubstr("input channels"));
}

TEST(BuilderTest, BadWeightShapeIsRecorded) {
  GraphBuilder b;
  b.Weight({2, 0});
  EXPECT_THAT(b.status().message(), HasSubstr("dim < 1"));
  absl::StatusOr<Graph> g = std::move(b).Build();
  EXPECT_FALSE(g.ok());
}

TEST(BuilderTest, WeightValueCountMismatchIsRecorded) {
  GraphBuilder b;
  b.Weight({2, 2}, std::vector<float>{1, 2, 3}, "w");
  EXPECT_THAT(b.status().message(), HasSubstr("3 values"));
  EXPECT_EQ(b.graph().num_nodes(), 0);
}

TEST(BuilderTest, BuildWithoutOutputsFails) {
  GraphBuilder b;
  b.Input({2}, "x");
  absl::StatusOr<Graph> g = std::move(b).Build();
  ASSERT_FALSE(g.ok());
  EXPECT_THAT(g.status().message(), HasSubstr("no outputs"));
}

TEST(BuilderTest, EveryHelperBuildsItsOperator) {
  GraphBuilder b(/*seed=*/2);
  ValueId x = b.Input({1, 4, 4, 4}, "x");
  ValueId s = b.Weight({}, std::vector<float>{2.0f});
  ValueId m = b.MatMul(b.Reshape(x, {4, 16}), b.Weight({16, 4}));
  std::vector<ValueId> halves = b.Split(x, 1, {2, 2});
  ValueId y = b.Concat({halves[1], halves[0]}, 1);
  y = b.Sub(b.Mul(y, x), b.Div(x, b.ScalarMul(x, s)));
  y = b.Exp(b.Sigmoid(b.Tanh(b.Gelu(b.Sqrt(b.Identity(y))))));
  y = b.Softmax(b.MaxPool2D(y, {{3, 3}, {1, 1}, {1, 1, 1, 1}, 0}), 1);
  y = b.AvgPool2D(y, {{2, 2}, {2, 2}, {0, 0, 0, 0}, 0});
  y = b.Transpose(b.GlobalAvgPool(y), {0, 2, 3, 1});
  y = b.ReduceMean(b.ReduceSum(b.Flatten(y), {{1}, 1}), {{}, 1});
  ValueId ln = b.LayerNorm(m, b.Weight({4}), b.Weight({4}));
  ValueId e = b.Enlarge(b.Weight({2, 2, 1, 1}), {3, 3});
  ValueId p = b.Pad(x, {{0, 0, 1, 1, 0, 0, 1, 1}, 0.0f});
  ValueId sl = b.Slice(p, {{1}, {5}, {2}, {2}});
  b.Output(y);
  b.Output(ln);
  b.Output(e);
  b.Output(sl);
  absl::StatusOr<Graph> g = std::move(b).Build();
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(g->shape(g->outputs()[0]), Shape({1, 1}));
  EXPECT_EQ(g->shape(g->outputs()[1]), Shape({4, 4}));
  EXPECT_EQ(g->shape(g->outputs()[2]), Shape({2, 2, 3, 3}));
  EXPECT_EQ(g->shape(g->outputs()[3]), Shape({1, 4, 2, 6}));
}

}  // namespace
}  // namespace tsopt

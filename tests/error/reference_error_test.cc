// Inputs the reference evaluator must refuse with a clear Status naming the
// node (never a crash): wrong feed counts, shapes or sizes, residues out of
// range, non-integer weights in modular mode, zero divisors, graphs broken
// through MutableNode.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tsopt/reference/evaluator.h"

namespace tsopt {
namespace {

using ::testing::HasSubstr;

// x [2,3] + w [3] (symbolic weight), output relu.
Graph SmallGraph() {
  Graph g;
  ValueId x = *g.AddInput("x", {2, 3});
  ValueId w = *g.AddWeight({3}, nullptr, "w");
  ValueId s = *g.AddOp(OpKind::kAdd, NoAttrs{}, {x, w});
  ValueId r = *g.AddOp(OpKind::kRelu, NoAttrs{}, {s}, "act");
  EXPECT_TRUE(g.MarkOutput(r).ok());
  return g;
}

Tensor X() { return Tensor::Zeros(Shape({2, 3})); }
Tensor W() { return Tensor::Zeros(Shape({3})); }

void ExpectInvalid(const absl::Status& s, const std::string& fragment) {
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr(fragment));
}

TEST(ReferenceErrorTest, TooFewInputs) {
  ExpectInvalid(Evaluate(SmallGraph(), {}, {W()}).status(),
                "node 0 (input 'x')");
}

TEST(ReferenceErrorTest, TooManyInputs) {
  ExpectInvalid(Evaluate(SmallGraph(), {X(), X()}, {W()}).status(),
                "2 input tensor(s) were fed");
}

TEST(ReferenceErrorTest, SymbolicWeightNotFed) {
  ExpectInvalid(Evaluate(SmallGraph(), {X()}).status(),
                "node 1 (weight 'w')");
}

TEST(ReferenceErrorTest, TooManyWeights) {
  ExpectInvalid(Evaluate(SmallGraph(), {X()}, {W(), W()}).status(),
                "2 weight tensor(s) were fed");
}

TEST(ReferenceErrorTest, InputShapeDiffers) {
  ExpectInvalid(
      Evaluate(SmallGraph(), {Tensor::Zeros(Shape({3, 2}))}, {W()}).status(),
      "node 0 (input 'x'): fed a tensor of shape [3,2]");
}

TEST(ReferenceErrorTest, WeightShapeDiffers) {
  ExpectInvalid(
      Evaluate(SmallGraph(), {X()}, {Tensor::Zeros(Shape({1, 3}))}).status(),
      "node 1 (weight 'w')");
}

TEST(ReferenceErrorTest, InputDataSizeDiffersFromShape) {
  Tensor bad{Shape({2, 3}), std::vector<float>(5, 0.0f)};
  ExpectInvalid(Evaluate(SmallGraph(), {bad}, {W()}).status(),
                "node 0 (input 'x'): fed tensor holds 5 values");
}

TEST(ReferenceErrorTest, ModularResidueOutOfRange) {
  ModTensor x{Shape({2, 3}), {0, 1, 2, 3, 4, kModPrime}};
  ModTensor w{Shape({3}), {0, 0, -1}};
  ExpectInvalid(EvaluateModular(SmallGraph(), {x}, {w}).status(),
                "is not a residue");
}

TEST(ReferenceErrorTest, ModularWeightDataMustBeIntegers) {
  Graph g;
  ValueId x = *g.AddInput("x", {2});
  ValueId w = *g.AddWeight({2}, WeightData::Create({1.0f, 0.25f}), "frac");
  ASSERT_TRUE(g.MarkOutput(*g.AddOp(OpKind::kMul, NoAttrs{}, {x, w})).ok());
  ExpectInvalid(
      EvaluateModular(g, {ModTensor{Shape({2}), {1, 2}}}).status(),
      "node 1 (weight 'frac')");
  EXPECT_TRUE(Evaluate(g, {Tensor::Zeros(Shape({2}))}).ok());
}

TEST(ReferenceErrorTest, ModularDivisionByZero) {
  Graph g;
  ValueId x = *g.AddInput("x", {2});
  ValueId y = *g.AddInput("y", {2});
  ASSERT_TRUE(
      g.MarkOutput(*g.AddOp(OpKind::kDiv, NoAttrs{}, {x, y}, "ratio")).ok());
  ExpectInvalid(EvaluateModular(g, {ModTensor{Shape({2}), {1, 2}},
                                    ModTensor{Shape({2}), {3, 0}}})
                    .status(),
                "node 2 (div 'ratio'): division by zero");
}

TEST(ReferenceErrorTest, ModularUnsupportedOperatorNamesNode) {
  Graph g;
  ValueId x = *g.AddInput("x", {2});
  ASSERT_TRUE(
      g.MarkOutput(*g.AddOp(OpKind::kSqrt, NoAttrs{}, {x}, "root")).ok());
  absl::Status s = EvaluateModular(g, {ModTensor{Shape({2}), {4, 9}}}).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kUnimplemented);
  EXPECT_THAT(std::string(s.message()), HasSubstr("node 1 (sqrt 'root')"));
}

TEST(ReferenceErrorTest, GraphBrokenThroughMutableNodeIsRefused) {
  // Swapping an attribute struct for the wrong type must not reach a kernel.
  Graph g = SmallGraph();
  g.MutableNode(3).attrs = Conv2DAttrs{};
  ExpectInvalid(Evaluate(g, {X()}, {W()}).status(), "node 3");
  // So must shapes that no longer match the inputs.
  Graph h = SmallGraph();
  h.MutableNode(2).output_shapes[0] = Shape({7});
  ExpectInvalid(Evaluate(h, {X()}, {W()}).status(), "node 2");
}

TEST(ReferenceErrorTest, WeightDataOfWrongSizeIsRefused) {
  Graph g;
  ValueId x = *g.AddInput("x", {2});
  ValueId w = *g.AddWeight({2}, WeightData::Create({1.0f, 2.0f}), "w");
  ASSERT_TRUE(g.MarkOutput(*g.AddOp(OpKind::kAdd, NoAttrs{}, {x, w})).ok());
  g.MutableNode(1).weight = WeightData::Create({1.0f, 2.0f, 3.0f});
  ExpectInvalid(Evaluate(g, {Tensor::Zeros(Shape({2}))}).status(), "node 1");
}

}  // namespace
}  // namespace tsopt

// Shape inference: valid cases of every operator with the expected output
// shapes (the must-fail cases are in tests/error/shape_inference_error_test).
#include "tsopt/ir/shape_inference.h"

#include <limits>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace tsopt {
namespace {

using Dims = std::vector<int64_t>;

struct InferCase {
  std::string name;
  OpKind op;
  Attrs attrs;
  std::vector<Dims> inputs;
  std::vector<Dims> expected;
};

std::ostream& operator<<(std::ostream& os, const InferCase& c) {
  return os << c.name;
}

const std::vector<InferCase>& Cases() {
  static const auto* cases = new std::vector<InferCase>{
      {"InputShape", OpKind::kInput, InputAttrs{{1, 3, 224, 224}, "x"}, {},
       {{1, 3, 224, 224}}},
      {"InputScalar", OpKind::kInput, InputAttrs{{}, "s"}, {}, {{}}},
      {"WeightShape", OpKind::kWeight, WeightAttrs{{64, 3, 7, 7}}, {},
       {{64, 3, 7, 7}}},
      {"Conv2DSame", OpKind::kConv2D, Conv2DAttrs{.pad = {1, 1, 1, 1}},
       {{1, 64, 56, 56}, {64, 64, 3, 3}}, {{1, 64, 56, 56}}},
      {"Conv2DValid", OpKind::kConv2D, Conv2DAttrs{},
       {{2, 3, 8, 8}, {4, 3, 3, 3}}, {{2, 4, 6, 6}}},
      {"Conv2DStride2", OpKind::kConv2D,
       Conv2DAttrs{.stride = {2, 2}, .pad = {3, 3, 3, 3}},
       {{1, 3, 224, 224}, {64, 3, 7, 7}}, {{1, 64, 112, 112}}},
      {"Conv2DAsymmetric", OpKind::kConv2D,
       Conv2DAttrs{.stride = {1, 2}, .pad = {0, 1, 2, 0}},
       {{1, 1, 5, 5}, {1, 1, 3, 3}}, {{1, 1, 5, 2}}},
      {"Conv2DDilated", OpKind::kConv2D,
       Conv2DAttrs{.dilation = {2, 2}}, {{1, 2, 9, 9}, {2, 2, 3, 3}},
       {{1, 2, 5, 5}}},
      {"Conv2DGrouped", OpKind::kConv2D, Conv2DAttrs{.groups = 4},
       {{1, 8, 4, 4}, {12, 2, 1, 1}}, {{1, 12, 4, 4}}},
      {"Conv2DDepthwise", OpKind::kConv2D,
       Conv2DAttrs{.pad = {1, 1, 1, 1}, .groups = 32},
       {{1, 32, 10, 10}, {32, 1, 3, 3}}, {{1, 32, 10, 10}}},
      {"Conv2DFusedActivation", OpKind::kConv2D,
       Conv2DAttrs{.activation = Activation::kRelu},
       {{1, 1, 3, 3}, {5, 1, 3, 3}}, {{1, 5, 1, 1}}},
      {"Conv2DBias", OpKind::kConv2D,
       Conv2DAttrs{.groups = 2, .activation = Activation::kRelu},
       {{1, 4, 5, 5}, {6, 2, 3, 3}, {6}}, {{1, 6, 3, 3}}},
      {"MatMul2D", OpKind::kMatMul, MatMulAttrs{}, {{2, 3}, {3, 4}},
       {{2, 4}}},
      {"MatMulBatched", OpKind::kMatMul, MatMulAttrs{},
       {{7, 2, 3}, {7, 3, 5}}, {{7, 2, 5}}},
      {"MatMulBroadcastBatch", OpKind::kMatMul, MatMulAttrs{},
       {{4, 1, 2, 3}, {5, 3, 6}}, {{4, 5, 2, 6}}},
      {"MatMulRank2Rhs", OpKind::kMatMul,
       MatMulAttrs{Activation::kGelu}, {{8, 16, 32}, {32, 64}},
       {{8, 16, 64}}},
      {"MatMulBias", OpKind::kMatMul, MatMulAttrs{}, {{2, 3}, {3, 4}, {4}},
       {{2, 4}}},
      {"MatMulBiasRank3", OpKind::kMatMul, MatMulAttrs{Activation::kGelu},
       {{8, 16, 32}, {32, 64}, {64}}, {{8, 16, 64}}},
      {"AddSame", OpKind::kAdd, NoAttrs{}, {{2, 3}, {2, 3}}, {{2, 3}}},
      {"AddBroadcastRank", OpKind::kAdd, NoAttrs{}, {{4, 2, 3}, {3}},
       {{4, 2, 3}}},
      {"AddScalar", OpKind::kAdd, NoAttrs{}, {{2, 2}, {}}, {{2, 2}}},
      {"SubBothBroadcast", OpKind::kSub, NoAttrs{}, {{2, 1}, {1, 3}},
       {{2, 3}}},
      {"MulChannel", OpKind::kMul, NoAttrs{}, {{1, 8, 4, 4}, {8, 1, 1}},
       {{1, 8, 4, 4}}},
      {"DivOnes", OpKind::kDiv, NoAttrs{}, {{1, 1}, {5, 6}}, {{5, 6}}},
      {"ScalarMul", OpKind::kScalarMul, NoAttrs{}, {{3, 4}, {}}, {{3, 4}}},
      {"Relu", OpKind::kRelu, NoAttrs{}, {{2, 3, 4}}, {{2, 3, 4}}},
      {"Sigmoid", OpKind::kSigmoid, NoAttrs{}, {{5}}, {{5}}},
      {"Tanh", OpKind::kTanh, NoAttrs{}, {{}}, {{}}},
      {"Gelu", OpKind::kGelu, NoAttrs{}, {{1, 2, 3, 4, 5, 6}},
       {{1, 2, 3, 4, 5, 6}}},
      {"Exp", OpKind::kExp, NoAttrs{}, {{7, 1}}, {{7, 1}}},
      {"Sqrt", OpKind::kSqrt, NoAttrs{}, {{2, 2}}, {{2, 2}}},
      {"Identity", OpKind::kIdentity, NoAttrs{}, {{9}}, {{9}}},
      {"BatchNorm4D", OpKind::kBatchNorm, BatchNormAttrs{},
       {{2, 3, 4, 4}, {3}, {3}, {3}, {3}}, {{2, 3, 4, 4}}},
      {"BatchNorm2D", OpKind::kBatchNorm, BatchNormAttrs{0.1f},
       {{5, 7}, {7}, {7}, {7}, {7}}, {{5, 7}}},
      {"LayerNormLast", OpKind::kLayerNorm, LayerNormAttrs{},
       {{2, 5, 8}, {8}, {8}}, {{2, 5, 8}}},
      {"LayerNormTwoAxes", OpKind::kLayerNorm, LayerNormAttrs{1, 1e-6f},
       {{2, 5, 8}, {5, 8}, {5, 8}}, {{2, 5, 8}}},
      {"SoftmaxLast", OpKind::kSoftmax, SoftmaxAttrs{}, {{3, 10}},
       {{3, 10}}},
      {"SoftmaxAxis0", OpKind::kSoftmax, SoftmaxAttrs{0}, {{3, 10}},
       {{3, 10}}},
      {"MaxPool3x3s2", OpKind::kMaxPool2D,
       Pool2DAttrs{{3, 3}, {2, 2}, {1, 1, 1, 1}, 0}, {{1, 64, 112, 112}},
       {{1, 64, 56, 56}}},
      {"MaxPoolDefault", OpKind::kMaxPool2D, Pool2DAttrs{}, {{1, 2, 3, 4}},
       {{1, 2, 3, 4}}},
      {"AvgPool2x2", OpKind::kAvgPool2D,
       Pool2DAttrs{{2, 2}, {2, 2}, {0, 0, 0, 0}, 1}, {{1, 3, 7, 7}},
       {{1, 3, 3, 3}}},
      {"AvgPoolRect", OpKind::kAvgPool2D,
       Pool2DAttrs{{1, 3}, {1, 1}, {0, 1, 0, 1}, 0}, {{2, 2, 4, 4}},
       {{2, 2, 4, 4}}},
      {"GlobalAvgPool", OpKind::kGlobalAvgPool, NoAttrs{}, {{2, 512, 7, 7}},
       {{2, 512, 1, 1}}},
      {"ReduceSumAll", OpKind::kReduceSum, ReduceAttrs{{}, 0}, {{2, 3, 4}},
       {{}}},
      {"ReduceSumKeep", OpKind::kReduceSum, ReduceAttrs{{1}, 1},
       {{2, 3, 4}}, {{2, 1, 4}}},
      {"ReduceMeanNegative", OpKind::kReduceMean, ReduceAttrs{{-1, 0}, 0},
       {{2, 3, 4}}, {{3}}},
      {"ReduceMeanAllKeep", OpKind::kReduceMean, ReduceAttrs{}, {{2, 3}},
       {{1, 1}}},
      {"ConcatChannels", OpKind::kConcat, ConcatAttrs{1},
       {{1, 2, 4, 4}, {1, 3, 4, 4}, {1, 1, 4, 4}}, {{1, 6, 4, 4}}},
      {"ConcatNegativeAxis", OpKind::kConcat, ConcatAttrs{-1},
       {{2, 3}, {2, 5}}, {{2, 8}}},
      {"ConcatSingle", OpKind::kConcat, ConcatAttrs{0}, {{4}}, {{4}}},
      {"SplitTwo", OpKind::kSplit, SplitAttrs{1, {2, 6}}, {{1, 8, 4, 4}},
       {{1, 2, 4, 4}, {1, 6, 4, 4}}},
      {"SplitNegativeAxis", OpKind::kSplit, SplitAttrs{-1, {1, 1, 1}},
       {{2, 3}}, {{2, 1}, {2, 1}, {2, 1}}},
      {"Reshape", OpKind::kReshape, ReshapeAttrs{{6, 4}}, {{2, 3, 4}},
       {{6, 4}}},
      {"ReshapeToScalar", OpKind::kReshape, ReshapeAttrs{{}}, {{1, 1}},
       {{}}},
      {"TransposeNCHWtoNHWC", OpKind::kTranspose,
       TransposeAttrs{{0, 2, 3, 1}}, {{1, 3, 5, 7}}, {{1, 5, 7, 3}}},
      {"TransposeScalar", OpKind::kTranspose, TransposeAttrs{{}}, {{}},
       {{}}},
      {"FlattenDefault", OpKind::kFlatten, FlattenAttrs{}, {{2, 3, 4}},
       {{2, 12}}},
      {"FlattenAxis0", OpKind::kFlatten, FlattenAttrs{0}, {{2, 3}},
       {{1, 6}}},
      {"FlattenAxisRank", OpKind::kFlatten, FlattenAttrs{2}, {{2, 3}},
       {{6, 1}}},
      {"FlattenNegative", OpKind::kFlatten, FlattenAttrs{-1}, {{2, 3, 4}},
       {{6, 4}}},
      {"Enlarge1x1To3x3", OpKind::kEnlarge, EnlargeAttrs{},
       {{8, 4, 1, 1}}, {{8, 4, 3, 3}}},
      {"EnlargeSame", OpKind::kEnlarge, EnlargeAttrs{{3, 5}},
       {{8, 4, 3, 1}}, {{8, 4, 3, 5}}},
      {"Pad", OpKind::kPad, PadAttrs{{0, 1, 2, 3}, 0.0f}, {{2, 2}},
       {{4, 6}}},
      {"PadNothing", OpKind::kPad, PadAttrs{{0, 0}, 1.0f}, {{5}}, {{5}}},
      {"SliceBasic", OpKind::kSlice, SliceAttrs{{1}, {3}, {0}, {1}},
       {{5, 4}}, {{2, 4}}},
      {"SliceNegativeAndClamped", OpKind::kSlice,
       SliceAttrs{{-3, 0}, {1000, 4}, {1, -1}, {1, 3}}, {{2, 6, 4}},
       {{2, 3, 2}}},
      {"SliceHugeStep", OpKind::kSlice,
       SliceAttrs{{1}, {std::numeric_limits<int64_t>::max()}, {0},
                  {std::numeric_limits<int64_t>::max()}},
       {{5, 4}}, {{1, 4}}},
      {"SliceNoAxes", OpKind::kSlice, SliceAttrs{}, {{3, 3}}, {{3, 3}}},
      {"OpaqueRecordedShapes", OpKind::kOpaque,
       OpaqueAttrs{"", "TopK", {1, 7}, {2, 0}, {4, 3}, ""}, {{4, 8}, {1}},
       {{4, 3}, {}}},
      {"OpaqueNoInputs", OpKind::kOpaque,
       OpaqueAttrs{"x", "Rand", {1}, {1}, {6}, ""}, {}, {{6}}},
  };
  return *cases;
}

class ShapeInferenceTest : public ::testing::TestWithParam<InferCase> {};

TEST_P(ShapeInferenceTest, InfersExpectedShapes) {
  const InferCase& c = GetParam();
  std::vector<Shape> inputs;
  for (const Dims& d : c.inputs) inputs.push_back(Shape(d));
  absl::StatusOr<std::vector<Shape>> out = InferShapes(c.op, c.attrs, inputs);
  ASSERT_TRUE(out.ok()) << out.status();
  std::vector<Shape> expected;
  for (const Dims& d : c.expected) expected.push_back(Shape(d));
  EXPECT_EQ(*out, expected);
}

INSTANTIATE_TEST_SUITE_P(
    Ops, ShapeInferenceTest, ::testing::ValuesIn(Cases()),
    [](const ::testing::TestParamInfo<InferCase>& info) {
      return info.param.name;
    });

TEST(ShapeInferenceCoverageTest, EveryOperatorHasAValidCase) {
  std::set<OpKind> seen;
  for (const InferCase& c : Cases()) seen.insert(c.op);
  for (OpKind op : AllOps()) {
    EXPECT_TRUE(seen.count(op)) << OpName(op) << " has no valid case";
  }
}

TEST(BroadcastShapesTest, IsSymmetric) {
  absl::StatusOr<Shape> ab = BroadcastShapes(Shape({4, 1, 3}), Shape({2, 1}));
  absl::StatusOr<Shape> ba = BroadcastShapes(Shape({2, 1}), Shape({4, 1, 3}));
  ASSERT_TRUE(ab.ok());
  ASSERT_TRUE(ba.ok());
  EXPECT_EQ(*ab, Shape({4, 2, 3}));
  EXPECT_EQ(*ab, *ba);
}

TEST(WindowOutputSizeTest, MatchesTheFormula) {
  EXPECT_EQ(WindowOutputSize(224, 7, 2, 3, 3, 1), 112);
  EXPECT_EQ(WindowOutputSize(5, 3, 1, 0, 0, 2), 1);
  EXPECT_EQ(WindowOutputSize(4, 5, 1, 0, 0, 1), 0);
  EXPECT_EQ(WindowOutputSize(7, 2, 2, 0, 1, 1), 4);
}

}  // namespace
}  // namespace tsopt

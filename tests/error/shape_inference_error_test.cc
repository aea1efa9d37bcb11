// Must-fail shape inference: every operator refuses wrong ranks, mismatched
// dims, bad attributes and bad arity, through Graph::AddNode, with a Status
// that names the node ("node 2 (conv2d 'bad'): ...") and says why.
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tsopt/ir/graph.h"

namespace tsopt {
namespace {

using ::testing::HasSubstr;
using Dims = std::vector<int64_t>;

constexpr int64_t kHuge = std::numeric_limits<int64_t>::max();

struct BadCase {
  std::string name;
  OpKind op;
  Attrs attrs;
  std::vector<Dims> inputs;  // shapes of the Input nodes fed to the op
  std::string reason;        // a substring of the error message
};

std::ostream& operator<<(std::ostream& os, const BadCase& c) {
  return os << c.name;
}

const std::vector<BadCase>& Cases() {
  static const auto* cases = new std::vector<BadCase>{
      // Leaves.
      {"InputZeroDim", OpKind::kInput, InputAttrs{{2, 0}, "x"}, {},
       "has a dim < 1"},
      {"InputRank7", OpKind::kInput, InputAttrs{{1, 1, 1, 1, 1, 1, 1}, "x"},
       {}, "at most 6"},
      {"InputTooLarge", OpKind::kInput,
       InputAttrs{{1 << 20, 1 << 20, 1 << 20}, "x"}, {}, "elements"},
      {"InputGivenAnInput", OpKind::kInput, InputAttrs{{2}, "x"}, {{2}},
       "takes 0 inputs, got 1"},
      {"WeightNegativeDim", OpKind::kWeight, WeightAttrs{{3, -1}}, {},
       "has a dim < 1"},
      // Conv2D.
      {"Conv2DInputRank3", OpKind::kConv2D, Conv2DAttrs{},
       {{3, 8, 8}, {4, 3, 3, 3}}, "conv2d input must have rank 4"},
      {"Conv2DWeightRank2", OpKind::kConv2D, Conv2DAttrs{},
       {{1, 3, 8, 8}, {4, 27}}, "conv2d weight must have rank 4"},
      {"Conv2DChannelMismatch", OpKind::kConv2D, Conv2DAttrs{},
       {{1, 3, 8, 8}, {4, 5, 3, 3}}, "input channels"},
      {"Conv2DNegativeStride", OpKind::kConv2D,
       Conv2DAttrs{.stride = {-1, 1}}, {{1, 3, 8, 8}, {4, 3, 3, 3}},
       "stride values must be >= 1"},
      {"Conv2DZeroStride", OpKind::kConv2D, Conv2DAttrs{.stride = {1, 0}},
       {{1, 3, 8, 8}, {4, 3, 3, 3}}, "stride values must be >= 1"},
      {"Conv2DStrideLength", OpKind::kConv2D, Conv2DAttrs{.stride = {1}},
       {{1, 3, 8, 8}, {4, 3, 3, 3}}, "stride must have 2 values"},
      {"Conv2DNegativePad", OpKind::kConv2D,
       Conv2DAttrs{.pad = {0, -1, 0, 0}}, {{1, 3, 8, 8}, {4, 3, 3, 3}},
       "pad values must be >= 0"},
      {"Conv2DPadLength", OpKind::kConv2D, Conv2DAttrs{.pad = {1, 1}},
       {{1, 3, 8, 8}, {4, 3, 3, 3}}, "pad must have 4 values"},
      {"Conv2DZeroDilation", OpKind::kConv2D,
       Conv2DAttrs{.dilation = {0, 1}}, {{1, 3, 8, 8}, {4, 3, 3, 3}},
       "dilation values must be >= 1"},
      {"Conv2DZeroGroups", OpKind::kConv2D, Conv2DAttrs{.groups = 0},
       {{1, 3, 8, 8}, {4, 3, 3, 3}}, "groups must be >= 1"},
      {"Conv2DGroupsNotDividingInput", OpKind::kConv2D,
       Conv2DAttrs{.groups = 2}, {{1, 3, 8, 8}, {4, 1, 3, 3}},
       "groups 2 must divide input channels 3"},
      {"Conv2DGroupsNotDividingOutput", OpKind::kConv2D,
       Conv2DAttrs{.groups = 2}, {{1, 4, 8, 8}, {3, 2, 3, 3}},
       "and output channels 3"},
      {"Conv2DKernelTooLarge", OpKind::kConv2D, Conv2DAttrs{},
       {{1, 3, 2, 2}, {4, 3, 3, 3}}, "does not fit input"},
      {"Conv2DDilationTooLarge", OpKind::kConv2D,
       Conv2DAttrs{.dilation = {4, 4}}, {{1, 3, 8, 8}, {4, 3, 3, 3}},
       "does not fit input"},
      {"Conv2DOneInput", OpKind::kConv2D, Conv2DAttrs{}, {{1, 3, 8, 8}},
       "conv2d takes 2 to 3 inputs, got 1"},
      {"Conv2DFourInputs", OpKind::kConv2D, Conv2DAttrs{},
       {{1, 3, 8, 8}, {4, 3, 3, 3}, {4}, {4}},
       "conv2d takes 2 to 3 inputs, got 4"},
      {"Conv2DBiasWrongLength", OpKind::kConv2D, Conv2DAttrs{},
       {{1, 3, 8, 8}, {4, 3, 3, 3}, {3}},
       "conv2d bias must have shape [4] (one value per output channel), "
       "got [3]"},
      {"Conv2DBiasBroadcastShape", OpKind::kConv2D, Conv2DAttrs{},
       {{1, 3, 8, 8}, {4, 3, 3, 3}, {1, 4, 1, 1}},
       "conv2d bias must have shape [4]"},
      {"Conv2DWrongAttrsType", OpKind::kConv2D, NoAttrs{},
       {{1, 3, 8, 8}, {4, 3, 3, 3}}, "attributes of another op"},
      // MatMul.
      {"MatMulRank1", OpKind::kMatMul, MatMulAttrs{}, {{3}, {3, 4}},
       "rank >= 2"},
      {"MatMulInnerMismatch", OpKind::kMatMul, MatMulAttrs{},
       {{2, 3}, {4, 5}}, "inner dims differ: [2,3], [4,5]"},
      {"MatMulBatchMismatch", OpKind::kMatMul, MatMulAttrs{},
       {{2, 2, 3}, {5, 3, 4}}, "batch dims do not broadcast"},
      {"MatMulFourInputs", OpKind::kMatMul, MatMulAttrs{},
       {{2, 3}, {3, 4}, {4}, {4}}, "matmul takes 2 to 3 inputs, got 4"},
      {"MatMulBiasNotLastDim", OpKind::kMatMul, MatMulAttrs{},
       {{2, 3}, {3, 4}, {2}},
       "matmul bias must have shape [4] (the output's last dim), got [2]"},
      {"MatMulBiasRank2", OpKind::kMatMul, MatMulAttrs{},
       {{5, 2, 3}, {3, 4}, {2, 4}}, "matmul bias must have shape [4]"},
      // Elementwise binary.
      {"AddMismatch", OpKind::kAdd, NoAttrs{}, {{2, 3}, {2, 4}},
       "shapes [2,3] and [2,4] do not broadcast"},
      {"SubMismatch", OpKind::kSub, NoAttrs{}, {{3}, {4}},
       "do not broadcast"},
      {"MulMismatch", OpKind::kMul, NoAttrs{}, {{2, 3, 4}, {3, 3}},
       "do not broadcast"},
      {"DivMismatch", OpKind::kDiv, NoAttrs{}, {{5, 3}, {2, 5, 2}},
       "do not broadcast"},
      {"AddOneInput", OpKind::kAdd, NoAttrs{}, {{2}}, "takes 2 inputs"},
      {"ScalarMulNotScalar", OpKind::kScalarMul, NoAttrs{}, {{2, 2}, {1}},
       "must be a scalar"},
      // Elementwise unary: arity.
      {"ReluTwoInputs", OpKind::kRelu, NoAttrs{}, {{2}, {2}},
       "relu takes 1 inputs, got 2"},
      {"SigmoidNoInput", OpKind::kSigmoid, NoAttrs{}, {},
       "sigmoid takes 1 inputs, got 0"},
      {"TanhTwoInputs", OpKind::kTanh, NoAttrs{}, {{2}, {2}},
       "tanh takes 1 inputs"},
      {"GeluTwoInputs", OpKind::kGelu, NoAttrs{}, {{2}, {2}},
       "gelu takes 1 inputs"},
      {"ExpNoInput", OpKind::kExp, NoAttrs{}, {}, "exp takes 1 inputs"},
      {"SqrtTwoInputs", OpKind::kSqrt, NoAttrs{}, {{1}, {1}},
       "sqrt takes 1 inputs"},
      {"IdentityWrongAttrs", OpKind::kIdentity, SoftmaxAttrs{}, {{2}},
       "attributes of another op"},
      // Normalization.
      {"BatchNormRank1", OpKind::kBatchNorm, BatchNormAttrs{},
       {{3}, {3}, {3}, {3}, {3}}, "batchnorm input must have rank >= 2"},
      {"BatchNormParamShape", OpKind::kBatchNorm, BatchNormAttrs{},
       {{1, 3, 2, 2}, {3}, {3}, {4}, {3}},
       "parameter 3 must have shape [3], got [4]"},
      {"BatchNormNegativeEpsilon", OpKind::kBatchNorm,
       BatchNormAttrs{-1.0f}, {{1, 3}, {3}, {3}, {3}, {3}},
       "epsilon must be >= 0"},
      {"BatchNormFourInputs", OpKind::kBatchNorm, BatchNormAttrs{},
       {{1, 3}, {3}, {3}, {3}}, "batchnorm takes 5 inputs, got 4"},
      {"LayerNormAxisOutOfRange", OpKind::kLayerNorm, LayerNormAttrs{3},
       {{2, 3}, {3}, {3}}, "axis 3 is out of range for rank 2"},
      {"LayerNormParamShape", OpKind::kLayerNorm, LayerNormAttrs{1},
       {{2, 3, 4}, {4}, {3, 4}}, "parameter 1 must have shape [3,4]"},
      {"LayerNormNanEpsilon", OpKind::kLayerNorm,
       LayerNormAttrs{-1, std::numeric_limits<float>::quiet_NaN()},
       {{2, 3}, {3}, {3}}, "epsilon must be >= 0"},
      {"SoftmaxAxisOutOfRange", OpKind::kSoftmax, SoftmaxAttrs{2},
       {{2, 3}}, "axis 2 is out of range for rank 2"},
      {"SoftmaxNegativeAxisOutOfRange", OpKind::kSoftmax, SoftmaxAttrs{-3},
       {{2, 3}}, "axis -3 is out of range"},
      {"SoftmaxScalar", OpKind::kSoftmax, SoftmaxAttrs{}, {{}},
       "out of range for rank 0"},
      // Pooling.
      {"MaxPoolRank3", OpKind::kMaxPool2D, Pool2DAttrs{}, {{1, 4, 4}},
       "pool input must have rank 4"},
      {"MaxPoolZeroKernel", OpKind::kMaxPool2D,
       Pool2DAttrs{{0, 2}, {1, 1}, {0, 0, 0, 0}, 0}, {{1, 1, 4, 4}},
       "kernel values must be >= 1"},
      {"MaxPoolNegativeStride", OpKind::kMaxPool2D,
       Pool2DAttrs{{2, 2}, {-2, 2}, {0, 0, 0, 0}, 0}, {{1, 1, 4, 4}},
       "stride values must be >= 1"},
      {"MaxPoolPadNotSmallerThanKernel", OpKind::kMaxPool2D,
       Pool2DAttrs{{2, 2}, {1, 1}, {2, 0, 0, 0}, 0}, {{1, 1, 4, 4}},
       "must be smaller than the kernel"},
      {"MaxPoolKernelTooLarge", OpKind::kMaxPool2D,
       Pool2DAttrs{{5, 1}, {1, 1}, {0, 0, 0, 0}, 0}, {{1, 1, 4, 4}},
       "does not fit input"},
      {"AvgPoolCountIncludePad", OpKind::kAvgPool2D,
       Pool2DAttrs{{2, 2}, {1, 1}, {0, 0, 0, 0}, 2}, {{1, 1, 4, 4}},
       "count_include_pad must be 0 or 1"},
      {"AvgPoolKernelLength", OpKind::kAvgPool2D,
       Pool2DAttrs{{2, 2, 2}, {1, 1}, {0, 0, 0, 0}, 0}, {{1, 1, 4, 4}},
       "kernel must have 2 values"},
      {"GlobalAvgPoolRank2", OpKind::kGlobalAvgPool, NoAttrs{}, {{2, 3}},
       "global_avgpool input must have rank 4"},
      // Reductions.
      {"ReduceSumAxisOutOfRange", OpKind::kReduceSum, ReduceAttrs{{3}, 1},
       {{2, 3, 4}}, "axis 3 is out of range for rank 3"},
      {"ReduceSumRepeatedAxis", OpKind::kReduceSum, ReduceAttrs{{1, -2}, 1},
       {{2, 3, 4}}, "repeat an axis"},
      {"ReduceMeanKeepdims", OpKind::kReduceMean, ReduceAttrs{{0}, 2},
       {{2, 3}}, "keepdims must be 0 or 1"},
      {"ReduceMeanNegativeAxis", OpKind::kReduceMean, ReduceAttrs{{-4}, 0},
       {{2, 3, 4}}, "axis -4 is out of range"},
      // Data movement.
      {"ConcatAxisOutOfRange", OpKind::kConcat, ConcatAttrs{2},
       {{2, 3}, {2, 3}}, "axis 2 is out of range for rank 2"},
      {"ConcatMismatchedDims", OpKind::kConcat, ConcatAttrs{1},
       {{2, 3}, {3, 3}}, "concat inputs [2,3], [3,3] differ outside axis 1"},
      {"ConcatMismatchedRanks", OpKind::kConcat, ConcatAttrs{0},
       {{2, 3}, {2}}, "differ outside axis 0"},
      {"ConcatNoInputs", OpKind::kConcat, ConcatAttrs{0}, {},
       "concat takes 1 or more inputs, got 0"},
      {"SplitSizesDoNotSum", OpKind::kSplit, SplitAttrs{1, {2, 3}},
       {{1, 4}}, "split sizes [2,3] do not sum to dim 1 of [1,4]"},
      {"SplitZeroSize", OpKind::kSplit, SplitAttrs{0, {0, 4}}, {{4}},
       "split sizes values must be >= 1"},
      {"SplitNoSizes", OpKind::kSplit, SplitAttrs{0, {}}, {{4}},
       "at least one size"},
      {"SplitAxisOutOfRange", OpKind::kSplit, SplitAttrs{-2, {4}}, {{4}},
       "axis -2 is out of range for rank 1"},
      {"ReshapeElementCount", OpKind::kReshape, ReshapeAttrs{{5, 5}},
       {{2, 12}}, "cannot reshape [2,12] to [5,5]"},
      {"ReshapeInferredDim", OpKind::kReshape, ReshapeAttrs{{-1, 4}},
       {{2, 4}}, "has a dim < 1"},
      {"TransposeRepeatedAxis", OpKind::kTranspose, TransposeAttrs{{0, 0}},
       {{2, 3}}, "perm [0,0] is not a permutation of the axes of [2,3]"},
      {"TransposeWrongLength", OpKind::kTranspose, TransposeAttrs{{1, 0}},
       {{2, 3, 4}}, "is not a permutation"},
      {"TransposeOutOfRange", OpKind::kTranspose, TransposeAttrs{{0, 2}},
       {{2, 3}}, "is not a permutation"},
      {"TransposeNegative", OpKind::kTranspose, TransposeAttrs{{-1, 0}},
       {{2, 3}}, "is not a permutation"},
      {"FlattenAxisOutOfRange", OpKind::kFlatten, FlattenAttrs{4},
       {{2, 3, 4}}, "flatten axis 4 is out of range for [2,3,4]"},
      {"FlattenNegativeAxisOutOfRange", OpKind::kFlatten, FlattenAttrs{-4},
       {{2, 3, 4}}, "flatten axis -4 is out of range"},
      {"EnlargeShrinks", OpKind::kEnlarge, EnlargeAttrs{{1, 1}},
       {{4, 3, 3, 3}}, "cannot enlarge kernel [4,3,3,3] to [1,1]"},
      {"EnlargeOddGrowth", OpKind::kEnlarge, EnlargeAttrs{{4, 3}},
       {{4, 3, 3, 3}}, "must grow by an even amount"},
      {"EnlargeRank3", OpKind::kEnlarge, EnlargeAttrs{}, {{4, 3, 3}},
       "enlarge input must have rank 4"},
      {"EnlargeKernelLength", OpKind::kEnlarge, EnlargeAttrs{{3}},
       {{4, 3, 1, 1}}, "enlarge kernel must have 2 values"},
      {"PadWrongLength", OpKind::kPad, PadAttrs{{1, 1}, 0.0f}, {{2, 2}},
       "pads must have 4 values, got [1,1]"},
      {"PadNegative", OpKind::kPad, PadAttrs{{0, -1, 0, 0}, 0.0f}, {{2, 2}},
       "pads values must be >= 0"},
      // Huge values from a file must be refused, never overflow.
      {"Conv2DHugeDilation", OpKind::kConv2D,
       Conv2DAttrs{.dilation = {kHuge, 1}}, {{1, 3, 8, 8}, {4, 3, 3, 3}},
       "does not fit input"},
      {"Conv2DHugePads", OpKind::kConv2D,
       Conv2DAttrs{.pad = {kHuge, 0, kHuge, 0}}, {{1, 3, 8, 8}, {4, 3, 3, 3}},
       "elements"},
      {"MaxPoolHugeKernel", OpKind::kMaxPool2D,
       Pool2DAttrs{{kHuge, 2}, {1, 1}, {kHuge - 1, 0, kHuge - 1, 0}, 0},
       {{1, 1, 4, 4}}, "elements"},
      {"PadHuge", OpKind::kPad, PadAttrs{{kHuge, kHuge}, 0.0f}, {{2}},
       "pads values must be <= 8589934592"},
      {"SplitHugeSizes", OpKind::kSplit, SplitAttrs{0, {kHuge, kHuge}}, {{4}},
       "split sizes values must be <= 4"},
      {"EnlargeNegativeKernel", OpKind::kEnlarge,
       EnlargeAttrs{{-kHuge - 1, 3}}, {{4, 3, 3, 3}},
       "enlarge kernel values must be >= 1"},
      {"ReshapeHuge", OpKind::kReshape, ReshapeAttrs{{kHuge, kHuge}}, {{4}},
       "elements"},
      {"SliceLengthMismatch", OpKind::kSlice, SliceAttrs{{0}, {1, 2}, {0}, {1}},
       {{4, 4}}, "must have equal lengths"},
      {"SliceZeroStep", OpKind::kSlice, SliceAttrs{{0}, {2}, {0}, {0}},
       {{4, 4}}, "steps must be >= 1"},
      {"SliceEmpty", OpKind::kSlice, SliceAttrs{{3}, {1}, {1}, {1}},
       {{4, 4}}, "slice of axis 1 of [4,4] is empty"},
      {"SliceAxisOutOfRange", OpKind::kSlice, SliceAttrs{{0}, {1}, {2}, {1}},
       {{4, 4}}, "axis 2 is out of range for rank 2"},
      {"SliceRepeatedAxis", OpKind::kSlice,
       SliceAttrs{{0, 0}, {1, 1}, {0, -2}, {1, 1}}, {{4, 4}},
       "repeat an axis"},
      {"OpaqueNoOpType", OpKind::kOpaque, OpaqueAttrs{"", "", {1}, {1}, {2}, ""},
       {{2}}, "opaque operator without an op_type"},
      {"OpaqueNoOutputs", OpKind::kOpaque, OpaqueAttrs{"", "Foo", {}, {}, {}, ""},
       {{2}}, "opaque operator 'Foo' has no outputs"},
      {"OpaqueTypesMismatch", OpKind::kOpaque,
       OpaqueAttrs{"", "Foo", {1}, {1, 1}, {2, 2}, ""}, {{2}},
       "lists 1 output types for 2 outputs"},
      {"OpaqueRanksPastDims", OpKind::kOpaque,
       OpaqueAttrs{"d", "Foo", {1}, {3}, {2, 2}, ""}, {{2}},
       "opaque operator 'd:Foo': output ranks [3] do not match"},
      {"OpaqueDimsLeftOver", OpKind::kOpaque,
       OpaqueAttrs{"", "Foo", {1}, {1}, {2, 2}, ""}, {{2}},
       "1 values past the output ranks"},
      {"OpaqueZeroDim", OpKind::kOpaque,
       OpaqueAttrs{"", "Foo", {1}, {2}, {2, 0}, ""}, {{2}}, "output 0"},
      {"OpaqueNegativeRank", OpKind::kOpaque,
       OpaqueAttrs{"", "Foo", {1}, {-1}, {}, ""}, {{2}}, "output ranks [-1]"},
  };
  return *cases;
}

class ShapeInferenceErrorTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(ShapeInferenceErrorTest, RefusedWithTheNodeAndTheReason) {
  const BadCase& c = GetParam();
  Graph g;
  std::vector<ValueId> inputs;
  for (size_t i = 0; i < c.inputs.size(); ++i) {
    absl::StatusOr<ValueId> v = g.AddInput(absl::StrCat("in", i), c.inputs[i]);
    ASSERT_TRUE(v.ok()) << v.status();
    inputs.push_back(*v);
  }
  absl::StatusOr<std::vector<ValueId>> result =
      g.AddNode(c.op, c.attrs, inputs, "bad");
  ASSERT_FALSE(result.ok()) << "accepted";
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  const std::string node = absl::StrCat("node ", c.inputs.size(), " (",
                                        OpMnemonic(c.op), " 'bad'): ");
  EXPECT_THAT(result.status().message(), HasSubstr(node));
  EXPECT_THAT(result.status().message(), HasSubstr(c.reason));
  // A refused node leaves the graph as it was.
  EXPECT_EQ(g.num_nodes(), static_cast<int>(c.inputs.size()));
  EXPECT_TRUE(g.Validate().ok());
}

INSTANTIATE_TEST_SUITE_P(
    Ops, ShapeInferenceErrorTest, ::testing::ValuesIn(Cases()),
    [](const ::testing::TestParamInfo<BadCase>& info) {
      return info.param.name;
    });

TEST(ShapeInferenceErrorCoverageTest, EveryOperatorHasAMustFailCase) {
  std::set<OpKind> seen;
  for (const BadCase& c : Cases()) seen.insert(c.op);
  for (OpKind op : AllOps()) {
    EXPECT_TRUE(seen.count(op)) << OpName(op) << " has no must-fail case";
  }
}

}  // namespace
}  // namespace tsopt

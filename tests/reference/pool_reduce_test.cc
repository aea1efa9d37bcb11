// Pooling and reductions against hand-computed values: pads, strides,
// count_include_pad, keepdims, negative and empty axes.
#include "gtest/gtest.h"
#include "tests/reference/reference_test_util.h"
#include "tsopt/reference/evaluator.h"

namespace tsopt {
namespace {

using testing_util::RunOne;
using testing_util::T;
using testing_util::TensorNear;

Pool2DAttrs PoolAttrs(std::vector<int64_t> kernel, std::vector<int64_t> stride,
                      std::vector<int64_t> pad, int64_t include_pad = 0) {
  Pool2DAttrs a;
  a.kernel = kernel;
  a.stride = stride;
  a.pad = pad;
  a.count_include_pad = include_pad;
  return a;
}

Tensor OneToSixteen() {
  std::vector<float> v(16);
  for (int i = 0; i < 16; ++i) v[i] = i + 1;
  return T({1, 1, 4, 4}, v);
}

TEST(MaxPoolTest, TwoByTwoStrideTwo) {
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kMaxPool2D, PoolAttrs({2, 2}, {2, 2}, {0, 0, 0, 0}),
             {OneToSixteen()}),
      T({1, 1, 2, 2}, {6, 8, 14, 16})));
}

TEST(MaxPoolTest, PaddingNeverWinsOverNegatives) {
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kMaxPool2D, PoolAttrs({2, 2}, {1, 1}, {1, 1, 1, 1}),
             {T({1, 1, 2, 2}, {-1, -2, -3, -4})}),
      T({1, 1, 3, 3}, {-1, -1, -2, -1, -1, -2, -3, -3, -4})));
}

TEST(AvgPoolTest, StrideTwo) {
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kAvgPool2D, PoolAttrs({2, 2}, {2, 2}, {0, 0, 0, 0}),
             {OneToSixteen()}),
      T({1, 1, 2, 2}, {3.5f, 5.5f, 11.5f, 13.5f})));
}

TEST(AvgPoolTest, PadsExcludedFromCount) {
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kAvgPool2D, PoolAttrs({2, 2}, {1, 1}, {1, 1, 1, 1}),
             {T({1, 1, 2, 2}, {1, 2, 3, 4})}),
      T({1, 1, 3, 3}, {1, 1.5f, 2, 2, 2.5f, 3, 3, 3.5f, 4})));
}

TEST(AvgPoolTest, PadsIncludedInCount) {
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kAvgPool2D, PoolAttrs({2, 2}, {1, 1}, {1, 1, 1, 1}, 1),
             {T({1, 1, 2, 2}, {1, 2, 3, 4})}),
      T({1, 1, 3, 3}, {0.25f, 0.75f, 0.5f, 1, 2.5f, 1.5f, 0.75f, 1.75f, 1})));
}

TEST(AvgPoolTest, AsymmetricPads) {
  // pad {top 0, left 1, bottom 1, right 0}, kernel 2, stride 2 on [1,1,2,2].
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kAvgPool2D, PoolAttrs({2, 2}, {2, 2}, {0, 1, 1, 0}),
             {T({1, 1, 2, 2}, {1, 2, 3, 4})}),
      T({1, 1, 1, 1}, {2})));  // window rows 0..1, cols -1..0 -> (1+3)/2
}

TEST(GlobalAvgPoolTest, MeanPerChannel) {
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kGlobalAvgPool, NoAttrs{},
             {T({1, 2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8})}),
      T({1, 2, 1, 1}, {2.5f, 6.5f})));
}

ReduceAttrs Axes(std::vector<int64_t> axes, int64_t keepdims) {
  ReduceAttrs a;
  a.axes = axes;
  a.keepdims = keepdims;
  return a;
}

const Tensor kSix = T({2, 3}, {1, 2, 3, 4, 5, 6});

TEST(ReduceSumTest, KeepDims) {
  EXPECT_TRUE(TensorNear(RunOne(OpKind::kReduceSum, Axes({1}, 1), {kSix}),
                         T({2, 1}, {6, 15})));
  EXPECT_TRUE(TensorNear(RunOne(OpKind::kReduceSum, Axes({0}, 1), {kSix}),
                         T({1, 3}, {5, 7, 9})));
}

TEST(ReduceSumTest, DropDims) {
  EXPECT_TRUE(TensorNear(RunOne(OpKind::kReduceSum, Axes({1}, 0), {kSix}),
                         T({2}, {6, 15})));
}

TEST(ReduceSumTest, EmptyAxesReduceEverything) {
  EXPECT_TRUE(TensorNear(RunOne(OpKind::kReduceSum, Axes({}, 1), {kSix}),
                         T({1, 1}, {21})));
  EXPECT_TRUE(TensorNear(RunOne(OpKind::kReduceSum, Axes({}, 0), {kSix}),
                         T({}, {21})));
}

TEST(ReduceSumTest, NegativeAndNonAdjacentAxes) {
  Tensor x = T({2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  EXPECT_TRUE(TensorNear(RunOne(OpKind::kReduceSum, Axes({-1, 0}, 1), {x}),
                         T({1, 2, 1}, {14, 22})));
}

TEST(ReduceMeanTest, AxisAndAll) {
  EXPECT_TRUE(TensorNear(RunOne(OpKind::kReduceMean, Axes({1}, 0), {kSix}),
                         T({2}, {2, 5})));
  EXPECT_TRUE(TensorNear(RunOne(OpKind::kReduceMean, Axes({}, 0), {kSix}),
                         T({}, {3.5f})));
}

}  // namespace
}  // namespace tsopt

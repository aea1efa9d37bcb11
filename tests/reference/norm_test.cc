// BatchNorm, LayerNorm and Softmax against hand-computed values.
#include "gtest/gtest.h"
#include "tests/reference/reference_test_util.h"
#include "tsopt/reference/evaluator.h"

namespace tsopt {
namespace {

using testing_util::RunOne;
using testing_util::T;
using testing_util::TensorNear;

BatchNormAttrs Eps(float e) {
  BatchNormAttrs a;
  a.epsilon = e;
  return a;
}

TEST(BatchNormTest, PerChannelAffine) {
  // ch0: (x - 1) / 2 * 2 + 0; ch1: (x - 3) / 1 * 1 + 1.
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kBatchNorm, Eps(0),
             {T({1, 2, 1, 2}, {1, 2, 3, 4}), T({2}, {2, 1}), T({2}, {0, 1}),
              T({2}, {1, 3}), T({2}, {4, 1})}),
      T({1, 2, 1, 2}, {0, 1, 1, 2})));
}

TEST(BatchNormTest, EpsilonIsAddedToVariance) {
  // (2 - 0) / sqrt(3 + 1) = 1.
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kBatchNorm, Eps(1.0f),
             {T({1, 1}, {2}), T({1}, {1}), T({1}, {0}), T({1}, {0}),
              T({1}, {3})}),
      T({1, 1}, {1})));
}

TEST(BatchNormTest, RankTwoAndBatchUseDimOne) {
  // x [2,2]: column c normalized by channel c.
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kBatchNorm, Eps(0),
             {T({2, 2}, {1, 2, 3, 4}), T({2}, {1, 10}), T({2}, {0, 0}),
              T({2}, {1, 2}), T({2}, {1, 1})}),
      T({2, 2}, {0, 0, 2, 20})));
}

LayerNormAttrs Ln(int64_t axis, float eps) {
  LayerNormAttrs a;
  a.axis = axis;
  a.epsilon = eps;
  return a;
}

TEST(LayerNormTest, LastAxisWithScaleAndBias) {
  // Each row normalizes to [-1, 1]; then * [2, 3] + [1, 0].
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kLayerNorm, Ln(-1, 0),
             {T({2, 2}, {1, 3, 0, 4}), T({2}, {2, 3}), T({2}, {1, 0})}),
      T({2, 2}, {-1, 3, -1, 3})));
}

TEST(LayerNormTest, NormalizesOverTrailingDimsFromAxis) {
  // axis 1 of [1,2,2]: mean 2.5, variance 1.25 over all four values.
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kLayerNorm, Ln(1, 0),
             {T({1, 2, 2}, {1, 2, 3, 4}), T({2, 2}, {1, 1, 1, 1}),
              T({2, 2}, {0, 0, 0, 0})}),
      T({1, 2, 2}, {-1.3416408f, -0.4472136f, 0.4472136f, 1.3416408f})));
}

SoftmaxAttrs Sm(int64_t axis) {
  SoftmaxAttrs a;
  a.axis = axis;
  return a;
}

TEST(SoftmaxTest, LastAxis) {
  EXPECT_TRUE(TensorNear(RunOne(OpKind::kSoftmax, Sm(-1), {T({3}, {1, 2, 3})}),
                         T({3}, {0.09003057f, 0.24472847f, 0.66524096f})));
}

TEST(SoftmaxTest, AxisZeroRunsDownColumns) {
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kSoftmax, Sm(0), {T({2, 2}, {1, 2, 3, 2})}),
      T({2, 2}, {0.11920292f, 0.5f, 0.88079708f, 0.5f})));
}

TEST(SoftmaxTest, StableForLargeInputs) {
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kSoftmax, Sm(1), {T({1, 2}, {1000, 1000})}),
      T({1, 2}, {0.5f, 0.5f})));
}

}  // namespace
}  // namespace tsopt

// Elementwise operators: every broadcasting binary operator, ScalarMul, and
// the unary functions against values computed by hand (or by libm in
// double).
#include <cmath>

#include "gtest/gtest.h"
#include "tests/reference/reference_test_util.h"
#include "tsopt/reference/evaluator.h"

namespace tsopt {
namespace {

using testing_util::RunOne;
using testing_util::T;
using testing_util::TensorNear;

TEST(BinaryTest, AddBroadcastsTrailingVector) {
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kAdd, NoAttrs{},
             {T({2, 3}, {1, 2, 3, 4, 5, 6}), T({3}, {10, 20, 30})}),
      T({2, 3}, {11, 22, 33, 14, 25, 36})));
}

TEST(BinaryTest, AddBroadcastsBothSides) {
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kAdd, NoAttrs{},
             {T({2, 1}, {1, 2}), T({1, 3}, {10, 20, 30})}),
      T({2, 3}, {11, 21, 31, 12, 22, 32})));
}

TEST(BinaryTest, SubBroadcastsColumnAndKeepsOrder) {
  EXPECT_TRUE(TensorNear(RunOne(OpKind::kSub, NoAttrs{},
                                {T({2, 2}, {5, 6, 7, 8}), T({2, 1}, {1, 2})}),
                         T({2, 2}, {4, 5, 5, 6})));
  EXPECT_TRUE(TensorNear(RunOne(OpKind::kSub, NoAttrs{},
                                {T({2, 1}, {1, 2}), T({2, 2}, {5, 6, 7, 8})}),
                         T({2, 2}, {-4, -5, -5, -6})));
}

TEST(BinaryTest, MulByScalarTensor) {
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kMul, NoAttrs{}, {T({3}, {1, -2, 3}), T({}, {4})}),
      T({3}, {4, -8, 12})));
}

TEST(BinaryTest, DivBroadcastsAndKeepsOrder) {
  EXPECT_TRUE(TensorNear(RunOne(OpKind::kDiv, NoAttrs{},
                                {T({2, 2}, {1, 2, 3, 4}), T({2}, {2, 4})}),
                         T({2, 2}, {0.5f, 0.5f, 1.5f, 1.0f})));
}

class BroadcastRank3Test : public ::testing::TestWithParam<OpKind> {};

// [2,1,3] op [4,1] -> [2,4,3], checked elementwise against the formula.
TEST_P(BroadcastRank3Test, MatchesIndexFormula) {
  const OpKind op = GetParam();
  Tensor a = Tensor::Random(Shape({2, 1, 3}), 5, 1.0f, 2.0f);
  Tensor b = Tensor::Random(Shape({4, 1}), 6, 1.0f, 2.0f);
  Tensor got = RunOne(op, NoAttrs{}, {a, b});
  Tensor want = Tensor::Zeros(Shape({2, 4, 3}));
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 4; ++j)
      for (int k = 0; k < 3; ++k) {
        float x = a.data[i * 3 + k], y = b.data[j];
        float r = op == OpKind::kAdd   ? x + y
                  : op == OpKind::kSub ? x - y
                  : op == OpKind::kMul ? x * y
                                       : x / y;
        want.data[(i * 4 + j) * 3 + k] = r;
      }
  EXPECT_TRUE(TensorNear(got, want));
}

INSTANTIATE_TEST_SUITE_P(AllBinary, BroadcastRank3Test,
                         ::testing::Values(OpKind::kAdd, OpKind::kSub,
                                           OpKind::kMul, OpKind::kDiv),
                         [](const ::testing::TestParamInfo<OpKind>& info) {
                           return std::string(OpMnemonic(info.param));
                         });

TEST(ScalarMulTest, ScalesEveryElement) {
  EXPECT_TRUE(TensorNear(RunOne(OpKind::kScalarMul, NoAttrs{},
                                {T({3}, {1, -2, 3}), T({}, {-2})}),
                         T({3}, {-2, 4, -6})));
}

TEST(UnaryTest, Relu) {
  EXPECT_TRUE(TensorNear(RunOne(OpKind::kRelu, NoAttrs{}, {T({3}, {-1, 0, 2})}),
                         T({3}, {0, 0, 2})));
}

TEST(UnaryTest, Sigmoid) {
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kSigmoid, NoAttrs{}, {T({3}, {0, 2, -2})}),
      T({3}, {0.5f, 0.8807970779778823f, 0.11920292202211755f}), 1e-7f,
      1e-6f));
}

TEST(UnaryTest, Tanh) {
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kTanh, NoAttrs{}, {T({3}, {0, 1, -0.5f})}),
      T({3}, {0.0f, 0.7615941559557649f, -0.46211715726000974f}), 1e-7f,
      1e-6f));
}

TEST(UnaryTest, GeluIsTheExactErfForm) {
  // The tanh approximation gives 0.841192 at 1: 1.5e-4 away.
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kGelu, NoAttrs{}, {T({3}, {1, -1, 0.5f})}),
      T({3}, {0.8413447460685429f, -0.15865525393145707f,
              0.34573123063700656f}),
      1e-7f, 1e-6f));
}

TEST(UnaryTest, Exp) {
  EXPECT_TRUE(TensorNear(RunOne(OpKind::kExp, NoAttrs{}, {T({3}, {0, 1, -1})}),
                         T({3}, {1.0f, 2.718281828459045f,
                                 0.36787944117144233f}),
                         1e-7f, 1e-6f));
}

TEST(UnaryTest, Sqrt) {
  EXPECT_TRUE(TensorNear(RunOne(OpKind::kSqrt, NoAttrs{}, {T({3}, {4, 2, 0})}),
                         T({3}, {2.0f, 1.4142135623730951f, 0.0f}), 1e-7f,
                         1e-6f));
}

TEST(UnaryTest, IdentityCopies) {
  Tensor x = Tensor::Random(Shape({2, 3, 4}), 9);
  EXPECT_TRUE(TensorNear(RunOne(OpKind::kIdentity, NoAttrs{}, {x}), x, 0, 0));
}

}  // namespace
}  // namespace tsopt

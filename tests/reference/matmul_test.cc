// MatMul: hand cases (2-D, batched, broadcast batch dims on either side,
// fused activation) and random broadcast shapes against a naive product.
#include "gtest/gtest.h"
#include "tests/reference/reference_test_util.h"
#include "tsopt/reference/evaluator.h"

namespace tsopt {
namespace {

using testing_util::RunOne;
using testing_util::T;
using testing_util::TensorNear;

TEST(MatMulTest, TwoByThreeTimesThreeByTwo) {
  Tensor a = T({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor b = T({3, 2}, {7, 8, 9, 10, 11, 12});
  EXPECT_TRUE(TensorNear(RunOne(OpKind::kMatMul, MatMulAttrs{}, {a, b}),
                         T({2, 2}, {58, 64, 139, 154})));
}

TEST(MatMulTest, BatchedLeftSharedRight) {
  Tensor a = T({2, 2, 2}, {1, 0, 0, 1, 2, 0, 0, 2});
  Tensor b = T({2, 2}, {1, 2, 3, 4});
  EXPECT_TRUE(TensorNear(RunOne(OpKind::kMatMul, MatMulAttrs{}, {a, b}),
                         T({2, 2, 2}, {1, 2, 3, 4, 2, 4, 6, 8})));
}

TEST(MatMulTest, SharedLeftBatchedRight) {
  Tensor a = T({2, 2}, {1, 2, 3, 4});
  Tensor b = T({2, 2, 2}, {1, 0, 0, 1, 2, 0, 0, 2});
  EXPECT_TRUE(TensorNear(RunOne(OpKind::kMatMul, MatMulAttrs{}, {a, b}),
                         T({2, 2, 2}, {1, 2, 3, 4, 2, 4, 6, 8})));
}

TEST(MatMulTest, BothSidesBroadcast) {
  // [2,1,1,2] x [3,2,1]: out [2,3,1,1], out[i][j] = a_i . b_j.
  Tensor a = T({2, 1, 1, 2}, {1, 2, 3, 4});
  Tensor b = T({3, 2, 1}, {1, 0, 0, 1, 1, 1});
  EXPECT_TRUE(TensorNear(RunOne(OpKind::kMatMul, MatMulAttrs{}, {a, b}),
                         T({2, 3, 1, 1}, {1, 2, 3, 3, 4, 7})));
}

TEST(MatMulTest, FusedRelu) {
  MatMulAttrs attrs;
  attrs.activation = Activation::kRelu;
  Tensor a = T({1, 2}, {1, -1});
  Tensor b = T({2, 2}, {1, 2, 3, 1});
  EXPECT_TRUE(TensorNear(RunOne(OpKind::kMatMul, attrs, {a, b}),
                         T({1, 2}, {0, 1})));
}

TEST(MatMulTest, BiasPerColumnBeforeActivation) {
  MatMulAttrs attrs;
  attrs.activation = Activation::kRelu;
  // [2,1,2] x [2,2] + [10, -100]: every row gets the same bias, then relu.
  Tensor a = T({2, 1, 2}, {1, 2, 3, 4});
  Tensor b = T({2, 2}, {1, 0, 0, 1});
  Tensor bias = T({2}, {10, -1});
  EXPECT_TRUE(TensorNear(RunOne(OpKind::kMatMul, attrs, {a, b, bias}),
                         T({2, 1, 2}, {11, 1, 13, 3})));
  bias = T({2}, {10, -3});
  EXPECT_TRUE(TensorNear(RunOne(OpKind::kMatMul, attrs, {a, b, bias}),
                         T({2, 1, 2}, {11, 0, 13, 1})));
}

struct MatMulCase {
  std::vector<int64_t> a, b;
};

void PrintTo(const MatMulCase& p, std::ostream* os) {
  *os << DimsToString(p.a) << " x " << DimsToString(p.b);
}

class MatMulVsNaiveTest : public ::testing::TestWithParam<MatMulCase> {};

TEST_P(MatMulVsNaiveTest, Matches) {
  const MatMulCase& p = GetParam();
  Tensor a = Tensor::Random(Shape(p.a), 3);
  Tensor b = Tensor::Random(Shape(p.b), 4);
  Tensor got = RunOne(OpKind::kMatMul, MatMulAttrs{}, {a, b});
  // Naive: index each operand's batch through broadcasting by hand.
  const int rank = got.shape.rank();
  const int64_t m = got.shape.dim(rank - 2), n = got.shape.dim(rank - 1);
  const int64_t k = a.shape.dim(a.shape.rank() - 1);
  Tensor want = Tensor::Zeros(got.shape);
  const int64_t batches = got.shape.NumElements() / (m * n);
  for (int64_t bi = 0; bi < batches; ++bi) {
    // Decompose bi into output batch coordinates, then map to each operand.
    std::vector<int64_t> coord(rank - 2);
    int64_t rest = bi;
    for (int d = rank - 3; d >= 0; --d) {
      coord[d] = rest % got.shape.dim(d);
      rest /= got.shape.dim(d);
    }
    auto offset = [&](const Tensor& t) {
      int64_t off = 0;
      const int tb = t.shape.rank() - 2;
      for (int d = 0; d < tb; ++d) {
        int64_t c = coord[rank - 2 - tb + d];
        off = off * t.shape.dim(d) + (t.shape.dim(d) == 1 ? 0 : c);
      }
      return off;
    };
    const float* pa = a.data.data() + offset(a) * m * k;
    const float* pb = b.data.data() + offset(b) * k * n;
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        double s = 0;
        for (int64_t t = 0; t < k; ++t) s += pa[i * k + t] * pb[t * n + j];
        want.data[(bi * m + i) * n + j] = static_cast<float>(s);
      }
  }
  EXPECT_TRUE(TensorNear(got, want, 1e-4f, 1e-4f));
}

INSTANTIATE_TEST_SUITE_P(
    RandomShapes, MatMulVsNaiveTest,
    ::testing::Values(MatMulCase{{5, 7}, {7, 3}},
                      MatMulCase{{4, 5, 7}, {7, 3}},
                      MatMulCase{{5, 7}, {2, 7, 3}},
                      MatMulCase{{2, 1, 5, 7}, {3, 7, 4}},
                      MatMulCase{{1, 3, 2, 6}, {2, 1, 6, 5}},
                      MatMulCase{{3, 4, 5}, {3, 5, 2}},
                      MatMulCase{{2, 4, 5}, {1, 1, 5, 2}}));

}  // namespace
}  // namespace tsopt

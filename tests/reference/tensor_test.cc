// Tensor helpers of tsopt/ir/tensor.h (used by every evaluator test):
// deterministic random tensors, integer tensors, residue conversions.
#include <algorithm>
#include <cmath>
#include <limits>

#include "gtest/gtest.h"
#include "tsopt/ir/tensor.h"

namespace tsopt {
namespace {

TEST(TensorTest, ZerosHasShapeAndSize) {
  Tensor t = Tensor::Zeros(Shape({2, 3}));
  EXPECT_EQ(t.shape, Shape({2, 3}));
  EXPECT_EQ(t.data, std::vector<float>(6, 0.0f));
}

TEST(TensorTest, RandomIsDeterministicAndInRange) {
  Tensor a = Tensor::Random(Shape({1000}), 42, -2.0f, 3.0f);
  Tensor b = Tensor::Random(Shape({1000}), 42, -2.0f, 3.0f);
  Tensor c = Tensor::Random(Shape({1000}), 43, -2.0f, 3.0f);
  EXPECT_EQ(a.data, b.data);
  EXPECT_NE(a.data, c.data);
  float lo = 3, hi = -2;
  for (float v : a.data) {
    EXPECT_GE(v, -2.0f);
    EXPECT_LT(v, 3.0f);
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  EXPECT_LT(lo, -1.5f);  // spread over the range
  EXPECT_GT(hi, 2.5f);
}

TEST(TensorTest, IntegersCoverTheClosedRange) {
  Tensor t = Tensor::Integers(Shape({500}), 1, -2, 2);
  std::vector<int> seen(5, 0);
  for (float v : t.data) {
    ASSERT_EQ(v, std::trunc(v));
    ASSERT_GE(v, -2);
    ASSERT_LE(v, 2);
    ++seen[static_cast<int>(v) + 2];
  }
  for (int count : seen) EXPECT_GT(count, 0);
}

TEST(ModTensorTest, RandomResiduesAreDeterministicAndInRange) {
  ModTensor a = ModTensor::Random(Shape({4, 250}), 9);
  EXPECT_EQ(a.data, ModTensor::Random(Shape({4, 250}), 9).data);
  EXPECT_NE(a.data, ModTensor::Random(Shape({4, 250}), 10).data);
  int64_t max = 0;
  for (int64_t v : a.data) {
    ASSERT_GE(v, 0);
    ASSERT_LT(v, kModPrime);
    max = std::max(max, v);
  }
  EXPECT_GT(max, kModPrime / 2);
}

TEST(ModTensorTest, ToAndFromResidues) {
  Tensor t{Shape({4}), {0, 5, -1, -7}};
  absl::StatusOr<ModTensor> m = ToModTensor(t);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->data, (std::vector<int64_t>{0, 5, kModPrime - 1, kModPrime - 7}));
  EXPECT_EQ(FromModTensor(*m).data, t.data);
}

TEST(ModTensorTest, NonIntegerIsRefused) {
  EXPECT_FALSE(ToModTensor(Tensor{Shape({2}), {1.0f, 0.5f}}).ok());
  EXPECT_FALSE(
      ToModTensor(Tensor{Shape({1}), {std::numeric_limits<float>::infinity()}})
          .ok());
}

}  // namespace
}  // namespace tsopt

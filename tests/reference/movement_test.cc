// Data-movement operators: Concat, Split, Reshape, Transpose (every perm of
// rank 3, some of rank 4), Flatten, Enlarge, Pad, Slice (negative indices,
// clamping, steps).
#include <algorithm>

#include "gtest/gtest.h"
#include "tests/reference/reference_test_util.h"
#include "tsopt/reference/evaluator.h"

namespace tsopt {
namespace {

using testing_util::RunOne;
using testing_util::RunOp;
using testing_util::T;
using testing_util::TensorNear;

ConcatAttrs ConcatAxis(int64_t axis) {
  ConcatAttrs a;
  a.axis = axis;
  return a;
}

TEST(ConcatTest, AxisOne) {
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kConcat, ConcatAxis(1),
             {T({2, 1}, {1, 2}), T({2, 2}, {3, 4, 5, 6})}),
      T({2, 3}, {1, 3, 4, 2, 5, 6})));
}

TEST(ConcatTest, AxisZeroThreeInputs) {
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kConcat, ConcatAxis(0),
             {T({1, 2}, {1, 2}), T({2, 2}, {3, 4, 5, 6}), T({1, 2}, {7, 8})}),
      T({4, 2}, {1, 2, 3, 4, 5, 6, 7, 8})));
}

TEST(ConcatTest, NegativeAxis) {
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kConcat, ConcatAxis(-1),
             {T({2, 1}, {1, 2}), T({2, 1}, {3, 4})}),
      T({2, 2}, {1, 3, 2, 4})));
}

SplitAttrs SplitSizes(int64_t axis, std::vector<int64_t> sizes) {
  SplitAttrs a;
  a.axis = axis;
  a.sizes = sizes;
  return a;
}

TEST(SplitTest, AxisOneUnequalSizes) {
  absl::StatusOr<std::vector<Tensor>> outs =
      RunOp(OpKind::kSplit, SplitSizes(1, {1, 2}),
            {T({2, 3}, {1, 2, 3, 4, 5, 6})});
  ASSERT_TRUE(outs.ok()) << outs.status();
  ASSERT_EQ(outs->size(), 2u);
  EXPECT_TRUE(TensorNear((*outs)[0], T({2, 1}, {1, 4})));
  EXPECT_TRUE(TensorNear((*outs)[1], T({2, 2}, {2, 3, 5, 6})));
}

struct SplitCase {
  std::vector<int64_t> dims;
  int64_t axis;
  std::vector<int64_t> sizes;
};

void PrintTo(const SplitCase& p, std::ostream* os) {
  *os << DimsToString(p.dims) << " axis " << p.axis << " sizes "
      << DimsToString(p.sizes);
}

class SplitConcatInverseTest : public ::testing::TestWithParam<SplitCase> {};

TEST_P(SplitConcatInverseTest, ConcatOfSplitIsIdentity) {
  const SplitCase& p = GetParam();
  Tensor x = Tensor::Random(Shape(p.dims), 21);
  absl::StatusOr<std::vector<Tensor>> parts =
      RunOp(OpKind::kSplit, SplitSizes(p.axis, p.sizes), {x});
  ASSERT_TRUE(parts.ok()) << parts.status();
  EXPECT_TRUE(
      TensorNear(RunOne(OpKind::kConcat, ConcatAxis(p.axis), *parts), x, 0, 0));
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, SplitConcatInverseTest,
    ::testing::Values(SplitCase{{4, 6}, 0, {1, 3}},
                      SplitCase{{2, 5, 3}, 1, {2, 2, 1}},
                      SplitCase{{2, 3, 7}, -1, {3, 4}},
                      SplitCase{{2, 8, 2, 2}, 1, {4, 4}}));

TEST(ReshapeTest, KeepsRowMajorData) {
  ReshapeAttrs a;
  a.shape = {3, 2};
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kReshape, a, {T({2, 3}, {1, 2, 3, 4, 5, 6})}),
      T({3, 2}, {1, 2, 3, 4, 5, 6})));
}

TEST(FlattenTest, AxisSplitsDims) {
  Tensor x = Tensor::Random(Shape({2, 3, 4}), 3);
  FlattenAttrs a;
  a.axis = 2;
  Tensor got = RunOne(OpKind::kFlatten, a, {x});
  EXPECT_EQ(got.shape, Shape({6, 4}));
  EXPECT_EQ(got.data, x.data);
  a.axis = 0;
  EXPECT_EQ(RunOne(OpKind::kFlatten, a, {x}).shape, Shape({1, 24}));
}

TransposeAttrs Perm(std::vector<int64_t> perm) {
  TransposeAttrs a;
  a.perm = perm;
  return a;
}

TEST(TransposeTest, Matrix) {
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kTranspose, Perm({1, 0}), {T({2, 3}, {1, 2, 3, 4, 5, 6})}),
      T({3, 2}, {1, 4, 2, 5, 3, 6})));
}

class TransposePermTest
    : public ::testing::TestWithParam<std::vector<int64_t>> {};

// out[i_0..i_r] = x[j] where j[perm[d]] = i_d.
TEST_P(TransposePermTest, MatchesIndexFormula) {
  const std::vector<int64_t>& perm = GetParam();
  const int rank = static_cast<int>(perm.size());
  std::vector<int64_t> dims = {2, 3, 4, 5};
  dims.resize(rank);
  Tensor x = Tensor::Random(Shape(dims), 8);
  Tensor got = RunOne(OpKind::kTranspose, Perm(perm), {x});
  ASSERT_EQ(got.shape.rank(), rank);
  for (int64_t flat = 0; flat < got.shape.NumElements(); ++flat) {
    std::vector<int64_t> out_index(rank), in_index(rank);
    int64_t rest = flat;
    for (int d = rank - 1; d >= 0; --d) {
      out_index[d] = rest % got.shape.dim(d);
      rest /= got.shape.dim(d);
    }
    for (int d = 0; d < rank; ++d) in_index[perm[d]] = out_index[d];
    int64_t src = 0;
    for (int d = 0; d < rank; ++d) src = src * dims[d] + in_index[d];
    ASSERT_EQ(got.data[flat], x.data[src]) << "flat index " << flat;
  }
}

std::vector<std::vector<int64_t>> Perms() {
  std::vector<std::vector<int64_t>> all;
  std::vector<int64_t> p = {0, 1, 2};
  do {
    all.push_back(p);
  } while (std::next_permutation(p.begin(), p.end()));
  all.push_back({0, 2, 3, 1});
  all.push_back({3, 2, 1, 0});
  all.push_back({1, 0, 3, 2});
  return all;
}

INSTANTIATE_TEST_SUITE_P(Perms, TransposePermTest,
                         ::testing::ValuesIn(Perms()));

TEST(EnlargeTest, CentersKernel) {
  EnlargeAttrs a;
  a.kernel = {3, 3};
  EXPECT_TRUE(TensorNear(RunOne(OpKind::kEnlarge, a, {T({1, 1, 1, 1}, {5})}),
                         T({1, 1, 3, 3}, {0, 0, 0, 0, 5, 0, 0, 0, 0})));
}

TEST(EnlargeTest, PadsOnlyTheDimsThatGrow) {
  EnlargeAttrs a;
  a.kernel = {3, 3};
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kEnlarge, a, {T({2, 1, 1, 3}, {1, 2, 3, 4, 5, 6})}),
      T({2, 1, 3, 3},
        {0, 0, 0, 1, 2, 3, 0, 0, 0, 0, 0, 0, 4, 5, 6, 0, 0, 0})));
}

TEST(PadTest, BeginsThenEndsWithValue) {
  PadAttrs a;
  a.pads = {1, 0, 0, 1};  // begin dim0, begin dim1, end dim0, end dim1
  a.value = 9;
  EXPECT_TRUE(TensorNear(RunOne(OpKind::kPad, a, {T({2, 2}, {1, 2, 3, 4})}),
                         T({3, 3}, {9, 9, 9, 1, 2, 9, 3, 4, 9})));
}

SliceAttrs SliceOf(std::vector<int64_t> starts, std::vector<int64_t> ends,
                   std::vector<int64_t> axes, std::vector<int64_t> steps) {
  SliceAttrs a;
  a.starts = starts;
  a.ends = ends;
  a.axes = axes;
  a.steps = steps;
  return a;
}

const Tensor kFive = T({5}, {0, 1, 2, 3, 4});

TEST(SliceTest, NegativeStartAndClampedEnd) {
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kSlice, SliceOf({-3}, {100}, {0}, {1}), {kFive}),
      T({3}, {2, 3, 4})));
}

TEST(SliceTest, NegativeEnd) {
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kSlice, SliceOf({1}, {-1}, {0}, {1}), {kFive}),
      T({3}, {1, 2, 3})));
}

TEST(SliceTest, StartBelowMinusDimClampsToZero) {
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kSlice, SliceOf({-10}, {2}, {0}, {1}), {kFive}),
      T({2}, {0, 1})));
}

TEST(SliceTest, Steps) {
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kSlice, SliceOf({0}, {5}, {0}, {2}), {kFive}),
      T({3}, {0, 2, 4})));
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kSlice, SliceOf({1}, {5}, {0}, {3}), {kFive}),
      T({2}, {1, 4})));
}

TEST(SliceTest, SeveralAxesInAnyOrder) {
  // [3,4] = 0..11; rows 1..2, columns -3..4 step 2 -> cols 1, 3.
  std::vector<float> v(12);
  for (int i = 0; i < 12; ++i) v[i] = i;
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kSlice, SliceOf({-3, 1}, {4, 3}, {-1, 0}, {2, 1}),
             {T({3, 4}, v)}),
      T({2, 2}, {5, 7, 9, 11})));
}

}  // namespace
}  // namespace tsopt

// Conv2D: hand-computed cases for every attribute, and the im2col + GEMM
// kernel against a naive seven-loop convolution on random shapes.
#include <cmath>

#include "gtest/gtest.h"
#include "tests/reference/reference_test_util.h"
#include "tsopt/reference/evaluator.h"

namespace tsopt {
namespace {

using testing_util::RunOne;
using testing_util::T;
using testing_util::TensorNear;

Conv2DAttrs Conv(std::vector<int64_t> stride = {1, 1},
                 std::vector<int64_t> pad = {0, 0, 0, 0},
                 std::vector<int64_t> dilation = {1, 1}, int64_t groups = 1,
                 Activation act = Activation::kNone) {
  Conv2DAttrs a;
  a.stride = stride;
  a.pad = pad;
  a.dilation = dilation;
  a.groups = groups;
  a.activation = act;
  return a;
}

TEST(Conv2DTest, DiagonalKernel) {
  Tensor x = T({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  Tensor w = T({1, 1, 2, 2}, {1, 0, 0, 1});
  EXPECT_TRUE(TensorNear(RunOne(OpKind::kConv2D, Conv(), {x, w}),
                         T({1, 1, 2, 2}, {6, 8, 12, 14})));
}

TEST(Conv2DTest, Stride) {
  std::vector<float> v(16);
  for (int i = 0; i < 16; ++i) v[i] = i + 1;
  Tensor x = T({1, 1, 4, 4}, v);
  Tensor w = T({1, 1, 1, 1}, {2});
  EXPECT_TRUE(TensorNear(RunOne(OpKind::kConv2D, Conv({2, 2}), {x, w}),
                         T({1, 1, 2, 2}, {2, 6, 18, 22})));
}

TEST(Conv2DTest, AsymmetricPadsTopLeftBottomRight) {
  // pad = {top 1, left 0, bottom 0, right 1}.
  Tensor x = T({1, 1, 2, 2}, {1, 2, 3, 4});
  Tensor w = T({1, 1, 2, 2}, {1, 1, 1, 1});
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kConv2D, Conv({1, 1}, {1, 0, 0, 1}), {x, w}),
      T({1, 1, 2, 2}, {3, 2, 10, 6})));
}

TEST(Conv2DTest, Dilation) {
  Tensor x = T({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  Tensor w = T({1, 1, 2, 2}, {1, 1, 1, 1});
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kConv2D, Conv({1, 1}, {0, 0, 0, 0}, {2, 2}), {x, w}),
      T({1, 1, 1, 1}, {20})));
}

TEST(Conv2DTest, DepthwiseGroups) {
  Tensor x = T({1, 2, 1, 1}, {3, 5});
  Tensor w = T({2, 1, 1, 1}, {2, 10});
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kConv2D, Conv({1, 1}, {0, 0, 0, 0}, {1, 1}, 2), {x, w}),
      T({1, 2, 1, 1}, {6, 50})));
}

TEST(Conv2DTest, GroupsSeeOnlyTheirChannels) {
  Tensor x = T({1, 4, 1, 1}, {1, 2, 3, 4});
  Tensor w = T({2, 2, 1, 1}, {1, 1, 1, -1});
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kConv2D, Conv({1, 1}, {0, 0, 0, 0}, {1, 1}, 2), {x, w}),
      T({1, 2, 1, 1}, {3, -1})));
}

TEST(Conv2DTest, ChannelMixing1x1) {
  Tensor x = T({1, 2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  Tensor w = T({3, 2, 1, 1}, {1, 0, 0, 1, 1, 1});
  EXPECT_TRUE(TensorNear(RunOne(OpKind::kConv2D, Conv(), {x, w}),
                         T({1, 3, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8, 6, 8, 10, 12})));
}

TEST(Conv2DTest, BiasPerOutputChannelBeforeActivation) {
  Conv2DAttrs attrs;
  attrs.activation = Activation::kRelu;
  // A 1x1 identity-ish kernel on 2 channels, 2 images: out = relu(x + b[c]).
  Tensor x = T({2, 2, 1, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  Tensor w = T({2, 2, 1, 1}, {1, 0, 0, 1});
  Tensor bias = T({2}, {-1.5f, 10});
  EXPECT_TRUE(TensorNear(RunOne(OpKind::kConv2D, attrs, {x, w, bias}),
                         T({2, 2, 1, 2}, {0, 0.5f, 13, 14, 3.5f, 4.5f, 17, 18})));
}

TEST(Conv2DTest, FusedRelu) {
  Tensor x = T({1, 1, 1, 2}, {1, -2});
  Tensor w = T({1, 1, 1, 1}, {3});
  EXPECT_TRUE(TensorNear(
      RunOne(OpKind::kConv2D,
             Conv({1, 1}, {0, 0, 0, 0}, {1, 1}, 1, Activation::kRelu), {x, w}),
      T({1, 1, 1, 2}, {3, 0})));
}

class FusedActivationTest : public ::testing::TestWithParam<Activation> {};

// conv(act) == act(conv) for every fused activation.
TEST_P(FusedActivationTest, MatchesSeparateOperator) {
  const Activation act = GetParam();
  Tensor x = Tensor::Random(Shape({1, 2, 5, 5}), 1);
  Tensor w = Tensor::Random(Shape({3, 2, 3, 3}), 2);
  Tensor fused = RunOne(OpKind::kConv2D,
                        Conv({1, 1}, {1, 1, 1, 1}, {1, 1}, 1, act), {x, w});
  Tensor plain =
      RunOne(OpKind::kConv2D, Conv({1, 1}, {1, 1, 1, 1}), {x, w});
  OpKind op = act == Activation::kRelu      ? OpKind::kRelu
              : act == Activation::kSigmoid ? OpKind::kSigmoid
              : act == Activation::kTanh    ? OpKind::kTanh
                                            : OpKind::kGelu;
  EXPECT_TRUE(TensorNear(fused, RunOne(op, NoAttrs{}, {plain})));
}

INSTANTIATE_TEST_SUITE_P(AllActivations, FusedActivationTest,
                         ::testing::Values(Activation::kRelu,
                                           Activation::kSigmoid,
                                           Activation::kTanh,
                                           Activation::kGelu),
                         [](const ::testing::TestParamInfo<Activation>& info) {
                           return std::string(ActivationName(info.param));
                         });

// --- im2col + GEMM against a naive convolution -------------------------------

struct ConvCase {
  int64_t n, c, h, w, o, kh, kw;
  std::vector<int64_t> stride, pad, dilation;
  int64_t groups;
};

void PrintTo(const ConvCase& p, std::ostream* os) {
  *os << "x[" << p.n << "," << p.c << "," << p.h << "," << p.w << "] w["
      << p.o << "," << p.c / p.groups << "," << p.kh << "," << p.kw
      << "] stride " << DimsToString(p.stride) << " pad "
      << DimsToString(p.pad) << " dilation " << DimsToString(p.dilation)
      << " groups " << p.groups;
}

Tensor NaiveConv(const Tensor& x, const Tensor& w, const ConvCase& p,
                 const Shape& out_shape) {
  Tensor out = Tensor::Zeros(out_shape);
  const int64_t oh_size = out_shape.dim(2), ow_size = out_shape.dim(3);
  const int64_t cg = p.c / p.groups, og = p.o / p.groups;
  for (int64_t n = 0; n < p.n; ++n)
    for (int64_t o = 0; o < p.o; ++o)
      for (int64_t oh = 0; oh < oh_size; ++oh)
        for (int64_t ow = 0; ow < ow_size; ++ow) {
          double sum = 0;
          const int64_t g = o / og;
          for (int64_t ci = 0; ci < cg; ++ci)
            for (int64_t i = 0; i < p.kh; ++i)
              for (int64_t j = 0; j < p.kw; ++j) {
                int64_t ih = oh * p.stride[0] - p.pad[0] + i * p.dilation[0];
                int64_t iw = ow * p.stride[1] - p.pad[1] + j * p.dilation[1];
                if (ih < 0 || ih >= p.h || iw < 0 || iw >= p.w) continue;
                int64_t c = g * cg + ci;
                sum += x.data[((n * p.c + c) * p.h + ih) * p.w + iw] *
                       w.data[((o * cg + ci) * p.kh + i) * p.kw + j];
              }
          out.data[((n * p.o + o) * oh_size + oh) * ow_size + ow] =
              static_cast<float>(sum);
        }
  return out;
}

class ConvVsNaiveTest : public ::testing::TestWithParam<ConvCase> {};

TEST_P(ConvVsNaiveTest, Matches) {
  const ConvCase& p = GetParam();
  Tensor x = Tensor::Random(Shape({p.n, p.c, p.h, p.w}), 11);
  Tensor w = Tensor::Random(Shape({p.o, p.c / p.groups, p.kh, p.kw}), 12);
  Tensor got = RunOne(OpKind::kConv2D,
                      Conv(p.stride, p.pad, p.dilation, p.groups), {x, w});
  ASSERT_EQ(got.shape.rank(), 4);
  EXPECT_TRUE(TensorNear(got, NaiveConv(x, w, p, got.shape), 1e-4f, 1e-4f));
}

INSTANTIATE_TEST_SUITE_P(
    RandomShapes, ConvVsNaiveTest,
    ::testing::Values(
        ConvCase{1, 3, 7, 7, 4, 3, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, 1},
        ConvCase{2, 4, 9, 8, 6, 3, 2, {2, 1}, {0, 1, 2, 0}, {1, 1}, 2},
        ConvCase{1, 6, 10, 10, 6, 3, 3, {1, 2}, {2, 2, 2, 2}, {2, 2}, 6},
        ConvCase{3, 2, 5, 6, 5, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}, 1},
        ConvCase{1, 2, 6, 6, 4, 1, 1, {2, 2}, {1, 0, 0, 1}, {1, 1}, 2},
        ConvCase{2, 8, 12, 11, 16, 5, 5, {2, 2}, {2, 2, 2, 2}, {1, 1}, 4},
        ConvCase{1, 3, 13, 13, 2, 7, 7, {3, 3}, {3, 3, 3, 3}, {1, 1}, 1},
        ConvCase{1, 4, 8, 8, 4, 3, 3, {1, 1}, {0, 0, 0, 0}, {3, 1}, 1}));

}  // namespace
}  // namespace tsopt

// Whole graphs: a residual block against its op-by-op composition, leaf
// feeding order (inputs, symbolic weights, weights with data), multi-output
// nodes, repeated outputs, and dead branches.
#include "gtest/gtest.h"
#include "tests/reference/reference_test_util.h"
#include "tsopt/reference/evaluator.h"

namespace tsopt {
namespace {

using testing_util::MustAdd;
using testing_util::MustInput;
using testing_util::MustWeight;
using testing_util::RunOne;
using testing_util::T;
using testing_util::TensorNear;

TEST(GraphEvalTest, ResidualBlockMatchesOpByOp) {
  const Tensor x = Tensor::Random(Shape({2, 4, 6, 6}), 1);
  const Tensor w1 = Tensor::Random(Shape({4, 4, 3, 3}), 2);
  const Tensor w2 = Tensor::Random(Shape({4, 4, 3, 3}), 3);
  Graph g;
  ValueId in = MustInput(g, "x", {2, 4, 6, 6});
  ValueId k1 = MustWeight(g, {4, 4, 3, 3}, w1.data);
  ValueId k2 = MustWeight(g, {4, 4, 3, 3}, w2.data);
  Conv2DAttrs conv;
  conv.pad = {1, 1, 1, 1};
  Conv2DAttrs conv_relu = conv;
  conv_relu.activation = Activation::kRelu;
  ValueId h = MustAdd(g, OpKind::kConv2D, conv_relu, {in, k1});
  ValueId y = MustAdd(g, OpKind::kConv2D, conv, {h, k2});
  ValueId sum = MustAdd(g, OpKind::kAdd, NoAttrs{}, {y, in});
  ASSERT_TRUE(g.MarkOutput(MustAdd(g, OpKind::kRelu, NoAttrs{}, {sum})).ok());
  absl::StatusOr<std::vector<Tensor>> out = Evaluate(g, {x});
  ASSERT_TRUE(out.ok()) << out.status();

  Tensor step = RunOne(OpKind::kConv2D, conv_relu, {x, w1});
  step = RunOne(OpKind::kConv2D, conv, {step, w2});
  step = RunOne(OpKind::kAdd, NoAttrs{}, {step, x});
  step = RunOne(OpKind::kRelu, NoAttrs{}, {step});
  EXPECT_TRUE(TensorNear((*out)[0], step, 0, 0));
}

TEST(GraphEvalTest, SymbolicWeightsAreFedInIdOrderSkippingDataWeights) {
  // out = (x * w0 - w1) + c, with c a weight that carries data.
  Graph g;
  ValueId x = MustInput(g, "x", {2});
  ValueId w0 = MustWeight(g, {2});
  ValueId c = MustWeight(g, {2}, {100, 200});
  ValueId w1 = MustWeight(g, {2});
  ValueId prod = MustAdd(g, OpKind::kMul, NoAttrs{}, {x, w0});
  ValueId diff = MustAdd(g, OpKind::kSub, NoAttrs{}, {prod, w1});
  ASSERT_TRUE(g.MarkOutput(MustAdd(g, OpKind::kAdd, NoAttrs{}, {diff, c})).ok());
  absl::StatusOr<std::vector<Tensor>> out =
      Evaluate(g, {T({2}, {1, 2})}, {T({2}, {3, 4}), T({2}, {5, 6})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(TensorNear((*out)[0], T({2}, {98, 202})));
}

TEST(GraphEvalTest, InputsAreFedInIdOrder) {
  Graph g;
  ValueId a = MustInput(g, "a", {1});
  ValueId b = MustInput(g, "b", {1});
  ASSERT_TRUE(g.MarkOutput(MustAdd(g, OpKind::kSub, NoAttrs{}, {b, a})).ok());
  absl::StatusOr<std::vector<Tensor>> out =
      Evaluate(g, {T({1}, {1}), T({1}, {10})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(TensorNear((*out)[0], T({1}, {9})));
}

TEST(GraphEvalTest, MultiOutputNodeAndRepeatedOutputs) {
  Graph g;
  ValueId x = MustInput(g, "x", {4});
  SplitAttrs split;
  split.sizes = {1, 3};
  absl::StatusOr<std::vector<ValueId>> parts =
      g.AddNode(OpKind::kSplit, split, {x});
  ASSERT_TRUE(parts.ok()) << parts.status();
  ValueId neg = MustAdd(g, OpKind::kSub, NoAttrs{}, {(*parts)[1], (*parts)[0]});
  ASSERT_TRUE(g.MarkOutput((*parts)[1]).ok());
  ASSERT_TRUE(g.MarkOutput(neg).ok());
  ASSERT_TRUE(g.MarkOutput((*parts)[1]).ok());
  ASSERT_TRUE(g.MarkOutput(x).ok());
  absl::StatusOr<std::vector<Tensor>> out = Evaluate(g, {T({4}, {1, 2, 3, 4})});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 4u);
  EXPECT_TRUE(TensorNear((*out)[0], T({3}, {2, 3, 4})));
  EXPECT_TRUE(TensorNear((*out)[1], T({3}, {1, 2, 3})));
  EXPECT_TRUE(TensorNear((*out)[2], T({3}, {2, 3, 4})));
  EXPECT_TRUE(TensorNear((*out)[3], T({4}, {1, 2, 3, 4})));
}

TEST(GraphEvalTest, DeadBranchIsNotEvaluated) {
  // The softmax feeds no output, so modular evaluation need not refuse it.
  Graph g;
  ValueId x = MustInput(g, "x", {3});
  MustAdd(g, OpKind::kSoftmax, SoftmaxAttrs{}, {x});
  ASSERT_TRUE(g.MarkOutput(MustAdd(g, OpKind::kRelu, NoAttrs{}, {x})).ok());
  absl::StatusOr<std::vector<ModTensor>> out =
      EvaluateModular(g, {ModTensor{Shape({3}), {1, 2, 3}}});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ((*out)[0].data, (std::vector<int64_t>{2, 6, 12}));
}

TEST(GraphEvalTest, IntegerWeightDataWorksInModularMode) {
  Graph g;
  ValueId x = MustInput(g, "x", {2});
  ValueId w = MustWeight(g, {2}, {-1, 3});
  ASSERT_TRUE(g.MarkOutput(MustAdd(g, OpKind::kMul, NoAttrs{}, {x, w})).ok());
  absl::StatusOr<std::vector<ModTensor>> out =
      EvaluateModular(g, {ModTensor{Shape({2}), {5, 7}}});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ((*out)[0].data, (std::vector<int64_t>{kModPrime - 5, 21}));
}

TEST(GraphEvalTest, MlpWithSoftmax) {
  // softmax(relu(x W1) W2) rows sum to one and keep their order.
  Graph g;
  ValueId x = MustInput(g, "x", {4, 8});
  ValueId w1 = MustWeight(g, {8, 16});
  ValueId w2 = MustWeight(g, {16, 5});
  MatMulAttrs relu;
  relu.activation = Activation::kRelu;
  ValueId h = MustAdd(g, OpKind::kMatMul, relu, {x, w1});
  ValueId logits = MustAdd(g, OpKind::kMatMul, MatMulAttrs{}, {h, w2});
  ASSERT_TRUE(g.MarkOutput(logits).ok());
  ASSERT_TRUE(
      g.MarkOutput(MustAdd(g, OpKind::kSoftmax, SoftmaxAttrs{}, {logits})).ok());
  absl::StatusOr<std::vector<Tensor>> out =
      Evaluate(g, {Tensor::Random(Shape({4, 8}), 1)},
               {Tensor::Random(Shape({8, 16}), 2),
                Tensor::Random(Shape({16, 5}), 3)});
  ASSERT_TRUE(out.ok()) << out.status();
  const Tensor& l = (*out)[0];
  const Tensor& p = (*out)[1];
  for (int r = 0; r < 4; ++r) {
    float sum = 0;
    for (int c = 0; c < 5; ++c) {
      sum += p.data[r * 5 + c];
      for (int d = 0; d < 5; ++d) {
        if (l.data[r * 5 + c] < l.data[r * 5 + d]) {
          EXPECT_LT(p.data[r * 5 + c], p.data[r * 5 + d]);
        }
      }
    }
    EXPECT_NEAR(sum, 1.0f, 1e-6f);
  }
}

}  // namespace
}  // namespace tsopt

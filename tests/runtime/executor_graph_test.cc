// Executor vs reference on whole graphs, plus the executor's planning
// (weights prepared once, layouts propagated, buffers reused).
#include "gtest/gtest.h"
#include "tests/runtime/executor_test_util.h"
#include "tsopt/models/models.h"
#include "tsopt/reference/evaluator.h"
#include "tsopt/util/status_macros.h"

namespace tsopt {
namespace {

void ExpectMatchesReference(const absl::StatusOr<Graph>& g) {
  ASSERT_TRUE(g.ok()) << g.status();
  absl::StatusOr<OutputDiff> diff = testing::ExecutorVsReference(*g, 3);
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_TRUE(diff->within_tolerance)
      << "max abs " << diff->max_abs << ", max rel " << diff->max_rel;
}

using testing::ConvStack;

// Small inputs keep the reference evaluator fast.
ModelOptions Small(int64_t image_size, int64_t seq_len = 0, int64_t batch = 1) {
  ModelOptions o;
  o.batch = batch;
  o.image_size = image_size;
  o.seq_len = seq_len;
  return o;
}

TEST(ExecutorGraphTest, ResNetBasicBlock) {
  ExpectMatchesReference(BuildModel("resnet_block", Small(14)));
}

TEST(ExecutorGraphTest, ResNetBasicBlockBatch2) {
  ExpectMatchesReference(BuildModel("resnet_block", Small(8, 0, 2)));
}

TEST(ExecutorGraphTest, ResNeXtBlockWithGroupedConv) {
  ExpectMatchesReference(BuildModel("resnext_block", Small(7)));
}

TEST(ExecutorGraphTest, InceptionBlockWithConcatAndPools) {
  ExpectMatchesReference(BuildModel("inception_block", Small(9)));
}

TEST(ExecutorGraphTest, NasNetCell) {
  ExpectMatchesReference(BuildModel("nasnet_cell", Small(8)));
}

TEST(ExecutorGraphTest, BertLayer) {
  ExpectMatchesReference(BuildModel("bert_layer", Small(0, 8)));
}

TEST(ExecutorGraphTest, NasRnn) {
  ExpectMatchesReference(BuildModel("nasrnn", Small(0, 2)));
}

TEST(ExecutorGraphTest, ConvStack) {
  ExpectMatchesReference(ConvStack(3, 16, 12));
}

TEST(ExecutorGraphTest, RepeatedRunsGiveTheSameOutputs) {
  absl::StatusOr<Graph> g = BuildModel("resnet_block", Small(8));
  ASSERT_TRUE(g.ok());
  auto exec = Executor::Create(*g);
  ASSERT_TRUE(exec.ok()) << exec.status();
  std::vector<Tensor> in = testing::RandomInputs(*g, 5);
  auto first = (*exec)->Run(in);
  auto second = (*exec)->Run(in);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ((*first)[0].data, (*second)[0].data);
}

TEST(ExecutorGraphTest, BuffersAreReusedAlongAChain) {
  absl::StatusOr<Graph> g = ConvStack(6, 16, 8);
  ASSERT_TRUE(g.ok());
  auto exec = Executor::Create(*g);
  ASSERT_TRUE(exec.ok()) << exec.status();
  const ExecutorStats& s = (*exec)->stats();
  EXPECT_EQ(s.primitives, 6);
  EXPECT_EQ(s.reference_nodes, 0);
  EXPECT_GT(s.unshared_bytes, 0);
  // Six conv outputs of one size: at most three buffers live at a time
  // (the chain needs two, the final plain reorder a third).
  EXPECT_LE(s.buffer_bytes * 2, s.unshared_bytes);
  // Weights are prepared once: one reorder per conv weight at most.
  EXPECT_LE(s.weight_reorders, 6);
}

TEST(ExecutorGraphTest, OperatorsWithoutPrimitiveRunOnReference) {
  Graph g;
  ValueId x = *g.AddInput("x", {2, 6});
  ValueId p = *g.AddOp(OpKind::kPad, PadAttrs{{0, 1, 0, 1}, 0.0f}, {x});
  ValueId r = *g.AddOp(OpKind::kRelu, NoAttrs{}, {p});
  ASSERT_TRUE(g.MarkOutput(p).ok());
  ASSERT_TRUE(g.MarkOutput(r).ok());
  auto exec = Executor::Create(g);
  ASSERT_TRUE(exec.ok()) << exec.status();
  EXPECT_EQ((*exec)->stats().reference_nodes, 1);
  std::vector<Tensor> in = testing::RandomInputs(g, 1);
  auto got = (*exec)->Run(in);
  auto want = Evaluate(g, in);
  ASSERT_TRUE(got.ok() && want.ok());
  EXPECT_TRUE(CompareOutputs(*got, *want)->within_tolerance);
}

// Two conv outputs concatenated and convolved again: the concat takes them
// in the layout the convs left them in (no reorders between convs) and
// matches the reference, for channel counts that do and do not fill
// oneDNN's channel blocks.
TEST(ExecutorGraphTest, ConcatFollowsTheLayoutOfItsInputs) {
  for (int64_t channels : {16, 6}) {
    SCOPED_TRACE(channels);
    Graph g;
    ValueId x = *g.AddInput("x", {1, 8, 10, 10});
    Conv2DAttrs same;
    same.pad = {1, 1, 1, 1};
    ValueId a =
        *g.AddOp(OpKind::kConv2D, same,
                 {x, *testing::RandomWeight(g, {channels, 8, 3, 3}, 1)});
    ValueId b =
        *g.AddOp(OpKind::kConv2D, same,
                 {x, *testing::RandomWeight(g, {channels, 8, 3, 3}, 2)});
    ValueId c = *g.AddOp(OpKind::kConcat, ConcatAttrs{1}, {a, b});
    ValueId y =
        *g.AddOp(OpKind::kConv2D, same,
                 {c, *testing::RandomWeight(g, {8, 2 * channels, 3, 3}, 3)});
    ASSERT_TRUE(g.MarkOutput(y).ok());
    ExpectMatchesReference(g);
    auto exec = Executor::Create(g);
    ASSERT_TRUE(exec.ok()) << exec.status();
    // At most: x into the first convs' layout and y back to row-major.
    EXPECT_LE((*exec)->stats().reorders, 2);
  }
}

TEST(ExecutorGraphTest, TimeReportsAPositiveMedian) {
  absl::StatusOr<Graph> g = ConvStack(2, 8, 8);
  ASSERT_TRUE(g.ok());
  auto exec = Executor::Create(*g);
  ASSERT_TRUE(exec.ok());
  TimingOptions fast;
  fast.batches = 3;
  fast.min_batch_ms = 0.1;
  auto t = (*exec)->Time(testing::RandomInputs(*g, 1), fast);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_GT(t->ms, 0);
  EXPECT_EQ(t->ms, t->median_ms);
  EXPECT_LE(t->min_ms, t->median_ms);
  EXPECT_EQ(t->batch_ms.size(), 3u);
}

TEST(CompareOutputsTest, FlagsADifferenceBeyondTolerance) {
  Tensor a = Tensor::Random(Shape({4}), 1);
  Tensor b = a;
  EXPECT_TRUE(CompareOutputs({a}, {b})->within_tolerance);
  b.data[2] += 1e-2f;
  absl::StatusOr<OutputDiff> d = CompareOutputs({a}, {b});
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(d->within_tolerance);
  EXPECT_NEAR(d->max_abs, 1e-2, 1e-6);
  EXPECT_FALSE(CompareOutputs({a}, {}).ok());
}

}  // namespace
}  // namespace tsopt

// The cuDNN executor on whole graphs (ResNet basic blocks, a BERT encoder
// layer, a conv stack) against the reference evaluator, plus repeatability
// and input checking. Needs a GPU; skips without one.
#include "gtest/gtest.h"
#include "tests/cudnn/cudnn_test_util.h"
#include "tsopt/runtime/sample_graphs.h"

namespace tsopt {
namespace {

void ExpectMatches(const absl::StatusOr<Graph>& g) {
  ASSERT_TRUE(g.ok()) << g.status();
  absl::StatusOr<OutputDiff> diff = testing::GpuVsReference(*g, 5);
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_TRUE(diff->within_tolerance)
      << "max abs " << diff->max_abs << ", max rel " << diff->max_rel;
}

TEST(CudnnExecutorGraphTest, ResNetBasicBlock) {
  TSOPT_REQUIRE_GPU();
  ExpectMatches(ResNetBasicBlock({.channels = 16, .size = 14}));
}

TEST(CudnnExecutorGraphTest, ResNetBasicBlockDownsampleBatch2) {
  TSOPT_REQUIRE_GPU();
  ExpectMatches(ResNetBasicBlock(
      {.batch = 2, .channels = 16, .size = 14, .downsample = true}));
}

TEST(CudnnExecutorGraphTest, BertLayer) {
  TSOPT_REQUIRE_GPU();
  ExpectMatches(BertLayer({.seq = 16, .hidden = 64, .heads = 4, .ffn = 256}));
}

TEST(CudnnExecutorGraphTest, ConvStack) {
  TSOPT_REQUIRE_GPU();
  ExpectMatches(ConvStack({.depth = 4, .channels = 32, .size = 28}));
}

TEST(CudnnExecutorGraphTest, RunsRepeatablyAndTimes) {
  TSOPT_REQUIRE_GPU();
  absl::StatusOr<Graph> g = ResNetBasicBlock({.channels = 16, .size = 14});
  ASSERT_TRUE(g.ok()) << g.status();
  absl::StatusOr<std::unique_ptr<Executor>> exec = CreateCudnnExecutor(*g);
  ASSERT_TRUE(exec.ok()) << exec.status();
  std::vector<Tensor> inputs = {
      Tensor::Random(g->node(g->InputNodes()[0]).output_shapes[0], 3)};
  absl::StatusOr<std::vector<Tensor>> a = (*exec)->Run(inputs);
  absl::StatusOr<std::vector<Tensor>> b = (*exec)->Run(inputs);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ((*a)[0].data, (*b)[0].data);  // same algorithms, same buffers
  TimingOptions t;
  t.batches = 3;
  t.min_batch_ms = 0.5;
  absl::StatusOr<Timing> timing = (*exec)->Time(inputs, t);
  ASSERT_TRUE(timing.ok()) << timing.status();
  EXPECT_GT(timing->median_ms, 0.0);
  EXPECT_EQ(timing->batch_ms.size(), 3u);
  EXPECT_GT((*exec)->stats().primitives, 0);
  EXPECT_GT((*exec)->stats().buffer_bytes, 0);
}

TEST(CudnnExecutorGraphTest, RejectsWrongInputs) {
  TSOPT_REQUIRE_GPU();
  absl::StatusOr<Graph> g = ResNetBasicBlock({.channels = 16, .size = 14});
  ASSERT_TRUE(g.ok()) << g.status();
  absl::StatusOr<std::unique_ptr<Executor>> exec = CreateCudnnExecutor(*g);
  ASSERT_TRUE(exec.ok()) << exec.status();
  EXPECT_EQ((*exec)->Run({}).status().code(),
            absl::StatusCode::kInvalidArgument);
  std::vector<Tensor> wrong = {Tensor::Zeros(Shape({1, 16, 14, 13}))};
  absl::StatusOr<std::vector<Tensor>> r = (*exec)->Run(wrong);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("[1,16,14,14]"), std::string::npos)
      << r.status();
}

TEST(CudnnExecutorGraphTest, SymbolicWeightIsAnErrorNamingTheNode) {
  TSOPT_REQUIRE_GPU();
  Graph g;
  absl::StatusOr<ValueId> x = g.AddInput("x", {2, 3});
  absl::StatusOr<ValueId> w = g.AddWeight({3, 4}, nullptr, "w");
  ASSERT_TRUE(x.ok() && w.ok());
  absl::StatusOr<ValueId> y = g.AddOp(OpKind::kMatMul, MatMulAttrs{}, {*x, *w});
  ASSERT_TRUE(y.ok());
  ASSERT_TRUE(g.MarkOutput(*y).ok());
  absl::StatusOr<std::unique_ptr<Executor>> exec = CreateCudnnExecutor(g);
  EXPECT_EQ(exec.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(exec.status().message().find("'w'"), std::string::npos)
      << exec.status();
}

}  // namespace
}  // namespace tsopt

// The cuDNN executor on whole graphs of the model zoo (ResNet, ResNeXt,
// Inception and NasNet-A blocks, a BERT encoder layer, NasRNN) against the
// reference evaluator, plus repeatability and input checking. Needs a GPU;
// skips without one.
#include "gtest/gtest.h"
#include "tests/cudnn/cudnn_test_util.h"
#include "tsopt/models/models.h"

namespace tsopt {
namespace {

// Small inputs keep the reference evaluator fast.
ModelOptions Small(int64_t image_size, int64_t seq_len = 0,
                   int64_t batch = 1) {
  ModelOptions o;
  o.batch = batch;
  o.image_size = image_size;
  o.seq_len = seq_len;
  return o;
}

void ExpectMatches(const absl::StatusOr<Graph>& g) {
  ASSERT_TRUE(g.ok()) << g.status();
  absl::StatusOr<OutputDiff> diff = testing::GpuVsReference(*g, 5);
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_TRUE(diff->within_tolerance)
      << "max abs " << diff->max_abs << ", max rel " << diff->max_rel;
}

TEST(CudnnExecutorGraphTest, ResNetBasicBlock) {
  TSOPT_REQUIRE_GPU();
  ExpectMatches(BuildModel("resnet_block", Small(14)));
}

TEST(CudnnExecutorGraphTest, ResNetBasicBlockBatch2) {
  TSOPT_REQUIRE_GPU();
  ExpectMatches(BuildModel("resnet_block", Small(8, 0, 2)));
}

TEST(CudnnExecutorGraphTest, ResNeXtBlockWithGroupedConv) {
  TSOPT_REQUIRE_GPU();
  ExpectMatches(BuildModel("resnext_block", Small(7)));
}

TEST(CudnnExecutorGraphTest, InceptionBlock) {
  TSOPT_REQUIRE_GPU();
  ExpectMatches(BuildModel("inception_block", Small(9)));
}

TEST(CudnnExecutorGraphTest, NasNetCell) {
  TSOPT_REQUIRE_GPU();
  ExpectMatches(BuildModel("nasnet_cell", Small(8)));
}

TEST(CudnnExecutorGraphTest, BertLayer) {
  TSOPT_REQUIRE_GPU();
  ExpectMatches(BuildModel("bert_layer", Small(0, 8)));
}

TEST(CudnnExecutorGraphTest, NasRnn) {
  TSOPT_REQUIRE_GPU();
  ExpectMatches(BuildModel("nasrnn", Small(0, 2)));
}

TEST(CudnnExecutorGraphTest, RunsRepeatablyAndTimes) {
  TSOPT_REQUIRE_GPU();
  absl::StatusOr<Graph> g = BuildModel("resnet_block", Small(8));
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
  absl::StatusOr<Graph> g = BuildModel("resnet_block", Small(8));
  ASSERT_TRUE(g.ok()) << g.status();
  absl::StatusOr<std::unique_ptr<Executor>> exec = CreateCudnnExecutor(*g);
  ASSERT_TRUE(exec.ok()) << exec.status();
  EXPECT_EQ((*exec)->Run({}).status().code(),
            absl::StatusCode::kInvalidArgument);
  const Shape& want = g->node(g->InputNodes()[0]).output_shapes[0];
  std::vector<int64_t> dims = want.dims();
  dims.back() += 1;
  std::vector<Tensor> wrong = {Tensor::Zeros(Shape(dims))};
  absl::StatusOr<std::vector<Tensor>> r = (*exec)->Run(wrong);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find(want.ToString()), std::string::npos)
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

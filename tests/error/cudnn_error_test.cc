// Must-fail inputs of the cuDNN backend that need no GPU: without a usable
// device (or without the backend) every entry point returns a clear status,
// never a crash.
#include <cmath>
#include <string>

#include "gtest/gtest.h"
#include "tsopt/cost/cudnn_cost_model.h"
#include "tsopt/runtime/cudnn_executor.h"
#include "tsopt/models/models.h"

namespace tsopt {
namespace {

bool GpuPresent() { return QueryCudnnDevice(0).ok(); }

void ExpectNoBackend(const absl::Status& s) {
  if (CudnnBuilt()) {
    EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
    EXPECT_EQ(s.message().rfind("no CUDA device: ", 0), 0u) << s;
  } else {
    EXPECT_EQ(s.code(), absl::StatusCode::kUnimplemented) << s;
    EXPECT_NE(s.message().find("built without cuDNN"), std::string::npos)
        << s;
  }
}

TEST(CudnnErrorTest, QueryWithoutGpu) {
  if (GpuPresent()) GTEST_SKIP() << "a GPU is present";
  ExpectNoBackend(QueryCudnnDevice(0).status());
}

TEST(CudnnErrorTest, CostModelWithoutGpu) {
  if (GpuPresent()) GTEST_SKIP() << "a GPU is present";
  ExpectNoBackend(CudnnCostModel::Create({}).status());
}

TEST(CudnnErrorTest, ExecutorWithoutGpu) {
  if (GpuPresent()) GTEST_SKIP() << "a GPU is present";
  absl::StatusOr<Graph> g = BuildModel("resnet_block");
  ASSERT_TRUE(g.ok());
  ExpectNoBackend(CreateCudnnExecutor(*g).status());
}

// A device index that does not exist fails the same way with or without a
// GPU present.
TEST(CudnnErrorTest, MissingDeviceIndex) {
  ExpectNoBackend(QueryCudnnDevice(1000).status());
  CudnnCostOptions o;
  o.device = -1;
  ExpectNoBackend(CudnnCostModel::Create(o).status());
}

TEST(CudnnErrorTest, CompareOutputsRejectsMismatches) {
  std::vector<Tensor> one = {Tensor::Zeros(Shape({2}))};
  std::vector<Tensor> other = {Tensor::Zeros(Shape({3}))};
  EXPECT_EQ(CompareCudnnOutputs(one, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CompareCudnnOutputs(one, other).status().code(),
            absl::StatusCode::kInvalidArgument);
  std::vector<Tensor> nan = {Tensor::Zeros(Shape({2}))};
  nan[0].data[1] = std::nanf("");
  absl::StatusOr<OutputDiff> d = CompareCudnnOutputs(nan, one);
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(d->within_tolerance);
}

}  // namespace
}  // namespace tsopt

// `tsopt cost --cost cudnn` and `tsopt run --backend cudnn`: exit code 2
// with the reason when no GPU is usable, 0 on a GPU; unknown choices name
// cudnn among the valid ones.
#include <cstdio>
#include <string>

#include "gtest/gtest.h"
#include "tests/common/run_cli.h"
#include "tests/cudnn/cudnn_test_util.h"

namespace tsopt {
namespace {

using testing::GpuAvailable;
using testing::CliResult;
using testing::RunCli;

// What a failing cuDNN entry point says in this build.
std::string NoBackendReason() {
  return CudnnBuilt() ? "no CUDA device" : "built without cuDNN";
}

TEST(CudnnCliTest, CostWithoutGpuExitsTwoWithTheReason) {
  if (GpuAvailable()) GTEST_SKIP() << "a GPU is present";
  CliResult r = RunCli("cost --model resnet_block --cost cudnn --no-cache");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("tsopt cost: " + NoBackendReason()), std::string::npos)
      << r.err;
}

TEST(CudnnCliTest, RunWithoutGpuExitsTwoWithTheReason) {
  if (GpuAvailable()) GTEST_SKIP() << "a GPU is present";
  CliResult r = RunCli("run --model resnet_block --backend cudnn --check");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("tsopt run: " + NoBackendReason()), std::string::npos)
      << r.err;
}

TEST(CudnnCliTest, UnknownChoicesListCudnn) {
  CliResult run = RunCli("run --model resnet_block --backend tpu");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("onednn, cudnn or reference"), std::string::npos)
      << run.err;
  CliResult cost = RunCli("cost --model resnet_block --cost tpu --no-cache");
  EXPECT_EQ(cost.exit_code, 2);
  EXPECT_NE(cost.err.find("onednn, cudnn or analytic"), std::string::npos)
      << cost.err;
}

TEST(CudnnCliTest, CpuClockIsRefusedForTheGpu) {
  CliResult r = RunCli("run --model resnet_block --backend cudnn --clock cpu");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--clock cpu does not apply"), std::string::npos)
      << r.err;
}

TEST(CudnnCliTest, RunOnGpuMatchesReference) {
  TSOPT_REQUIRE_GPU();
  CliResult r =
      RunCli("run --model resnet_block --backend cudnn --check --repeat 2");
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(CudnnCliTest, CostOnGpuUsesTheCache) {
  TSOPT_REQUIRE_GPU();
  const std::string cache = ::testing::TempDir() + "/cudnn_cli_costs.txt";
  std::remove(cache.c_str());
  const std::string cmd =
      "cost --model resnet_block --cost cudnn --batches 2 --min-batch-ms 0.2 "
      "--cache " + cache;
  ASSERT_EQ(RunCli(cmd).exit_code, 0);
  CliResult second = RunCli(cmd);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  // The second run reads the first run's entries (cost.cc reports them).
  EXPECT_EQ(second.err.find("(0 entries)"), std::string::npos) << second.err;
}

}  // namespace
}  // namespace tsopt

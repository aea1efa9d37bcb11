// `tsopt cost --cost cudnn` and `tsopt run --backend cudnn`: exit code 2
// with the reason when no GPU is usable, 0 on a GPU; unknown choices name
// cudnn among the valid ones.
#include <cstdio>
#include <string>

#include "gtest/gtest.h"
#include "tests/cudnn/cudnn_test_util.h"

namespace tsopt {
namespace {

using testing::GpuAvailable;
using testing::RunShell;

const char kCli[] = TSOPT_CLI_PATH;

// What a failing cuDNN entry point says in this build.
std::string NoBackendReason() {
  return CudnnBuilt() ? "no CUDA device" : "built without cuDNN";
}

TEST(CudnnCliTest, CostWithoutGpuExitsTwoWithTheReason) {
  if (GpuAvailable()) GTEST_SKIP() << "a GPU is present";
  std::string err;
  EXPECT_EQ(RunShell(std::string(kCli) +
                         " cost --model resnet_block --cost cudnn --no-cache",
                     &err),
            2);
  EXPECT_NE(err.find("tsopt cost: " + NoBackendReason()), std::string::npos)
      << err;
}

TEST(CudnnCliTest, RunWithoutGpuExitsTwoWithTheReason) {
  if (GpuAvailable()) GTEST_SKIP() << "a GPU is present";
  std::string err;
  EXPECT_EQ(RunShell(std::string(kCli) +
                         " run --model resnet_block --backend cudnn --check",
                     &err),
            2);
  EXPECT_NE(err.find("tsopt run: " + NoBackendReason()), std::string::npos)
      << err;
}

TEST(CudnnCliTest, UnknownChoicesListCudnn) {
  std::string err;
  EXPECT_EQ(RunShell(std::string(kCli) +
                         " run --model resnet_block --backend tpu",
                     &err),
            2);
  EXPECT_NE(err.find("onednn, cudnn or reference"), std::string::npos) << err;
  EXPECT_EQ(RunShell(std::string(kCli) +
                         " cost --model resnet_block --cost tpu --no-cache",
                     &err),
            2);
  EXPECT_NE(err.find("onednn, cudnn or analytic"), std::string::npos) << err;
}

TEST(CudnnCliTest, CpuClockIsRefusedForTheGpu) {
  std::string err;
  EXPECT_EQ(RunShell(std::string(kCli) +
                         " run --model resnet_block --backend cudnn "
                         "--clock cpu",
                     &err),
            2);
  EXPECT_NE(err.find("--clock cpu does not apply"), std::string::npos) << err;
}

TEST(CudnnCliTest, RunOnGpuMatchesReference) {
  TSOPT_REQUIRE_GPU();
  std::string err;
  EXPECT_EQ(RunShell(std::string(kCli) +
                         " run --model resnet_block --backend cudnn --check "
                         "--repeat 2",
                     &err),
            0)
      << err;
}

TEST(CudnnCliTest, CostOnGpuUsesTheCache) {
  TSOPT_REQUIRE_GPU();
  const std::string cache = ::testing::TempDir() + "/cudnn_cli_costs.txt";
  std::remove(cache.c_str());
  const std::string cmd = std::string(kCli) +
                          " cost --model resnet_block --cost cudnn "
                          "--batches 2 --min-batch-ms 0.2 --cache " + cache;
  std::string err;
  ASSERT_EQ(RunShell(cmd, &err), 0) << err;
  ASSERT_EQ(RunShell(cmd, &err), 0) << err;
  // The second run reads the first run's entries (cost.cc reports them).
  EXPECT_EQ(err.find("(0 entries)"), std::string::npos) << err;
}

}  // namespace
}  // namespace tsopt

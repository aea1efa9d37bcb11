// Bad input to the tsopt command line: every case exits with code 2 and a
// message that says what is wrong (never a crash, a hang or exit 0).
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/common/run_cli.h"
#include "tsopt/models/models.h"
#include "tsopt/onnx/onnx.h"

namespace tsopt::testing {
namespace {

using ::testing::HasSubstr;

// Writes `bytes` to a fresh file named STEM_XXXXXX + suffix.
std::string WriteFile(const std::string& stem, const std::string& bytes,
                      const std::string& suffix = "") {
  const std::string path = FreshTempFile(stem) + suffix;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

// `args` must fail with exit code 2 and stderr containing `message`.
void ExpectUsageError(const std::string& args, const std::string& message) {
  CliResult r = RunCli(args);
  EXPECT_EQ(r.exit_code, 2) << "tsopt " << args << "\n" << r.err;
  EXPECT_THAT(r.err, HasSubstr(message)) << "tsopt " << args;
}

std::string ValidOnnxBytes() {
  absl::StatusOr<Graph> g = BuildModel("resnet_block");
  EXPECT_TRUE(g.ok());
  absl::StatusOr<std::string> bytes = ExportOnnx(*g, 13);
  EXPECT_TRUE(bytes.ok());
  return *bytes;
}

TEST(CliErrorTest, UnknownCommandAndFlag) {
  ExpectUsageError("frobnicate", "unknown command 'frobnicate'");
  ExpectUsageError("optimize --bogus", "unknown flag --bogus");
  ExpectUsageError("generate --out /dev/null --max-ops 9",
                   "usage: tsopt generate");
}

TEST(CliErrorTest, TruncatedOnnxFile) {
  const std::string bytes = ValidOnnxBytes();
  const std::string path =
      WriteFile("truncated", bytes.substr(0, bytes.size() / 3), ".onnx");
  ExpectUsageError("optimize " + path + " --cost analytic", "not a valid ONNX");
  ExpectUsageError("run --model " + path, "not a valid ONNX");
  ExpectUsageError("convert " + path + " -o /dev/null", "not a valid ONNX");
}

TEST(CliErrorTest, MissingModelFile) {
  ExpectUsageError("optimize /nonexistent/model.onnx --cost analytic",
                   "/nonexistent/model.onnx");
  ExpectUsageError("run --model /nonexistent/graph.tsg",
                   "neither a readable graph file nor a model");
}

TEST(CliErrorTest, GraphTextParseErrorNamesLineAndColumn) {
  const std::string path = WriteFile("bad_graph",
                                     "%x = input {shape=[1,2], name=\"x\"}\n"
                                     "%y = frob(%x)\n");
  ExpectUsageError("optimize " + path + " --cost analytic", ":2:");
  ExpectUsageError("print " + path, ":2:");
}

TEST(CliErrorTest, EmptyGraphFile) {
  const std::string path = WriteFile("empty_graph", "");
  ExpectUsageError("optimize " + path + " --cost analytic", "return");
}

TEST(CliErrorTest, CorruptRuleFile) {
  const std::string path = WriteFile("bad_rules", "(rule bad\n  (source (x");
  ExpectUsageError("optimize --rules " + path + " --cost analytic", path + ":");
  ExpectUsageError("merge-rules --out /dev/null " + path, path + ":");
  ExpectUsageError("verify " + path, path + ":");
}

TEST(CliErrorTest, OutOfRangeSearchOptions) {
  ExpectUsageError("optimize --cost analytic --budget 0", "budget must be");
  ExpectUsageError("optimize --cost analytic --alpha 0.5", "alpha must be");
  ExpectUsageError("optimize --cost analytic --time-limit -1", "time limit");
  ExpectUsageError("optimize --cost analytic --budget many", "--budget");
  ExpectUsageError("optimize --cost tpu", "--cost must be");
}

TEST(CliErrorTest, AbsurdSizes) {
  ExpectUsageError(
      "optimize --builtin resnet_block --batch 100000 "
      "--cost analytic",
      "out of range");
  const std::string bytes = ValidOnnxBytes();
  const std::string path = WriteFile("model", bytes, ".onnx");
  ExpectUsageError(
      "run --model " + path + " --input-shape x=100000,100000,100000,100000",
      "more than 8589934592 elements");
}

TEST(CliErrorTest, BadInputShapeFlag) {
  const std::string bytes = ValidOnnxBytes();
  const std::string path = WriteFile("model", bytes, ".onnx");
  ExpectUsageError("optimize " + path + " --input-shape x=1,a", "bad dim 'a'");
  ExpectUsageError("optimize " + path + " --batch 2", "--batch applies");
  ExpectUsageError("optimize " + path + " --input-shape nosuch=1,2",
                   "'nosuch', which is not a graph input");
}

TEST(CliErrorTest, BothAFileAndABuiltin) {
  ExpectUsageError("optimize a.onnx --builtin resnet_block", "not both");
  ExpectUsageError("optimize a.tsg b.tsg", "more than one model file");
}

TEST(CliErrorTest, UnwritableOutput) {
  ExpectUsageError(
      "optimize --builtin resnet_block --cost analytic "
      "--budget 2 --quiet -o /nonexistent/dir/out.onnx",
      "cannot write");
}

TEST(CliErrorTest, BadShardSpec) {
  ExpectUsageError("generate --max-ops 2 --shard 3/2 --out /dev/null",
                   "--shard");
}

}  // namespace
}  // namespace tsopt::testing

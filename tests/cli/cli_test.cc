// The tsopt command line end to end: help, `tsopt optimize` on an ONNX file
// with -o OUT.onnx, --check and --report, the default model, convert.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/common/run_cli.h"
#include "tsopt/models/models.h"
#include "tsopt/onnx/onnx.h"
#include "tsopt/reference/evaluator.h"

namespace tsopt::testing {
namespace {

using ::testing::HasSubstr;

// A zoo block written as an ONNX file (static shapes) for the CLI to read.
std::string WriteOnnxModel(const std::string& model) {
  absl::StatusOr<Graph> g = BuildModel(model);
  EXPECT_TRUE(g.ok()) << g.status();
  const std::string path = FreshTempFile(model) + ".onnx";
  absl::Status s = ExportOnnxFile(*g, 13, path);
  EXPECT_TRUE(s.ok()) << s;
  return path;
}

TEST(CliTest, HelpListsEveryCommand) {
  CliResult r = RunCli("help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* c : {"print", "run", "cost", "generate", "merge-rules",
                        "convert", "optimize", "verify"}) {
    EXPECT_THAT(r.out, HasSubstr(c));
  }
}

TEST(CliTest, CommandHelpShowsItsFlags) {
  CliResult r = RunCli("optimize --help");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("--budget"));
  EXPECT_THAT(r.out, HasSubstr("--input-shape"));
  CliResult g = RunCli("generate -h");
  EXPECT_EQ(g.exit_code, 0);
  EXPECT_THAT(g.out, HasSubstr("--shard K/M"));
}

TEST(CliTest, NoArgumentsIsAUsageError) {
  CliResult r = RunCli("");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("usage: tsopt <command>"));
}

TEST(CliTest, OptimizesAnOnnxFileIntoAnOnnxFile) {
  const std::string in = WriteOnnxModel("resnet_block");
  const std::string out = FreshTempFile("optimized") + ".onnx";
  const std::string report = FreshTempFile("report") + ".json";
  CliResult r = RunCli("optimize " + in +
                       " --cost analytic --budget 20 --quiet --check "
                       "-o " +
                       out + " --report " + report);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("fold-conv-batchnorm"));
  EXPECT_THAT(r.out, HasSubstr("as exported on oneDNN"));
  EXPECT_THAT(r.out, HasSubstr("(ONNX opset 13)"));

  // The written model re-imports and computes what the input computes.
  absl::StatusOr<ImportResult> original = ImportOnnxFile(in);
  absl::StatusOr<ImportResult> optimized = ImportOnnxFile(out);
  ASSERT_TRUE(original.ok()) << original.status();
  ASSERT_TRUE(optimized.ok()) << optimized.status();
  EXPECT_LT(optimized->graph.num_nodes(), original->graph.num_nodes());
  std::vector<Tensor> inputs;
  for (NodeId id : original->graph.InputNodes()) {
    inputs.push_back(
        Tensor::Random(original->graph.node(id).output_shapes[0], 7 + id));
  }
  absl::StatusOr<std::vector<Tensor>> want = Evaluate(original->graph, inputs);
  absl::StatusOr<std::vector<Tensor>> got = Evaluate(optimized->graph, inputs);
  ASSERT_TRUE(want.ok() && got.ok());
  ASSERT_EQ(want->size(), got->size());
  for (size_t o = 0; o < want->size(); ++o) {
    ASSERT_EQ((*want)[o].data.size(), (*got)[o].data.size());
    for (size_t k = 0; k < (*want)[o].data.size(); ++k) {
      EXPECT_NEAR((*want)[o].data[k], (*got)[o].data[k], 1e-4);
    }
  }

  // The report has every field the issue names.
  const std::string json = ReadWholeFile(report);
  for (const char* key :
       {"\"model\"", "\"cost_model\": \"analytic\"", "\"cost_before_ms\"",
        "\"cost_after_ms\"", "\"search_seconds\"", "\"graphs_expanded\"",
        "\"stop_reason\"", "\"nodes_before\"", "\"nodes_after\"",
        "\"rules_applied\": {\"fold-conv-batchnorm\"", "\"max_abs_error\""}) {
    EXPECT_THAT(json, HasSubstr(key));
  }
}

TEST(CliTest, OptimizeWithoutAModelRunsTheDefaultModel) {
  CliResult r = RunCli("optimize --cost analytic --budget 3 --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr(std::string("model:        ") +
                               std::string(kDefaultModel)));
}

TEST(CliTest, OptimizeWritesTheTextFormatForOtherNames) {
  const std::string out = FreshTempFile("optimized") + ".tsg";
  CliResult r = RunCli(
      "optimize --builtin resnet_block --cost analytic "
      "--budget 5 --quiet -o " +
      out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  CliResult printed = RunCli("print " + out);
  EXPECT_EQ(printed.exit_code, 0) << printed.err;
  EXPECT_THAT(printed.out, HasSubstr("conv2d"));
}

TEST(CliTest, RunAndCostReadOnnxFiles) {
  const std::string in = WriteOnnxModel("resnet_block");
  CliResult run = RunCli("run --model " + in + " --repeat 1 --check");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  CliResult cost = RunCli("cost --model " + in + " --cost analytic");
  EXPECT_EQ(cost.exit_code, 0) << cost.err;
  EXPECT_THAT(cost.out, HasSubstr("conv2d"));
}

}  // namespace
}  // namespace tsopt::testing

// `tsopt optimize MODEL.onnx -o OUT.onnx`: exports the optimized model with
// the original names; with an opaque operator the plain run works and
// --check says it cannot execute the operator (exit code 1, output still
// written). Needs no Python.
#include <cstdio>
#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "tests/common/run_cli.h"
#include "tests/onnx/onnx_model_builder.h"
#include "tsopt/onnx/onnx.h"

namespace tsopt::testing {
namespace {

std::string TempPath(const std::string& suffix) {
  std::string path = FreshTempFile("tsopt_optimize_cli");
  std::remove(path.c_str());
  return path + suffix;
}

std::string WriteModel(bool with_hardmax) {
  OnnxModelBuilder m(13);
  m.Input("image", {1, 4, 6, 6});
  std::vector<float> w(4 * 4 * 3 * 3);
  for (size_t k = 0; k < w.size(); ++k) w[k] = 0.01f * (k % 11) - 0.05f;
  m.Initializer("w", {4, 4, 3, 3}, w);
  m.Node("Conv", {"image", "w"}, {"c"}).Ints("pads", {1, 1, 1, 1});
  m.Node("Relu", {"c"}, {"r"});
  if (with_hardmax) {
    m.Node("Hardmax", {"r"}, {"probs"}).Int("axis", -1);
  } else {
    m.Node("Sigmoid", {"r"}, {"probs"});
  }
  m.Output("probs");
  std::string path = TempPath(".onnx");
  std::ofstream(path, std::ios::binary) << m.Bytes();
  return path;
}

constexpr char kFlags[] = " --cost analytic --budget 20 --quiet";

TEST(OptimizeOnnxCli, WritesTheOptimizedModelWithItsNames) {
  std::string in = WriteModel(true), out = TempPath(".onnx");
  CliResult r = RunCli("optimize " + in + " -o " + out + kFlags);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("node 'probs' (Hardmax): kept as opaque"),
            std::string::npos)
      << r.err;
  // The relu is fused into the conv: by the hand-written rule or by its
  // generated twin (equal cost; the seeded tie-break picks one).
  EXPECT_TRUE(r.out.find("fuse-conv-relu") != std::string::npos ||
              r.out.find("conv2d-relu-to-conv2d") != std::string::npos)
      << r.out;
  absl::StatusOr<ImportResult> back = ImportOnnxFile(out);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->output_names, (std::vector<std::string>{"probs"}));
  EXPECT_EQ(back->graph.node(back->graph.InputNodes()[0]).name, "image");
}

TEST(OptimizeOnnxCli, CheckSaysItCannotExecuteTheOpaqueOperator) {
  std::string in = WriteModel(true), out = TempPath(".onnx");
  CliResult r = RunCli("optimize " + in + " -o " + out + " --check" + kFlags);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot execute opaque operator 'Hardmax'"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(ImportOnnxFile(out).ok()) << "the output is written first";
}

TEST(OptimizeOnnxCli, CheckRunsWithoutOpaqueOperators) {
  std::string in = WriteModel(false), out = TempPath(".onnx");
  CliResult r = RunCli("optimize " + in + " -o " + out + " --check" + kFlags);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("check:        max abs error"), std::string::npos)
      << r.out;
}

TEST(OptimizeOnnxCli, BadModelExitsTwo) {
  std::string in = TempPath(".onnx");
  std::ofstream(in, std::ios::binary) << "not a model";
  CliResult r = RunCli("optimize " + in + kFlags);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not a valid ONNX model"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace tsopt::testing

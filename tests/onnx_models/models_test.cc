// Real exporter output: the models tests/onnx/data/export_models.py writes
// into the build tree (a ctest fixture: PyTorch's ResNet-18, MobileNetV2,
// SqueezeNet, Inception v3, a BERT encoder, and a conv net around Hardmax
// and TopK) import, optimize with the shipped rules, export (checker +
// strict shape inference) with their input and output names, and re-import
// (unchanged: to the same graph; optimized: to a fixpoint). The ONNX Runtime comparison is
// tests/onnx/data/check_onnxruntime.py (ctest onnx_models.onnxruntime).
// Without the Python environment the tests skip and print why.
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "tsopt/ir/hash.h"
#include "tsopt/onnx/onnx.h"
#include "tsopt/optimize.h"

namespace tsopt::testing {
namespace {

std::string SkipReason() {
  std::ifstream f(TSOPT_PYENV_UNAVAILABLE);
  std::stringstream s;
  s << f.rdbuf();
  return s.str().empty() ? "the export_models.py fixture did not write it"
                         : s.str();
}

class ExportedModel : public ::testing::TestWithParam<const char*> {};

TEST_P(ExportedModel, ImportsOptimizesExportsAndReimports) {
  std::string path =
      std::string(TSOPT_ONNX_MODELS_DIR) + "/" + GetParam() + ".onnx";
  if (!std::ifstream(path).good()) {
    GTEST_SKIP() << path << " is absent: " << SkipReason();
  }
  absl::StatusOr<ImportResult> first = ImportOnnxFile(path);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_GT(first->graph.num_nodes(), 8);
  OptimizeOptions options;
  options.cost_kind = CostModelKind::kAnalytic;
  options.search.budget = 10;
  absl::StatusOr<OptimizeResult> opt = Optimize(first->graph, options);
  ASSERT_TRUE(opt.ok()) << opt.status();
  EXPECT_LE(opt->report.cost_after_ms, opt->report.cost_before_ms);
  ExportOptions eo;
  eo.opset = first->opset;
  eo.output_names = first->output_names;
  eo.multi_output_names = first->multi_output_names;
  // Unchanged, the model re-imports to the same graph.
  absl::StatusOr<std::string> plain = ExportOnnx(first->graph, eo);
  ASSERT_TRUE(plain.ok()) << plain.status();
  absl::StatusOr<ImportResult> same = ImportOnnx(*plain);
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_TRUE(StructurallyEqual(first->graph, same->graph));
  // Optimized (fused activations come back unfused), a second export and
  // import is a fixpoint; names are kept throughout.
  absl::StatusOr<std::string> bytes = ExportOnnx(opt->graph, eo);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  absl::StatusOr<ImportResult> second = ImportOnnx(*bytes);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->output_names, first->output_names);
  eo.multi_output_names = second->multi_output_names;
  absl::StatusOr<std::string> again = ExportOnnx(second->graph, eo);
  ASSERT_TRUE(again.ok()) << again.status();
  absl::StatusOr<ImportResult> third = ImportOnnx(*again);
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_TRUE(StructurallyEqual(second->graph, third->graph));
}

INSTANTIATE_TEST_SUITE_P(PyTorch, ExportedModel,
                         ::testing::Values("resnet18", "mobilenet_v2",
                                           "squeezenet", "inception_v3",
                                           "bert_encoder", "opaque_ops"));

}  // namespace
}  // namespace tsopt::testing

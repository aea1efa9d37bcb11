// Real exporter output: the PyTorch models that tests/onnx/data/
// export_models.py writes (ResNet-18, MobileNetV2, SqueezeNet, Inception v3,
// a BERT encoder) import, export (checker + shape inference) and re-import
// to the same graph. Skipped when the generated files are absent (they need
// pip torch; nothing large is committed).
#include <fstream>

#include "gtest/gtest.h"
#include "tsopt/ir/hash.h"
#include "tsopt/onnx/onnx.h"

namespace tsopt::testing {
namespace {

class ExportedModel : public ::testing::TestWithParam<const char*> {};

TEST_P(ExportedModel, ImportsExportsAndReimports) {
  std::string path = std::string(TSOPT_SOURCE_DIR) +
                     "/tests/onnx/data/generated/" + GetParam() + ".onnx";
  if (!std::ifstream(path).good()) {
    GTEST_SKIP() << path << " is absent; run "
                 << "python3 tests/onnx/data/export_models.py";
  }
  absl::StatusOr<ImportResult> first = ImportOnnxFile(path);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_GT(first->graph.num_nodes(), 20);
  absl::StatusOr<std::string> bytes = ExportOnnx(first->graph, first->opset);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  absl::StatusOr<ImportResult> second = ImportOnnx(*bytes);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_TRUE(StructurallyEqual(first->graph, second->graph));
}

INSTANTIATE_TEST_SUITE_P(PyTorch, ExportedModel,
                         ::testing::Values("resnet18", "mobilenet_v2",
                                           "squeezenet", "inception_v3",
                                           "bert_encoder"));

}  // namespace
}  // namespace tsopt::testing

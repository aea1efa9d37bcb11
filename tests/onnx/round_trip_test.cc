// Export round trip on every runnable conformance case: import, export at the
// model's opset (ExportOnnx itself runs onnx::checker and strict ONNX shape
// inference), re-import, and require a structurally equal graph with the
// same input names.
#include "gtest/gtest.h"
#include "tests/onnx/conformance_util.h"
#include "tsopt/ir/hash.h"
#include "tsopt/onnx/onnx.h"

namespace tsopt::testing {
namespace {

class OnnxRoundTrip : public ::testing::TestWithParam<ConformanceCase> {};

TEST_P(OnnxRoundTrip, ReimportsToTheSameGraph) {
  absl::StatusOr<std::vector<LoadedDataSet>> sets = LoadCase(GetParam());
  ASSERT_TRUE(sets.ok()) << sets.status();
  absl::StatusOr<ImportResult> first = ImportOnnx((*sets)[0].model_bytes);
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<std::string> bytes = ExportOnnx(first->graph, first->opset);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  absl::StatusOr<ImportResult> second = ImportOnnx(*bytes);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->opset, first->opset);
  EXPECT_TRUE(StructurallyEqual(first->graph, second->graph));
  EXPECT_EQ(StructuralHash(first->graph), StructuralHash(second->graph));
  std::vector<NodeId> a = first->graph.InputNodes();
  std::vector<NodeId> b = second->graph.InputNodes();
  ASSERT_EQ(a.size(), b.size());
  for (size_t k = 0; k < a.size(); ++k) {
    EXPECT_EQ(first->graph.node(a[k]).name, second->graph.node(b[k]).name);
  }
}

std::vector<ConformanceCase> RunnableCases() {
  std::vector<ConformanceCase> cases;
  for (const ConformanceCase& c : FindSupportedCases()) {
    if (!IsSkipListed(c)) cases.push_back(c);
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(
    LibOnnxTestData, OnnxRoundTrip, ::testing::ValuesIn(RunnableCases()),
    [](const ::testing::TestParamInfo<ConformanceCase>& info) {
      return info.param.Id();
    });

}  // namespace
}  // namespace tsopt::testing

// ONNX operator conformance: every case of Debian's libonnx-testdata whose
// operators tsopt imports is imported and run on every executor of
// Executors(); each output must match the expected one within
// kRelTol * |expected| + kAbsTol (1e-4 relative, 1e-5 absolute floor).
// Cases that use a feature tsopt does not represent are listed in
// the skip list (conformance_skips_util.cc) with the reason; nothing is dropped silently.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>

#include "gtest/gtest.h"
#include "tests/onnx/conformance_util.h"
#include "tsopt/onnx/onnx.h"

namespace tsopt::testing {
namespace {

class OnnxConformance : public ::testing::TestWithParam<ConformanceCase> {};

TEST_P(OnnxConformance, MatchesExpectedOutputs) {
  const ConformanceCase& c = GetParam();
  auto skip = SkipList().find(c.Id());
  if (skip != SkipList().end()) GTEST_SKIP() << skip->second;
  absl::StatusOr<std::vector<LoadedDataSet>> sets = LoadCase(c);
  ASSERT_TRUE(sets.ok()) << sets.status();
  for (size_t s = 0; s < sets->size(); ++s) {
    const LoadedDataSet& set = (*sets)[s];
    absl::StatusOr<ImportResult> imported = ImportOnnx(set.model_bytes);
    ASSERT_TRUE(imported.ok()) << imported.status();
    for (const Executor& executor : Executors()) {
      SCOPED_TRACE(executor.name + ", data set " + std::to_string(s));
      absl::StatusOr<std::vector<Tensor>> outs =
          executor.run(imported->graph, set.inputs);
      ASSERT_TRUE(outs.ok()) << outs.status();
      ASSERT_EQ(outs->size(), set.expected.size());
      for (size_t o = 0; o < outs->size(); ++o) {
        EXPECT_EQ(CompareTensors((*outs)[o], set.expected[o]), "")
            << "output " << o;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    LibOnnxTestData, OnnxConformance, ::testing::ValuesIn(FindSupportedCases()),
    [](const ::testing::TestParamInfo<ConformanceCase>& info) {
      return info.param.Id();
    });

// The skip list must not hide cases that no longer exist (a renamed or
// vanished case would otherwise go unnoticed), and the data must be there.
TEST(OnnxConformanceData, SkipListNamesExistingSupportedCases) {
  std::set<std::string> ids;
  for (const ConformanceCase& c : FindSupportedCases()) ids.insert(c.Id());
  for (const auto& [id, why] : SkipList()) {
    EXPECT_TRUE(ids.count(id)) << id << " is skip-listed but not found";
  }
}

TEST(OnnxConformanceData, EverySupportedOperatorHasRunnableCases) {
  // Operator -> a case-name fragment of the cases that exercise it; each
  // must keep at least one case that is not skip-listed.
  const std::map<std::string, std::string> covered = {
      {"Add", "add"}, {"AveragePool", "averagepool"},
      {"BatchNormalization", "batchnorm"}, {"Concat", "concat"},
      {"Conv", "conv"}, {"Flatten", "flatten"}, {"Gemm", "gemm"},
      {"GlobalAveragePool", "globalaveragepool"},
      {"LayerNormalization", "layer_normalization"}, {"MatMul", "matmul"},
      {"MaxPool", "maxpool"}, {"Mul", "mul"}, {"Relu", "relu"},
      {"Reshape", "reshape"}, {"Sigmoid", "sigmoid"}, {"Softmax", "softmax"},
      {"Split", "split"}, {"Sub", "sub"}, {"Div", "div"}, {"Tanh", "tanh"},
      {"Transpose", "transpose"}, {"Exp", "exp"}, {"Sqrt", "sqrt"},
      {"Slice", "slice"}, {"Pad", "pad"}, {"ReduceMean", "reduce_mean"},
      {"ReduceSum", "reduce_sum"}, {"Identity", "identity"},
      {"Dropout", "dropout"}, {"Unsqueeze", "unsqueeze"},
      {"Squeeze", "squeeze"}, {"Gather", "gather"}, {"Shape", "shape"},
      {"Constant", "constant"}, {"Cast", "cast"}};
  std::map<std::string, int> runnable;
  for (const ConformanceCase& c : FindSupportedCases()) {
    if (SkipList().count(c.Id())) continue;
    std::string name = c.name;
    for (char& ch : name) ch = static_cast<char>(std::tolower(ch));
    for (const auto& [op, fragment] : covered) {
      if (name.find(fragment) != std::string::npos) ++runnable[op];
    }
  }
  for (const auto& [op, fragment] : covered) {
    EXPECT_GT(runnable[op], 0) << "no runnable conformance case for " << op;
  }
  EXPECT_GT(CountAllCases(), 900);
  EXPECT_GE(FindSupportedCases().size() - SkipList().size(), 230u);
}

}  // namespace
}  // namespace tsopt::testing

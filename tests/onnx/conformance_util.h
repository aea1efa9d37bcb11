// The ONNX operator conformance harness: finds the case directories of
// Debian's libonnx-testdata whose operators tsopt imports, loads a case's
// model and data sets, and lists the executors that must reproduce the
// expected outputs.
#ifndef TSOPT_TESTS_ONNX_CONFORMANCE_UTIL_H_
#define TSOPT_TESTS_ONNX_CONFORMANCE_UTIL_H_

#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "tsopt/ir/graph.h"
#include "tsopt/ir/tensor.h"

namespace tsopt::testing {

inline constexpr char kOnnxTestDataRoot[] = "/usr/share/libonnx-testdata/data";

struct ConformanceCase {
  std::string suite;  // "node", "pytorch-converted", "pytorch-operator"
  std::string name;   // "test_conv_with_strides_padding"
  std::string dir;    // full path
  // A gtest-safe id: "node_test_conv_with_strides_padding".
  std::string Id() const;
  friend void PrintTo(const ConformanceCase& c, std::ostream* os) {
    *os << c.Id();
  }
};

// Every case under <root>/<suite>/ whose nodes all have a supported,
// default-domain operator type and whose opset tsopt accepts. Sorted.
std::vector<ConformanceCase> FindSupportedCases();
// How many case dirs FindSupportedCases looked at (for the summary).
int CountAllCases();

// Case id -> why the case cannot pass (conformance_skips_util.cc). Every
// entry must name an existing supported case (checked by a test).
const std::map<std::string, std::string>& SkipList();
bool IsSkipListed(const ConformanceCase& c);

// One data set of a case, ready to run: the model with its non-float and
// rank-0 inputs bound as initializers (tsopt graphs compute on float32 and
// take Reshape's shape, Gather's indices, Clip's bounds or Pad's value as
// constants; binding an input to its data does not change the outputs), the
// other inputs in graph-input order, and the expected outputs.
struct LoadedDataSet {
  std::string model_bytes;
  std::vector<Tensor> inputs;
  std::vector<Tensor> expected;
};
absl::StatusOr<std::vector<LoadedDataSet>> LoadCase(const ConformanceCase& c);

// An executor under test: the reference evaluator and the oneDNN executor
// (include/tsopt/runtime/executor.h); a new backend (cuDNN) is one more row
// in Executors(), and every case then runs on it too.
struct Executor {
  std::string name;
  std::function<absl::StatusOr<std::vector<Tensor>>(
      const Graph&, absl::Span<const Tensor>)>
      run;
};
std::vector<Executor> Executors();

// |actual - expected| <= kRelTol * |expected| + kAbsTol elementwise.
inline constexpr double kRelTol = 1e-4;
inline constexpr double kAbsTol = 1e-5;
// Empty when equal within tolerance, else a description of the first miss.
std::string CompareTensors(const Tensor& actual, const Tensor& expected);

}  // namespace tsopt::testing

#endif  // TSOPT_TESTS_ONNX_CONFORMANCE_UTIL_H_

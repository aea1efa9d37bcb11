// Helpers for the reference evaluator tests: literal tensors, one-operator
// graphs, and tolerance matchers.
#ifndef TSOPT_TESTS_REFERENCE_REFERENCE_TEST_UTIL_H_
#define TSOPT_TESTS_REFERENCE_REFERENCE_TEST_UTIL_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "tsopt/ir/graph.h"
#include "tsopt/ir/tensor.h"

namespace tsopt {
namespace testing_util {

// A float tensor from literal dims and values (sizes must agree).
Tensor T(std::vector<int64_t> dims, std::vector<float> values);

// A graph with one Input per shape, then `op` over them; every output of
// the op is a graph output.
absl::StatusOr<Graph> SingleOpGraph(OpKind op, Attrs attrs,
                                    const std::vector<Shape>& input_shapes);

// Evaluates `op` on `inputs` (each fed through an Input node).
absl::StatusOr<std::vector<Tensor>> RunOp(OpKind op, Attrs attrs,
                                          const std::vector<Tensor>& inputs);
// Single-output convenience: the op's only output (fails the test on error).
Tensor RunOne(OpKind op, Attrs attrs, const std::vector<Tensor>& inputs);

// The same in modular mode.
absl::StatusOr<std::vector<ModTensor>> RunOpModular(
    OpKind op, Attrs attrs, const std::vector<ModTensor>& inputs);

// Graph building that records a test failure instead of returning a
// Status (for graphs the test knows to be valid).
ValueId MustInput(Graph& g, const std::string& name, std::vector<int64_t> dims);
ValueId MustWeight(Graph& g, std::vector<int64_t> dims,
                   std::vector<float> values = {});  // empty: symbolic
ValueId MustAdd(Graph& g, OpKind op, Attrs attrs, std::vector<ValueId> inputs);

// Same shape and |a - e| <= atol + rtol * |e| elementwise.
::testing::AssertionResult TensorNear(const Tensor& actual,
                                      const Tensor& expected,
                                      float atol = 1e-5f, float rtol = 1e-5f);

}  // namespace testing_util
}  // namespace tsopt

#endif  // TSOPT_TESTS_REFERENCE_REFERENCE_TEST_UTIL_H_

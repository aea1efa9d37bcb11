// Helpers for the reference evaluator tests.
#include "tests/reference/reference_test_util.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "tsopt/reference/evaluator.h"
#include "tsopt/util/status_macros.h"

namespace tsopt {
namespace testing_util {

Tensor T(std::vector<int64_t> dims, std::vector<float> values) {
  Shape shape(std::move(dims));
  EXPECT_EQ(shape.NumElements(), static_cast<int64_t>(values.size()))
      << "literal tensor " << shape.ToString();
  return Tensor{shape, std::move(values)};
}

absl::StatusOr<Graph> SingleOpGraph(OpKind op, Attrs attrs,
                                    const std::vector<Shape>& input_shapes) {
  Graph g;
  std::vector<ValueId> ins;
  for (size_t i = 0; i < input_shapes.size(); ++i) {
    TSOPT_ASSIGN_OR_RETURN(
        ValueId v, g.AddInput(absl::StrCat("x", i), input_shapes[i].dims()));
    ins.push_back(v);
  }
  TSOPT_ASSIGN_OR_RETURN(std::vector<ValueId> outs,
                         g.AddNode(op, std::move(attrs), ins));
  for (ValueId v : outs) TSOPT_RETURN_IF_ERROR(g.MarkOutput(v));
  return g;
}

absl::StatusOr<std::vector<Tensor>> RunOp(OpKind op, Attrs attrs,
                                          const std::vector<Tensor>& inputs) {
  std::vector<Shape> shapes;
  for (const Tensor& t : inputs) shapes.push_back(t.shape);
  TSOPT_ASSIGN_OR_RETURN(Graph g, SingleOpGraph(op, std::move(attrs), shapes));
  return Evaluate(g, inputs);
}

Tensor RunOne(OpKind op, Attrs attrs, const std::vector<Tensor>& inputs) {
  absl::StatusOr<std::vector<Tensor>> outs = RunOp(op, std::move(attrs), inputs);
  EXPECT_TRUE(outs.ok()) << outs.status();
  if (!outs.ok() || outs->size() != 1) return Tensor{};
  return (*outs)[0];
}

absl::StatusOr<std::vector<ModTensor>> RunOpModular(
    OpKind op, Attrs attrs, const std::vector<ModTensor>& inputs) {
  std::vector<Shape> shapes;
  for (const ModTensor& t : inputs) shapes.push_back(t.shape);
  TSOPT_ASSIGN_OR_RETURN(Graph g, SingleOpGraph(op, std::move(attrs), shapes));
  return EvaluateModular(g, inputs);
}

ValueId MustInput(Graph& g, const std::string& name,
                  std::vector<int64_t> dims) {
  absl::StatusOr<ValueId> v = g.AddInput(name, std::move(dims));
  EXPECT_TRUE(v.ok()) << v.status();
  return v.ok() ? *v : ValueId{};
}

ValueId MustWeight(Graph& g, std::vector<int64_t> dims,
                   std::vector<float> values) {
  absl::StatusOr<ValueId> v = g.AddWeight(
      std::move(dims),
      values.empty() ? nullptr : WeightData::Create(std::move(values)));
  EXPECT_TRUE(v.ok()) << v.status();
  return v.ok() ? *v : ValueId{};
}

ValueId MustAdd(Graph& g, OpKind op, Attrs attrs, std::vector<ValueId> inputs) {
  absl::StatusOr<ValueId> v = g.AddOp(op, std::move(attrs), std::move(inputs));
  EXPECT_TRUE(v.ok()) << v.status();
  return v.ok() ? *v : ValueId{};
}

::testing::AssertionResult TensorNear(const Tensor& actual,
                                      const Tensor& expected, float atol,
                                      float rtol) {
  if (actual.shape != expected.shape) {
    return ::testing::AssertionFailure()
           << "shape " << actual.shape.ToString() << " != expected "
           << expected.shape.ToString();
  }
  if (actual.data.size() != expected.data.size()) {
    return ::testing::AssertionFailure() << "data sizes differ";
  }
  for (size_t i = 0; i < actual.data.size(); ++i) {
    const float a = actual.data[i], e = expected.data[i];
    if (!(std::fabs(a - e) <= atol + rtol * std::fabs(e))) {
      return ::testing::AssertionFailure()
             << "element " << i << ": " << a << " != expected " << e;
    }
  }
  return ::testing::AssertionSuccess();
}

}  // namespace testing_util
}  // namespace tsopt

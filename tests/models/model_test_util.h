// Helpers for the model zoo tests: operator histograms and a run on the
// reference evaluator with random inputs.
#ifndef TSOPT_TESTS_MODELS_MODEL_TEST_UTIL_H_
#define TSOPT_TESTS_MODELS_MODEL_TEST_UTIL_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tsopt/ir/graph.h"
#include "tsopt/ir/tensor.h"

namespace tsopt::testing {

// Number of nodes per operator mnemonic, leaves (input, weight) included.
std::map<std::string, int> OpHistogram(const Graph& graph);

// Number of Conv2D nodes whose groups attribute equals `groups`.
int CountGroupedConvs(const Graph& graph, int64_t groups);

// Number of parameters as PyTorch counts them: the elements of every
// weight except BatchNorm's running mean and variance (buffers there).
int64_t TrainableParameters(const Graph& graph);

// Evaluates `graph` on uniform [-1, 1) inputs drawn from `seed`.
absl::StatusOr<std::vector<Tensor>> EvaluateOnRandomInputs(const Graph& graph,
                                                           uint64_t seed);

// True when every value is finite and not all values are equal (a net whose
// activations died or saturated would give a constant output).
bool FiniteAndVaried(const Tensor& t);

}  // namespace tsopt::testing

#endif  // TSOPT_TESTS_MODELS_MODEL_TEST_UTIL_H_

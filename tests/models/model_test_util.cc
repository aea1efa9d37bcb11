// Helpers for the model zoo tests; see model_test_util.h.
#include "tests/models/model_test_util.h"

#include <cmath>

#include "tsopt/reference/evaluator.h"

namespace tsopt::testing {

std::map<std::string, int> OpHistogram(const Graph& graph) {
  std::map<std::string, int> counts;
  for (const Node& n : graph.nodes()) ++counts[std::string(OpMnemonic(n.op))];
  return counts;
}

int CountGroupedConvs(const Graph& graph, int64_t groups) {
  int count = 0;
  for (const Node& n : graph.nodes()) {
    if (n.op == OpKind::kConv2D && n.attrs_as<Conv2DAttrs>().groups == groups) {
      ++count;
    }
  }
  return count;
}

int64_t TrainableParameters(const Graph& graph) {
  std::vector<bool> buffer(graph.num_nodes(), false);
  for (const Node& n : graph.nodes()) {
    if (n.op != OpKind::kBatchNorm) continue;
    buffer[n.inputs[3].node] = true;  // running mean
    buffer[n.inputs[4].node] = true;  // running variance
  }
  int64_t count = 0;
  for (NodeId id = 0; id < graph.num_nodes(); ++id) {
    const Node& n = graph.node(id);
    if (n.op == OpKind::kWeight && !buffer[id]) {
      count += n.output_shapes[0].NumElements();
    }
  }
  return count;
}

absl::StatusOr<std::vector<Tensor>> EvaluateOnRandomInputs(const Graph& graph,
                                                           uint64_t seed) {
  std::vector<Tensor> inputs;
  for (NodeId id : graph.InputNodes()) {
    inputs.push_back(Tensor::Random(graph.node(id).output_shapes[0], seed++));
  }
  return Evaluate(graph, inputs);
}

bool FiniteAndVaried(const Tensor& t) {
  bool varied = false;
  for (float v : t.data) {
    if (!std::isfinite(v)) return false;
    varied = varied || v != t.data[0];
  }
  return varied;
}

}  // namespace tsopt::testing

// A graph holding one operator fed by Input nodes: how the executor and the
// measured cost model run an operator oneDNN lacks on the reference
// evaluator. Internal to the library.
#ifndef TSOPT_RUNTIME_SINGLE_NODE_GRAPH_H_
#define TSOPT_RUNTIME_SINGLE_NODE_GRAPH_H_

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "tsopt/ir/graph.h"

namespace tsopt {

// Inputs "in0".."inN" of the given shapes, then `op`, whose outputs are the
// graph outputs.
absl::StatusOr<Graph> SingleNodeGraph(OpKind op, const Attrs& attrs,
                                      absl::Span<const Shape> inputs);

}  // namespace tsopt

#endif  // TSOPT_RUNTIME_SINGLE_NODE_GRAPH_H_

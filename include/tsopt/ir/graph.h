// The tensor-graph IR: a DAG of operator nodes over float32 tensors with
// static shapes. The graph owns its nodes in a vector; a node is referred to
// by its index (NodeId) and a tensor by (node, output index) = ValueId.
//
// Invariant: a node's inputs always have smaller ids than the node, so the
// id order is a topological order and a Graph can never hold a cycle.
// Nodes are only added through AddNode, which checks arity, attribute type
// and shapes (shape inference), so every Graph is valid by construction.
//
//   Graph g;
//   TSOPT_ASSIGN_OR_RETURN(ValueId x, g.AddInput("x", {1, 3, 8, 8}));
//   TSOPT_ASSIGN_OR_RETURN(ValueId y, g.AddOp(OpKind::kRelu, NoAttrs{}, {x}));
//   TSOPT_RETURN_IF_ERROR(g.MarkOutput(y));
#ifndef TSOPT_IR_GRAPH_H_
#define TSOPT_IR_GRAPH_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "tsopt/ir/attrs.h"
#include "tsopt/ir/op.h"
#include "tsopt/ir/shape.h"

namespace tsopt {

using NodeId = int32_t;

// One tensor: output `output` of node `node`.
struct ValueId {
  NodeId node = -1;
  int32_t output = 0;

  friend bool operator==(ValueId a, ValueId b) {
    return a.node == b.node && a.output == b.output;
  }
  friend bool operator!=(ValueId a, ValueId b) { return !(a == b); }
  friend bool operator<(ValueId a, ValueId b) {
    return a.node != b.node ? a.node < b.node : a.output < b.output;
  }
  template <typename H>
  friend H AbslHashValue(H h, ValueId v) {
    return H::combine(std::move(h), v.node, v.output);
  }
};

// Immutable data of a Weight node, shared between graphs (rewrites copy
// graphs, never weights). content_hash() identifies the values.
struct WeightData {
  std::vector<float> values;

  // Hashes the values at once (a model's weights are hashed when it is
  // built, not by the first search that reads them).
  static std::shared_ptr<const WeightData> Create(std::vector<float> values);
  // Hashes the values on first use of content_hash(): for data that is
  // rarely hashed (the kernels a search folds into its result).
  static std::shared_ptr<const WeightData> CreateUnhashed(
      std::vector<float> values);

  // A hash of the values' bit patterns (-0.0 and 0.0 differ), stable across
  // processes. Thread-safe.
  uint64_t content_hash() const;

 private:
  mutable std::atomic<uint64_t> hash_{0};
  mutable std::atomic<bool> hashed_{false};
};

struct Node {
  OpKind op = OpKind::kIdentity;
  Attrs attrs;
  std::vector<ValueId> inputs;
  std::vector<Shape> output_shapes;
  std::string name;  // optional; not part of the structure
  // Weight nodes: the values (row-major, output_shapes[0].NumElements()).
  // May be null for a symbolic weight (rule patterns, text without data).
  std::shared_ptr<const WeightData> weight;

  template <typename A>
  const A& attrs_as() const {
    return std::get<A>(attrs);
  }
  int num_outputs() const { return static_cast<int>(output_shapes.size()); }
};

class Graph {
 public:
  // Adds a node after checking arity, attribute type, input ids and shapes.
  // Errors name the node: "node 3 (conv2d 'conv1'): ...".
  absl::StatusOr<std::vector<ValueId>> AddNode(OpKind op, Attrs attrs,
                                               std::vector<ValueId> inputs,
                                               std::string name = "");
  // AddNode for an operator with exactly one output.
  absl::StatusOr<ValueId> AddOp(OpKind op, Attrs attrs,
                                std::vector<ValueId> inputs,
                                std::string name = "");
  absl::StatusOr<ValueId> AddInput(std::string name,
                                   std::vector<int64_t> dims);
  // `data` may be null (symbolic weight); otherwise its size must match.
  absl::StatusOr<ValueId> AddWeight(std::vector<int64_t> dims,
                                    std::shared_ptr<const WeightData> data,
                                    std::string name = "");
  // Adds a copy of node `id` of the (valid) graph `from` reading `inputs`,
  // values of this graph: operator, attributes and weight data, named
  // `name`. Where every input has the shape the original read, the output
  // shapes are the original's (shape inference is a function of operator,
  // attributes and input shapes), so inference is skipped; otherwise this
  // is AddNode. Returns the new node's id (its outputs keep their indices).
  absl::StatusOr<NodeId> AddCopy(const Graph& from, NodeId id,
                                 std::vector<ValueId> inputs,
                                 std::string name);
  // Makes room for `num_nodes` nodes in all.
  void Reserve(int num_nodes) { nodes_.reserve(num_nodes); }
  // Appends `value` to the graph outputs (the same value may appear twice).
  absl::Status MarkOutput(ValueId value);

  int num_nodes() const { return static_cast<int>(nodes_.size()); }
  const Node& node(NodeId id) const { return nodes_[id]; }
  absl::Span<const Node> nodes() const { return nodes_; }
  const std::vector<ValueId>& outputs() const { return outputs_; }
  const Shape& shape(ValueId v) const {
    return nodes_[v.node].output_shapes[v.output];
  }
  bool Contains(ValueId v) const;

  // Input nodes in id order: the order in which evaluators take inputs.
  std::vector<NodeId> InputNodes() const;
  // For each node, the nodes that read any of its outputs (ascending,
  // a consumer listed once per input edge).
  std::vector<std::vector<NodeId>> Consumers() const;
  // A copy without the nodes that no output depends on (Input nodes are
  // always kept, so the graph keeps its signature). Ids are renumbered.
  Graph WithoutDeadNodes() const;

  // Re-checks every invariant (ids, arity, attribute types, shapes); for
  // graphs whose nodes were edited in place through MutableNode.
  absl::Status Validate() const;

  // Escape hatch for importers and rewrites that edit attributes or names in
  // place; call Validate() afterwards.
  Node& MutableNode(NodeId id) { return nodes_[id]; }

  // A short description for error messages: "node 3 (conv2d 'conv1')".
  std::string Describe(NodeId id) const;

 private:
  std::vector<Node> nodes_;
  std::vector<ValueId> outputs_;
};

}  // namespace tsopt

#endif  // TSOPT_IR_GRAPH_H_

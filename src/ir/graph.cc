#include "tsopt/ir/graph.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "tsopt/ir/hash.h"
#include "tsopt/ir/shape_inference.h"
#include "tsopt/util/status_macros.h"

namespace tsopt {

std::shared_ptr<const WeightData> WeightData::Create(
    std::vector<float> values) {
  std::shared_ptr<const WeightData> data = CreateUnhashed(std::move(values));
  data->content_hash();
  return data;
}

std::shared_ptr<const WeightData> WeightData::CreateUnhashed(
    std::vector<float> values) {
  auto data = std::make_shared<WeightData>();
  data->values = std::move(values);
  return data;
}

uint64_t WeightData::content_hash() const {
  if (hashed_.load(std::memory_order_acquire)) {
    return hash_.load(std::memory_order_relaxed);
  }
  // Hash the bit patterns (-0.0 and 0.0 are different weights) with a hash
  // that is stable across processes, so printed hashes can be compared.
  // Threads racing here compute the same value.
  uint64_t h = HashBytes(values.data(), values.size() * sizeof(float));
  hash_.store(h, std::memory_order_relaxed);
  hashed_.store(true, std::memory_order_release);
  return h;
}

std::string Graph::Describe(NodeId id) const {
  if (id < 0 || id >= num_nodes()) return absl::StrCat("node ", id);
  const Node& n = nodes_[id];
  return absl::StrCat("node ", id, " (", OpMnemonic(n.op),
                      n.name.empty() ? "" : absl::StrCat(" '", n.name, "'"),
                      ")");
}

bool Graph::Contains(ValueId v) const {
  return v.node >= 0 && v.node < num_nodes() && v.output >= 0 &&
         v.output < nodes_[v.node].num_outputs();
}

absl::StatusOr<std::vector<ValueId>> Graph::AddNode(
    OpKind op, Attrs attrs, std::vector<ValueId> inputs, std::string name) {
  const NodeId id = num_nodes();
  auto fail = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(
        "node ", id, " (", OpMnemonic(op),
        name.empty() ? "" : absl::StrCat(" '", name, "'"), "): ", why));
  };
  std::vector<Shape> input_shapes;
  input_shapes.reserve(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!Contains(inputs[i])) {
      return fail(absl::StrCat("input ", i, " refers to %", inputs[i].node,
                               ":", inputs[i].output,
                               ", which is not an earlier node's output"));
    }
    input_shapes.push_back(shape(inputs[i]));
  }
  absl::StatusOr<std::vector<Shape>> shapes =
      InferShapes(op, attrs, input_shapes);
  if (!shapes.ok()) return fail(shapes.status().message());
  Node node;
  node.op = op;
  node.attrs = std::move(attrs);
  node.inputs = std::move(inputs);
  node.output_shapes = *std::move(shapes);
  node.name = std::move(name);
  nodes_.push_back(std::move(node));
  std::vector<ValueId> outs;
  for (int i = 0; i < nodes_.back().num_outputs(); ++i) outs.push_back({id, i});
  return outs;
}

absl::StatusOr<NodeId> Graph::AddCopy(const Graph& from, NodeId id,
                                      std::vector<ValueId> inputs,
                                      std::string name) {
  if (id < 0 || id >= from.num_nodes()) {
    return absl::InvalidArgumentError(
        absl::StrCat("copy of node ", id, ": no such node"));
  }
  const Node& original = from.node(id);
  bool same_shapes = inputs.size() == original.inputs.size();
  for (size_t i = 0; i < inputs.size() && same_shapes; ++i) {
    same_shapes = Contains(inputs[i]) &&
                  shape(inputs[i]) == from.shape(original.inputs[i]);
  }
  if (!same_shapes) {
    TSOPT_RETURN_IF_ERROR(AddNode(original.op, original.attrs,
                                  std::move(inputs), std::move(name))
                              .status());
    return num_nodes() - 1;
  }
  Node node;
  node.op = original.op;
  node.attrs = original.attrs;
  node.inputs = std::move(inputs);
  node.output_shapes = original.output_shapes;
  node.name = std::move(name);
  node.weight = original.weight;
  nodes_.push_back(std::move(node));
  return num_nodes() - 1;
}

absl::StatusOr<ValueId> Graph::AddOp(OpKind op, Attrs attrs,
                                     std::vector<ValueId> inputs,
                                     std::string name) {
  TSOPT_ASSIGN_OR_RETURN(
      std::vector<ValueId> outs,
      AddNode(op, std::move(attrs), std::move(inputs), std::move(name)));
  if (outs.size() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(Describe(outs.empty() ? num_nodes() - 1 : outs[0].node),
                     " has ", outs.size(), " outputs; use AddNode"));
  }
  return outs[0];
}

absl::StatusOr<ValueId> Graph::AddInput(std::string name,
                                        std::vector<int64_t> dims) {
  InputAttrs attrs;
  attrs.shape = std::move(dims);
  attrs.name = name;
  return AddOp(OpKind::kInput, std::move(attrs), {}, std::move(name));
}

absl::StatusOr<ValueId> Graph::AddWeight(
    std::vector<int64_t> dims, std::shared_ptr<const WeightData> data,
    std::string name) {
  WeightAttrs attrs;
  attrs.shape = std::move(dims);
  TSOPT_ASSIGN_OR_RETURN(ValueId v,
                         AddOp(OpKind::kWeight, std::move(attrs), {}, name));
  if (data != nullptr &&
      static_cast<int64_t>(data->values.size()) != shape(v).NumElements()) {
    std::string error = absl::StrCat(
        Describe(v.node), ": weight data has ", data->values.size(),
        " values but shape ", shape(v).ToString(), " needs ",
        shape(v).NumElements());
    nodes_.pop_back();
    return absl::InvalidArgumentError(error);
  }
  nodes_.back().weight = std::move(data);
  return v;
}

absl::Status Graph::MarkOutput(ValueId value) {
  if (!Contains(value)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "graph output %", value.node, ":", value.output, " does not exist"));
  }
  outputs_.push_back(value);
  return absl::OkStatus();
}

std::vector<NodeId> Graph::InputNodes() const {
  std::vector<NodeId> ids;
  for (NodeId i = 0; i < num_nodes(); ++i) {
    if (nodes_[i].op == OpKind::kInput) ids.push_back(i);
  }
  return ids;
}

std::vector<std::vector<NodeId>> Graph::Consumers() const {
  std::vector<std::vector<NodeId>> consumers(nodes_.size());
  for (NodeId i = 0; i < num_nodes(); ++i) {
    for (ValueId in : nodes_[i].inputs) consumers[in.node].push_back(i);
  }
  return consumers;
}

Graph Graph::WithoutDeadNodes() const {
  std::vector<bool> live(nodes_.size(), false);
  for (ValueId out : outputs_) live[out.node] = true;
  for (NodeId i = num_nodes() - 1; i >= 0; --i) {
    if (nodes_[i].op == OpKind::kInput) live[i] = true;
    if (!live[i]) continue;
    for (ValueId in : nodes_[i].inputs) live[in.node] = true;
  }
  Graph result;
  std::vector<NodeId> new_id(nodes_.size(), -1);
  for (NodeId i = 0; i < num_nodes(); ++i) {
    if (!live[i]) continue;
    new_id[i] = result.num_nodes();
    Node copy = nodes_[i];
    for (ValueId& in : copy.inputs) in.node = new_id[in.node];
    result.nodes_.push_back(std::move(copy));
  }
  for (ValueId out : outputs_) {
    result.outputs_.push_back({new_id[out.node], out.output});
  }
  return result;
}

absl::Status Graph::Validate() const {
  for (NodeId id = 0; id < num_nodes(); ++id) {
    const Node& n = nodes_[id];
    std::vector<Shape> input_shapes;
    for (size_t i = 0; i < n.inputs.size(); ++i) {
      ValueId in = n.inputs[i];
      if (in.node >= id || !Contains(in)) {
        return absl::InvalidArgumentError(absl::StrCat(
            Describe(id), ": input ", i, " refers to %", in.node, ":",
            in.output, ", which is not an earlier node's output"));
      }
      input_shapes.push_back(shape(in));
    }
    absl::StatusOr<std::vector<Shape>> shapes =
        InferShapes(n.op, n.attrs, input_shapes);
    if (!shapes.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(Describe(id), ": ", shapes.status().message()));
    }
    if (*shapes != n.output_shapes) {
      return absl::InvalidArgumentError(
          absl::StrCat(Describe(id), ": recorded output shapes differ from "
                                     "the inferred ones"));
    }
    if (n.weight != nullptr &&
        static_cast<int64_t>(n.weight->values.size()) !=
            n.output_shapes[0].NumElements()) {
      return absl::InvalidArgumentError(
          absl::StrCat(Describe(id), ": weight data size does not match"));
    }
  }
  for (ValueId out : outputs_) {
    if (!Contains(out)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "graph output %", out.node, ":", out.output, " does not exist"));
    }
  }
  return absl::OkStatus();
}

}  // namespace tsopt

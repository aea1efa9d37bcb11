// EmitOpaque: an opaque node back to ONNX as it was imported.
#include "src/onnx/export_opaque.h"

#include <set>

#include "absl/strings/str_cat.h"

namespace tsopt::onnx_export {

absl::Status EmitOpaque(const Graph& graph, NodeId id, ExportWriter& writer,
                        onnx::GraphProto* proto,
                        std::map<std::string, int64_t>* domains) {
  const tsopt::Node& n = graph.node(id);
  const auto& a = n.attrs_as<OpaqueAttrs>();
  auto fail = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat(graph.Describe(id), ": cannot export opaque operator '",
                     OpaqueOpName(a), "': ", why));
  };
  onnx::ModelProto payload;
  if (!payload.ParseFromString(a.payload) ||
      payload.graph().node_size() != 1) {
    return fail("its payload is not a one-node ONNX model");
  }
  for (const auto& imp : payload.opset_import()) {
    if (imp.domain() != a.domain) continue;
    auto [it, added] = domains->emplace(imp.domain(), imp.version());
    if (!added && it->second != imp.version()) {
      return fail(absl::StrCat("domain '", imp.domain(), "' is needed at opset ",
                               it->second, " and ", imp.version()));
    }
  }
  // Embedded constants under names derived from the node's first output;
  // the other inputs are the graph node's (opaque_import.cc's placeholders).
  std::map<std::string, std::string> constants;
  for (const onnx::TensorProto& t : payload.graph().initializer()) {
    onnx::TensorProto* init = proto->add_initializer();
    *init = t;
    init->set_name(writer.Fresh(writer.Name({id, 0}) + "/" + t.name()));
    constants[t.name()] = init->name();
  }
  onnx::NodeProto node = payload.graph().node(0);
  size_t next_input = 0;
  for (std::string& in : *node.mutable_input()) {
    if (in.empty()) continue;
    auto c = constants.find(in);
    if (c != constants.end()) {
      in = c->second;
    } else if (next_input < n.inputs.size()) {
      in = writer.Name(n.inputs[next_input++]);
    } else {
      return fail("it reads more inputs than the graph node has");
    }
  }
  if (next_input != n.inputs.size()) {
    return fail("the graph node has more inputs than the operator reads");
  }
  int k = 0;
  for (std::string& out : *node.mutable_output()) {
    if (out.empty()) continue;
    if (k >= n.num_outputs()) {
      return fail("it has more outputs than the graph node");
    }
    out = writer.Name({id, k++});
  }
  if (k != n.num_outputs()) {
    return fail("the graph node has more outputs than the operator");
  }
  *proto->add_node() = std::move(node);
  for (int j = 0; j < n.num_outputs(); ++j) {
    onnx::ValueInfoProto* info = proto->add_value_info();
    info->set_name(writer.Name({id, j}));
    auto* t = info->mutable_type()->mutable_tensor_type();
    t->set_elem_type(static_cast<int>(a.output_dtypes[j]));
    auto* s = t->mutable_shape();
    for (int64_t d : n.output_shapes[j].dims()) s->add_dim()->set_dim_value(d);
  }
  return absl::OkStatus();
}

}  // namespace tsopt::onnx_export

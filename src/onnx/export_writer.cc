// ExportWriter: naming and emission helpers of the ONNX exporter.
#include "src/onnx/export_writer.h"

#include <cstring>

#include "absl/strings/str_cat.h"

namespace tsopt::onnx_export {

ExportWriter::ExportWriter(const Graph& graph, onnx::GraphProto* proto,
                           const ExportOptions& options)
    : proto_(proto) {
  names_.resize(graph.num_nodes());
  for (NodeId id = 0; id < graph.num_nodes(); ++id) {
    names_[id].resize(graph.node(id).num_outputs());
    if (graph.node(id).op == OpKind::kInput) {
      names_[id][0] = Fresh(graph.node(id).attrs_as<InputAttrs>().name);
    }
  }
  const std::vector<ValueId>& outputs = graph.outputs();
  output_names_.resize(outputs.size());
  output_copies_.assign(outputs.size(), true);
  for (size_t i = 0; i < outputs.size(); ++i) {
    ValueId v = outputs[i];
    OpKind op = graph.node(v.node).op;
    std::string& name = names_[v.node][v.output];
    std::string wanted = i < options.output_names.size()
                             ? options.output_names[i]
                             : std::string();
    if (wanted.empty()) continue;  // named below with its node
    output_names_[i] = Fresh(wanted);
    if (op != OpKind::kInput && op != OpKind::kWeight && name.empty() &&
        output_names_[i] == wanted) {
      name = wanted;
      output_copies_[i] = false;
    }
  }
  for (NodeId id = 0; id < graph.num_nodes(); ++id) {
    const tsopt::Node& n = graph.node(id);
    std::string base = n.name;
    if (base.empty()) base = absl::StrCat(OpMnemonic(n.op), "_", id);
    auto listed = options.multi_output_names.find(n.name);
    const bool use_listed =
        n.num_outputs() > 1 && listed != options.multi_output_names.end() &&
        static_cast<int>(listed->second.size()) == n.num_outputs();
    for (int k = 0; k < n.num_outputs(); ++k) {
      if (!names_[id][k].empty()) continue;
      names_[id][k] = Fresh(use_listed              ? listed->second[k]
                            : n.num_outputs() == 1 ? base
                                                   : absl::StrCat(base, "_", k));
    }
  }
  // Outputs without a requested name: the value's own name, copied when it
  // is a leaf or was already output.
  std::set<std::string> written;
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (!output_names_[i].empty()) {
      written.insert(output_names_[i]);
      continue;
    }
    ValueId v = outputs[i];
    OpKind op = graph.node(v.node).op;
    const std::string& name = names_[v.node][v.output];
    if (op == OpKind::kInput || op == OpKind::kWeight || written.count(name)) {
      output_names_[i] = Fresh(name + "/output");
    } else {
      output_names_[i] = name;
      output_copies_[i] = false;
    }
    written.insert(output_names_[i]);
  }
}

std::string ExportWriter::Fresh(const std::string& base) {
  std::string name = base;
  for (int k = 1; !used_.insert(name).second; ++k) {
    name = absl::StrCat(base, "_", k);
  }
  return name;
}

std::string ExportWriter::Initializer(const onnx_import::HostTensor& t,
                                      const std::string& base) {
  std::string name = Fresh(base);
  onnx_import::ToTensorProto(t, name, proto_->add_initializer());
  return name;
}

void ExportWriter::WriteInitializer(const onnx_import::HostTensor& t,
                                    const std::string& name) {
  onnx_import::ToTensorProto(t, name, proto_->add_initializer());
}

std::string ExportWriter::Ints(const std::vector<int64_t>& v,
                               const std::string& base) {
  return Initializer(
      onnx_import::HostTensor::Ints({static_cast<int64_t>(v.size())}, v), base);
}

std::string ExportWriter::Scalar(float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, sizeof(bits));
  auto it = scalars_.find(bits);
  if (it != scalars_.end()) return it->second;
  std::string name =
      Initializer(onnx_import::HostTensor::Floats({}, {v}), "const_scalar");
  scalars_[bits] = name;
  return name;
}

onnx::NodeProto* ExportWriter::Node(const std::string& op_type,
                                    const std::vector<std::string>& inputs,
                                    const std::vector<std::string>& outputs) {
  onnx::NodeProto* n = proto_->add_node();
  n->set_op_type(op_type);
  n->set_name(outputs.empty() ? op_type : outputs[0]);
  for (const std::string& in : inputs) n->add_input(in);
  for (const std::string& out : outputs) n->add_output(out);
  return n;
}

void ExportWriter::SetInts(onnx::NodeProto* n, const std::string& name,
                           const std::vector<int64_t>& v) {
  onnx::AttributeProto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t x : v) a->add_ints(x);
}

void ExportWriter::SetInt(onnx::NodeProto* n, const std::string& name,
                          int64_t v) {
  onnx::AttributeProto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(v);
}

void ExportWriter::SetFloat(onnx::NodeProto* n, const std::string& name,
                            float v) {
  onnx::AttributeProto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(v);
}

}  // namespace tsopt::onnx_export

// ExportWriter: naming and emission helpers of the ONNX exporter.
#include "src/onnx/export_writer.h"

#include <cstring>

#include "absl/strings/str_cat.h"

namespace tsopt::onnx_export {

ExportWriter::ExportWriter(const Graph& graph, onnx::GraphProto* proto)
    : proto_(proto) {
  names_.resize(graph.num_nodes());
  for (NodeId id = 0; id < graph.num_nodes(); ++id) {
    const tsopt::Node& n = graph.node(id);
    std::string base = n.name;
    if (n.op == OpKind::kInput) base = n.attrs_as<InputAttrs>().name;
    if (base.empty()) base = absl::StrCat(OpMnemonic(n.op), "_", id);
    for (int k = 0; k < n.num_outputs(); ++k) {
      names_[id].push_back(
          Fresh(n.num_outputs() == 1 ? base : absl::StrCat(base, "_", k)));
    }
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

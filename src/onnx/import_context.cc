// ImportContext and NodeAttrs: value bookkeeping and attribute access for
// the ONNX importer.
#include "src/onnx/import_context.h"

#include "absl/strings/str_cat.h"
#include "tsopt/util/status_macros.h"

namespace tsopt::onnx_import {

ImportContext::ImportContext(const onnx::ModelProto& model, int opset,
                             const ImportOptions& options)
    : model_(model), proto_(model.graph()), opset_(opset), options_(options) {
  const onnx::GraphProto& graph = model.graph();
  for (const onnx::NodeProto& node : graph.node()) {
    for (const std::string& in : node.input()) {
      if (!in.empty()) consumers_[in].push_back(&node);
    }
    for (const std::string& out : node.output()) {
      if (!out.empty()) producers_[out] = &node;
    }
  }
  for (const onnx::ValueInfoProto& out : graph.output()) {
    graph_outputs_.insert(out.name());
  }
}

std::string ImportContext::Describe(const onnx::NodeProto& node) {
  std::string name = node.name();
  if (name.empty() && node.output_size() > 0) name = node.output(0);
  return absl::StrCat("node '", name, "' (", node.op_type(), ")");
}

bool ImportContext::IsConstant(const std::string& name) const {
  auto it = values_.find(name);
  return it != values_.end() && it->second.constant.has_value();
}

bool ImportContext::HasInput(const onnx::NodeProto& node, int index) {
  return index < node.input_size() && !node.input(index).empty();
}

absl::StatusOr<ValueId> ImportContext::GraphValue(const onnx::NodeProto& node,
                                                  int index) {
  if (!HasInput(node, index)) {
    return absl::InvalidArgumentError(
        absl::StrCat(Describe(node), ": missing input ", index));
  }
  const std::string& name = node.input(index);
  ImportedValue& v = values_.at(name);
  auto non_float = non_float_.find(name);
  if (v.value && non_float != non_float_.end()) {
    return absl::UnimplementedError(absl::StrCat(
        Describe(node), ": input '", name, "' is a ",
        DataTypeName(non_float->second),
        " tensor from an opaque operator; tsopt computes on float32 only"));
  }
  if (v.value) return *v.value;
  const HostTensor& c = *v.constant;
  if (!c.is_float) {
    return absl::UnimplementedError(absl::StrCat(
        Describe(node), ": input '", name,
        "' is an integer tensor; tsopt computes on float32 only"));
  }
  TSOPT_ASSIGN_OR_RETURN(ValueId w, AddConstantWeight(c, name));
  v.value = w;
  return w;
}

absl::StatusOr<HostTensor> ImportContext::Constant(const onnx::NodeProto& node,
                                                   int index) {
  if (!HasInput(node, index)) {
    return absl::InvalidArgumentError(
        absl::StrCat(Describe(node), ": missing input ", index));
  }
  const ImportedValue& v = values_.at(node.input(index));
  if (!v.constant) {
    return absl::UnimplementedError(absl::StrCat(
        Describe(node), ": input ", index, " ('", node.input(index),
        "') must be a constant (computed at run time here)"));
  }
  return *v.constant;
}

absl::StatusOr<std::vector<int64_t>> ImportContext::Dims(
    const onnx::NodeProto& node, int index) {
  if (!HasInput(node, index)) {
    return absl::InvalidArgumentError(
        absl::StrCat(Describe(node), ": missing input ", index));
  }
  const ImportedValue& v = values_.at(node.input(index));
  if (v.constant) return v.constant->dims;
  return graph_.shape(*v.value).dims();
}

void ImportContext::SetConstant(const std::string& name, HostTensor t) {
  values_[name].constant = std::move(t);
}

void ImportContext::SetOpaqueOutput(const std::string& name, ValueId v,
                                    int dtype) {
  values_[name] = ImportedValue{v, std::nullopt};
  if (dtype == onnx::TensorProto::FLOAT) {
    non_float_.erase(name);
  } else {
    non_float_[name] = dtype;
  }
}

int ImportContext::DataType(const std::string& name) const {
  auto it = non_float_.find(name);
  if (it != non_float_.end()) return it->second;
  const ImportedValue* v = Find(name);
  if (v != nullptr && v->constant && !v->constant->is_float) {
    return onnx::TensorProto::INT64;
  }
  return onnx::TensorProto::FLOAT;
}

const ImportedValue* ImportContext::Find(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? nullptr : &it->second;
}

absl::StatusOr<ValueId> ImportContext::Add(OpKind op, Attrs attrs,
                                           std::vector<ValueId> inputs,
                                           const std::string& name) {
  return graph_.AddOp(op, std::move(attrs), std::move(inputs), name);
}

absl::StatusOr<ValueId> ImportContext::AddConstantWeight(
    const HostTensor& t, const std::string& name) {
  if (!t.is_float) {
    return absl::UnimplementedError(absl::StrCat(
        "constant '", name, "' is an integer tensor; weights are float32"));
  }
  TSOPT_ASSIGN_OR_RETURN(Shape shape, Shape::Create(t.dims));
  (void)shape;
  return graph_.AddWeight(t.dims, WeightData::Create(t.f), name);
}

void ImportContext::Note(const onnx::NodeProto& node, const std::string& what) {
  notes_.push_back(absl::StrCat(Describe(node), ": ", what));
}

const std::vector<const onnx::NodeProto*>& ImportContext::Consumers(
    const std::string& name) const {
  static const std::vector<const onnx::NodeProto*> kNone;
  auto it = consumers_.find(name);
  return it == consumers_.end() ? kNone : it->second;
}

const onnx::NodeProto* ImportContext::Producer(const std::string& name) const {
  auto it = producers_.find(name);
  return it == producers_.end() ? nullptr : it->second;
}

bool ImportContext::IsGraphOutput(const std::string& name) const {
  return graph_outputs_.count(name) > 0;
}

// --- NodeAttrs ------------------------------------------------------------

NodeAttrs::NodeAttrs(const onnx::NodeProto& node) : node_(node) {}

bool NodeAttrs::Has(const std::string& name) const {
  for (const auto& a : node_.attribute()) {
    if (a.name() == name) return true;
  }
  return false;
}

const onnx::AttributeProto* NodeAttrs::Find(
    const std::string& name, onnx::AttributeProto::AttributeType type) {
  for (const auto& a : node_.attribute()) {
    if (a.name() != name) continue;
    if (a.type() != type) {
      if (status_.ok()) {
        status_ = absl::InvalidArgumentError(absl::StrCat(
            ImportContext::Describe(node_), ": attribute '", name,
            "' has type ", onnx::AttributeProto::AttributeType_Name(a.type()),
            ", expected ", onnx::AttributeProto::AttributeType_Name(type)));
      }
      return nullptr;
    }
    return &a;
  }
  return nullptr;
}

int64_t NodeAttrs::Int(const std::string& name, int64_t def) {
  const auto* a = Find(name, onnx::AttributeProto::INT);
  return a ? a->i() : def;
}

float NodeAttrs::Float(const std::string& name, float def) {
  const auto* a = Find(name, onnx::AttributeProto::FLOAT);
  return a ? a->f() : def;
}

std::string NodeAttrs::String(const std::string& name,
                              const std::string& def) {
  const auto* a = Find(name, onnx::AttributeProto::STRING);
  return a ? a->s() : def;
}

std::vector<int64_t> NodeAttrs::Ints(const std::string& name,
                                     std::vector<int64_t> def) {
  const auto* a = Find(name, onnx::AttributeProto::INTS);
  if (!a) return def;
  return {a->ints().begin(), a->ints().end()};
}

std::vector<float> NodeAttrs::Floats(const std::string& name,
                                     std::vector<float> def) {
  const auto* a = Find(name, onnx::AttributeProto::FLOATS);
  if (!a) return def;
  return {a->floats().begin(), a->floats().end()};
}

const onnx::TensorProto* NodeAttrs::Tensor(const std::string& name) {
  const auto* a = Find(name, onnx::AttributeProto::TENSOR);
  return a ? &a->t() : nullptr;
}

}  // namespace tsopt::onnx_import

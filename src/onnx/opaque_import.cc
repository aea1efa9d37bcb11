// Import of an ONNX operator tsopt does not know as an Opaque node
// (ConvertOpaque in import_ops.h).
//
// The payload is a serialized one-node ModelProto: the node as it was read
// (name, domain, attributes), the constants it reads that are not float
// weights (as initializers, with their original data type) and the opset
// import of its domain. Tensor names are replaced by placeholders so that
// the payload does not depend on how its neighbours are named: input i is
// "" (absent), "input<i>" (an embedded constant, the initializer of that
// name) or "value<k>" (input k of the opaque graph node); output j is
// "" (absent) or "output<j>". Export (export_opaque.cc) puts the exported
// graph's names back.
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "onnx/defs/schema.h"
#include "onnx/shape_inference/implementation.h"
#include "src/onnx/host_tensor.h"
#include "src/onnx/import_ops.h"
#include "tsopt/util/status_macros.h"

namespace tsopt::onnx_import {
namespace {

struct StaticType {
  int elem_type = 0;
  std::vector<int64_t> dims;
};

// The element type and dims of `type` when it is a tensor type with a known
// element type and a fully static shape.
std::optional<StaticType> ToStatic(const onnx::TypeProto& type) {
  if (!type.has_tensor_type()) return std::nullopt;
  const auto& t = type.tensor_type();
  if (t.elem_type() == onnx::TensorProto::UNDEFINED || !t.has_shape()) {
    return std::nullopt;
  }
  StaticType s;
  s.elem_type = t.elem_type();
  for (const auto& d : t.shape().dim()) {
    if (!d.has_dim_value()) return std::nullopt;
    s.dims.push_back(d.dim_value());
  }
  return s;
}

std::optional<StaticType> FindStatic(
    const google::protobuf::RepeatedPtrField<onnx::ValueInfoProto>& infos,
    const std::string& name) {
  for (const onnx::ValueInfoProto& info : infos) {
    if (info.name() == name) return ToStatic(info.type());
  }
  return std::nullopt;
}

// The model's own TensorProto for constant `name` (an initializer or a
// Constant node's value), or null for a constant the importer computed.
const onnx::TensorProto* OriginalConstant(const ImportContext& ctx,
                                          const std::string& name) {
  for (const onnx::TensorProto& init : ctx.proto().initializer()) {
    if (init.name() == name) return &init;
  }
  const onnx::NodeProto* producer = ctx.Producer(name);
  if (producer != nullptr && producer->op_type() == "Constant") {
    for (const onnx::AttributeProto& a : producer->attribute()) {
      if (a.name() == "value" && a.has_t()) return &a.t();
    }
  }
  return nullptr;
}

bool IsDefaultDomain(const std::string& domain) {
  return domain.empty() || domain == "ai.onnx";
}

// The opset version the model imports for `domain` (0 if none).
int64_t DomainVersion(const onnx::ModelProto& model,
                      const std::string& domain) {
  for (const auto& imp : model.opset_import()) {
    if (imp.domain() == domain ||
        (IsDefaultDomain(imp.domain()) && IsDefaultDomain(domain))) {
      return imp.version();
    }
  }
  return 0;
}

// Checks `node` against its ONNX schema at the model's opset (input and
// output counts, attribute types), when ONNX has one: shape inference
// assumes a valid node.
absl::Status VerifyAgainstSchema(const ImportContext& ctx,
                                 const onnx::NodeProto& node) {
  const std::string domain =
      IsDefaultDomain(node.domain()) ? std::string("") : node.domain();
  int64_t version = DomainVersion(ctx.model(), node.domain());
  if (version <= 0) return absl::OkStatus();
  const onnx::OpSchema* schema = onnx::OpSchemaRegistry::Schema(
      node.op_type(), static_cast<int>(version), domain);
  if (schema == nullptr) return absl::OkStatus();
  try {
    schema->Verify(node);
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat(ImportContext::Describe(node),
                     ": not a valid ONNX node: ", e.what()));
  }
  return absl::OkStatus();
}

// ONNX 1.12's conv and pool shape inference divides by each stride and by
// the group count, and multiplies by dilations and kernel sizes, without
// checking them (a zero stride is a SIGFPE inside libonnx): such a node is
// refused before it is probed.
absl::Status CheckWindowAttributes(const onnx::NodeProto& node) {
  for (const onnx::AttributeProto& a : node.attribute()) {
    if (a.name() != "strides" && a.name() != "dilations" &&
        a.name() != "kernel_shape" && a.name() != "group") {
      continue;
    }
    std::vector<int64_t> values(a.ints().begin(), a.ints().end());
    if (a.type() == onnx::AttributeProto::INT) values.push_back(a.i());
    for (int64_t v : values) {
      if (v <= 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            ImportContext::Describe(node), ": attribute '", a.name(),
            "' has a non-positive entry (", v, ")"));
      }
    }
  }
  return absl::OkStatus();
}

// Runs ONNX shape inference on `probe` (the node alone); the error text, if
// any.
std::string InferProbe(onnx::ModelProto& probe) {
  try {
    onnx::ShapeInferenceOptions options(/*check_type_val=*/false,
                                        /*strict_mode_val=*/1);
    onnx::shape_inference::InferShapes(
        probe, onnx::OpSchemaRegistry::Instance(), options);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

}  // namespace

absl::Status ConvertOpaque(ImportContext& ctx, const onnx::NodeProto& node,
                           absl::string_view why) {
  const std::string what = ImportContext::Describe(node);
  for (const onnx::AttributeProto& a : node.attribute()) {
    if (a.has_g() || a.graphs_size() > 0) {
      return absl::UnimplementedError(absl::StrCat(
          what, ": operator '", node.op_type(), "' (", why,
          ") has a subgraph attribute; tsopt cannot keep it as opaque"));
    }
  }
  TSOPT_RETURN_IF_ERROR(VerifyAgainstSchema(ctx, node));
  TSOPT_RETURN_IF_ERROR(CheckWindowAttributes(node));
  onnx::ModelProto probe;
  probe.set_ir_version(8);
  *probe.mutable_opset_import() = ctx.model().opset_import();
  onnx::GraphProto* probe_graph = probe.mutable_graph();
  probe_graph->set_name("opaque");
  onnx::ModelProto payload;
  onnx::GraphProto* kept = payload.mutable_graph();
  kept->set_name("opaque");
  std::set<std::string> probe_names;
  std::vector<ValueId> inputs;
  onnx::NodeProto stored = node;
  for (int i = 0; i < node.input_size(); ++i) {
    const std::string& name = node.input(i);
    if (name.empty()) continue;
    const ImportedValue* v = ctx.Find(name);
    if (v == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": input '", name, "' is undefined"));
    }
    const bool first_use = probe_names.insert(name).second;
    if (v->constant && !v->value) {
      const onnx::TensorProto* original = OriginalConstant(ctx, name);
      const bool embed = original != nullptr
                             ? original->data_type() != onnx::TensorProto::FLOAT
                             : !v->constant->is_float;
      if (embed) {
        const std::string placeholder = absl::StrCat("input", i);
        stored.set_input(i, placeholder);
        onnx::TensorProto* t = kept->add_initializer();
        if (original != nullptr) {
          *t = *original;
        } else {
          ToTensorProto(*v->constant, name, t);
        }
        t->set_name(placeholder);
        if (first_use) {
          *probe_graph->add_initializer() = *t;
          probe_graph->mutable_initializer()->rbegin()->set_name(name);
        }
        continue;
      }
    }
    // A graph value (float constants become weights).
    ValueId x;
    if (v->value) {
      x = *v->value;
    } else {
      TSOPT_ASSIGN_OR_RETURN(x, ctx.GraphValue(node, i));
    }
    stored.set_input(i, absl::StrCat("value", inputs.size()));
    inputs.push_back(x);
    if (!first_use) continue;
    onnx::ValueInfoProto* in = probe_graph->add_input();
    in->set_name(name);
    auto* t = in->mutable_type()->mutable_tensor_type();
    t->set_elem_type(ctx.DataType(name));
    auto* shape = t->mutable_shape();
    for (int64_t d : ctx.graph().shape(x).dims()) {
      shape->add_dim()->set_dim_value(d);
    }
  }
  *probe_graph->add_node() = node;
  const std::string inference_error = InferProbe(probe);

  OpaqueAttrs attrs;
  attrs.domain = IsDefaultDomain(node.domain()) ? "" : node.domain();
  attrs.op_type = node.op_type();
  for (const std::string& out : node.output()) {
    if (out.empty()) continue;
    std::optional<StaticType> type = FindStatic(probe.graph().value_info(), out);
    if (!type) type = FindStatic(probe.graph().output(), out);
    if (!type) type = FindStatic(ctx.proto().value_info(), out);
    if (!type) type = FindStatic(ctx.proto().output(), out);
    if (!type) {
      return absl::UnimplementedError(absl::StrCat(
          what, ": operator '", node.op_type(), "' (", why,
          ") would be kept as opaque, but the shape of its output '", out,
          "' is not known statically: ONNX shape inference ",
          inference_error.empty() ? "gives none"
                                  : absl::StrCat("fails: ", inference_error),
          ", and the model has no static value_info for it"));
    }
    attrs.output_dtypes.push_back(type->elem_type);
    attrs.output_ranks.push_back(static_cast<int64_t>(type->dims.size()));
    attrs.output_dims.insert(attrs.output_dims.end(), type->dims.begin(),
                             type->dims.end());
  }
  for (int j = 0; j < stored.output_size(); ++j) {
    if (!stored.output(j).empty()) stored.set_output(j, absl::StrCat("output", j));
  }
  *kept->add_node() = std::move(stored);
  auto* imp = payload.add_opset_import();
  imp->set_domain(attrs.domain);
  imp->set_version(DomainVersion(ctx.model(), node.domain()));
  attrs.payload = payload.SerializeAsString();

  absl::StatusOr<std::vector<ValueId>> outs = ctx.graph().AddNode(
      OpKind::kOpaque, std::move(attrs), std::move(inputs), node.output(0));
  if (!outs.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": ", outs.status().message()));
  }
  const OpaqueAttrs& added =
      ctx.graph().node(outs->front().node).attrs_as<OpaqueAttrs>();
  int k = 0;
  for (const std::string& out : node.output()) {
    if (out.empty()) continue;
    ctx.SetOpaqueOutput(out, (*outs)[k],
                        static_cast<int>(added.output_dtypes[k]));
    ++k;
  }
  ctx.Note(node, absl::StrCat("kept as opaque (", why,
                              "): never rewritten, exported as read"));
  return absl::OkStatus();
}

}  // namespace tsopt::onnx_import

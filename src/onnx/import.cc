// ONNX import: parse and validate the model, bind initializers and inputs,
// order the nodes topologically (refusing cycles and dangling names), run
// each node's converter, bind the outputs and drop dead nodes.
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "onnx/checker.h"
#include "onnx/version_converter/convert.h"
#include "src/onnx/host_tensor.h"
#include "src/onnx/import_context.h"
#include "src/onnx/import_ops.h"
#include "tsopt/onnx/onnx.h"
#include "tsopt/util/status_macros.h"

namespace tsopt {
namespace {

using onnx_import::FromTensorProto;
using onnx_import::ImportContext;

absl::Status Invalid(absl::string_view what) {
  return absl::InvalidArgumentError(what);
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open '", path, "'"));
  std::ostringstream data;
  data << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat("cannot read '", path, "'"));
  return data.str();
}

// Models older than kMinOnnxOpset go through ONNX's version converter
// (after the checker, which the converter assumes has passed).
absl::StatusOr<onnx::ModelProto> UpgradeOpset(const onnx::ModelProto& model,
                                              int opset) {
  try {
    onnx::checker::check_model(model);
    return onnx::version_conversion::ConvertVersion(model, kMinOnnxOpset);
  } catch (const std::exception& e) {
    return absl::UnimplementedError(absl::StrCat(
        "opset ", opset, " is older than ", kMinOnnxOpset,
        " and the ONNX version converter cannot upgrade it: ", e.what()));
  }
}

absl::StatusOr<int> DefaultOpset(const onnx::ModelProto& model) {
  int opset = -1;
  for (const auto& imp : model.opset_import()) {
    if (imp.domain().empty() || imp.domain() == "ai.onnx") {
      opset = static_cast<int>(imp.version());
    }
  }
  if (opset < 0) return Invalid("the model imports no default-domain opset");
  if (opset < 1 || opset > kMaxOnnxOpset) {
    return absl::UnimplementedError(
        absl::StrCat("opset ", opset, " is not supported (supported: ",
                     kMaxOnnxOpset, " and older; older than ", kMinOnnxOpset,
                     " is upgraded)"));
  }
  return opset;
}

// The static dims of graph input `info`, from the override or the file.
absl::StatusOr<std::vector<int64_t>> InputDims(
    const onnx::ValueInfoProto& info, const ImportOptions& options) {
  const std::string& name = info.name();
  if (!info.type().has_tensor_type()) {
    return absl::UnimplementedError(
        absl::StrCat("graph input '", name, "' is not a tensor"));
  }
  const auto& tensor = info.type().tensor_type();
  if (tensor.elem_type() != onnx::TensorProto::FLOAT) {
    return absl::UnimplementedError(absl::StrCat(
        "graph input '", name, "' has unsupported data type ",
        onnx_import::DataTypeName(tensor.elem_type()),
        " (graph inputs must be FLOAT)"));
  }
  auto it = options.input_shapes.find(name);
  if (it != options.input_shapes.end()) return it->second;
  if (!tensor.has_shape()) {
    return Invalid(absl::StrCat("graph input '", name, "' has no shape; pass ",
                                "--input-shape ", name, "=d0,d1,..."));
  }
  std::vector<int64_t> dims;
  for (int k = 0; k < tensor.shape().dim_size(); ++k) {
    const auto& d = tensor.shape().dim(k);
    if (!d.has_dim_value() || d.dim_value() < 1) {
      return Invalid(absl::StrCat(
          "graph input '", name, "' has dynamic dim ", k,
          d.has_dim_param() ? absl::StrCat(" ('", d.dim_param(), "')") : "",
          "; tsopt needs static shapes: pass --input-shape ", name,
          "=d0,d1,... (ImportOptions::input_shapes)"));
    }
    dims.push_back(d.dim_value());
  }
  return dims;
}

// Node indices in a topological order.
absl::StatusOr<std::vector<int>> TopologicalOrder(
    const onnx::GraphProto& g, const std::set<std::string>& sources) {
  std::map<std::string, int> producer;
  for (int n = 0; n < g.node_size(); ++n) {
    for (const std::string& out : g.node(n).output()) {
      if (out.empty()) continue;
      if (sources.count(out) || !producer.emplace(out, n).second) {
        return Invalid(absl::StrCat(ImportContext::Describe(g.node(n)),
                                    ": tensor '", out,
                                    "' is defined more than once"));
      }
    }
  }
  std::vector<int> pending(g.node_size(), 0);
  std::vector<std::vector<int>> readers(g.node_size());
  for (int n = 0; n < g.node_size(); ++n) {
    for (const std::string& in : g.node(n).input()) {
      if (in.empty() || sources.count(in)) continue;
      auto it = producer.find(in);
      if (it == producer.end()) {
        return Invalid(absl::StrCat(
            ImportContext::Describe(g.node(n)), " reads '", in,
            "', which is no graph input, initializer or node output "
            "(missing initializer?)"));
      }
      ++pending[n];
      readers[it->second].push_back(n);
    }
  }
  // Nodes without inputs (Constant) first, so that pattern matchers see
  // every constant; then file order among the ready nodes.
  std::set<std::pair<bool, int>> ready;
  for (int n = 0; n < g.node_size(); ++n) {
    if (pending[n] == 0) ready.insert({g.node(n).input_size() > 0, n});
  }
  std::vector<int> order;
  while (!ready.empty()) {
    int n = ready.begin()->second;
    ready.erase(ready.begin());
    order.push_back(n);
    for (int r : readers[n]) {
      if (--pending[r] == 0) ready.insert({true, r});
    }
  }
  if (static_cast<int>(order.size()) != g.node_size()) {
    for (int n = 0; n < g.node_size(); ++n) {
      if (pending[n] > 0) {
        return Invalid(absl::StrCat("the graph has a cycle through ",
                                    ImportContext::Describe(g.node(n))));
      }
    }
  }
  return order;
}

// The checks ONNX's version converter relies on but its checker does not
// make (a dangling name makes the converter dereference null): every name
// read is defined, no cycles, every output is computed, no subgraphs.
absl::Status CheckBeforeUpgrade(const onnx::GraphProto& g) {
  std::set<std::string> sources;
  for (const auto& init : g.initializer()) sources.insert(init.name());
  for (const auto& in : g.input()) sources.insert(in.name());
  TSOPT_RETURN_IF_ERROR(TopologicalOrder(g, sources).status());
  std::set<std::string> defined = sources;
  for (const auto& node : g.node()) {
    for (const auto& attr : node.attribute()) {
      if (attr.has_g() || attr.graphs_size() > 0) {
        return absl::UnimplementedError(absl::StrCat(
            ImportContext::Describe(node), " has a subgraph attribute"));
      }
    }
    defined.insert(node.output().begin(), node.output().end());
  }
  for (const auto& out : g.output()) {
    if (!defined.count(out.name())) {
      return Invalid(absl::StrCat("graph output '", out.name(),
                                  "' is never computed"));
    }
  }
  return absl::OkStatus();
}

absl::Status ConvertKnownNode(ImportContext& ctx, const onnx::NodeProto& node,
                              onnx_import::Converter convert);

// Converts `node` with its converter. An operator of another domain, one
// without a converter, or one whose converter cannot express this use of it
// (Unimplemented) becomes an opaque node instead, with a note saying why.
absl::Status ConvertNode(ImportContext& ctx, const onnx::NodeProto& node) {
  if (node.output_size() < 1 || node.output(0).empty()) {
    return Invalid(absl::StrCat(ImportContext::Describe(node),
                                " has no output"));
  }
  if (!node.domain().empty() && node.domain() != "ai.onnx") {
    return onnx_import::ConvertOpaque(
        ctx, node, absl::StrCat("operator of domain '", node.domain(), "'"));
  }
  onnx_import::Converter convert = onnx_import::FindConverter(node.op_type());
  if (convert == nullptr) {
    return onnx_import::ConvertOpaque(ctx, node,
                                      "operator tsopt does not support");
  }
  const size_t notes_before = ctx.notes().size();
  absl::Status converted = ConvertKnownNode(ctx, node, convert);
  if (!absl::IsUnimplemented(converted)) return converted;
  ctx.notes().resize(notes_before);  // the failed converter's notes
  absl::string_view why = converted.message();
  absl::ConsumePrefix(&why, ImportContext::Describe(node) + ": ");
  return onnx_import::ConvertOpaque(ctx, node, why);
}

absl::Status ConvertKnownNode(ImportContext& ctx, const onnx::NodeProto& node,
                              onnx_import::Converter convert) {
  int min_inputs = onnx_import::MinInputs(node.op_type());
  if (node.input_size() < min_inputs) {
    return Invalid(absl::StrCat(ImportContext::Describe(node), " has ",
                                node.input_size(), " inputs; ", node.op_type(),
                                " takes at least ", min_inputs));
  }
  absl::Status s = convert(ctx, node);
  if (!s.ok()) {
    std::string prefix = ImportContext::Describe(node);
    if (absl::StartsWith(s.message(), prefix)) return s;
    return absl::Status(s.code(), absl::StrCat(prefix, ": ", s.message()));
  }
  for (const std::string& out : node.output()) {
    // An output only fused-away nodes read (the Erf of a GELU) needs no value.
    bool fused_away = !ctx.IsGraphOutput(out);
    for (const onnx::NodeProto* reader : ctx.Consumers(out)) {
      fused_away = fused_away && ctx.skipped().count(reader) > 0;
    }
    if (!out.empty() && !ctx.Has(out) && !fused_away) {
      return absl::UnimplementedError(absl::StrCat(
          ImportContext::Describe(node), ": output '", out,
          "' is not supported"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<ImportResult> ImportGraph(const onnx::ModelProto& model,
                                         int opset,
                                         const ImportOptions& options) {
  const onnx::GraphProto& g = model.graph();
  ImportContext ctx(model, opset, options);
  std::set<std::string> sources;
  if (g.sparse_initializer_size() > 0) {
    return absl::UnimplementedError("sparse initializers are not supported");
  }
  for (const onnx::TensorProto& init : g.initializer()) {
    if (init.name().empty() || !sources.insert(init.name()).second) {
      return Invalid(absl::StrCat("initializer '", init.name(),
                                  "' is unnamed or defined twice"));
    }
    TSOPT_ASSIGN_OR_RETURN(
        onnx_import::HostTensor t,
        FromTensorProto(init, options.max_constant_elements));
    ctx.SetConstant(init.name(), std::move(t));
  }
  // A misspelt --input-shape name is reported before any input's dims.
  for (const auto& [name, dims] : options.input_shapes) {
    bool found = false;
    for (const onnx::ValueInfoProto& in : g.input()) {
      found = found || (in.name() == name && !sources.count(name));
    }
    if (!found) {
      return Invalid(absl::StrCat("--input-shape names '", name,
                                  "', which is not a graph input"));
    }
  }
  std::set<std::string> input_names;
  for (const onnx::ValueInfoProto& in : g.input()) {
    if (sources.count(in.name()) && !input_names.count(in.name())) continue;
    if (in.name().empty() || !input_names.insert(in.name()).second) {
      return Invalid(absl::StrCat("graph input '", in.name(),
                                  "' is unnamed or listed twice"));
    }
    sources.insert(in.name());
    TSOPT_ASSIGN_OR_RETURN(std::vector<int64_t> dims, InputDims(in, options));
    absl::StatusOr<ValueId> v = ctx.graph().AddInput(in.name(), dims);
    if (!v.ok()) {
      return Invalid(absl::StrCat("graph input '", in.name(), "': ",
                                  v.status().message()));
    }
    ctx.SetValue(in.name(), *v);
  }
  TSOPT_ASSIGN_OR_RETURN(std::vector<int> order, TopologicalOrder(g, sources));
  for (int n : order) {
    const onnx::NodeProto& node = g.node(n);
    if (ctx.skipped().count(&node)) continue;
    TSOPT_RETURN_IF_ERROR(ConvertNode(ctx, node));
  }
  if (g.output_size() == 0) return Invalid("the graph has no outputs");
  ImportResult result;
  for (const onnx::ValueInfoProto& out : g.output()) {
    if (!ctx.Has(out.name())) {
      return Invalid(absl::StrCat("graph output '", out.name(),
                                  "' is never computed"));
    }
    // A graph value of any type (an opaque node's integer output too), or a
    // constant, which becomes a weight.
    const onnx_import::ImportedValue* bound = ctx.Find(out.name());
    ValueId v;
    if (bound->value) {
      v = *bound->value;
    } else {
      onnx::NodeProto probe;
      probe.set_op_type("graph output");
      probe.add_input(out.name());
      probe.add_output(out.name());
      TSOPT_ASSIGN_OR_RETURN(v, ctx.GraphValue(probe, 0));
    }
    TSOPT_RETURN_IF_ERROR(ctx.graph().MarkOutput(v));
    result.output_names.push_back(out.name());
  }
  result.graph = ctx.graph().WithoutDeadNodes();
  for (const Node& n : result.graph.nodes()) {
    const onnx::NodeProto* producer = ctx.Producer(n.name);
    if (n.num_outputs() < 2 || producer == nullptr) continue;
    std::vector<std::string> names;
    for (const std::string& out : producer->output()) {
      if (!out.empty()) names.push_back(out);
    }
    if (static_cast<int>(names.size()) == n.num_outputs()) {
      result.multi_output_names[n.name] = std::move(names);
    }
  }
  TSOPT_RETURN_IF_ERROR(result.graph.Validate());
  result.opset = opset;
  result.notes = std::move(ctx.notes());
  return result;
}

}  // namespace

absl::StatusOr<ImportResult> ImportOnnx(absl::string_view model_bytes,
                                        const ImportOptions& options) {
  onnx::ModelProto model;
  if (model_bytes.size() > static_cast<size_t>(INT32_MAX) ||
      !model.ParseFromArray(model_bytes.data(),
                            static_cast<int>(model_bytes.size()))) {
    return Invalid("not a valid ONNX model: the protobuf does not parse "
                   "(truncated or corrupt file?)");
  }
  if (!model.has_graph()) return Invalid("the ONNX model has no graph");
  std::string upgrade_note;
  TSOPT_ASSIGN_OR_RETURN(int opset, DefaultOpset(model));
  if (opset < kMinOnnxOpset) {
    TSOPT_RETURN_IF_ERROR(CheckBeforeUpgrade(model.graph()));
    TSOPT_ASSIGN_OR_RETURN(model, UpgradeOpset(model, opset));
    upgrade_note = absl::StrCat("model upgraded from opset ", opset, " to ",
                                kMinOnnxOpset,
                                " with the ONNX version converter");
    opset = kMinOnnxOpset;
  }
  TSOPT_ASSIGN_OR_RETURN(ImportResult result,
                         ImportGraph(model, opset, options));
  if (!upgrade_note.empty()) {
    result.notes.insert(result.notes.begin(), upgrade_note);
  }
  return result;
}

absl::StatusOr<ImportResult> ImportOnnxFile(const std::string& path,
                                            const ImportOptions& options) {
  TSOPT_ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
  absl::StatusOr<ImportResult> r = ImportOnnx(bytes, options);
  if (!r.ok()) {
    return absl::Status(r.status().code(),
                        absl::StrCat(path, ": ", r.status().message()));
  }
  return r;
}

absl::StatusOr<Tensor> ReadTensorProtoFile(const std::string& path) {
  TSOPT_ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
  onnx::TensorProto proto;
  if (!proto.ParseFromString(bytes)) {
    return Invalid(absl::StrCat(path, ": not a TensorProto"));
  }
  TSOPT_ASSIGN_OR_RETURN(onnx_import::HostTensor t,
                         FromTensorProto(proto, Shape::kMaxElements));
  TSOPT_ASSIGN_OR_RETURN(Shape shape, Shape::Create(t.dims));
  Tensor out;
  out.shape = shape;
  if (t.is_float) {
    out.data = std::move(t.f);
  } else {
    out.data.assign(t.i.begin(), t.i.end());
  }
  return out;
}

absl::StatusOr<std::map<std::string, std::vector<int64_t>>> ParseInputShapes(
    absl::string_view text) {
  std::map<std::string, std::vector<int64_t>> shapes;
  for (absl::string_view item : absl::StrSplit(text, ';', absl::SkipEmpty())) {
    std::vector<absl::string_view> kv = absl::StrSplit(item, '=');
    if (kv.size() != 2 || kv[0].empty()) {
      return Invalid(absl::StrCat("bad input shape '", item,
                                  "' (expected name=d0,d1,...)"));
    }
    std::vector<int64_t> dims;
    for (absl::string_view d : absl::StrSplit(kv[1], ',', absl::SkipEmpty())) {
      int64_t v;
      if (!absl::SimpleAtoi(d, &v) || v < 1) {
        return Invalid(absl::StrCat("bad dim '", d, "' in input shape '",
                                    item, "'"));
      }
      dims.push_back(v);
    }
    shapes[std::string(kv[0])] = dims;
  }
  return shapes;
}

}  // namespace tsopt

// ONNX export: every operator of ops.def as standard ONNX at opsets 11-17
// (an exhaustive switch: a new operator does not compile until it has an
// export). Fused activations become a following Relu/Sigmoid/Tanh node or
// the Erf GELU pattern; opaque nodes are written back as they were imported
// (export_opaque.cc); the result is checked with onnx::checker and ONNX
// shape inference before it is returned.
#include <cmath>
#include <fstream>
#include <set>

#include "absl/strings/str_cat.h"
#include "onnx/checker.h"
#include "onnx/shape_inference/implementation.h"
#include "src/onnx/export_opaque.h"
#include "src/onnx/export_writer.h"
#include "tsopt/onnx/onnx.h"
#include "tsopt/util/status_macros.h"

namespace tsopt {
namespace {

using onnx_export::ExportWriter;
using onnx_import::HostTensor;

class Exporter {
 public:
  Exporter(const Graph& graph, const ExportOptions& options,
           onnx::GraphProto* proto)
      : g_(graph), opset_(options.opset), proto_(proto),
        w_(graph, proto, options) {}

  absl::Status EmitNode(NodeId id);
  // The opsets the opaque nodes' domains need (besides the default one).
  const std::map<std::string, int64_t>& domains() const { return domains_; }
  // Graph inputs and outputs (ExportWriter decides which outputs need an
  // Identity).
  void EmitInput(NodeId id, onnx::GraphProto* proto);
  void EmitOutputs(onnx::GraphProto* proto);

 private:
  // x -> 0.5 * x * (1 + erf(x / sqrt(2))), the pattern the importer fuses.
  void EmitGelu(const std::string& x, const std::string& out) {
    std::string s = w_.Fresh(out + "/scaled");
    std::string e = w_.Fresh(out + "/erf");
    std::string p = w_.Fresh(out + "/plus_one");
    std::string m = w_.Fresh(out + "/times_x");
    w_.Node("Div", {x, w_.Scalar(static_cast<float>(std::sqrt(2.0)))}, {s});
    w_.Node("Erf", {s}, {e});
    w_.Node("Add", {e, w_.Scalar(1.0f)}, {p});
    w_.Node("Mul", {x, p}, {m});
    w_.Node("Mul", {m, w_.Scalar(0.5f)}, {out});
  }
  // Writes `op_type(inputs)` into `out`, followed by activation `act`.
  onnx::NodeProto* WithActivation(const std::string& op_type,
                                  const std::vector<std::string>& inputs,
                                  const std::string& out, Activation act) {
    if (act == Activation::kNone) return w_.Node(op_type, inputs, {out});
    std::string pre = w_.Fresh(out + "/pre_activation");
    onnx::NodeProto* n = w_.Node(op_type, inputs, {pre});
    switch (act) {
      case Activation::kNone:
        break;
      case Activation::kRelu:
        w_.Node("Relu", {pre}, {out});
        break;
      case Activation::kSigmoid:
        w_.Node("Sigmoid", {pre}, {out});
        break;
      case Activation::kTanh:
        w_.Node("Tanh", {pre}, {out});
        break;
      case Activation::kGelu:
        EmitGelu(pre, out);
        break;
    }
    return n;
  }
  void EmitLayerNorm(const Node& n, const std::vector<std::string>& in,
                     const std::string& out);
  void EmitSoftmax(const Node& n, const std::string& x, const std::string& out);

  const Graph& g_;
  int opset_;
  onnx::GraphProto* proto_;
  ExportWriter w_;
  std::map<std::string, int64_t> domains_;
};

void Exporter::EmitLayerNorm(const Node& n, const std::vector<std::string>& in,
                             const std::string& out) {
  const auto& a = n.attrs_as<LayerNormAttrs>();
  int rank = g_.shape(n.inputs[0]).rank();
  int axis = static_cast<int>(a.axis < 0 ? a.axis + rank : a.axis);
  if (opset_ >= 17) {
    onnx::NodeProto* p = w_.Node("LayerNormalization", in, {out});
    ExportWriter::SetInt(p, "axis", axis);
    ExportWriter::SetFloat(p, "epsilon", a.epsilon);
    return;
  }
  // Before opset 17: (x - mean) / sqrt(var + eps) * scale + bias.
  std::vector<int64_t> axes;
  for (int k = axis; k < rank; ++k) axes.push_back(k);
  auto t = [&](const char* what) { return w_.Fresh(out + "/" + what); };
  std::string mean = t("mean"), d = t("centered"), sq = t("squared"),
              var = t("var"), ve = t("var_eps"), sd = t("std"),
              norm = t("normalized"), scaled = t("scaled");
  ExportWriter::SetInts(w_.Node("ReduceMean", {in[0]}, {mean}), "axes", axes);
  w_.Node("Sub", {in[0], mean}, {d});
  w_.Node("Mul", {d, d}, {sq});
  ExportWriter::SetInts(w_.Node("ReduceMean", {sq}, {var}), "axes", axes);
  w_.Node("Add", {var, w_.Scalar(a.epsilon)}, {ve});
  w_.Node("Sqrt", {ve}, {sd});
  w_.Node("Div", {d, sd}, {norm});
  w_.Node("Mul", {norm, in[1]}, {scaled});
  w_.Node("Add", {scaled, in[2]}, {out});
}

void Exporter::EmitSoftmax(const Node& n, const std::string& x,
                           const std::string& out) {
  int rank = g_.shape(n.inputs[0]).rank();
  int64_t axis = n.attrs_as<SoftmaxAttrs>().axis;
  if (axis < 0) axis += rank;
  if (opset_ >= 13 || axis == rank - 1) {
    ExportWriter::SetInt(w_.Node("Softmax", {x}, {out}), "axis", axis);
    return;
  }
  // Opset < 13 flattens [axis, rank): move the axis last and back.
  std::vector<int64_t> perm;
  for (int k = 0; k < rank; ++k) {
    if (k != axis) perm.push_back(k);
  }
  perm.push_back(axis);
  std::vector<int64_t> inverse(rank);
  for (int k = 0; k < rank; ++k) inverse[perm[k]] = k;
  std::string moved = w_.Fresh(out + "/axis_last");
  std::string soft = w_.Fresh(out + "/softmax");
  ExportWriter::SetInts(w_.Node("Transpose", {x}, {moved}), "perm", perm);
  ExportWriter::SetInt(w_.Node("Softmax", {moved}, {soft}), "axis", rank - 1);
  ExportWriter::SetInts(w_.Node("Transpose", {soft}, {out}), "perm", inverse);
}

absl::Status Exporter::EmitNode(NodeId id) {
  const Node& n = g_.node(id);
  std::vector<std::string> in;
  for (ValueId v : n.inputs) in.push_back(w_.Name(v));
  const std::string& out = w_.Name({id, 0});
  onnx::NodeProto* p = nullptr;
  switch (n.op) {
    case OpKind::kInput:
      break;  // written as a graph input by ExportModel
    case OpKind::kWeight: {
      if (n.weight == nullptr) {
        return absl::InvalidArgumentError(absl::StrCat(
            g_.Describe(id), " has no data; symbolic weights cannot be exported"));
      }
      HostTensor t = HostTensor::Floats(n.output_shapes[0].dims(),
                                        n.weight->values);
      w_.WriteInitializer(t, out);
      break;
    }
    case OpKind::kConv2D: {
      const auto& a = n.attrs_as<Conv2DAttrs>();
      const Shape& ws = g_.shape(n.inputs[1]);
      p = WithActivation("Conv", in, out, a.activation);
      ExportWriter::SetInts(p, "kernel_shape", {ws.dim(2), ws.dim(3)});
      ExportWriter::SetInts(p, "strides", a.stride);
      ExportWriter::SetInts(p, "pads", a.pad);
      ExportWriter::SetInts(p, "dilations", a.dilation);
      ExportWriter::SetInt(p, "group", a.groups);
      break;
    }
    case OpKind::kMatMul: {
      const Activation act = n.attrs_as<MatMulAttrs>().activation;
      if (in.size() == 2) {
        WithActivation("MatMul", in, out, act);
        break;
      }
      if (g_.shape(n.inputs[0]).rank() == 2 &&
          g_.shape(n.inputs[1]).rank() == 2) {
        WithActivation("Gemm", in, out, act);  // C = the [N] bias
        break;
      }
      // A batched biased matmul: MatMul, then Add of the [N] bias.
      const std::string product = w_.Fresh(out + "/matmul");
      w_.Node("MatMul", {in[0], in[1]}, {product});
      WithActivation("Add", {product, in[2]}, out, act);
      break;
    }
    case OpKind::kAdd:
      w_.Node("Add", in, {out});
      break;
    case OpKind::kSub:
      w_.Node("Sub", in, {out});
      break;
    case OpKind::kMul:
    case OpKind::kScalarMul:
      w_.Node("Mul", in, {out});
      break;
    case OpKind::kDiv:
      w_.Node("Div", in, {out});
      break;
    case OpKind::kRelu:
      w_.Node("Relu", in, {out});
      break;
    case OpKind::kSigmoid:
      w_.Node("Sigmoid", in, {out});
      break;
    case OpKind::kTanh:
      w_.Node("Tanh", in, {out});
      break;
    case OpKind::kGelu:
      EmitGelu(in[0], out);
      break;
    case OpKind::kExp:
      w_.Node("Exp", in, {out});
      break;
    case OpKind::kSqrt:
      w_.Node("Sqrt", in, {out});
      break;
    case OpKind::kIdentity:
      w_.Node("Identity", in, {out});
      break;
    case OpKind::kBatchNorm:
      ExportWriter::SetFloat(w_.Node("BatchNormalization", in, {out}),
                             "epsilon", n.attrs_as<BatchNormAttrs>().epsilon);
      break;
    case OpKind::kLayerNorm:
      EmitLayerNorm(n, in, out);
      break;
    case OpKind::kSoftmax:
      EmitSoftmax(n, in[0], out);
      break;
    case OpKind::kMaxPool2D:
    case OpKind::kAvgPool2D: {
      const auto& a = n.attrs_as<Pool2DAttrs>();
      bool max = n.op == OpKind::kMaxPool2D;
      p = w_.Node(max ? "MaxPool" : "AveragePool", in, {out});
      ExportWriter::SetInts(p, "kernel_shape", a.kernel);
      ExportWriter::SetInts(p, "strides", a.stride);
      ExportWriter::SetInts(p, "pads", a.pad);
      if (!max) ExportWriter::SetInt(p, "count_include_pad", a.count_include_pad);
      break;
    }
    case OpKind::kGlobalAvgPool:
      w_.Node("GlobalAveragePool", in, {out});
      break;
    case OpKind::kReduceSum:
    case OpKind::kReduceMean: {
      const auto& a = n.attrs_as<ReduceAttrs>();
      bool sum = n.op == OpKind::kReduceSum;
      if (sum && opset_ >= 13) {
        if (!a.axes.empty()) in.push_back(w_.Ints(a.axes, out + "/axes"));
        p = w_.Node("ReduceSum", in, {out});
      } else {
        p = w_.Node(sum ? "ReduceSum" : "ReduceMean", in, {out});
        if (!a.axes.empty()) ExportWriter::SetInts(p, "axes", a.axes);
      }
      ExportWriter::SetInt(p, "keepdims", a.keepdims);
      break;
    }
    case OpKind::kConcat:
      ExportWriter::SetInt(w_.Node("Concat", in, {out}), "axis",
                           n.attrs_as<ConcatAttrs>().axis);
      break;
    case OpKind::kSplit: {
      const auto& a = n.attrs_as<SplitAttrs>();
      std::vector<std::string> outs;
      for (int k = 0; k < n.num_outputs(); ++k) outs.push_back(w_.Name({id, k}));
      if (opset_ >= 13) in.push_back(w_.Ints(a.sizes, outs[0] + "/split"));
      p = w_.Node("Split", in, outs);
      ExportWriter::SetInt(p, "axis", a.axis);
      if (opset_ < 13) ExportWriter::SetInts(p, "split", a.sizes);
      break;
    }
    case OpKind::kReshape:
      in.push_back(w_.Ints(n.attrs_as<ReshapeAttrs>().shape, out + "/shape"));
      w_.Node("Reshape", in, {out});
      break;
    case OpKind::kTranspose:
      ExportWriter::SetInts(w_.Node("Transpose", in, {out}), "perm",
                            n.attrs_as<TransposeAttrs>().perm);
      break;
    case OpKind::kFlatten:
      ExportWriter::SetInt(w_.Node("Flatten", in, {out}), "axis",
                           n.attrs_as<FlattenAttrs>().axis);
      break;
    case OpKind::kEnlarge: {
      const Shape& s = g_.shape(n.inputs[0]);
      const auto& k = n.attrs_as<EnlargeAttrs>().kernel;
      int64_t ph = (k[0] - s.dim(2)) / 2, pw = (k[1] - s.dim(3)) / 2;
      in.push_back(w_.Ints({0, 0, ph, pw, 0, 0, ph, pw}, out + "/pads"));
      w_.Node("Pad", in, {out});
      break;
    }
    case OpKind::kPad: {
      const auto& a = n.attrs_as<PadAttrs>();
      in.push_back(w_.Ints(a.pads, out + "/pads"));
      in.push_back(w_.Scalar(a.value));
      w_.Node("Pad", in, {out});
      break;
    }
    case OpKind::kSlice: {
      const auto& a = n.attrs_as<SliceAttrs>();
      in.push_back(w_.Ints(a.starts, out + "/starts"));
      in.push_back(w_.Ints(a.ends, out + "/ends"));
      in.push_back(w_.Ints(a.axes, out + "/axes"));
      in.push_back(w_.Ints(a.steps, out + "/steps"));
      w_.Node("Slice", in, {out});
      break;
    }
    case OpKind::kOpaque:
      return onnx_export::EmitOpaque(g_, id, w_, proto_, &domains_);
  }
  return absl::OkStatus();
}

void SetTensorType(const Shape& shape, onnx::ValueInfoProto* info,
                   int elem_type = onnx::TensorProto::FLOAT) {
  auto* t = info->mutable_type()->mutable_tensor_type();
  t->set_elem_type(elem_type);
  auto* s = t->mutable_shape();
  for (int64_t d : shape.dims()) s->add_dim()->set_dim_value(d);
}

void Exporter::EmitInput(NodeId id, onnx::GraphProto* proto) {
  auto* in = proto->add_input();
  in->set_name(w_.Name({id, 0}));
  SetTensorType(g_.node(id).output_shapes[0], in);
}

void Exporter::EmitOutputs(onnx::GraphProto* proto) {
  std::set<std::string> names;
  for (int i = 0; i < static_cast<int>(g_.outputs().size()); ++i) {
    ValueId v = g_.outputs()[i];
    const std::string& name = w_.OutputName(i);
    if (w_.OutputNeedsCopy(i)) w_.Node("Identity", {w_.Name(v)}, {name});
    names.insert(name);
    const Node& n = g_.node(v.node);
    int elem_type = onnx::TensorProto::FLOAT;
    if (n.op == OpKind::kOpaque) {
      elem_type = static_cast<int>(
          n.attrs_as<OpaqueAttrs>().output_dtypes[v.output]);
    }
    auto* out = proto->add_output();
    out->set_name(name);
    SetTensorType(g_.shape(v), out, elem_type);
  }
  // value_info (written for opaque outputs) lists no graph output.
  auto* infos = proto->mutable_value_info();
  for (int k = infos->size() - 1; k >= 0; --k) {
    if (names.count(infos->Get(k).name())) infos->DeleteSubrange(k, 1);
  }
}

// Runs the ONNX checker and strict shape inference; the inferred output
// shapes must be ours.
absl::Status CheckModel(onnx::ModelProto model) {
  try {
    onnx::checker::check_model(model);
    onnx::ShapeInferenceOptions options(/*check_type_val=*/true,
                                        /*strict_mode_val=*/1);
    onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(),
                                       options);
  } catch (const std::exception& e) {
    return absl::InternalError(
        absl::StrCat("the exported model fails the ONNX checks: ", e.what()));
  }
  return absl::OkStatus();
}

int IrVersionFor(int opset) {
  if (opset <= 11) return 6;
  if (opset <= 14) return 7;
  return 8;
}

}  // namespace

absl::StatusOr<std::string> ExportOnnx(const Graph& graph, int opset) {
  ExportOptions options;
  options.opset = opset;
  return ExportOnnx(graph, options);
}

absl::Status ExportOnnxFile(const Graph& graph, int opset,
                            const std::string& path) {
  ExportOptions options;
  options.opset = opset;
  return ExportOnnxFile(graph, options, path);
}

absl::StatusOr<std::string> ExportOnnx(const Graph& graph,
                                       const ExportOptions& options) {
  const int opset = options.opset;
  if (opset < kMinOnnxOpset || opset > kMaxOnnxOpset) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot export at opset ", opset, " (supported: ",
                     kMinOnnxOpset, " to ", kMaxOnnxOpset, ")"));
  }
  TSOPT_RETURN_IF_ERROR(graph.Validate());
  onnx::ModelProto model;
  model.set_ir_version(IrVersionFor(opset));
  model.set_producer_name("tsopt");
  auto* imp = model.add_opset_import();
  imp->set_domain("");
  imp->set_version(opset);
  onnx::GraphProto* proto = model.mutable_graph();
  proto->set_name("tsopt");
  Exporter exporter(graph, options, proto);
  for (NodeId id = 0; id < graph.num_nodes(); ++id) {
    if (graph.node(id).op == OpKind::kInput) exporter.EmitInput(id, proto);
    TSOPT_RETURN_IF_ERROR(exporter.EmitNode(id));
  }
  exporter.EmitOutputs(proto);
  for (const auto& [domain, version] : exporter.domains()) {
    if (domain.empty()) continue;  // the default domain is `opset`
    auto* custom = model.add_opset_import();
    custom->set_domain(domain);
    custom->set_version(version);
  }
  TSOPT_RETURN_IF_ERROR(CheckModel(model));
  std::string bytes;
  if (!model.SerializeToString(&bytes)) {
    return absl::InternalError("cannot serialize the ONNX model");
  }
  return bytes;
}

absl::Status ExportOnnxFile(const Graph& graph, const ExportOptions& options,
                            const std::string& path) {
  TSOPT_ASSIGN_OR_RETURN(std::string bytes, ExportOnnx(graph, options));
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  out.close();
  if (!out) {
    return absl::PermissionDeniedError(absl::StrCat("cannot write '", path, "'"));
  }
  return absl::OkStatus();
}

}  // namespace tsopt

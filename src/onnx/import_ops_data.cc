// ONNX converters for elementwise arithmetic, data movement, reductions and
// the constant-foldable shape operators (Constant, Shape, Gather, Unsqueeze,
// Squeeze, Cast, ConstantOfShape). When every input is a host constant the
// result is folded on the host and the node noted.
#include <algorithm>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "src/onnx/import_ops.h"
#include "tsopt/util/status_macros.h"

namespace tsopt::onnx_import {
namespace {

absl::Status Fold(ImportContext& ctx, const onnx::NodeProto& node,
                  HostTensor t) {
  TSOPT_RETURN_IF_ERROR(CheckedNumElements(t.dims, ctx.options().max_constant_elements,
                                           ImportContext::Describe(node))
                            .status());
  ctx.Note(node, absl::StrCat("folded to a constant ", DimsToString(t.dims)));
  ctx.SetConstant(node.output(0), std::move(t));
  return absl::OkStatus();
}

bool AllConstant(const ImportContext& ctx, const onnx::NodeProto& node) {
  for (const std::string& in : node.input()) {
    if (!in.empty() && !ctx.IsConstant(in)) return false;
  }
  return true;
}

absl::StatusOr<int> Axis(const onnx::NodeProto& node, int64_t axis, int rank) {
  if (axis < -rank || axis >= rank) {
    return Unsupported(node, absl::StrCat("axis ", axis,
                                          " is out of range for rank ", rank));
  }
  return static_cast<int>(axis < 0 ? axis + rank : axis);
}

// Axes from the attribute (older opsets) or from input `index` (newer).
absl::StatusOr<std::vector<int64_t>> AxesOf(ImportContext& ctx,
                                            const onnx::NodeProto& node,
                                            NodeAttrs& a, int index) {
  if (ImportContext::HasInput(node, index)) {
    TSOPT_ASSIGN_OR_RETURN(HostTensor t, ctx.Constant(node, index));
    return t.IntValues();
  }
  std::vector<int64_t> axes = a.Ints("axes", {});
  TSOPT_RETURN_IF_ERROR(a.status());
  return axes;
}

template <HostBinary kHost, OpKind kOp>
absl::Status ConvertBinary(ImportContext& ctx, const onnx::NodeProto& node) {
  if (AllConstant(ctx, node)) {
    TSOPT_ASSIGN_OR_RETURN(HostTensor x, ctx.Constant(node, 0));
    TSOPT_ASSIGN_OR_RETURN(HostTensor y, ctx.Constant(node, 1));
    absl::StatusOr<HostTensor> r =
        HostBinaryOp(kHost, x, y, ctx.options().max_constant_elements);
    if (!r.ok()) return Unsupported(node, r.status().message());
    return Fold(ctx, node, *std::move(r));
  }
  TSOPT_ASSIGN_OR_RETURN(ValueId x, ctx.GraphValue(node, 0));
  TSOPT_ASSIGN_OR_RETURN(ValueId y, ctx.GraphValue(node, 1));
  return Finish(ctx, node, kOp, NoAttrs{}, {x, y});
}

absl::Status PassThrough(ImportContext& ctx, const onnx::NodeProto& node) {
  if (ctx.IsConstant(node.input(0))) {
    TSOPT_ASSIGN_OR_RETURN(HostTensor t, ctx.Constant(node, 0));
    ctx.SetConstant(node.output(0), std::move(t));
    return absl::OkStatus();
  }
  TSOPT_ASSIGN_OR_RETURN(ValueId x, ctx.GraphValue(node, 0));
  return Finish(ctx, node, OpKind::kIdentity, NoAttrs{}, {x});
}

absl::Status ConvertIdentity(ImportContext& ctx, const onnx::NodeProto& node) {
  return PassThrough(ctx, node);
}

absl::Status ConvertDropout(ImportContext& ctx, const onnx::NodeProto& node) {
  NodeAttrs a(node);
  if (a.Int("is_test", 1) == 0) return Unsupported(node, "training dropout");
  TSOPT_RETURN_IF_ERROR(a.status());
  if (ImportContext::HasInput(node, 2)) {
    TSOPT_ASSIGN_OR_RETURN(HostTensor t, ctx.Constant(node, 2));
    if (t.size() != 1 || t.AsInt(0) != 0) {
      return Unsupported(node, "training_mode=true is not supported");
    }
  }
  if (node.output_size() > 1 && !node.output(1).empty()) {
    return Unsupported(node, "the mask output is not supported");
  }
  ctx.Note(node, "Dropout (inference) treated as identity");
  return PassThrough(ctx, node);
}

absl::Status ConvertCast(ImportContext& ctx, const onnx::NodeProto& node) {
  NodeAttrs a(node);
  int64_t to = a.Int("to", 0);
  TSOPT_RETURN_IF_ERROR(a.status());
  bool to_float = to == onnx::TensorProto::FLOAT ||
                  to == onnx::TensorProto::DOUBLE;
  bool to_int = to == onnx::TensorProto::INT64 ||
                to == onnx::TensorProto::INT32 ||
                to == onnx::TensorProto::INT8 || to == onnx::TensorProto::INT16 ||
                to == onnx::TensorProto::UINT8 || to == onnx::TensorProto::BOOL;
  if (!to_float && !to_int) {
    return Unsupported(node, absl::StrCat("cast to ", DataTypeName(to),
                                          " is not supported"));
  }
  if (ctx.IsConstant(node.input(0))) {
    TSOPT_ASSIGN_OR_RETURN(HostTensor t, ctx.Constant(node, 0));
    HostTensor r;
    r.dims = t.dims;
    r.is_float = to_float;
    for (int64_t k = 0; k < t.size(); ++k) {
      if (to_float) {
        r.f.push_back(static_cast<float>(t.AsDouble(k)));
      } else if (to == onnx::TensorProto::BOOL) {
        r.i.push_back(t.AsDouble(k) != 0.0);
      } else {
        r.i.push_back(t.AsInt(k));
      }
    }
    return Fold(ctx, node, std::move(r));
  }
  if (!to_float) {
    return Unsupported(node, "cast of a run-time tensor to an integer type");
  }
  ctx.Note(node, "Cast of a float tensor to float treated as identity");
  return PassThrough(ctx, node);
}

absl::Status ConvertConstant(ImportContext& ctx, const onnx::NodeProto& node) {
  NodeAttrs a(node);
  if (const onnx::TensorProto* t = a.Tensor("value")) {
    TSOPT_ASSIGN_OR_RETURN(
        HostTensor h, FromTensorProto(*t, ctx.options().max_constant_elements));
    ctx.SetConstant(node.output(0), std::move(h));
    return a.status();
  }
  if (a.Has("value_float")) {
    ctx.SetConstant(node.output(0),
                    HostTensor::Floats({}, {a.Float("value_float", 0)}));
  } else if (a.Has("value_floats")) {
    std::vector<float> v = a.Floats("value_floats", {});
    int64_t n = static_cast<int64_t>(v.size());
    ctx.SetConstant(node.output(0), HostTensor::Floats({n}, std::move(v)));
  } else if (a.Has("value_int")) {
    ctx.SetConstant(node.output(0),
                    HostTensor::Ints({}, {a.Int("value_int", 0)}));
  } else if (a.Has("value_ints")) {
    std::vector<int64_t> v = a.Ints("value_ints", {});
    int64_t n = static_cast<int64_t>(v.size());
    ctx.SetConstant(node.output(0), HostTensor::Ints({n}, std::move(v)));
  } else {
    return Unsupported(node, "only tensor, float(s) and int(s) values are "
                             "supported");
  }
  return a.status();
}

absl::Status ConvertConstantOfShape(ImportContext& ctx,
                                    const onnx::NodeProto& node) {
  NodeAttrs a(node);
  TSOPT_ASSIGN_OR_RETURN(HostTensor shape, ctx.Constant(node, 0));
  std::vector<int64_t> dims = shape.IntValues();
  TSOPT_ASSIGN_OR_RETURN(
      int64_t n, CheckedNumElements(dims, ctx.options().max_constant_elements,
                                    ImportContext::Describe(node)));
  HostTensor value = HostTensor::Floats({1}, {0.0f});
  if (const onnx::TensorProto* t = a.Tensor("value")) {
    TSOPT_ASSIGN_OR_RETURN(value, FromTensorProto(*t, 1));
    if (value.size() != 1) return Unsupported(node, "value must hold one element");
  }
  TSOPT_RETURN_IF_ERROR(a.status());
  HostTensor r;
  r.dims = dims;
  r.is_float = value.is_float;
  if (r.is_float) r.f.assign(n, value.f[0]); else r.i.assign(n, value.i[0]);
  return Fold(ctx, node, std::move(r));
}

absl::Status ConvertShape(ImportContext& ctx, const onnx::NodeProto& node) {
  NodeAttrs a(node);
  TSOPT_ASSIGN_OR_RETURN(std::vector<int64_t> dims, ctx.Dims(node, 0));
  int64_t rank = static_cast<int64_t>(dims.size());
  int64_t start = a.Int("start", 0), end = a.Int("end", rank);
  TSOPT_RETURN_IF_ERROR(a.status());
  if (start < 0) start += rank;
  if (end < 0) end += rank;
  start = std::clamp<int64_t>(start, 0, rank);
  end = std::clamp<int64_t>(end, start, rank);
  std::vector<int64_t> v(dims.begin() + start, dims.begin() + end);
  int64_t n = static_cast<int64_t>(v.size());
  return Fold(ctx, node, HostTensor::Ints({n}, std::move(v)));
}

absl::Status ConvertGather(ImportContext& ctx, const onnx::NodeProto& node) {
  NodeAttrs a(node);
  int64_t axis_attr = a.Int("axis", 0);
  TSOPT_RETURN_IF_ERROR(a.status());
  TSOPT_ASSIGN_OR_RETURN(std::vector<int64_t> dims, ctx.Dims(node, 0));
  TSOPT_ASSIGN_OR_RETURN(int axis, Axis(node, axis_attr, dims.size()));
  TSOPT_ASSIGN_OR_RETURN(HostTensor idx, ctx.Constant(node, 1));
  if (idx.is_float) return Unsupported(node, "indices must be integers");
  for (int64_t& i : idx.i) {
    if (i < -dims[axis] || i >= dims[axis]) {
      return Unsupported(node, absl::StrCat("index ", i, " is out of range"));
    }
    if (i < 0) i += dims[axis];
  }
  if (ctx.IsConstant(node.input(0))) {
    TSOPT_ASSIGN_OR_RETURN(HostTensor data, ctx.Constant(node, 0));
    std::vector<int64_t> out_dims = dims;
    out_dims[axis] = 1;
    out_dims.insert(out_dims.end(), idx.dims.begin(), idx.dims.end());
    TSOPT_RETURN_IF_ERROR(
        CheckedNumElements(out_dims, ctx.options().max_constant_elements,
                           ImportContext::Describe(node))
            .status());
    return Fold(ctx, node, HostGather(data, axis, idx));
  }
  // Run-time data, constant indices: one slice per index, concatenated,
  // then reshaped to data[:axis] + indices + data[axis+1:].
  if (idx.size() < 1 || idx.size() > 256) {
    return Unsupported(node, "Gather of run-time data needs 1 to 256 indices");
  }
  TSOPT_ASSIGN_OR_RETURN(ValueId x, ctx.GraphValue(node, 0));
  const std::string& out = node.output(0);
  std::vector<ValueId> parts;
  for (int64_t k = 0; k < idx.size(); ++k) {
    SliceAttrs s{{idx.i[k]}, {idx.i[k] + 1}, {axis}, {1}};
    TSOPT_ASSIGN_OR_RETURN(ValueId p, ctx.Add(OpKind::kSlice, s, {x},
                                              absl::StrCat(out, "/index", k)));
    parts.push_back(p);
  }
  ValueId joined = parts[0];
  if (parts.size() > 1) {
    TSOPT_ASSIGN_OR_RETURN(joined, ctx.Add(OpKind::kConcat, ConcatAttrs{axis},
                                           parts, out + "/concat"));
  }
  std::vector<int64_t> out_dims(dims.begin(), dims.begin() + axis);
  out_dims.insert(out_dims.end(), idx.dims.begin(), idx.dims.end());
  out_dims.insert(out_dims.end(), dims.begin() + axis + 1, dims.end());
  ctx.Note(node, "Gather with constant indices expressed as slices + concat "
                 "+ reshape");
  return Finish(ctx, node, OpKind::kReshape, ReshapeAttrs{out_dims}, {joined});
}

// Reshape of a run-time value or a host constant to fully known dims.
absl::Status ReshapeTo(ImportContext& ctx, const onnx::NodeProto& node,
                       std::vector<int64_t> dims, bool note) {
  if (ctx.IsConstant(node.input(0))) {
    TSOPT_ASSIGN_OR_RETURN(HostTensor t, ctx.Constant(node, 0));
    t.dims = std::move(dims);
    return Fold(ctx, node, std::move(t));
  }
  TSOPT_ASSIGN_OR_RETURN(ValueId x, ctx.GraphValue(node, 0));
  if (note) ctx.Note(node, "expressed as reshape");
  return Finish(ctx, node, OpKind::kReshape, ReshapeAttrs{std::move(dims)},
                {x});
}

absl::Status ConvertUnsqueeze(ImportContext& ctx, const onnx::NodeProto& node) {
  NodeAttrs a(node);
  TSOPT_ASSIGN_OR_RETURN(std::vector<int64_t> dims, ctx.Dims(node, 0));
  TSOPT_ASSIGN_OR_RETURN(std::vector<int64_t> axes, AxesOf(ctx, node, a, 1));
  int rank = static_cast<int>(dims.size() + axes.size());
  std::vector<bool> inserted(rank, false);
  for (int64_t ax : axes) {
    TSOPT_ASSIGN_OR_RETURN(int k, Axis(node, ax, rank));
    if (inserted[k]) return Unsupported(node, "axes repeat an axis");
    inserted[k] = true;
  }
  std::vector<int64_t> out;
  size_t next = 0;
  for (int k = 0; k < rank; ++k) out.push_back(inserted[k] ? 1 : dims[next++]);
  return ReshapeTo(ctx, node, std::move(out), true);
}

absl::Status ConvertSqueeze(ImportContext& ctx, const onnx::NodeProto& node) {
  NodeAttrs a(node);
  TSOPT_ASSIGN_OR_RETURN(std::vector<int64_t> dims, ctx.Dims(node, 0));
  TSOPT_ASSIGN_OR_RETURN(std::vector<int64_t> axes, AxesOf(ctx, node, a, 1));
  int rank = static_cast<int>(dims.size());
  std::vector<bool> removed(rank, axes.empty());
  if (axes.empty()) {
    for (int k = 0; k < rank; ++k) removed[k] = dims[k] == 1;
  }
  for (int64_t ax : axes) {
    TSOPT_ASSIGN_OR_RETURN(int k, Axis(node, ax, rank));
    if (dims[k] != 1) return Unsupported(node, "squeezed axis is not 1");
    removed[k] = true;
  }
  std::vector<int64_t> out;
  for (int k = 0; k < rank; ++k) {
    if (!removed[k]) out.push_back(dims[k]);
  }
  return ReshapeTo(ctx, node, std::move(out), true);
}

absl::Status ConvertReshape(ImportContext& ctx, const onnx::NodeProto& node) {
  NodeAttrs a(node);
  int64_t allow_zero = a.Int("allowzero", 0);
  TSOPT_RETURN_IF_ERROR(a.status());
  TSOPT_ASSIGN_OR_RETURN(std::vector<int64_t> dims, ctx.Dims(node, 0));
  TSOPT_ASSIGN_OR_RETURN(HostTensor shape_t, ctx.Constant(node, 1));
  std::vector<int64_t> shape = shape_t.IntValues();
  int64_t total = 1;
  for (int64_t d : dims) total *= d;
  int infer = -1;
  int64_t known = 1;
  for (size_t k = 0; k < shape.size(); ++k) {
    if (shape[k] == 0 && !allow_zero) {
      if (k >= dims.size()) return Unsupported(node, "0 past the input rank");
      shape[k] = dims[k];
    }
    if (shape[k] == -1) {
      if (infer >= 0) return Unsupported(node, "more than one -1 in shape");
      infer = static_cast<int>(k);
    } else if (shape[k] < 0) {
      return Unsupported(node, absl::StrCat("invalid shape ", DimsToString(shape)));
    } else {
      known *= shape[k];
    }
  }
  if (infer >= 0) {
    if (known == 0 || total % known != 0) {
      return Unsupported(node, absl::StrCat("cannot infer -1 in ",
                                            DimsToString(shape)));
    }
    shape[infer] = total / known;
  }
  return ReshapeTo(ctx, node, std::move(shape), false);
}

absl::Status ConvertFlatten(ImportContext& ctx, const onnx::NodeProto& node) {
  NodeAttrs a(node);
  int64_t axis = a.Int("axis", 1);
  TSOPT_RETURN_IF_ERROR(a.status());
  TSOPT_ASSIGN_OR_RETURN(std::vector<int64_t> dims, ctx.Dims(node, 0));
  int rank = static_cast<int>(dims.size());
  if (axis < -rank || axis > rank) return Unsupported(node, "axis out of range");
  if (axis < 0) axis += rank;
  if (ctx.IsConstant(node.input(0))) {
    int64_t outer = 1, inner = 1;
    for (int k = 0; k < rank; ++k) (k < axis ? outer : inner) *= dims[k];
    return ReshapeTo(ctx, node, {outer, inner}, false);
  }
  TSOPT_ASSIGN_OR_RETURN(ValueId x, ctx.GraphValue(node, 0));
  return Finish(ctx, node, OpKind::kFlatten, FlattenAttrs{axis}, {x});
}

absl::Status ConvertTranspose(ImportContext& ctx, const onnx::NodeProto& node) {
  NodeAttrs a(node);
  TSOPT_ASSIGN_OR_RETURN(std::vector<int64_t> dims, ctx.Dims(node, 0));
  std::vector<int64_t> rev(dims.size());
  std::iota(rev.rbegin(), rev.rend(), 0);
  std::vector<int64_t> perm = a.Ints("perm", rev);
  TSOPT_RETURN_IF_ERROR(a.status());
  std::vector<int64_t> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int64_t> ident(dims.size());
  std::iota(ident.begin(), ident.end(), 0);
  if (sorted != ident) return Unsupported(node, "perm is not a permutation");
  if (ctx.IsConstant(node.input(0))) {
    TSOPT_ASSIGN_OR_RETURN(HostTensor t, ctx.Constant(node, 0));
    return Fold(ctx, node, HostTranspose(t, perm));
  }
  TSOPT_ASSIGN_OR_RETURN(ValueId x, ctx.GraphValue(node, 0));
  return Finish(ctx, node, OpKind::kTranspose, TransposeAttrs{perm}, {x});
}

absl::Status ConvertConcat(ImportContext& ctx, const onnx::NodeProto& node) {
  NodeAttrs a(node);
  int64_t axis_attr = a.Int("axis", 0);
  TSOPT_RETURN_IF_ERROR(a.status());
  TSOPT_ASSIGN_OR_RETURN(std::vector<int64_t> dims, ctx.Dims(node, 0));
  TSOPT_ASSIGN_OR_RETURN(int axis, Axis(node, axis_attr, dims.size()));
  if (AllConstant(ctx, node)) {
    std::vector<HostTensor> parts;
    for (int k = 0; k < node.input_size(); ++k) {
      TSOPT_ASSIGN_OR_RETURN(HostTensor t, ctx.Constant(node, k));
      if (t.dims.size() != dims.size() ||
          (!parts.empty() && t.is_float != parts[0].is_float)) {
        return Unsupported(node, "constant inputs differ in rank or type");
      }
      for (size_t d = 0; d < dims.size(); ++d) {
        if (static_cast<int>(d) != axis && t.dims[d] != dims[d]) {
          return Unsupported(node, "constant inputs differ outside the axis");
        }
      }
      parts.push_back(std::move(t));
    }
    int64_t total = 0;
    for (const HostTensor& t : parts) total += t.size();
    if (total > ctx.options().max_constant_elements) {
      return Unsupported(node, "the folded constant is too large");
    }
    return Fold(ctx, node, HostConcat(parts, axis));
  }
  std::vector<ValueId> in;
  for (int k = 0; k < node.input_size(); ++k) {
    TSOPT_ASSIGN_OR_RETURN(ValueId v, ctx.GraphValue(node, k));
    in.push_back(v);
  }
  return Finish(ctx, node, OpKind::kConcat, ConcatAttrs{axis}, in);
}

absl::Status ConvertSplit(ImportContext& ctx, const onnx::NodeProto& node) {
  NodeAttrs a(node);
  int64_t axis_attr = a.Int("axis", 0);
  TSOPT_ASSIGN_OR_RETURN(ValueId x, ctx.GraphValue(node, 0));
  const Shape xs = ctx.graph().shape(x);
  TSOPT_ASSIGN_OR_RETURN(int axis, Axis(node, axis_attr, xs.rank()));
  std::vector<int64_t> sizes;
  if (ImportContext::HasInput(node, 1)) {
    TSOPT_ASSIGN_OR_RETURN(HostTensor t, ctx.Constant(node, 1));
    sizes = t.IntValues();
  } else {
    sizes = a.Ints("split", {});
  }
  TSOPT_RETURN_IF_ERROR(a.status());
  int n = node.output_size();
  if (sizes.empty()) {
    if (n < 1 || xs.dim(axis) % n != 0) {
      return Unsupported(node, absl::StrCat("dim ", xs.dim(axis),
                                            " does not split into ", n,
                                            " equal parts"));
    }
    sizes.assign(n, xs.dim(axis) / n);
  }
  if (static_cast<int>(sizes.size()) != n) {
    return Unsupported(node, "split sizes and outputs differ in number");
  }
  absl::StatusOr<std::vector<ValueId>> outs = ctx.graph().AddNode(
      OpKind::kSplit, SplitAttrs{axis, sizes}, {x}, node.output(0));
  if (!outs.ok()) return Unsupported(node, outs.status().message());
  for (int k = 0; k < n; ++k) ctx.SetValue(node.output(k), (*outs)[k]);
  return absl::OkStatus();
}

absl::Status ConvertPad(ImportContext& ctx, const onnx::NodeProto& node) {
  NodeAttrs a(node);
  std::string mode = a.String("mode", "constant");
  TSOPT_RETURN_IF_ERROR(a.status());
  if (mode != "constant") {
    return Unsupported(node, absl::StrCat("pad mode '", mode,
                                          "' is not supported (constant only)"));
  }
  TSOPT_ASSIGN_OR_RETURN(HostTensor pads_t, ctx.Constant(node, 1));
  PadAttrs p;
  p.pads = pads_t.IntValues();
  for (int64_t v : p.pads) {
    if (v < 0) return Unsupported(node, "negative pads are not supported");
  }
  if (ImportContext::HasInput(node, 2)) {
    TSOPT_ASSIGN_OR_RETURN(HostTensor v, ctx.Constant(node, 2));
    if (v.size() != 1) return Unsupported(node, "constant_value must be a scalar");
    p.value = static_cast<float>(v.AsDouble(0));
  }
  if (ImportContext::HasInput(node, 3)) {
    return Unsupported(node, "the axes input is not supported");
  }
  TSOPT_ASSIGN_OR_RETURN(ValueId x, ctx.GraphValue(node, 0));
  return Finish(ctx, node, OpKind::kPad, p, {x});
}

absl::Status ConvertSlice(ImportContext& ctx, const onnx::NodeProto& node) {
  TSOPT_ASSIGN_OR_RETURN(std::vector<int64_t> dims, ctx.Dims(node, 0));
  TSOPT_ASSIGN_OR_RETURN(HostTensor starts, ctx.Constant(node, 1));
  TSOPT_ASSIGN_OR_RETURN(HostTensor ends, ctx.Constant(node, 2));
  SliceAttrs s;
  s.starts = starts.IntValues();
  s.ends = ends.IntValues();
  size_t n = s.starts.size();
  if (ImportContext::HasInput(node, 3)) {
    TSOPT_ASSIGN_OR_RETURN(HostTensor t, ctx.Constant(node, 3));
    s.axes = t.IntValues();
  } else {
    for (size_t k = 0; k < n; ++k) s.axes.push_back(static_cast<int64_t>(k));
  }
  if (ImportContext::HasInput(node, 4)) {
    TSOPT_ASSIGN_OR_RETURN(HostTensor t, ctx.Constant(node, 4));
    s.steps = t.IntValues();
  } else {
    s.steps.assign(n, 1);
  }
  if (s.ends.size() != n || s.axes.size() != n || s.steps.size() != n) {
    return Unsupported(node, "starts, ends, axes and steps differ in length");
  }
  for (size_t k = 0; k < n; ++k) {
    if (s.steps[k] < 1) return Unsupported(node, "steps < 1 are not supported");
    TSOPT_ASSIGN_OR_RETURN(int ax, Axis(node, s.axes[k], dims.size()));
    s.axes[k] = ax;
  }
  if (ctx.IsConstant(node.input(0))) {
    TSOPT_ASSIGN_OR_RETURN(HostTensor t, ctx.Constant(node, 0));
    std::vector<int64_t> b(dims.size(), 0), e = dims, st(dims.size(), 1);
    for (size_t k = 0; k < n; ++k) {
      int64_t d = dims[s.axes[k]];
      auto clamp = [d](int64_t v) {
        if (v < 0) v += d;
        return std::clamp<int64_t>(v, 0, d);
      };
      b[s.axes[k]] = clamp(s.starts[k]);
      e[s.axes[k]] = clamp(s.ends[k]);
      st[s.axes[k]] = s.steps[k];
    }
    return Fold(ctx, node, HostSlice(t, b, e, st));
  }
  TSOPT_ASSIGN_OR_RETURN(ValueId x, ctx.GraphValue(node, 0));
  return Finish(ctx, node, OpKind::kSlice, s, {x});
}

template <OpKind kOp>
absl::Status ConvertReduce(ImportContext& ctx, const onnx::NodeProto& node) {
  NodeAttrs a(node);
  ReduceAttrs r;
  r.keepdims = a.Int("keepdims", 1);
  int64_t noop = a.Int("noop_with_empty_axes", 0);
  TSOPT_ASSIGN_OR_RETURN(r.axes, AxesOf(ctx, node, a, 1));
  TSOPT_ASSIGN_OR_RETURN(ValueId x, ctx.GraphValue(node, 0));
  if (r.axes.empty() && noop) {
    ctx.Note(node, "empty axes with noop_with_empty_axes: identity");
    return Finish(ctx, node, OpKind::kIdentity, NoAttrs{}, {x});
  }
  return Finish(ctx, node, kOp, r, {x});
}

}  // namespace

void RegisterDataConverters(std::map<std::string, Converter>* table) {
  (*table)["Add"] = ConvertBinary<HostBinary::kAdd, OpKind::kAdd>;
  (*table)["Sub"] = ConvertBinary<HostBinary::kSub, OpKind::kSub>;
  (*table)["Mul"] = ConvertBinary<HostBinary::kMul, OpKind::kMul>;
  (*table)["Div"] = ConvertBinary<HostBinary::kDiv, OpKind::kDiv>;
  (*table)["Identity"] = ConvertIdentity;
  (*table)["Dropout"] = ConvertDropout;
  (*table)["Cast"] = ConvertCast;
  (*table)["Constant"] = ConvertConstant;
  (*table)["ConstantOfShape"] = ConvertConstantOfShape;
  (*table)["Shape"] = ConvertShape;
  (*table)["Gather"] = ConvertGather;
  (*table)["Unsqueeze"] = ConvertUnsqueeze;
  (*table)["Squeeze"] = ConvertSqueeze;
  (*table)["Reshape"] = ConvertReshape;
  (*table)["Flatten"] = ConvertFlatten;
  (*table)["Transpose"] = ConvertTranspose;
  (*table)["Concat"] = ConvertConcat;
  (*table)["Split"] = ConvertSplit;
  (*table)["Pad"] = ConvertPad;
  (*table)["Slice"] = ConvertSlice;
  (*table)["ReduceSum"] = ConvertReduce<OpKind::kReduceSum>;
  (*table)["ReduceMean"] = ConvertReduce<OpKind::kReduceMean>;
}

}  // namespace tsopt::onnx_import

// ONNX converters for the compute operators: Conv, Gemm, MatMul,
// normalizations, pools, activations and the Erf-based GELU pattern.
#include <algorithm>
#include <cmath>
#include <optional>

#include "absl/strings/str_cat.h"
#include "src/onnx/import_ops.h"
#include "tsopt/ir/shape_inference.h"
#include "tsopt/util/status_macros.h"

namespace tsopt::onnx_import {
namespace {

// Refuses extra outputs (BatchNorm's running stats, MaxPool's indices, ...).
absl::Status CheckSingleOutput(const onnx::NodeProto& node) {
  for (int k = 1; k < node.output_size(); ++k) {
    if (!node.output(k).empty()) {
      return Unsupported(node, absl::StrCat("output ", k, " ('", node.output(k),
                                            "') is not supported"));
    }
  }
  return absl::OkStatus();
}

// Explicit {top, left, bottom, right} pads from pads/auto_pad for a 2-D
// window of effective extent `extent` (dilation included).
absl::StatusOr<std::vector<int64_t>> ResolvePads(
    NodeAttrs& a, const onnx::NodeProto& node, const Shape& x,
    const std::vector<int64_t>& extent, const std::vector<int64_t>& stride) {
  std::string auto_pad = a.String("auto_pad", "NOTSET");
  std::vector<int64_t> pads = a.Ints("pads", {0, 0, 0, 0});
  if (pads.size() != 4) {
    return Unsupported(node, absl::StrCat("pads must have 4 values, got ",
                                          DimsToString(pads)));
  }
  if (auto_pad == "NOTSET") return pads;
  if (auto_pad == "VALID") return std::vector<int64_t>{0, 0, 0, 0};
  if (auto_pad != "SAME_UPPER" && auto_pad != "SAME_LOWER") {
    return Unsupported(node, absl::StrCat("unknown auto_pad '", auto_pad, "'"));
  }
  for (int i = 0; i < 2; ++i) {
    int64_t in = x.dim(2 + i);
    int64_t out = (in + stride[i] - 1) / stride[i];
    int64_t total = std::max<int64_t>(0, (out - 1) * stride[i] + extent[i] - in);
    int64_t small = total / 2, large = total - total / 2;
    pads[i] = auto_pad == "SAME_UPPER" ? small : large;
    pads[2 + i] = auto_pad == "SAME_UPPER" ? large : small;
  }
  return pads;
}

absl::Status CheckPairs(const onnx::NodeProto& node,
                        const std::vector<int64_t>& v, absl::string_view what) {
  if (v.size() != 2) {
    return Unsupported(node, absl::StrCat(what, " must have 2 values (2-D), got ",
                                          DimsToString(v)));
  }
  for (int64_t x : v) {
    if (x < 1) return Unsupported(node, absl::StrCat(what, " must be >= 1"));
  }
  return absl::OkStatus();
}

// 1-D Conv/pool: runs the 2-D converter on a copy of `node` whose inputs
// are lifted to [N, C, 1, L] (weights [O, I, 1, K]) and whose window
// attributes get a leading 1 (pads {0, b, 0, e}), then drops the unit dim.
absl::Status Lift1d(ImportContext& ctx, const onnx::NodeProto& node,
                    absl::Status (*convert2d)(ImportContext&,
                                              const onnx::NodeProto&)) {
  const std::string& out = node.output(0);
  onnx::NodeProto lifted = node;
  lifted.set_output(0, out + "/2d");
  for (int k = 0; k < std::min(node.input_size(), 2); ++k) {
    TSOPT_ASSIGN_OR_RETURN(std::vector<int64_t> dims, ctx.Dims(node, k));
    if (dims.size() != 3) {
      return Unsupported(node, absl::StrCat("1-D window: input ", k,
                                            " must have rank 3"));
    }
    std::vector<int64_t> dims4 = {dims[0], dims[1], 1, dims[2]};
    std::string name = absl::StrCat(out, "/lifted", k);
    if (ctx.IsConstant(node.input(k))) {
      TSOPT_ASSIGN_OR_RETURN(HostTensor t, ctx.Constant(node, k));
      t.dims = dims4;
      ctx.SetConstant(name, std::move(t));
    } else {
      TSOPT_ASSIGN_OR_RETURN(ValueId v, ctx.GraphValue(node, k));
      TSOPT_ASSIGN_OR_RETURN(
          ValueId r, ctx.Add(OpKind::kReshape, ReshapeAttrs{dims4}, {v}, name));
      ctx.SetValue(name, r);
    }
    lifted.set_input(k, name);
  }
  for (onnx::AttributeProto& a : *lifted.mutable_attribute()) {
    const std::string& n = a.name();
    if (a.type() != onnx::AttributeProto::INTS) continue;
    std::vector<int64_t> v(a.ints().begin(), a.ints().end());
    if (n == "pads" && v.size() == 2) {
      v = {0, v[0], 0, v[1]};
    } else if ((n == "kernel_shape" || n == "strides" || n == "dilations") &&
               v.size() == 1) {
      v = {1, v[0]};
    } else {
      continue;
    }
    a.clear_ints();
    for (int64_t x : v) a.add_ints(x);
  }
  TSOPT_RETURN_IF_ERROR(convert2d(ctx, lifted));
  onnx::NodeProto probe;
  probe.add_input(lifted.output(0));
  TSOPT_ASSIGN_OR_RETURN(ValueId y, ctx.GraphValue(probe, 0));
  std::vector<int64_t> dims = ctx.graph().shape(y).dims();
  dims.erase(dims.begin() + 2);
  TSOPT_ASSIGN_OR_RETURN(ValueId r, ctx.Add(OpKind::kReshape,
                                            ReshapeAttrs{dims}, {y}, out));
  ctx.SetValue(out, r);
  ctx.Note(node, "1-D window lifted to 2-D with reshapes");
  return absl::OkStatus();
}

bool IsRank3(ImportContext& ctx, const onnx::NodeProto& node) {
  absl::StatusOr<std::vector<int64_t>> dims = ctx.Dims(node, 0);
  return dims.ok() && dims->size() == 3;
}

absl::Status ConvertConv(ImportContext& ctx, const onnx::NodeProto& node) {
  NodeAttrs a(node);
  TSOPT_ASSIGN_OR_RETURN(ValueId x, ctx.GraphValue(node, 0));
  TSOPT_ASSIGN_OR_RETURN(ValueId w, ctx.GraphValue(node, 1));
  const Shape xs = ctx.graph().shape(x);
  const Shape ws = ctx.graph().shape(w);
  if (xs.rank() != 4 || ws.rank() != 4) {
    return Unsupported(node, absl::StrCat("only 1-D and 2-D convolution are supported "
                                          "(input ", xs.ToString(), ", weight ",
                                          ws.ToString(), ")"));
  }
  Conv2DAttrs c;
  c.stride = a.Ints("strides", {1, 1});
  c.dilation = a.Ints("dilations", {1, 1});
  c.groups = a.Int("group", 1);
  std::vector<int64_t> kernel = a.Ints("kernel_shape", {ws.dim(2), ws.dim(3)});
  TSOPT_RETURN_IF_ERROR(CheckPairs(node, c.stride, "strides"));
  TSOPT_RETURN_IF_ERROR(CheckPairs(node, c.dilation, "dilations"));
  if (kernel != std::vector<int64_t>{ws.dim(2), ws.dim(3)}) {
    return Unsupported(node, absl::StrCat("kernel_shape ", DimsToString(kernel),
                                          " differs from the weight ",
                                          ws.ToString()));
  }
  std::vector<int64_t> extent = {c.dilation[0] * (kernel[0] - 1) + 1,
                                 c.dilation[1] * (kernel[1] - 1) + 1};
  TSOPT_ASSIGN_OR_RETURN(c.pad, ResolvePads(a, node, xs, extent, c.stride));
  TSOPT_RETURN_IF_ERROR(a.status());
  if (!ImportContext::HasInput(node, 2)) {
    return Finish(ctx, node, OpKind::kConv2D, c, {x, w});
  }
  // B ([M], one value per output channel) is conv2d's own bias input.
  TSOPT_ASSIGN_OR_RETURN(ValueId b, ctx.GraphValue(node, 2));
  if (ctx.graph().shape(b) != Shape({ws.dim(0)})) {
    // An invalid model (ONNX requires B of [M]), not one tsopt cannot express.
    return absl::InvalidArgumentError(absl::StrCat(
        ImportContext::Describe(node), ": bias ",
        ctx.graph().shape(b).ToString(), " is not [", ws.dim(0),
        "] (one value per output channel)"));
  }
  return Finish(ctx, node, OpKind::kConv2D, c, {x, w, b});
}

absl::Status ConvertPool(ImportContext& ctx, const onnx::NodeProto& node,
                         OpKind op) {
  NodeAttrs a(node);
  TSOPT_RETURN_IF_ERROR(CheckSingleOutput(node));
  TSOPT_ASSIGN_OR_RETURN(ValueId x, ctx.GraphValue(node, 0));
  const Shape xs = ctx.graph().shape(x);
  Pool2DAttrs p;
  p.kernel = a.Ints("kernel_shape", {});
  if (xs.rank() != 4 || p.kernel.size() != 2) {
    return Unsupported(node, absl::StrCat("only 1-D and 2-D pooling are supported "
                                          "(input ", xs.ToString(), ")"));
  }
  p.stride = a.Ints("strides", {1, 1});
  TSOPT_RETURN_IF_ERROR(CheckPairs(node, p.kernel, "kernel_shape"));
  TSOPT_RETURN_IF_ERROR(CheckPairs(node, p.stride, "strides"));
  if (a.Ints("dilations", {1, 1}) != std::vector<int64_t>{1, 1}) {
    return Unsupported(node, "pool dilations other than 1 are not supported");
  }
  TSOPT_ASSIGN_OR_RETURN(p.pad, ResolvePads(a, node, xs, p.kernel, p.stride));
  p.count_include_pad = op == OpKind::kAvgPool2D ? a.Int("count_include_pad", 0) : 0;
  int64_t ceil_mode = a.Int("ceil_mode", 0);
  TSOPT_RETURN_IF_ERROR(a.status());
  if (ceil_mode != 0) {
    // Ceil mode = extra end padding that no window counts (max: -inf,
    // average without count_include_pad: excluded from the divisor).
    bool changed = false;
    for (int i = 0; i < 2; ++i) {
      int64_t span = xs.dim(2 + i) + p.pad[i] + p.pad[2 + i] - p.kernel[i];
      if (span < 0 || span % p.stride[i] == 0) continue;
      int64_t out = span / p.stride[i] + 2;
      int64_t last_start = (out - 1) * p.stride[i];
      int64_t extra = last_start + p.kernel[i] -
                      (xs.dim(2 + i) + p.pad[i] + p.pad[2 + i]);
      if (last_start >= xs.dim(2 + i) + p.pad[i] ||
          p.pad[2 + i] + extra >= p.kernel[i] || p.count_include_pad) {
        return Unsupported(node, "ceil_mode=1 is not representable here "
                                 "(window past the input, or "
                                 "count_include_pad=1)");
      }
      p.pad[2 + i] += extra;
      changed = true;
    }
    if (changed) ctx.Note(node, "ceil_mode=1 expressed as extra end padding");
  }
  return Finish(ctx, node, op, p, {x});
}

absl::Status ConvertMaxPool2d(ImportContext& ctx,
                              const onnx::NodeProto& node) {
  return ConvertPool(ctx, node, OpKind::kMaxPool2D);
}
absl::Status ConvertAveragePool2d(ImportContext& ctx,
                                  const onnx::NodeProto& node) {
  return ConvertPool(ctx, node, OpKind::kAvgPool2D);
}
absl::Status ConvertMaxPool(ImportContext& ctx, const onnx::NodeProto& node) {
  if (IsRank3(ctx, node)) return Lift1d(ctx, node, ConvertMaxPool2d);
  return ConvertMaxPool2d(ctx, node);
}
absl::Status ConvertAveragePool(ImportContext& ctx,
                                const onnx::NodeProto& node) {
  if (IsRank3(ctx, node)) return Lift1d(ctx, node, ConvertAveragePool2d);
  return ConvertAveragePool2d(ctx, node);
}
absl::Status ConvertConv1dOr2d(ImportContext& ctx,
                               const onnx::NodeProto& node) {
  if (IsRank3(ctx, node)) return Lift1d(ctx, node, ConvertConv);
  return ConvertConv(ctx, node);
}

absl::Status ConvertGlobalAveragePool(ImportContext& ctx,
                                      const onnx::NodeProto& node) {
  TSOPT_ASSIGN_OR_RETURN(ValueId x, ctx.GraphValue(node, 0));
  if (ctx.graph().shape(x).rank() != 4) {
    return Unsupported(node, "only rank-4 (NCHW) input is supported");
  }
  return Finish(ctx, node, OpKind::kGlobalAvgPool, NoAttrs{}, {x});
}

// A rank-2 operand of Gemm, transposed on the host when constant.
absl::StatusOr<ValueId> GemmOperand(ImportContext& ctx,
                                    const onnx::NodeProto& node, int index,
                                    bool transpose, float scale) {
  const std::string& name = node.input(index);
  if (ctx.IsConstant(name) && (transpose || scale != 1.0f)) {
    TSOPT_ASSIGN_OR_RETURN(HostTensor t, ctx.Constant(node, index));
    if (t.dims.size() != 2 || !t.is_float) {
      return Unsupported(node, "Gemm operands must be float matrices");
    }
    if (transpose) t = HostTranspose(t, {1, 0});
    for (float& v : t.f) v *= scale;
    return ctx.AddConstantWeight(t, name);
  }
  TSOPT_ASSIGN_OR_RETURN(ValueId v, ctx.GraphValue(node, index));
  if (ctx.graph().shape(v).rank() != 2) {
    return Unsupported(node, "Gemm operands must be matrices");
  }
  if (transpose) {
    TSOPT_ASSIGN_OR_RETURN(
        v, ctx.Add(OpKind::kTranspose, TransposeAttrs{{1, 0}}, {v},
                   absl::StrCat(node.output(0), "/transpose", index)));
  }
  if (scale != 1.0f) {
    TSOPT_ASSIGN_OR_RETURN(
        ValueId s, ctx.AddConstantWeight(HostTensor::Floats({}, {scale}),
                                         absl::StrCat(node.output(0), "/scale",
                                                      index)));
    TSOPT_ASSIGN_OR_RETURN(v, ctx.Add(OpKind::kMul, NoAttrs{}, {v, s},
                                      absl::StrCat(node.output(0), "/scaled",
                                                   index)));
  }
  return v;
}

absl::Status ConvertGemm(ImportContext& ctx, const onnx::NodeProto& node) {
  NodeAttrs a(node);
  bool trans_a = a.Int("transA", 0) != 0;
  bool trans_b = a.Int("transB", 0) != 0;
  float alpha = a.Float("alpha", 1.0f);
  float beta = a.Float("beta", 1.0f);
  TSOPT_RETURN_IF_ERROR(a.status());
  TSOPT_ASSIGN_OR_RETURN(ValueId x, GemmOperand(ctx, node, 0, trans_a, 1.0f));
  TSOPT_ASSIGN_OR_RETURN(ValueId y, GemmOperand(ctx, node, 1, trans_b, alpha));
  bool has_c = ImportContext::HasInput(node, 2) && beta != 0.0f;
  if (!has_c) {
    return Finish(ctx, node, OpKind::kMatMul, MatMulAttrs{}, {x, y});
  }
  ValueId c;
  if (ctx.IsConstant(node.input(2))) {
    TSOPT_ASSIGN_OR_RETURN(HostTensor t, ctx.Constant(node, 2));
    if (!t.is_float) return Unsupported(node, "C must be a float tensor");
    for (float& v : t.f) v *= beta;
    const int64_t n = ctx.graph().shape(y).dim(1);
    if (t.dims == std::vector<int64_t>{n} ||
        t.dims == std::vector<int64_t>{1, n}) {
      // A row vector C is matmul's own bias: one biased matmul.
      t.dims = {n};
      TSOPT_ASSIGN_OR_RETURN(ValueId bias,
                             ctx.AddConstantWeight(t, node.input(2)));
      return Finish(ctx, node, OpKind::kMatMul, MatMulAttrs{}, {x, y, bias});
    }
    TSOPT_ASSIGN_OR_RETURN(c, ctx.AddConstantWeight(t, node.input(2)));
  } else {
    TSOPT_ASSIGN_OR_RETURN(c, ctx.GraphValue(node, 2));
    if (beta != 1.0f) {
      TSOPT_ASSIGN_OR_RETURN(
          ValueId s, ctx.AddConstantWeight(HostTensor::Floats({}, {beta}),
                                           node.output(0) + "/beta"));
      TSOPT_ASSIGN_OR_RETURN(c, ctx.Add(OpKind::kMul, NoAttrs{}, {c, s},
                                        node.output(0) + "/scaled_c"));
    }
  }
  TSOPT_ASSIGN_OR_RETURN(ValueId m, ctx.Add(OpKind::kMatMul, MatMulAttrs{},
                                            {x, y}, node.output(0) + "/matmul"));
  ctx.Note(node, "Gemm expressed as matmul + add (transposes and alpha/beta "
                 "folded into constant operands where possible)");
  return Finish(ctx, node, OpKind::kAdd, NoAttrs{}, {m, c});
}

absl::Status ConvertMatMul(ImportContext& ctx, const onnx::NodeProto& node) {
  TSOPT_ASSIGN_OR_RETURN(ValueId x, ctx.GraphValue(node, 0));
  TSOPT_ASSIGN_OR_RETURN(ValueId y, ctx.GraphValue(node, 1));
  const Shape xs = ctx.graph().shape(x), ys = ctx.graph().shape(y);
  if (xs.rank() >= 2 && ys.rank() >= 2) {
    return Finish(ctx, node, OpKind::kMatMul, MatMulAttrs{}, {x, y});
  }
  // 1-D operands: promote to a matrix, multiply, drop the promoted dim.
  const std::string& out = node.output(0);
  std::vector<int64_t> final_dims;
  if (xs.rank() == 1) {
    TSOPT_ASSIGN_OR_RETURN(x, ctx.Add(OpKind::kReshape,
                                      ReshapeAttrs{{1, xs.dim(0)}}, {x},
                                      out + "/lhs"));
  }
  if (ys.rank() == 1) {
    TSOPT_ASSIGN_OR_RETURN(y, ctx.Add(OpKind::kReshape,
                                      ReshapeAttrs{{ys.dim(0), 1}}, {y},
                                      out + "/rhs"));
  }
  TSOPT_ASSIGN_OR_RETURN(ValueId m, ctx.Add(OpKind::kMatMul, MatMulAttrs{},
                                            {x, y}, out + "/matmul"));
  final_dims = ctx.graph().shape(m).dims();
  if (ys.rank() == 1) final_dims.erase(final_dims.end() - 1);
  if (xs.rank() == 1) final_dims.erase(final_dims.end() - 1);
  ctx.Note(node, "1-D MatMul operand promoted with reshapes");
  return Finish(ctx, node, OpKind::kReshape, ReshapeAttrs{final_dims}, {m});
}

absl::Status ConvertBatchNormalization(ImportContext& ctx,
                                       const onnx::NodeProto& node) {
  NodeAttrs a(node);
  BatchNormAttrs b;
  b.epsilon = a.Float("epsilon", 1e-5f);
  int64_t training = a.Int("training_mode", 0);
  TSOPT_RETURN_IF_ERROR(a.status());
  if (training != 0) {
    return Unsupported(node, "training_mode=1 is not supported (inference "
                             "only)");
  }
  TSOPT_RETURN_IF_ERROR(CheckSingleOutput(node));
  std::vector<ValueId> in;
  for (int k = 0; k < 5; ++k) {
    TSOPT_ASSIGN_OR_RETURN(ValueId v, ctx.GraphValue(node, k));
    in.push_back(v);
  }
  return Finish(ctx, node, OpKind::kBatchNorm, b, in);
}

// LayerNormalization's optional outputs Mean and InvStdDev (over axes
// [axis, rank), kept dims), computed with reduce/elementwise nodes.
absl::Status LayerNormStatistics(ImportContext& ctx,
                                 const onnx::NodeProto& node, ValueId x,
                                 const LayerNormAttrs& l) {
  bool mean_used = node.output_size() > 1 && !node.output(1).empty();
  bool inv_used = node.output_size() > 2 && !node.output(2).empty();
  if (!mean_used && !inv_used) return absl::OkStatus();
  int rank = ctx.graph().shape(x).rank();
  TSOPT_ASSIGN_OR_RETURN(int axis, NormalizeAxis(l.axis, rank));
  ReduceAttrs r;
  for (int k = axis; k < rank; ++k) r.axes.push_back(k);
  const std::string base = node.output(0) + "/stats";
  TSOPT_ASSIGN_OR_RETURN(ValueId mean, ctx.Add(OpKind::kReduceMean, r, {x},
                                               mean_used ? node.output(1)
                                                         : base + "/mean"));
  if (mean_used) ctx.SetValue(node.output(1), mean);
  if (inv_used) {
    TSOPT_ASSIGN_OR_RETURN(ValueId d, ctx.Add(OpKind::kSub, NoAttrs{},
                                              {x, mean}, base + "/centered"));
    TSOPT_ASSIGN_OR_RETURN(ValueId sq, ctx.Add(OpKind::kMul, NoAttrs{}, {d, d},
                                               base + "/squared"));
    TSOPT_ASSIGN_OR_RETURN(ValueId var, ctx.Add(OpKind::kReduceMean, r, {sq},
                                                base + "/var"));
    TSOPT_ASSIGN_OR_RETURN(
        ValueId eps, ctx.AddConstantWeight(HostTensor::Floats({}, {l.epsilon}),
                                           base + "/epsilon"));
    TSOPT_ASSIGN_OR_RETURN(ValueId ve, ctx.Add(OpKind::kAdd, NoAttrs{},
                                               {var, eps}, base + "/var_eps"));
    TSOPT_ASSIGN_OR_RETURN(ValueId sd, ctx.Add(OpKind::kSqrt, NoAttrs{}, {ve},
                                               base + "/std"));
    TSOPT_ASSIGN_OR_RETURN(
        ValueId one, ctx.AddConstantWeight(HostTensor::Floats({}, {1.0f}),
                                           base + "/one"));
    TSOPT_ASSIGN_OR_RETURN(ValueId inv, ctx.Add(OpKind::kDiv, NoAttrs{},
                                                {one, sd}, node.output(2)));
    ctx.SetValue(node.output(2), inv);
  }
  ctx.Note(node, "Mean/InvStdDev outputs computed with reduce_mean and "
                 "elementwise nodes");
  return absl::OkStatus();
}

absl::Status ConvertLayerNormalization(ImportContext& ctx,
                                       const onnx::NodeProto& node) {
  NodeAttrs a(node);
  LayerNormAttrs l;
  l.axis = a.Int("axis", -1);
  l.epsilon = a.Float("epsilon", 1e-5f);
  TSOPT_RETURN_IF_ERROR(a.status());
  TSOPT_ASSIGN_OR_RETURN(ValueId x, ctx.GraphValue(node, 0));
  TSOPT_ASSIGN_OR_RETURN(ValueId scale, ctx.GraphValue(node, 1));
  TSOPT_ASSIGN_OR_RETURN(int axis,
                         NormalizeAxis(l.axis, ctx.graph().shape(x).rank()));
  l.axis = axis;
  TSOPT_RETURN_IF_ERROR(LayerNormStatistics(ctx, node, x, l));
  ValueId bias;
  if (ImportContext::HasInput(node, 2)) {
    TSOPT_ASSIGN_OR_RETURN(bias, ctx.GraphValue(node, 2));
  } else {
    const Shape s = ctx.graph().shape(scale);
    TSOPT_ASSIGN_OR_RETURN(
        bias, ctx.AddConstantWeight(
                  HostTensor::Floats(s.dims(),
                                     std::vector<float>(s.NumElements(), 0.0f)),
                  node.output(0) + "/bias"));
    ctx.Note(node, "missing bias replaced by a zero weight");
  }
  return Finish(ctx, node, OpKind::kLayerNorm, l, {x, scale, bias});
}

absl::Status ConvertSoftmax(ImportContext& ctx, const onnx::NodeProto& node) {
  NodeAttrs a(node);
  int64_t axis = a.Int("axis", ctx.opset() >= 13 ? -1 : 1);
  TSOPT_RETURN_IF_ERROR(a.status());
  TSOPT_ASSIGN_OR_RETURN(ValueId x, ctx.GraphValue(node, 0));
  const Shape xs = ctx.graph().shape(x);
  TSOPT_ASSIGN_OR_RETURN(int ax, NormalizeAxis(axis, xs.rank()));
  if (ctx.opset() >= 13 || ax == xs.rank() - 1) {
    return Finish(ctx, node, OpKind::kSoftmax, SoftmaxAttrs{ax}, {x});
  }
  // Opset < 13: softmax over the flattened dims [axis, rank).
  int64_t outer = 1, inner = 1;
  for (int k = 0; k < xs.rank(); ++k) (k < ax ? outer : inner) *= xs.dim(k);
  const std::string& out = node.output(0);
  TSOPT_ASSIGN_OR_RETURN(ValueId f, ctx.Add(OpKind::kReshape,
                                            ReshapeAttrs{{outer, inner}}, {x},
                                            out + "/flat"));
  TSOPT_ASSIGN_OR_RETURN(ValueId s, ctx.Add(OpKind::kSoftmax, SoftmaxAttrs{1},
                                            {f}, out + "/softmax"));
  ctx.Note(node, "opset<13 softmax over flattened axes: reshape + softmax + "
                 "reshape");
  return Finish(ctx, node, OpKind::kReshape, ReshapeAttrs{xs.dims()}, {s});
}

template <OpKind kOp>
absl::Status ConvertUnary(ImportContext& ctx, const onnx::NodeProto& node) {
  TSOPT_ASSIGN_OR_RETURN(ValueId x, ctx.GraphValue(node, 0));
  return Finish(ctx, node, kOp, NoAttrs{}, {x});
}

// Pow with a constant exponent of 2 (x*x) or 0.5 (sqrt), as exporters emit
// in decomposed LayerNorms.
absl::Status ConvertPow(ImportContext& ctx, const onnx::NodeProto& node) {
  TSOPT_ASSIGN_OR_RETURN(HostTensor e, ctx.Constant(node, 1));
  if (e.size() != 1) return Unsupported(node, "exponent must be a scalar");
  double p = e.AsDouble(0);
  TSOPT_ASSIGN_OR_RETURN(ValueId x, ctx.GraphValue(node, 0));
  if (p == 2.0) {
    ctx.Note(node, "Pow(x, 2) expressed as mul(x, x)");
    return Finish(ctx, node, OpKind::kMul, NoAttrs{}, {x, x});
  }
  if (p == 0.5) {
    ctx.Note(node, "Pow(x, 0.5) expressed as sqrt");
    return Finish(ctx, node, OpKind::kSqrt, NoAttrs{}, {x});
  }
  if (p == 1.0) {
    ctx.Note(node, "Pow(x, 1) expressed as identity");
    return Finish(ctx, node, OpKind::kIdentity, NoAttrs{}, {x});
  }
  return Unsupported(node, absl::StrCat("exponent ", p,
                                        " is not supported (only 0.5, 1, 2)"));
}

// Clip(x, lo, hi) = lo + relu(x - lo) - relu(x - hi) (exact in real
// arithmetic; ReLU6 is relu(x) - relu(x - 6)). Bounds must be constants.
absl::Status ConvertClip(ImportContext& ctx, const onnx::NodeProto& node) {
  NodeAttrs a(node);
  std::optional<float> bound[2];
  if (ctx.opset() < 11) {
    if (a.Has("min")) bound[0] = a.Float("min", 0);
    if (a.Has("max")) bound[1] = a.Float("max", 0);
    TSOPT_RETURN_IF_ERROR(a.status());
  }
  for (int k = 0; k < 2; ++k) {
    if (!ImportContext::HasInput(node, k + 1)) continue;
    TSOPT_ASSIGN_OR_RETURN(HostTensor t, ctx.Constant(node, k + 1));
    if (t.size() != 1) return Unsupported(node, "bounds must be scalars");
    bound[k] = static_cast<float>(t.AsDouble(0));
  }
  TSOPT_ASSIGN_OR_RETURN(ValueId x, ctx.GraphValue(node, 0));
  const std::string& out = node.output(0);
  auto scalar = [&](float v, const char* what) {
    return ctx.AddConstantWeight(HostTensor::Floats({}, {v}),
                                 absl::StrCat(out, "/", what));
  };
  auto relu_minus = [&](float v, const char* what) -> absl::StatusOr<ValueId> {
    ValueId shifted = x;
    if (v != 0.0f) {
      TSOPT_ASSIGN_OR_RETURN(ValueId c, scalar(v, what));
      TSOPT_ASSIGN_OR_RETURN(shifted, ctx.Add(OpKind::kSub, NoAttrs{}, {x, c},
                                              absl::StrCat(out, "/minus_", what)));
    }
    return ctx.Add(OpKind::kRelu, NoAttrs{}, {shifted},
                   absl::StrCat(out, "/relu_", what));
  };
  if (!bound[0]) {  // x - relu(x - hi), or x
    ValueId y = x;
    if (bound[1]) {
      TSOPT_ASSIGN_OR_RETURN(ValueId upper, relu_minus(*bound[1], "max"));
      TSOPT_ASSIGN_OR_RETURN(y, ctx.Add(OpKind::kSub, NoAttrs{}, {x, upper}, out));
    } else {
      TSOPT_ASSIGN_OR_RETURN(y, ctx.Add(OpKind::kIdentity, NoAttrs{}, {x}, out));
    }
    ctx.SetValue(out, y);
    ctx.Note(node, "Clip without a lower bound expressed as x - relu(x - hi)");
    return absl::OkStatus();
  }
  TSOPT_ASSIGN_OR_RETURN(ValueId y, relu_minus(*bound[0], "min"));
  if (bound[1]) {
    if (*bound[1] < *bound[0]) return Unsupported(node, "max < min");
    TSOPT_ASSIGN_OR_RETURN(ValueId upper, relu_minus(*bound[1], "max"));
    TSOPT_ASSIGN_OR_RETURN(y, ctx.Add(OpKind::kSub, NoAttrs{}, {y, upper},
                                      *bound[0] == 0.0f ? out : out + "/span"));
  }
  if (*bound[0] != 0.0f) {
    TSOPT_ASSIGN_OR_RETURN(ValueId lo, scalar(*bound[0], "lo"));
    TSOPT_ASSIGN_OR_RETURN(y, ctx.Add(OpKind::kAdd, NoAttrs{}, {y, lo}, out));
  } else if (!bound[1]) {
    TSOPT_ASSIGN_OR_RETURN(y, ctx.Add(OpKind::kIdentity, NoAttrs{}, {y}, out));
  }
  ctx.SetValue(out, y);
  ctx.Note(node, "Clip expressed as lo + relu(x - lo) - relu(x - hi)");
  return absl::OkStatus();
}

}  // namespace

void RegisterNnConverters(std::map<std::string, Converter>* table) {
  (*table)["Conv"] = ConvertConv1dOr2d;
  (*table)["MaxPool"] = ConvertMaxPool;
  (*table)["AveragePool"] = ConvertAveragePool;
  (*table)["GlobalAveragePool"] = ConvertGlobalAveragePool;
  (*table)["Gemm"] = ConvertGemm;
  (*table)["MatMul"] = ConvertMatMul;
  (*table)["BatchNormalization"] = ConvertBatchNormalization;
  (*table)["LayerNormalization"] = ConvertLayerNormalization;
  (*table)["Softmax"] = ConvertSoftmax;
  (*table)["Relu"] = ConvertUnary<OpKind::kRelu>;
  (*table)["Sigmoid"] = ConvertUnary<OpKind::kSigmoid>;
  (*table)["Tanh"] = ConvertUnary<OpKind::kTanh>;
  (*table)["Exp"] = ConvertUnary<OpKind::kExp>;
  (*table)["Sqrt"] = ConvertUnary<OpKind::kSqrt>;
  (*table)["Pow"] = ConvertPow;
  (*table)["Clip"] = ConvertClip;
  (*table)["Erf"] = ConvertErfGelu;
}

}  // namespace tsopt::onnx_import

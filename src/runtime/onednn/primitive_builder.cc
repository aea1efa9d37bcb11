// IR operator -> oneDNN primitive. One Build<Family> function per primitive
// family; BuildOp dispatches on the operator table.
#include "src/runtime/onednn/primitive_builder.h"

#include <algorithm>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "tsopt/ir/shape_inference.h"
#include "tsopt/ir/strided_view.h"
#include "tsopt/util/status_macros.h"

namespace tsopt::onednn {
namespace {

using dnnl::memory;
using Dims = memory::dims;
using Shapes = absl::Span<const Shape>;
using Mds = absl::Span<const memory::desc>;
constexpr auto kInference = dnnl::prop_kind::forward_inference;

Dims ToDims(const Shape& s) {
  if (s.rank() == 0) return {1};
  return Dims(s.dims().begin(), s.dims().end());
}

Dims PadRank(Dims d, size_t rank) {
  d.insert(d.begin(), rank - std::min(rank, d.size()), 1);
  return d;
}

memory::desc AnyDesc(const Dims& dims) {
  return memory::desc(dims, memory::data_type::f32, memory::format_tag::any);
}

// True for a layout the cost model can name independently of the shape
// ("plain" or "fmt:..."; LayoutName). oneDNN may pick a padded block layout
// (a one-row matmul operand in 16-row blocks) that has no such name: such
// operands are taken row-major instead, so every layout the cost model
// records can be rebuilt for a reorder.
bool Nameable(const memory::desc& md) {
  std::string name = LayoutName(md);
  return name == "plain" || name.rfind("fmt:", 0) == 0;
}

memory::desc NameableOrPlain(const memory::desc& md) {
  return Nameable(md) ? md : PlainDesc(md.dims());
}

// The layout of input i as it arrives, if its dims are `dims` and it is
// dense; else plain (a strided view is taken row-major).
memory::desc Arriving(Mds mds, size_t i, const Dims& dims) {
  if (i < mds.size() && mds[i].dims() == dims && IsDense(mds[i])) {
    return mds[i];
  }
  return PlainDesc(dims);
}

// The strides of input i as it arrives when it has `dims` and is plain or
// a strided view without blocks (what MatMul and the strided copies can
// read in place); nullopt otherwise (e.g. a dense blocked or NHWC tensor,
// which is reordered to plain as before).
std::optional<Dims> ArrivingViewStrides(Mds mds, size_t i, const Dims& dims) {
  if (i >= mds.size() || mds[i].dims() != dims) return std::nullopt;
  return ViewStrides(mds[i]);
}

// True when oneDNN picked its reference (slow) implementation.
bool IsReferenceImpl(const dnnl::primitive_desc_base& pd) {
  return absl::string_view(pd.impl_info_str()).rfind("ref", 0) == 0;
}

std::optional<dnnl::algorithm> ActivationAlgorithm(Activation a) {
  switch (a) {
    case Activation::kNone:
      return std::nullopt;
    case Activation::kRelu:
      return dnnl::algorithm::eltwise_relu;
    case Activation::kSigmoid:
      return dnnl::algorithm::eltwise_logistic;
    case Activation::kTanh:
      return dnnl::algorithm::eltwise_tanh;
    case Activation::kGelu:
      return dnnl::algorithm::eltwise_gelu_erf;
  }
  return std::nullopt;
}

dnnl::primitive_attr FusedActivation(Activation a) {
  dnnl::primitive_attr attr;
  if (std::optional<dnnl::algorithm> alg = ActivationAlgorithm(a)) {
    dnnl::post_ops ops;
    ops.append_eltwise(1.0f, *alg, 0.0f, 0.0f);
    attr.set_post_ops(ops);
  }
  return attr;
}

BuiltOp Single(dnnl::primitive p, const memory::desc& src,
               const memory::desc& view, const memory::desc& dst) {
  BuiltOp b;
  b.primitive = std::move(p);
  b.input_args = {DNNL_ARG_SRC};
  b.input_mds = {src};
  b.input_views = {view};
  b.output_md = dst;
  return b;
}

absl::Status NoPrimitive(OpKind op, absl::string_view why) {
  return absl::UnimplementedError(
      absl::StrCat("oneDNN has no primitive for ", OpMnemonic(op), why));
}

BuiltOp BuildConv(const dnnl::engine& e, const Conv2DAttrs& a, Shapes in,
                  Shapes out) {
  const Shape& w = in[1];
  Dims wdims = ToDims(w);
  if (a.groups > 1) {
    wdims = {a.groups, w.dim(0) / a.groups, w.dim(1), w.dim(2), w.dim(3)};
  }
  Dims src = ToDims(in[0]), dst = ToDims(out[0]);
  const dnnl::memory::dims strides = {a.stride[0], a.stride[1]};
  const dnnl::memory::dims dilates = {a.dilation[0] - 1, a.dilation[1] - 1};
  const dnnl::memory::dims pad_l = {a.pad[0], a.pad[1]};
  const dnnl::memory::dims pad_r = {a.pad[2], a.pad[3]};
  const bool has_bias = in.size() == 3;
  // The bias is plain [Cout], added before the eltwise post-op.
  auto make = [&](const memory::desc& s, const memory::desc& w,
                  const memory::desc& t) {
    dnnl::convolution_forward::desc d =
        has_bias ? dnnl::convolution_forward::desc(
                       kInference, dnnl::algorithm::convolution_direct, s, w,
                       PlainDesc(in[2]), t, strides, dilates, pad_l, pad_r)
                 : dnnl::convolution_forward::desc(
                       kInference, dnnl::algorithm::convolution_direct, s, w,
                       t, strides, dilates, pad_l, pad_r);
    return dnnl::convolution_forward::primitive_desc(
        d, FusedActivation(a.activation), e);
  };
  dnnl::convolution_forward::primitive_desc pd =
      make(AnyDesc(src), AnyDesc(wdims), AnyDesc(dst));
  if (!Nameable(pd.src_desc()) || !Nameable(pd.weights_desc()) ||
      !Nameable(pd.dst_desc())) {
    pd = make(NameableOrPlain(pd.src_desc()), NameableOrPlain(pd.weights_desc()),
              NameableOrPlain(pd.dst_desc()));
  }
  BuiltOp b;
  b.primitive = dnnl::convolution_forward(pd);
  b.input_args = {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS};
  b.input_mds = {pd.src_desc(), pd.weights_desc()};
  b.input_views = {PlainDesc(src), PlainDesc(wdims)};
  if (has_bias) {
    b.input_args.push_back(DNNL_ARG_BIAS);
    b.input_mds.push_back(pd.bias_desc());
    b.input_views.push_back(PlainDesc(in[2]));
  }
  b.output_md = pd.dst_desc();
  return b;
}

// A strided view of dims `view_dims` read with `padded` dims (leading 1s
// added for a matmul operand of lower rank).
memory::desc PaddedView(const Dims& padded, const Dims& view_dims,
                        const Dims& strides) {
  Dims s = strides;
  int64_t outer = view_dims.empty() ? 1 : view_dims[0] * strides[0];
  s.insert(s.begin(), padded.size() - view_dims.size(), outer);
  return memory::desc(padded, memory::data_type::f32, s);
}

BuiltOp BuildMatMul(const dnnl::engine& e, const MatMulAttrs& a, Shapes in,
                    Shapes out, Mds mds) {
  Dims dst = ToDims(out[0]);
  Dims x = PadRank(ToDims(in[0]), dst.size());
  Dims y = PadRank(ToDims(in[1]), dst.size());
  const bool has_bias = in.size() == 3;
  // The bias [N] is viewed as [1, ..., 1, N] (broadcast over the rest).
  const Dims bias = PadRank(ToDims(in.back()), dst.size());
  auto make = [&](const memory::desc& s, const memory::desc& w,
                  const memory::desc& t) {
    dnnl::matmul::desc d = has_bias
                               ? dnnl::matmul::desc(s, w, PlainDesc(bias), t)
                               : dnnl::matmul::desc(s, w, t);
    return dnnl::matmul::primitive_desc(d, FusedActivation(a.activation), e);
  };
  dnnl::matmul::primitive_desc pd = make(AnyDesc(x), AnyDesc(y), AnyDesc(dst));
  if (!Nameable(pd.src_desc()) || !Nameable(pd.weights_desc()) ||
      !Nameable(pd.dst_desc())) {
    pd = make(NameableOrPlain(pd.src_desc()), NameableOrPlain(pd.weights_desc()),
              NameableOrPlain(pd.dst_desc()));
  }
  // An operand that arrives as a strided view and that the GEMM wants
  // plain is read in place where oneDNN has an optimized kernel for it.
  std::vector<bool> in_place(2, false);
  for (int i = 0; i < 2; ++i) {
    const Dims& padded = i == 0 ? x : y;
    std::optional<Dims> strides = ArrivingViewStrides(mds, i, ToDims(in[i]));
    memory::desc chosen = i == 0 ? pd.src_desc() : pd.weights_desc();
    if (!strides || chosen != PlainDesc(padded) ||
        *strides == RowMajorStrides(ToDims(in[i]))) {
      continue;
    }
    memory::desc view = PaddedView(padded, ToDims(in[i]), *strides);
    // The other operand and the result are left to oneDNN again: its GEMM
    // for strided operands wants them plain, not in the blocked layouts
    // its default (brgemm) kernel picked.
    try {
      dnnl::matmul::primitive_desc strided =
          i == 0 ? make(view, in_place[1] ? pd.weights_desc() : AnyDesc(y),
                        AnyDesc(dst))
                 : make(in_place[0] ? pd.src_desc() : AnyDesc(x), view,
                        AnyDesc(dst));
      memory::desc other = i == 0 ? strided.weights_desc() : strided.src_desc();
      if (IsReferenceImpl(strided) || !Nameable(other) ||
          !Nameable(strided.dst_desc())) {
        continue;
      }
      pd = strided;
      in_place[i] = true;
    } catch (const dnnl::error&) {
      // no kernel for these strides: the executor reorders to plain
    }
  }
  BuiltOp b;
  b.primitive = dnnl::matmul(pd);
  b.input_args = {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS};
  b.input_mds = {pd.src_desc(), pd.weights_desc()};
  b.input_views = {in_place[0] ? pd.src_desc() : PlainDesc(x),
                   in_place[1] ? pd.weights_desc() : PlainDesc(y)};
  b.reads_arriving = in_place;
  if (has_bias) {
    b.input_args.push_back(DNNL_ARG_BIAS);
    b.input_mds.push_back(pd.bias_desc());
    b.input_views.push_back(PlainDesc(bias));
    b.reads_arriving.push_back(false);
  }
  b.output_md = pd.dst_desc();
  return b;
}

absl::StatusOr<BuiltOp> BuildBinary(const dnnl::engine& e, OpKind op,
                                    Shapes in, Shapes out, Mds mds) {
  dnnl::algorithm alg = dnnl::algorithm::binary_add;
  if (op == OpKind::kSub) alg = dnnl::algorithm::binary_sub;
  if (op == OpKind::kMul || op == OpKind::kScalarMul) {
    alg = dnnl::algorithm::binary_mul;
  }
  if (op == OpKind::kDiv) alg = dnnl::algorithm::binary_div;
  Dims dst = ToDims(out[0]);
  std::vector<Dims> dims = {PadRank(ToDims(in[0]), dst.size()),
                            PadRank(ToDims(in[1]), dst.size())};
  // oneDNN broadcasts only the second source.
  size_t lead = 0;
  if (dims[0] != dst) {
    if (dims[1] != dst || !GetOpInfo(op).commutative) {
      return NoPrimitive(op, " with a broadcast first operand");
    }
    lead = 1;
  }
  size_t other = 1 - lead;
  memory::desc src0, src1;
  auto make = [&](const memory::desc& lead_md) {
    src0 = lead_md;
    src1 = dims[other] == dst ? src0 : PlainDesc(dims[other]);
    return dnnl::binary::primitive_desc(
        dnnl::binary::desc(alg, src0, src1, src0), e);
  };
  dnnl::binary::primitive_desc pd = make(Arriving(mds, lead, dims[lead]));
  // oneDNN 2.6 has no fast kernel for some blocked layouts with a
  // broadcast operand (aBcd8b + [1,C,1,1] runs ref:any, ~60x slower than
  // jit): take the lead operand row-major then (one reorder, priced as
  // such by the cost model, which measures this same primitive).
  if (IsReferenceImpl(pd) && src0 != PlainDesc(dims[lead])) {
    pd = make(PlainDesc(dims[lead]));
  }
  BuiltOp b;
  b.primitive = dnnl::binary(pd);
  b.input_args.resize(2);
  b.input_args[lead] = DNNL_ARG_SRC_0;
  b.input_args[other] = DNNL_ARG_SRC_1;
  b.input_mds.resize(2);
  b.input_mds[lead] = src0;
  b.input_mds[other] = src1;
  b.input_views = {PlainDesc(dims[0]), PlainDesc(dims[1])};
  b.output_md = pd.dst_desc();
  return b;
}

BuiltOp BuildEltwise(const dnnl::engine& e, dnnl::algorithm alg,
                     const Shape& x, Mds mds) {
  memory::desc src = Arriving(mds, 0, ToDims(x));
  dnnl::eltwise_forward::desc d(kInference, alg, src, 0.0f, 0.0f);
  dnnl::eltwise_forward::primitive_desc pd(d, e);
  return Single(dnnl::eltwise_forward(pd), src, PlainDesc(ToDims(x)),
                pd.dst_desc());
}

BuiltOp BuildBatchNorm(const dnnl::engine& e, const BatchNormAttrs& a,
                       Shapes in, Mds mds) {
  memory::desc src = Arriving(mds, 0, ToDims(in[0]));
  auto flags = dnnl::normalization_flags::use_global_stats |
               dnnl::normalization_flags::use_scale |
               dnnl::normalization_flags::use_shift;
  dnnl::batch_normalization_forward::desc d(kInference, src, a.epsilon, flags);
  dnnl::batch_normalization_forward::primitive_desc pd(d, e);
  memory::desc param = PlainDesc(Dims{in[0].dim(1)});
  BuiltOp b;
  b.primitive = dnnl::batch_normalization_forward(pd);
  b.input_args = {DNNL_ARG_SRC, DNNL_ARG_SCALE, DNNL_ARG_SHIFT, DNNL_ARG_MEAN,
                  DNNL_ARG_VARIANCE};
  b.input_mds = {src, param, param, param, param};
  b.input_views = {PlainDesc(ToDims(in[0])), param, param, param, param};
  b.output_md = pd.dst_desc();
  return b;
}

BuiltOp BuildPool(const dnnl::engine& e, dnnl::algorithm alg,
                  const Pool2DAttrs& a, const Shape& x, const Shape& y,
                  Mds mds) {
  memory::desc src = Arriving(mds, 0, ToDims(x));
  dnnl::pooling_forward::desc d(
      kInference, alg, src, AnyDesc(ToDims(y)), {a.stride[0], a.stride[1]},
      {a.kernel[0], a.kernel[1]}, {a.pad[0], a.pad[1]}, {a.pad[2], a.pad[3]});
  dnnl::pooling_forward::primitive_desc pd(d, e);
  return Single(dnnl::pooling_forward(pd), src, PlainDesc(ToDims(x)),
                pd.dst_desc());
}

BuiltOp BuildSoftmax(const dnnl::engine& e, const SoftmaxAttrs& a,
                     const Shape& x) {
  memory::desc md = PlainDesc(x);
  int axis = *NormalizeAxis(a.axis, x.rank());
  dnnl::softmax_v2_forward::desc d(kInference,
                                   dnnl::algorithm::softmax_accurate, md, md,
                                   axis);
  dnnl::softmax_v2_forward::primitive_desc pd(d, e);
  return Single(dnnl::softmax_v2_forward(pd), md, md, md);
}

BuiltOp BuildLayerNorm(const dnnl::engine& e, const LayerNormAttrs& a,
                       const Shape& x) {
  int axis = *NormalizeAxis(a.axis, x.rank());
  int64_t outer = 1, inner = 1;
  for (int i = 0; i < x.rank(); ++i) (i < axis ? outer : inner) *= x.dim(i);
  memory::desc md = PlainDesc(Dims{outer, inner});
  memory::desc param = PlainDesc(Dims{inner});
  dnnl::layer_normalization_forward::desc d(
      kInference, md, a.epsilon,
      dnnl::normalization_flags::use_scale |
          dnnl::normalization_flags::use_shift);
  dnnl::layer_normalization_forward::primitive_desc pd(d, e);
  BuiltOp b;
  b.primitive = dnnl::layer_normalization_forward(pd);
  b.input_args = {DNNL_ARG_SRC, DNNL_ARG_SCALE, DNNL_ARG_SHIFT};
  b.input_mds = {md, param, param};
  b.input_views = b.input_mds;
  b.output_md = md;
  return b;
}

BuiltOp BuildReduce(const dnnl::engine& e, dnnl::algorithm alg,
                    const ReduceAttrs& a, const Shape& x) {
  Dims dst = ToDims(x);
  for (int i = 0; i < x.rank(); ++i) {
    bool reduced = a.axes.empty();
    for (int64_t axis : a.axes) reduced |= *NormalizeAxis(axis, x.rank()) == i;
    if (reduced) dst[i] = 1;
  }
  memory::desc src = PlainDesc(x), out = PlainDesc(dst);
  dnnl::reduction::desc d(alg, src, out, 0.0f, 0.0f);
  dnnl::reduction::primitive_desc pd(d, e);
  return Single(dnnl::reduction(pd), src, src, out);
}

// Concat in `layout` (a LayoutName) for every input and the output; an
// error when the layout does not fit these shapes.
absl::StatusOr<BuiltOp> BuildConcatIn(const dnnl::engine& e, int axis,
                                      Shapes in, const Shape& y,
                                      const std::string& layout) {
  std::vector<memory::desc> srcs;
  BuiltOp b;
  for (size_t i = 0; i < in.size(); ++i) {
    TSOPT_ASSIGN_OR_RETURN(memory::desc src, DescFromLayout(in[i], layout));
    srcs.push_back(src);
    b.input_args.push_back(DNNL_ARG_MULTIPLE_SRC + static_cast<int>(i));
  }
  TSOPT_ASSIGN_OR_RETURN(memory::desc dst, DescFromLayout(y, layout));
  dnnl::concat::primitive_desc pd(dst, axis, srcs, e);
  b.primitive = dnnl::concat(pd);
  b.input_mds = srcs;
  for (const Shape& s : in) b.input_views.push_back(PlainDesc(s));
  b.output_md = dst;
  return b;
}

absl::StatusOr<BuiltOp> BuildConcat(const dnnl::engine& e,
                                    const ConcatAttrs& a, Shapes in,
                                    const Shape& y, Mds mds) {
  int axis = *NormalizeAxis(a.axis, y.rank());
  std::string lead = LayoutName(Arriving(mds, 0, ToDims(in[0])));
  if (lead.rfind("fmt:", 0) == 0) {
    try {
      absl::StatusOr<BuiltOp> followed = BuildConcatIn(e, axis, in, y, lead);
      if (followed.ok()) return followed;
    } catch (const dnnl::error&) {
      // e.g. a blocked axis whose sizes are not multiples of the block
    }
  }
  return BuildConcatIn(e, axis, in, y, "plain");
}

// Transpose and Slice: a reorder from a strided view of the input.
// `in_place`: the view is over the input as it arrives (a strided view
// itself), not over a plain copy of it.
BuiltOp BuildStridedCopy(const dnnl::engine& e, const memory::desc& view,
                         const Shape& y, bool in_place) {
  memory::desc dst = PlainDesc(y);
  dnnl::reorder::primitive_desc pd(e, view, e, dst);
  BuiltOp b = Single(dnnl::reorder(pd), view, view, dst);
  b.reads_arriving = {in_place};
  return b;
}

// The strides the input of a strided copy is read with: those it arrives
// with when it is a view (the copy reads it in place), else row-major.
Dims CopySourceStrides(Mds mds, const Shape& x) {
  std::optional<Dims> strides = ArrivingViewStrides(mds, 0, ToDims(x));
  return strides ? *strides : RowMajorStrides(ToDims(x));
}

memory::desc TransposeView(const TransposeAttrs& a, const Shape& x,
                           const Dims& in_strides) {
  Dims dims, strides;
  for (int64_t p : a.perm) {
    dims.push_back(x.dim(p));
    strides.push_back(in_strides[p]);
  }
  if (dims.empty()) return PlainDesc(x);
  return memory::desc(dims, memory::data_type::f32, strides);
}

memory::desc SliceView(const SliceAttrs& a, const Shape& x, const Shape& y,
                       const Dims& in_strides) {
  Dims strides = in_strides;
  int64_t offset = 0;
  for (size_t i = 0; i < a.axes.size(); ++i) {
    int axis = *NormalizeAxis(a.axes[i], x.rank());
    int64_t start = a.starts[i] < 0 ? a.starts[i] + x.dim(axis) : a.starts[i];
    start = std::clamp<int64_t>(start, 0, x.dim(axis));
    strides[axis] *= a.steps[i];
    offset += start * in_strides[axis];
  }
  memory::desc view(ToDims(y), memory::data_type::f32, strides);
  view.data.offset0 = offset;
  return view;
}

absl::StatusOr<BuiltOp> Dispatch(const dnnl::engine& e, OpKind op,
                                 const Attrs& attrs, Shapes in, Shapes out,
                                 Mds mds) {
  using dnnl::algorithm;
  switch (op) {
    case OpKind::kInput:
    case OpKind::kWeight:
    case OpKind::kIdentity:
    case OpKind::kReshape:
    case OpKind::kFlatten:
    case OpKind::kSplit:
      return absl::InternalError(
          absl::StrCat(OpMnemonic(op), " is a view and has no primitive"));
    case OpKind::kEnlarge:
    case OpKind::kPad:
      return NoPrimitive(op, "");
    case OpKind::kConv2D:
      return BuildConv(e, std::get<Conv2DAttrs>(attrs), in, out);
    case OpKind::kMatMul:
      return BuildMatMul(e, std::get<MatMulAttrs>(attrs), in, out, mds);
    case OpKind::kAdd:
    case OpKind::kSub:
    case OpKind::kMul:
    case OpKind::kDiv:
    case OpKind::kScalarMul:
      return BuildBinary(e, op, in, out, mds);
    case OpKind::kRelu:
      return BuildEltwise(e, algorithm::eltwise_relu, in[0], mds);
    case OpKind::kSigmoid:
      return BuildEltwise(e, algorithm::eltwise_logistic, in[0], mds);
    case OpKind::kTanh:
      return BuildEltwise(e, algorithm::eltwise_tanh, in[0], mds);
    case OpKind::kGelu:
      return BuildEltwise(e, algorithm::eltwise_gelu_erf, in[0], mds);
    case OpKind::kExp:
      return BuildEltwise(e, algorithm::eltwise_exp, in[0], mds);
    case OpKind::kSqrt:
      return BuildEltwise(e, algorithm::eltwise_sqrt, in[0], mds);
    case OpKind::kBatchNorm:
      return BuildBatchNorm(e, std::get<BatchNormAttrs>(attrs), in, mds);
    case OpKind::kLayerNorm:
      return BuildLayerNorm(e, std::get<LayerNormAttrs>(attrs), in[0]);
    case OpKind::kSoftmax:
      return BuildSoftmax(e, std::get<SoftmaxAttrs>(attrs), in[0]);
    case OpKind::kMaxPool2D:
      return BuildPool(e, algorithm::pooling_max,
                       std::get<Pool2DAttrs>(attrs), in[0], out[0], mds);
    case OpKind::kAvgPool2D: {
      const auto& a = std::get<Pool2DAttrs>(attrs);
      return BuildPool(e,
                       a.count_include_pad
                           ? algorithm::pooling_avg_include_padding
                           : algorithm::pooling_avg_exclude_padding,
                       a, in[0], out[0], mds);
    }
    case OpKind::kGlobalAvgPool: {
      Pool2DAttrs a;
      a.kernel = {in[0].dim(2), in[0].dim(3)};
      return BuildPool(e, algorithm::pooling_avg_exclude_padding, a, in[0],
                       out[0], mds);
    }
    case OpKind::kReduceSum:
      return BuildReduce(e, algorithm::reduction_sum,
                         std::get<ReduceAttrs>(attrs), in[0]);
    case OpKind::kReduceMean:
      return BuildReduce(e, algorithm::reduction_mean,
                         std::get<ReduceAttrs>(attrs), in[0]);
    case OpKind::kConcat:
      return BuildConcat(e, std::get<ConcatAttrs>(attrs), in, out[0], mds);
    case OpKind::kTranspose:
      return BuildStridedCopy(
          e,
          TransposeView(std::get<TransposeAttrs>(attrs), in[0],
                        CopySourceStrides(mds, in[0])),
          out[0], ArrivingViewStrides(mds, 0, ToDims(in[0])).has_value());
    case OpKind::kSlice:
      return BuildStridedCopy(
          e,
          SliceView(std::get<SliceAttrs>(attrs), in[0], out[0],
                    CopySourceStrides(mds, in[0])),
          out[0], ArrivingViewStrides(mds, 0, ToDims(in[0])).has_value());
    case OpKind::kOpaque:
      return OpaqueNotExecutable(std::get<OpaqueAttrs>(attrs));
  }
  return absl::InternalError("unknown operator");
}

}  // namespace

LayoutPolicy PolicyOf(OpKind op) {
  switch (op) {
    case OpKind::kConv2D:
    case OpKind::kMatMul:
      return LayoutPolicy::kChooses;
    case OpKind::kAdd:
    case OpKind::kSub:
    case OpKind::kMul:
    case OpKind::kDiv:
    case OpKind::kScalarMul:
    case OpKind::kRelu:
    case OpKind::kSigmoid:
    case OpKind::kTanh:
    case OpKind::kGelu:
    case OpKind::kExp:
    case OpKind::kSqrt:
    case OpKind::kBatchNorm:
    case OpKind::kMaxPool2D:
    case OpKind::kAvgPool2D:
    case OpKind::kGlobalAvgPool:
      return LayoutPolicy::kFollows;
    case OpKind::kConcat:
      return LayoutPolicy::kFollowsAll;
    default:
      return LayoutPolicy::kPlain;
  }
}

bool IsDense(const memory::desc& md) {
  const dnnl_memory_desc_t& d = md.data;
  size_t elements = 1;
  for (int i = 0; i < d.ndims; ++i) elements *= d.padded_dims[i];
  return md.get_size() == elements * sizeof(float);
}

std::optional<Dims> ViewStrides(const memory::desc& md) {
  const dnnl_memory_desc_t& d = md.data;
  if (d.format_kind != dnnl_blocked || d.format_desc.blocking.inner_nblks != 0 ||
      (IsDense(md) && md != PlainDesc(md.dims()))) {
    return std::nullopt;
  }
  return Dims(d.format_desc.blocking.strides,
              d.format_desc.blocking.strides + d.ndims);
}

memory::desc PlainDesc(const Dims& dims) {
  return memory::desc(dims, memory::data_type::f32, RowMajorStrides(dims));
}

memory::desc PlainDesc(const Shape& shape) { return PlainDesc(ToDims(shape)); }

namespace {

// Blocks per dim of a blocked descriptor.
std::vector<int64_t> BlockSizes(const dnnl_blocking_desc_t& blk, int ndims) {
  std::vector<int64_t> block_of(ndims, 1);
  for (int i = 0; i < blk.inner_nblks; ++i) {
    block_of[blk.inner_idxs[i]] *= blk.inner_blks[i];
  }
  return block_of;
}

// Dense strides for outer dims in `order` (outermost first) and inner
// blocks.
void FillDenseStrides(const std::vector<int>& order, dnnl_memory_desc_t* d) {
  dnnl_blocking_desc_t& blk = d->format_desc.blocking;
  std::vector<int64_t> block_of = BlockSizes(blk, d->ndims);
  int64_t running = 1;
  for (int i = 0; i < blk.inner_nblks; ++i) running *= blk.inner_blks[i];
  for (int i = static_cast<int>(order.size()) - 1; i >= 0; --i) {
    int dim = order[i];
    blk.strides[dim] = running;
    running *= d->padded_dims[dim] / block_of[dim];
  }
}

}  // namespace

std::string LayoutName(const memory::desc& md) {
  if (md == PlainDesc(md.dims())) return "plain";
  const dnnl_memory_desc_t& d = md.data;
  if (d.format_kind != dnnl_blocked) {
    return absl::StrCat("kind", static_cast<int>(d.format_kind));
  }
  const dnnl_blocking_desc_t& blk = d.format_desc.blocking;
  // Outer dims ordered by decreasing stride (ties: by index); the name is
  // shape-independent, so an operator that changes spatial sizes
  // (pooling) keeps its input's layout name.
  std::vector<int> order(d.ndims);
  for (int i = 0; i < d.ndims; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return blk.strides[a] > blk.strides[b];
  });
  std::vector<std::string> blocks;
  for (int i = 0; i < blk.inner_nblks; ++i) {
    blocks.push_back(absl::StrCat(blk.inner_idxs[i], ":", blk.inner_blks[i]));
  }
  if (blk.inner_nblks == 0 && !IsDense(md)) {
    return ViewLayoutName(md.dims(), Dims(blk.strides, blk.strides + d.ndims));
  }
  std::string name = absl::StrCat("fmt:", absl::StrJoin(order, ","), "/",
                                  absl::StrJoin(blocks, ","));
  // Only dense layouts are described by order and blocks alone.
  dnnl_memory_desc_t dense = d;
  FillDenseStrides(order, &dense);
  if (memory::desc(dense) != md) {
    std::vector<int64_t> strides(blk.strides, blk.strides + d.ndims);
    return absl::StrCat("strided:", absl::StrJoin(strides, ","), "/",
                        absl::StrJoin(blocks, ","));
  }
  return name;
}

absl::StatusOr<memory::desc> DescFromLayout(const Shape& shape,
                                            const std::string& name) {
  if (name == "plain") return PlainDesc(shape);
  auto bad = [&] {
    return absl::InvalidArgumentError(
        absl::StrCat("malformed layout '", name, "' for ", shape.ToString()));
  };
  if (IsViewLayout(name)) {
    Dims dims = ToDims(shape);
    std::optional<Dims> strides =
        ParseViewLayout(name, static_cast<int>(dims.size()));
    if (!strides) return bad();
    try {
      return memory::desc(dims, memory::data_type::f32, *strides);
    } catch (const dnnl::error&) {
      return bad();
    }
  }
  if (name.rfind("fmt:", 0) != 0) return bad();
  std::vector<std::string> parts = absl::StrSplit(name.substr(4), '/');
  if (parts.size() != 2) return bad();
  Dims dims = ToDims(shape);
  std::vector<std::string> order_text = absl::StrSplit(parts[0], ',');
  if (order_text.size() != dims.size()) return bad();
  dnnl_memory_desc_t d = {};
  d.ndims = static_cast<int>(dims.size());
  d.data_type = dnnl_f32;
  d.format_kind = dnnl_blocked;
  dnnl_blocking_desc_t& blk = d.format_desc.blocking;
  if (!parts[1].empty()) {
    for (absl::string_view b : absl::StrSplit(parts[1], ',')) {
      std::vector<std::string> kv = absl::StrSplit(b, ':');
      int64_t idx, size;
      if (kv.size() != 2 || !absl::SimpleAtoi(kv[0], &idx) ||
          !absl::SimpleAtoi(kv[1], &size) || idx < 0 || idx >= d.ndims ||
          size < 1 || size > 4096 || blk.inner_nblks >= DNNL_MAX_NDIMS) {
        return bad();
      }
      blk.inner_idxs[blk.inner_nblks] = idx;
      blk.inner_blks[blk.inner_nblks++] = size;
    }
  }
  std::vector<int> order;
  std::vector<bool> seen(d.ndims, false);
  for (const std::string& t : order_text) {
    int dim;
    if (!absl::SimpleAtoi(t, &dim) || dim < 0 || dim >= d.ndims || seen[dim]) {
      return bad();
    }
    seen[dim] = true;
    order.push_back(dim);
  }
  std::vector<int64_t> block_of = BlockSizes(blk, d.ndims);
  for (int i = 0; i < d.ndims; ++i) {
    d.dims[i] = dims[i];
    d.padded_dims[i] = (dims[i] + block_of[i] - 1) / block_of[i] * block_of[i];
  }
  FillDenseStrides(order, &d);
  return memory::desc(d);
}

absl::StatusOr<BuiltOp> BuildOp(const dnnl::engine& engine, OpKind op,
                                const Attrs& attrs, Shapes inputs,
                                Shapes outputs, Mds input_mds) {
  try {
    return Dispatch(engine, op, attrs, inputs, outputs, input_mds);
  } catch (const dnnl::error& e) {
    return NoPrimitive(op, absl::StrCat(" with inputs ",
                                        absl::StrJoin(inputs, ",",
                                                      [](std::string* o,
                                                         const Shape& s) {
                                                        o->append(s.ToString());
                                                      }),
                                        ": ", e.what()));
  }
}

absl::StatusOr<dnnl::primitive> BuildReorder(const dnnl::engine& engine,
                                             const memory::desc& from,
                                             const memory::desc& to) {
  try {
    return dnnl::primitive(
        dnnl::reorder(dnnl::reorder::primitive_desc(engine, from, engine, to)));
  } catch (const dnnl::error& e) {
    return absl::InternalError(absl::StrCat("oneDNN reorder ", LayoutName(from),
                                            " -> ", LayoutName(to), ": ",
                                            e.what()));
  }
}

std::string LibraryVersion() {
  const dnnl_version_t* v = dnnl_version();
  return absl::StrCat("oneDNN ", v->major, ".", v->minor, ".", v->patch);
}

std::string CpuIsaName() {
  switch (dnnl::get_effective_cpu_isa()) {
    case dnnl::cpu_isa::sse41:
      return "sse41";
    case dnnl::cpu_isa::avx:
      return "avx";
    case dnnl::cpu_isa::avx2:
      return "avx2";
    case dnnl::cpu_isa::avx512_core:
      return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni:
      return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16:
      return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx:
      return "avx512_core_amx";
    default:
      return absl::StrCat("isa", static_cast<int>(dnnl::get_effective_cpu_isa()));
  }
}

}  // namespace tsopt::onednn

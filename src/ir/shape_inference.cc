// Shape inference: one Infer<Name> function per row of ops.def, dispatched by
// a switch generated from the table (a missing function does not compile).
#include "tsopt/ir/shape_inference.h"

#include <algorithm>
#include <cstdint>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tsopt/util/status_macros.h"

namespace tsopt {
namespace {

using Shapes = absl::Span<const Shape>;
using Result = absl::StatusOr<std::vector<Shape>>;

absl::Status Error(absl::string_view what) {
  return absl::InvalidArgumentError(what);
}

std::string ShapesToString(Shapes shapes) {
  return absl::StrJoin(shapes, ", ", [](std::string* out, const Shape& s) {
    out->append(s.ToString());
  });
}

absl::Status CheckRank(const Shape& s, int rank, absl::string_view what) {
  if (s.rank() != rank) {
    return Error(absl::StrCat(what, " must have rank ", rank, ", got ",
                              s.ToString()));
  }
  return absl::OkStatus();
}

absl::Status CheckListSize(const std::vector<int64_t>& v, size_t n,
                           absl::string_view what) {
  if (v.size() != n) {
    return Error(absl::StrCat(what, " must have ", n, " values, got ",
                              DimsToString(v)));
  }
  return absl::OkStatus();
}

absl::Status CheckAllAtLeast(const std::vector<int64_t>& v, int64_t min,
                             absl::string_view what) {
  for (int64_t x : v) {
    if (x < min) {
      return Error(absl::StrCat(what, " values must be >= ", min, ", got ",
                                DimsToString(v)));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckAllAtMost(const std::vector<int64_t>& v, int64_t max,
                            absl::string_view what) {
  for (int64_t x : v) {
    if (x > max) {
      return Error(absl::StrCat(what, " values must be <= ", max, ", got ",
                                DimsToString(v)));
    }
  }
  return absl::OkStatus();
}

Result One(absl::StatusOr<Shape> s) {
  if (!s.ok()) return s.status();
  return std::vector<Shape>{*std::move(s)};
}

// --- Leaves -----------------------------------------------------------------

Result InferInput(const InputAttrs& a, Shapes) { return One(Shape::Create(a.shape)); }
Result InferWeight(const WeightAttrs& a, Shapes) { return One(Shape::Create(a.shape)); }

// --- Conv and matmul ----------------------------------------------------------

absl::Status CheckWindow(const std::vector<int64_t>& stride,
                         const std::vector<int64_t>& pad) {
  TSOPT_RETURN_IF_ERROR(CheckListSize(stride, 2, "stride"));
  TSOPT_RETURN_IF_ERROR(CheckAllAtLeast(stride, 1, "stride"));
  TSOPT_RETURN_IF_ERROR(CheckListSize(pad, 4, "pad"));
  TSOPT_RETURN_IF_ERROR(CheckAllAtLeast(pad, 0, "pad"));
  return absl::OkStatus();
}

Result InferConv2D(const Conv2DAttrs& a, Shapes in) {
  const Shape& x = in[0];
  const Shape& w = in[1];
  TSOPT_RETURN_IF_ERROR(CheckRank(x, 4, "conv2d input"));
  TSOPT_RETURN_IF_ERROR(CheckRank(w, 4, "conv2d weight"));
  TSOPT_RETURN_IF_ERROR(CheckWindow(a.stride, a.pad));
  TSOPT_RETURN_IF_ERROR(CheckListSize(a.dilation, 2, "dilation"));
  TSOPT_RETURN_IF_ERROR(CheckAllAtLeast(a.dilation, 1, "dilation"));
  if (a.groups < 1) return Error(absl::StrCat("groups must be >= 1, got ", a.groups));
  if (x.dim(1) % a.groups != 0 || w.dim(0) % a.groups != 0) {
    return Error(absl::StrCat("groups ", a.groups,
                              " must divide input channels ", x.dim(1),
                              " and output channels ", w.dim(0)));
  }
  if (w.dim(1) * a.groups != x.dim(1)) {
    return Error(absl::StrCat("weight ", w.ToString(), " expects ",
                              w.dim(1) * a.groups, " input channels (groups ",
                              a.groups, ") but input is ", x.ToString()));
  }
  std::vector<int64_t> out = {x.dim(0), w.dim(0)};
  for (int i = 0; i < 2; ++i) {
    int64_t size = WindowOutputSize(x.dim(2 + i), w.dim(2 + i), a.stride[i],
                                    a.pad[i], a.pad[2 + i], a.dilation[i]);
    if (size < 1) {
      return Error(absl::StrCat("kernel ", w.ToString(),
                                " does not fit input ", x.ToString(),
                                " with the given pads and dilation"));
    }
    out.push_back(size);
  }
  if (in.size() == 3 && in[2] != Shape({w.dim(0)})) {
    return Error(absl::StrCat("conv2d bias must have shape [", w.dim(0),
                              "] (one value per output channel), got ",
                              in[2].ToString()));
  }
  return One(Shape::Create(std::move(out)));
}

Result InferMatMul(const MatMulAttrs&, Shapes in) {
  const Shape& a = in[0];
  const Shape& b = in[1];
  if (a.rank() < 2 || b.rank() < 2) {
    return Error(absl::StrCat("matmul operands must have rank >= 2, got ",
                              ShapesToString(in)));
  }
  int64_t k = a.dim(a.rank() - 1);
  if (k != b.dim(b.rank() - 2)) {
    return Error(absl::StrCat("matmul inner dims differ: ", ShapesToString(in)));
  }
  std::vector<int64_t> a_batch(a.dims().begin(), a.dims().end() - 2);
  std::vector<int64_t> b_batch(b.dims().begin(), b.dims().end() - 2);
  absl::StatusOr<Shape> batch =
      BroadcastShapes(Shape(a_batch), Shape(b_batch));
  if (!batch.ok()) {
    return Error(absl::StrCat("matmul batch dims do not broadcast: ",
                              ShapesToString(in)));
  }
  std::vector<int64_t> out = batch->dims();
  out.push_back(a.dim(a.rank() - 2));
  out.push_back(b.dim(b.rank() - 1));
  if (in.size() == 3 && in[2] != Shape({out.back()})) {
    return Error(absl::StrCat("matmul bias must have shape [", out.back(),
                              "] (the output's last dim), got ",
                              in[2].ToString()));
  }
  return One(Shape::Create(std::move(out)));
}

// --- Elementwise ----------------------------------------------------------------

Result InferBroadcast(Shapes in) { return One(BroadcastShapes(in[0], in[1])); }
Result InferAdd(const NoAttrs&, Shapes in) { return InferBroadcast(in); }
Result InferSub(const NoAttrs&, Shapes in) { return InferBroadcast(in); }
Result InferMul(const NoAttrs&, Shapes in) { return InferBroadcast(in); }
Result InferDiv(const NoAttrs&, Shapes in) { return InferBroadcast(in); }

Result InferScalarMul(const NoAttrs&, Shapes in) {
  if (in[1].rank() != 0) {
    return Error(absl::StrCat("scalar_mul's second input must be a scalar "
                              "(rank 0), got ",
                              in[1].ToString()));
  }
  return std::vector<Shape>{in[0]};
}

Result InferUnary(Shapes in) { return std::vector<Shape>{in[0]}; }
Result InferRelu(const NoAttrs&, Shapes in) { return InferUnary(in); }
Result InferSigmoid(const NoAttrs&, Shapes in) { return InferUnary(in); }
Result InferTanh(const NoAttrs&, Shapes in) { return InferUnary(in); }
Result InferGelu(const NoAttrs&, Shapes in) { return InferUnary(in); }
Result InferExp(const NoAttrs&, Shapes in) { return InferUnary(in); }
Result InferSqrt(const NoAttrs&, Shapes in) { return InferUnary(in); }
Result InferIdentity(const NoAttrs&, Shapes in) { return InferUnary(in); }

// --- Normalization ----------------------------------------------------------------

Result InferBatchNorm(const BatchNormAttrs& a, Shapes in) {
  const Shape& x = in[0];
  if (x.rank() < 2) {
    return Error(absl::StrCat("batchnorm input must have rank >= 2, got ",
                              x.ToString()));
  }
  if (!(a.epsilon >= 0)) return Error("batchnorm epsilon must be >= 0");
  for (int i = 1; i < 5; ++i) {
    if (in[i] != Shape({x.dim(1)})) {
      return Error(absl::StrCat("batchnorm parameter ", i, " must have shape [",
                                x.dim(1), "], got ", in[i].ToString()));
    }
  }
  return std::vector<Shape>{x};
}

Result InferLayerNorm(const LayerNormAttrs& a, Shapes in) {
  const Shape& x = in[0];
  TSOPT_ASSIGN_OR_RETURN(int axis, NormalizeAxis(a.axis, x.rank()));
  if (!(a.epsilon >= 0)) return Error("layernorm epsilon must be >= 0");
  Shape norm(std::vector<int64_t>(x.dims().begin() + axis, x.dims().end()));
  for (int i = 1; i < 3; ++i) {
    if (in[i] != norm) {
      return Error(absl::StrCat("layernorm parameter ", i, " must have shape ",
                                norm.ToString(), ", got ", in[i].ToString()));
    }
  }
  return std::vector<Shape>{x};
}

Result InferSoftmax(const SoftmaxAttrs& a, Shapes in) {
  TSOPT_RETURN_IF_ERROR(NormalizeAxis(a.axis, in[0].rank()).status());
  return std::vector<Shape>{in[0]};
}

// --- Pooling -------------------------------------------------------------------------

Result InferPool(const Pool2DAttrs& a, Shapes in) {
  const Shape& x = in[0];
  TSOPT_RETURN_IF_ERROR(CheckRank(x, 4, "pool input"));
  TSOPT_RETURN_IF_ERROR(CheckListSize(a.kernel, 2, "kernel"));
  TSOPT_RETURN_IF_ERROR(CheckAllAtLeast(a.kernel, 1, "kernel"));
  TSOPT_RETURN_IF_ERROR(CheckWindow(a.stride, a.pad));
  for (int i = 0; i < 2; ++i) {
    if (a.pad[i] >= a.kernel[i] || a.pad[2 + i] >= a.kernel[i]) {
      return Error(absl::StrCat("pool pads ", DimsToString(a.pad),
                                " must be smaller than the kernel ",
                                DimsToString(a.kernel)));
    }
  }
  if (a.count_include_pad != 0 && a.count_include_pad != 1) {
    return Error("count_include_pad must be 0 or 1");
  }
  std::vector<int64_t> out = {x.dim(0), x.dim(1)};
  for (int i = 0; i < 2; ++i) {
    int64_t size = WindowOutputSize(x.dim(2 + i), a.kernel[i], a.stride[i],
                                    a.pad[i], a.pad[2 + i], 1);
    if (size < 1) {
      return Error(absl::StrCat("pool kernel ", DimsToString(a.kernel),
                                " does not fit input ", x.ToString()));
    }
    out.push_back(size);
  }
  return One(Shape::Create(std::move(out)));
}
Result InferMaxPool2D(const Pool2DAttrs& a, Shapes in) { return InferPool(a, in); }
Result InferAvgPool2D(const Pool2DAttrs& a, Shapes in) { return InferPool(a, in); }

Result InferGlobalAvgPool(const NoAttrs&, Shapes in) {
  TSOPT_RETURN_IF_ERROR(CheckRank(in[0], 4, "global_avgpool input"));
  return One(Shape::Create({in[0].dim(0), in[0].dim(1), 1, 1}));
}

// --- Reductions -------------------------------------------------------------------

Result InferReduce(const ReduceAttrs& a, Shapes in) {
  const Shape& x = in[0];
  if (a.keepdims != 0 && a.keepdims != 1) return Error("keepdims must be 0 or 1");
  std::vector<bool> reduced(x.rank(), a.axes.empty());
  for (int64_t axis : a.axes) {
    TSOPT_ASSIGN_OR_RETURN(int ax, NormalizeAxis(axis, x.rank()));
    if (reduced[ax]) {
      return Error(absl::StrCat("reduce axes ", DimsToString(a.axes),
                                " repeat an axis"));
    }
    reduced[ax] = true;
  }
  std::vector<int64_t> out;
  for (int i = 0; i < x.rank(); ++i) {
    if (!reduced[i]) {
      out.push_back(x.dim(i));
    } else if (a.keepdims) {
      out.push_back(1);
    }
  }
  return One(Shape::Create(std::move(out)));
}
Result InferReduceSum(const ReduceAttrs& a, Shapes in) { return InferReduce(a, in); }
Result InferReduceMean(const ReduceAttrs& a, Shapes in) { return InferReduce(a, in); }

// --- Data movement ---------------------------------------------------------------

Result InferConcat(const ConcatAttrs& a, Shapes in) {
  TSOPT_ASSIGN_OR_RETURN(int axis, NormalizeAxis(a.axis, in[0].rank()));
  std::vector<int64_t> out = in[0].dims();
  for (size_t i = 1; i < in.size(); ++i) {
    bool same_rank = in[i].rank() == in[0].rank();
    for (int d = 0; same_rank && d < in[0].rank(); ++d) {
      if (d != axis && in[i].dim(d) != in[0].dim(d)) same_rank = false;
    }
    if (!same_rank) {
      return Error(absl::StrCat("concat inputs ", ShapesToString(in),
                                " differ outside axis ", axis));
    }
    out[axis] += in[i].dim(axis);
  }
  return One(Shape::Create(std::move(out)));
}

Result InferSplit(const SplitAttrs& a, Shapes in) {
  const Shape& x = in[0];
  TSOPT_ASSIGN_OR_RETURN(int axis, NormalizeAxis(a.axis, x.rank()));
  if (a.sizes.empty()) return Error("split needs at least one size");
  TSOPT_RETURN_IF_ERROR(CheckAllAtLeast(a.sizes, 1, "split sizes"));
  // Each size is at most the dim, so the sum cannot overflow.
  TSOPT_RETURN_IF_ERROR(CheckAllAtMost(a.sizes, x.dim(axis), "split sizes"));
  int64_t total = std::accumulate(a.sizes.begin(), a.sizes.end(), int64_t{0});
  if (total != x.dim(axis)) {
    return Error(absl::StrCat("split sizes ", DimsToString(a.sizes),
                              " do not sum to dim ", axis, " of ",
                              x.ToString()));
  }
  std::vector<Shape> outs;
  for (int64_t size : a.sizes) {
    std::vector<int64_t> dims = x.dims();
    dims[axis] = size;
    outs.push_back(Shape(std::move(dims)));
  }
  return outs;
}

Result InferReshape(const ReshapeAttrs& a, Shapes in) {
  TSOPT_ASSIGN_OR_RETURN(Shape out, Shape::Create(a.shape));
  if (out.NumElements() != in[0].NumElements()) {
    return Error(absl::StrCat("cannot reshape ", in[0].ToString(), " to ",
                              out.ToString()));
  }
  return std::vector<Shape>{out};
}

Result InferTranspose(const TransposeAttrs& a, Shapes in) {
  const Shape& x = in[0];
  std::vector<bool> seen(x.rank(), false);
  bool ok = static_cast<int>(a.perm.size()) == x.rank();
  for (size_t i = 0; ok && i < a.perm.size(); ++i) {
    int64_t p = a.perm[i];
    ok = p >= 0 && p < x.rank() && !seen[p];
    if (ok) seen[p] = true;
  }
  if (!ok) {
    return Error(absl::StrCat("perm ", DimsToString(a.perm),
                              " is not a permutation of the axes of ",
                              x.ToString()));
  }
  std::vector<int64_t> out;
  for (int64_t p : a.perm) out.push_back(x.dim(p));
  return One(Shape::Create(std::move(out)));
}

Result InferFlatten(const FlattenAttrs& a, Shapes in) {
  const Shape& x = in[0];
  if (a.axis < -x.rank() || a.axis > x.rank()) {
    return Error(absl::StrCat("flatten axis ", a.axis,
                              " is out of range for ", x.ToString()));
  }
  int axis = static_cast<int>(a.axis < 0 ? a.axis + x.rank() : a.axis);
  int64_t outer = 1, inner = 1;
  for (int i = 0; i < x.rank(); ++i) (i < axis ? outer : inner) *= x.dim(i);
  return One(Shape::Create({outer, inner}));
}

Result InferEnlarge(const EnlargeAttrs& a, Shapes in) {
  const Shape& w = in[0];
  TSOPT_RETURN_IF_ERROR(CheckRank(w, 4, "enlarge input"));
  TSOPT_RETURN_IF_ERROR(CheckListSize(a.kernel, 2, "enlarge kernel"));
  TSOPT_RETURN_IF_ERROR(CheckAllAtLeast(a.kernel, 1, "enlarge kernel"));
  for (int i = 0; i < 2; ++i) {
    int64_t grow = a.kernel[i] - w.dim(2 + i);
    if (grow < 0 || grow % 2 != 0) {
      return Error(absl::StrCat("cannot enlarge kernel ", w.ToString(), " to ",
                                DimsToString(a.kernel),
                                " (must grow by an even amount)"));
    }
  }
  return One(Shape::Create({w.dim(0), w.dim(1), a.kernel[0], a.kernel[1]}));
}

Result InferPad(const PadAttrs& a, Shapes in) {
  const Shape& x = in[0];
  TSOPT_RETURN_IF_ERROR(CheckListSize(a.pads, 2 * x.rank(), "pads"));
  TSOPT_RETURN_IF_ERROR(CheckAllAtLeast(a.pads, 0, "pads"));
  // Bounded so that the sums below cannot overflow.
  TSOPT_RETURN_IF_ERROR(CheckAllAtMost(a.pads, Shape::kMaxElements, "pads"));
  std::vector<int64_t> out = x.dims();
  for (int i = 0; i < x.rank(); ++i) out[i] += a.pads[i] + a.pads[x.rank() + i];
  return One(Shape::Create(std::move(out)));
}

Result InferSlice(const SliceAttrs& a, Shapes in) {
  const Shape& x = in[0];
  size_t n = a.starts.size();
  if (a.ends.size() != n || a.axes.size() != n || a.steps.size() != n) {
    return Error("slice starts, ends, axes and steps must have equal lengths");
  }
  std::vector<int64_t> out = x.dims();
  std::vector<bool> seen(x.rank(), false);
  for (size_t i = 0; i < n; ++i) {
    TSOPT_ASSIGN_OR_RETURN(int axis, NormalizeAxis(a.axes[i], x.rank()));
    if (seen[axis]) return Error("slice axes repeat an axis");
    seen[axis] = true;
    if (a.steps[i] < 1) return Error("slice steps must be >= 1");
    int64_t dim = x.dim(axis);
    auto clamp = [dim](int64_t v) {
      if (v < 0) v += dim;
      return std::clamp<int64_t>(v, 0, dim);
    };
    int64_t begin = clamp(a.starts[i]);
    int64_t end = clamp(a.ends[i]);
    int64_t size = end > begin ? (end - begin - 1) / a.steps[i] + 1 : 0;
    if (size < 1) {
      return Error(absl::StrCat("slice of axis ", axis, " of ", x.ToString(),
                                " is empty"));
    }
    out[axis] = size;
  }
  return One(Shape::Create(std::move(out)));
}

// The output shapes recorded in the attributes; the inputs are not read.
Result InferOpaque(const OpaqueAttrs& a, Shapes) {
  if (a.op_type.empty()) return Error("opaque operator without an op_type");
  const std::string what =
      absl::StrCat("opaque operator '", OpaqueOpName(a), "'");
  if (a.output_ranks.empty()) return Error(absl::StrCat(what, " has no outputs"));
  if (a.output_dtypes.size() != a.output_ranks.size()) {
    return Error(absl::StrCat(what, " lists ", a.output_dtypes.size(),
                              " output types for ", a.output_ranks.size(),
                              " outputs"));
  }
  std::vector<Shape> out;
  size_t at = 0;
  for (int64_t rank : a.output_ranks) {
    if (rank < 0 || rank > Shape::kMaxRank ||
        static_cast<size_t>(rank) > a.output_dims.size() - at) {
      return Error(absl::StrCat(what, ": output ranks ",
                                DimsToString(a.output_ranks),
                                " do not match output_dims ",
                                DimsToString(a.output_dims)));
    }
    std::vector<int64_t> dims(a.output_dims.begin() + at,
                              a.output_dims.begin() + at + rank);
    at += rank;
    absl::StatusOr<Shape> shape = Shape::Create(std::move(dims));
    if (!shape.ok()) {
      return Error(absl::StrCat(what, " output ", out.size(), ": ",
                                shape.status().message()));
    }
    out.push_back(*std::move(shape));
  }
  if (at != a.output_dims.size()) {
    return Error(absl::StrCat(what, ": output_dims ",
                              DimsToString(a.output_dims), " has ",
                              a.output_dims.size() - at,
                              " values past the output ranks"));
  }
  return out;
}

}  // namespace

int64_t WindowOutputSize(int64_t in, int64_t kernel, int64_t stride,
                         int64_t pad_begin, int64_t pad_end,
                         int64_t dilation) {
  // 128-bit: attribute values come from files and may be huge; a result
  // too large for int64 saturates (Shape::Create then refuses it).
  using Wide = __int128;
  const Wide span = Wide{dilation} * (kernel - 1) + 1;
  const Wide padded = Wide{in} + pad_begin + pad_end;
  if (padded < span) return 0;
  const Wide out = (padded - span) / stride + 1;
  return out > INT64_MAX ? INT64_MAX : static_cast<int64_t>(out);
}

absl::StatusOr<Shape> BroadcastShapes(const Shape& a, const Shape& b) {
  int rank = std::max(a.rank(), b.rank());
  std::vector<int64_t> out(rank);
  for (int i = 0; i < rank; ++i) {
    int ia = a.rank() - rank + i;
    int ib = b.rank() - rank + i;
    int64_t da = ia >= 0 ? a.dim(ia) : 1;
    int64_t db = ib >= 0 ? b.dim(ib) : 1;
    if (da != db && da != 1 && db != 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "shapes ", a.ToString(), " and ", b.ToString(),
          " do not broadcast"));
    }
    out[i] = std::max(da, db);
  }
  return Shape(std::move(out));
}

absl::StatusOr<std::vector<Shape>> InferShapes(OpKind op, const Attrs& attrs,
                                               absl::Span<const Shape> inputs) {
  TSOPT_RETURN_IF_ERROR(CheckAttrsType(op, attrs));
  const OpInfo& info = GetOpInfo(op);
  int n = static_cast<int>(inputs.size());
  if (n < info.min_inputs || (info.max_inputs >= 0 && n > info.max_inputs)) {
    return Error(absl::StrCat(
        info.mnemonic, " takes ",
        info.max_inputs == info.min_inputs ? absl::StrCat(info.min_inputs)
        : info.max_inputs < 0
            ? absl::StrCat(info.min_inputs, " or more")
            : absl::StrCat(info.min_inputs, " to ", info.max_inputs),
        " inputs, got ", n));
  }
  switch (op) {
#define TSOPT_OP(Name, mnemonic, min_in, max_in, outs, AttrsT, comm) \
  case OpKind::k##Name:                                              \
    return Infer##Name(std::get<AttrsT>(attrs), inputs);
#include "tsopt/ir/ops.def"
#undef TSOPT_OP
  }
  return Error("unknown operator");
}

}  // namespace tsopt

// The tensor algebra's declarations and symbolic shape inference.
#include "verifier/algebra.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "tsopt/util/status_macros.h"

namespace tsopt::verifier {
namespace {

using Dims = std::vector<z3::expr>;

// dims[idx] for a symbolic index (an if-then-else chain).
z3::expr Select(const Dims& dims, const z3::expr& idx) {
  z3::expr out = dims.back();
  for (int k = static_cast<int>(dims.size()) - 2; k >= 0; --k) {
    out = z3::ite(idx == k, dims[k], out);
  }
  return out;
}

z3::expr InRange(const z3::expr& idx, int rank) {
  return idx >= 0 && idx < rank;
}

const Dims& Field(const SymAttrs& attrs, const std::string& name) {
  return attrs.at(name);
}

// Numpy broadcasting of two shapes, aligned from the right.
Dims Broadcast(const Dims& a, const Dims& b, std::vector<z3::expr>& valid) {
  const size_t rank = std::max(a.size(), b.size());
  Dims out;
  for (size_t i = 0; i < rank; ++i) {
    const bool has_a = i + a.size() >= rank, has_b = i + b.size() >= rank;
    if (!has_a) {
      out.push_back(b[i + b.size() - rank]);
      continue;
    }
    if (!has_b) {
      out.push_back(a[i + a.size() - rank]);
      continue;
    }
    const z3::expr& x = a[i + a.size() - rank];
    const z3::expr& y = b[i + b.size() - rank];
    valid.push_back(x == y || x == 1 || y == 1);
    out.push_back(z3::ite(x == 1, y, x));
  }
  return out;
}

absl::StatusOr<SymShapeResult> Conv(Algebra& alg, const SymAttrs& attrs,
                                    const Dims& x, const Dims& w) {
  if (x.size() != 4 || w.size() != 4) {
    return absl::InvalidArgumentError("conv2d needs rank-4 operands");
  }
  const Dims& s = Field(attrs, "stride");
  const Dims& p = Field(attrs, "pad");
  const Dims& d = Field(attrs, "dilation");
  const z3::expr& g = Field(attrs, "groups")[0];
  SymShapeResult r;
  z3::expr span_h = x[2] + p[0] + p[2] - d[0] * (w[2] - 1);
  z3::expr span_w = x[3] + p[1] + p[3] - d[1] * (w[3] - 1);
  r.outputs.push_back(
      {x[0], w[0], alg.WindowOut(span_h, s[0]), alg.WindowOut(span_w, s[1])});
  r.valid = {x[1] == w[1] * g, g >= 1, s[0] >= 1, s[1] >= 1, d[0] >= 1,
             d[1] >= 1, span_h >= 1, span_w >= 1};
  // What the window function satisfies wherever it is defined.
  for (int k = 2; k < 4; ++k) r.valid.push_back(r.outputs[0][k] >= 1);
  for (const z3::expr& pad : p) r.valid.push_back(pad >= 0);
  return r;
}

absl::StatusOr<SymShapeResult> Pool(Algebra& alg, const SymAttrs& attrs,
                                    const Dims& x) {
  if (x.size() != 4) return absl::InvalidArgumentError("pool needs rank 4");
  const Dims& k = Field(attrs, "kernel");
  const Dims& s = Field(attrs, "stride");
  const Dims& p = Field(attrs, "pad");
  SymShapeResult r;
  z3::expr span_h = x[2] + p[0] + p[2] - (k[0] - 1);
  z3::expr span_w = x[3] + p[1] + p[3] - (k[1] - 1);
  r.outputs.push_back(
      {x[0], x[1], alg.WindowOut(span_h, s[0]), alg.WindowOut(span_w, s[1])});
  r.valid = {k[0] >= 1, k[1] >= 1, s[0] >= 1, s[1] >= 1, span_h >= 1,
             span_w >= 1};
  for (int d = 2; d < 4; ++d) r.valid.push_back(r.outputs[0][d] >= 1);
  for (const z3::expr& pad : p) r.valid.push_back(pad >= 0);
  return r;
}

absl::StatusOr<SymShapeResult> MatMul(const Dims& a, const Dims& b) {
  if (a.size() < 2 || b.size() < 2) {
    return absl::UnimplementedError("matmul of a vector");
  }
  SymShapeResult r;
  Dims batch_a(a.begin(), a.end() - 2), batch_b(b.begin(), b.end() - 2);
  Dims out = Broadcast(batch_a, batch_b, r.valid);
  r.valid.push_back(a[a.size() - 1] == b[b.size() - 2]);
  out.push_back(a[a.size() - 2]);
  out.push_back(b[b.size() - 1]);
  r.outputs.push_back(out);
  return r;
}

SymShapeResult Concat(const SymAttrs& attrs,
                      const std::vector<Dims>& in) {
  const z3::expr& axis = Field(attrs, "axis")[0];
  const int rank = static_cast<int>(in[0].size());
  SymShapeResult r;
  r.valid.push_back(InRange(axis, rank));
  Dims out;
  for (int k = 0; k < rank; ++k) {
    z3::expr sum = in[0][k];
    for (size_t i = 1; i < in.size(); ++i) {
      if (in[i].size() != in[0].size()) {
        r.valid.push_back(axis.ctx().bool_val(false));
        continue;
      }
      sum = sum + in[i][k];
      r.valid.push_back(axis == k || in[i][k] == in[0][k]);
    }
    out.push_back(z3::ite(axis == k, sum, in[0][k]));
  }
  r.outputs.push_back(out);
  return r;
}

SymShapeResult Split(const SymAttrs& attrs, const Dims& x) {
  const z3::expr& axis = Field(attrs, "axis")[0];
  const Dims& sizes = Field(attrs, "sizes");
  const int rank = static_cast<int>(x.size());
  SymShapeResult r;
  r.valid.push_back(InRange(axis, rank));
  z3::expr sum = axis.ctx().int_val(0);
  for (const z3::expr& s : sizes) {
    sum = sum + s;
    r.valid.push_back(s >= 1);
  }
  r.valid.push_back(Select(x, axis) == sum);
  for (const z3::expr& s : sizes) {
    Dims out;
    for (int k = 0; k < rank; ++k) out.push_back(z3::ite(axis == k, s, x[k]));
    r.outputs.push_back(out);
  }
  return r;
}

absl::StatusOr<SymShapeResult> Transpose(const SymAttrs& attrs,
                                         const Dims& x) {
  const Dims& perm = Field(attrs, "perm");
  if (perm.size() != x.size()) {
    return absl::InvalidArgumentError("transpose perm does not fit the rank");
  }
  SymShapeResult r;
  Dims out;
  for (size_t k = 0; k < perm.size(); ++k) {
    r.valid.push_back(InRange(perm[k], static_cast<int>(x.size())));
    for (size_t j = 0; j < k; ++j) r.valid.push_back(perm[k] != perm[j]);
    out.push_back(Select(x, perm[k]));
  }
  r.outputs.push_back(out);
  return r;
}

z3::expr Product(z3::context& c, const Dims& dims) {
  if (dims.empty()) return c.int_val(1);
  z3::expr p = dims[0];
  for (size_t i = 1; i < dims.size(); ++i) p = p * dims[i];
  return p;
}

SymShapeResult Same(const Dims& x) {
  SymShapeResult r;
  r.outputs.push_back(x);
  return r;
}

}  // namespace

Algebra::Algebra(z3::context& ctx)
    : ctx_(ctx),
      tensor_(ctx.uninterpreted_sort("T")),
      dim_(ctx.function("dim", tensor_, ctx.int_sort(), ctx.int_sort())),
      window_(ctx.function("window_out", ctx.int_sort(), ctx.int_sort(),
                           ctx.int_sort())) {}

z3::expr Algebra::Dim(const z3::expr& t, int k) {
  return dim_(t, ctx_.int_val(k));
}

z3::expr Algebra::WindowOut(const z3::expr& span, const z3::expr& stride) {
  return window_(span, stride);
}

z3::expr Algebra::Apply(const std::string& name,
                        const std::vector<z3::expr>& ints,
                        const std::vector<z3::expr>& tensors) {
  auto it = decls_.find(name);
  if (it == decls_.end()) {
    z3::sort_vector domain(ctx_);
    for (size_t i = 0; i < ints.size(); ++i) domain.push_back(ctx_.int_sort());
    for (size_t i = 0; i < tensors.size(); ++i) domain.push_back(tensor_);
    it = decls_.emplace(name, ctx_.function(name.c_str(), domain, tensor_))
             .first;
  }
  z3::expr_vector args(ctx_);
  for (const z3::expr& e : ints) args.push_back(e);
  for (const z3::expr& e : tensors) args.push_back(e);
  return it->second(args);
}

absl::StatusOr<SymShapeResult> SymShape(Algebra& alg, OpKind op,
                                        const SymAttrs& attrs,
                                        int num_outputs,
                                        const std::vector<Dims>& in) {
  (void)num_outputs;
  switch (op) {
    case OpKind::kConv2D:
    case OpKind::kMatMul: {
      TSOPT_ASSIGN_OR_RETURN(SymShapeResult r,
                             op == OpKind::kConv2D
                                 ? Conv(alg, attrs, in[0], in[1])
                                 : MatMul(in[0], in[1]));
      if (in.size() == 3) {
        // The bias has one value per output channel (conv) or column.
        const Dims& out = r.outputs[0];
        const z3::expr& channels = op == OpKind::kConv2D ? out[1] : out.back();
        if (in[2].size() != 1) {
          return absl::InvalidArgumentError("bias not 1-D");
        }
        r.valid.push_back(in[2][0] == channels);
      }
      return r;
    }
    case OpKind::kAdd:
    case OpKind::kSub:
    case OpKind::kMul:
    case OpKind::kDiv: {
      SymShapeResult r;
      r.outputs.push_back(Broadcast(in[0], in[1], r.valid));
      return r;
    }
    case OpKind::kScalarMul: {
      SymShapeResult r = Same(in[0]);
      if (!in[1].empty()) r.valid.push_back(alg.ctx().bool_val(false));
      return r;
    }
    case OpKind::kRelu:
    case OpKind::kSigmoid:
    case OpKind::kTanh:
    case OpKind::kGelu:
    case OpKind::kExp:
    case OpKind::kSqrt:
    case OpKind::kIdentity:
    case OpKind::kSoftmax:
      return Same(in[0]);
    case OpKind::kBatchNorm: {
      if (in[0].size() < 2) return absl::InvalidArgumentError("batchnorm rank");
      SymShapeResult r = Same(in[0]);
      for (int i = 1; i < 5; ++i) {
        if (in[i].size() != 1) {
          return absl::InvalidArgumentError("batchnorm parameters not 1-D");
        }
        r.valid.push_back(in[i][0] == in[0][1]);
      }
      return r;
    }
    case OpKind::kMaxPool2D:
    case OpKind::kAvgPool2D:
      return Pool(alg, attrs, in[0]);
    case OpKind::kGlobalAvgPool: {
      if (in[0].size() != 4) return absl::InvalidArgumentError("rank");
      SymShapeResult r;
      r.outputs.push_back({in[0][0], in[0][1], alg.ctx().int_val(1),
                           alg.ctx().int_val(1)});
      return r;
    }
    case OpKind::kConcat:
      return Concat(attrs, in);
    case OpKind::kSplit:
      return Split(attrs, in[0]);
    case OpKind::kReshape: {
      SymShapeResult r;
      r.outputs.push_back(Field(attrs, "shape"));
      r.valid.push_back(Product(alg.ctx(), in[0]) ==
                        Product(alg.ctx(), r.outputs[0]));
      return r;
    }
    case OpKind::kTranspose:
      return Transpose(attrs, in[0]);
    case OpKind::kEnlarge: {
      if (in[0].size() != 4) return absl::InvalidArgumentError("rank");
      const Dims& k = Field(attrs, "kernel");
      SymShapeResult r;
      r.outputs.push_back({in[0][0], in[0][1], k[0], k[1]});
      r.valid = {k[0] >= in[0][2], k[1] >= in[0][3]};
      return r;
    }
    case OpKind::kLayerNorm:
    case OpKind::kReduceSum:
    case OpKind::kReduceMean:
    case OpKind::kFlatten:
    case OpKind::kPad:
    case OpKind::kSlice:
    case OpKind::kInput:
    case OpKind::kWeight:
    case OpKind::kOpaque:
      break;
  }
  return absl::UnimplementedError(absl::StrCat(
      "the verifier has no symbolic shape rule for ", OpMnemonic(op)));
}

}  // namespace tsopt::verifier

// Elementwise kernels: the broadcasting binary operators, ScalarMul, and the
// unary activations (whose modular forms are the ring's polynomials).
#include "absl/strings/str_cat.h"
#include "src/reference/indexing.h"
#include "src/reference/kernels.h"

namespace tsopt {
namespace reference_internal {
namespace {

// When `b` broadcast to `out` repeats each of its elements over a block of
// the trailing dims (b's dims, right-aligned, are out's leading dims then
// only 1s, e.g. [O, 1, 1, 1] against [O, I, kh, kw]): the block length.
// 0 otherwise.
int64_t TrailingBlock(const Shape& b, const Shape& out) {
  const int shift = out.rank() - b.rank();
  if (shift < 0) return 0;
  int t = out.rank();  // b is all 1s from t on
  while (t > shift && b.dim(t - 1 - shift) == 1) --t;
  for (int d = 0; d < t; ++d) {
    if (d < shift || b.dim(d - shift) != out.dim(d)) return 0;
  }
  int64_t block = 1;
  for (int d = t; d < out.rank(); ++d) block *= out.dim(d);
  return block;
}

// out = f(a, b) with numpy broadcasting to the node's output shape.
template <typename R, typename F>
KernelResult<R> Broadcast(const KernelArgs<R>& args, F f) {
  const auto& a = args.in(0);
  const auto& b = args.in(1);
  typename R::Tensor out = MakeTensor<R>(args.out_shape());
  auto* o = out.data.data();
  const auto* pa = a.data.data();
  const auto* pb = b.data.data();
  const int64_t size = out.shape.NumElements();
  if (a.shape == out.shape && b.shape == out.shape) {
    for (int64_t i = 0; i < size; ++i) o[i] = f(pa[i], pb[i]);
  } else if (a.shape == out.shape && b.shape.NumElements() == 1) {
    for (int64_t i = 0; i < size; ++i) o[i] = f(pa[i], pb[0]);
  } else if (int64_t block = a.shape == out.shape
                                 ? TrailingBlock(b.shape, out.shape)
                                 : 0;
             block > 0) {  // e.g. a conv kernel scaled per output channel
    for (int64_t i = 0, k = 0; k < size; ++i) {
      for (int64_t j = 0; j < block; ++j, ++k) o[k] = f(pa[k], pb[i]);
    }
  } else {
    std::vector<int64_t> b_offset(size);
    ForEachStrided(out.shape.dims(), BroadcastStrides(b.shape, out.shape), 0,
                   [&](int64_t i, int64_t j) { b_offset[i] = j; });
    ForEachStrided(out.shape.dims(), BroadcastStrides(a.shape, out.shape), 0,
                   [&](int64_t i, int64_t j) {
                     o[i] = f(pa[j], pb[b_offset[i]]);
                   });
  }
  return Single(std::move(out));
}

template <typename R, typename F>
KernelResult<R> Unary(const KernelArgs<R>& args, F f) {
  typename R::Tensor out = args.in(0);
  for (auto& v : out.data) v = f(v);
  return Single(std::move(out));
}

template <typename R>
KernelResult<R> Activate(const KernelArgs<R>& args, Activation act) {
  return Unary(args, [act](auto v) { return R::Activate(act, v); });
}

}  // namespace

template <typename R>
KernelResult<R> EvalAdd(const KernelArgs<R>& args, const NoAttrs&) {
  return Broadcast(args, [](auto x, auto y) { return R::Add(x, y); });
}

template <typename R>
KernelResult<R> EvalSub(const KernelArgs<R>& args, const NoAttrs&) {
  return Broadcast(args, [](auto x, auto y) { return R::Sub(x, y); });
}

template <typename R>
KernelResult<R> EvalMul(const KernelArgs<R>& args, const NoAttrs&) {
  return Broadcast(args, [](auto x, auto y) { return R::Mul(x, y); });
}

template <typename R>
KernelResult<R> EvalDiv(const KernelArgs<R>& args, const NoAttrs&) {
  if constexpr (R::kModular) {
    // x / y = x * y^-1; every divisor must be invertible.
    typename R::Tensor inverse = args.in(1);
    for (size_t i = 0; i < inverse.data.size(); ++i) {
      if (inverse.data[i] == 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            "division by zero modulo the prime (divisor element ", i, ")"));
      }
      inverse.data[i] = R::Inverse(inverse.data[i]);
    }
    const typename R::Tensor* inputs[] = {&args.in(0), &inverse};
    KernelArgs<R> with_inverse{args.node, inputs};
    return Broadcast(with_inverse, [](auto x, auto y) { return R::Mul(x, y); });
  } else {
    return Broadcast(args, [](float x, float y) { return x / y; });
  }
}

template <typename R>
KernelResult<R> EvalScalarMul(const KernelArgs<R>& args, const NoAttrs&) {
  const auto s = args.in(1).data[0];
  return Unary(args, [s](auto v) { return R::Mul(v, s); });
}

template <typename R>
KernelResult<R> EvalRelu(const KernelArgs<R>& args, const NoAttrs&) {
  return Activate(args, Activation::kRelu);
}

template <typename R>
KernelResult<R> EvalSigmoid(const KernelArgs<R>& args, const NoAttrs&) {
  return Activate(args, Activation::kSigmoid);
}

template <typename R>
KernelResult<R> EvalTanh(const KernelArgs<R>& args, const NoAttrs&) {
  return Activate(args, Activation::kTanh);
}

template <typename R>
KernelResult<R> EvalGelu(const KernelArgs<R>& args, const NoAttrs&) {
  return Activate(args, Activation::kGelu);
}

template <typename R>
KernelResult<R> EvalExp(const KernelArgs<R>& args, const NoAttrs&) {
  return Unary(args, [](auto v) { return R::Exp(v); });
}

template <typename R>
KernelResult<R> EvalSqrt(const KernelArgs<R>& args, const NoAttrs&) {
  if constexpr (R::kModular) {
    return NoModularForm("sqrt has no polynomial stand-in");
  } else {
    return Unary(args, [](float v) { return std::sqrt(v); });
  }
}

template <typename R>
KernelResult<R> EvalIdentity(const KernelArgs<R>& args, const NoAttrs&) {
  return Single(args.in(0));
}

TSOPT_INSTANTIATE_KERNEL(Add, NoAttrs);
TSOPT_INSTANTIATE_KERNEL(Sub, NoAttrs);
TSOPT_INSTANTIATE_KERNEL(Mul, NoAttrs);
TSOPT_INSTANTIATE_KERNEL(Div, NoAttrs);
TSOPT_INSTANTIATE_KERNEL(ScalarMul, NoAttrs);
TSOPT_INSTANTIATE_KERNEL(Relu, NoAttrs);
TSOPT_INSTANTIATE_KERNEL(Sigmoid, NoAttrs);
TSOPT_INSTANTIATE_KERNEL(Tanh, NoAttrs);
TSOPT_INSTANTIATE_KERNEL(Gelu, NoAttrs);
TSOPT_INSTANTIATE_KERNEL(Exp, NoAttrs);
TSOPT_INSTANTIATE_KERNEL(Sqrt, NoAttrs);
TSOPT_INSTANTIATE_KERNEL(Identity, NoAttrs);

}  // namespace reference_internal
}  // namespace tsopt

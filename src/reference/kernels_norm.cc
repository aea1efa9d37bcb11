// Normalization kernels: inference BatchNorm over dim 1, LayerNorm over
// [axis, rank), Softmax along one axis. Statistics are computed in double.
// None of them has a modular form (each needs a square root or exp).
#include <cmath>

#include "src/reference/indexing.h"
#include "src/reference/kernels.h"

namespace tsopt {
namespace reference_internal {

template <typename R>
KernelResult<R> EvalBatchNorm(const KernelArgs<R>& args,
                              const BatchNormAttrs& a) {
  if constexpr (R::kModular) {
    return NoModularForm(
        "batchnorm divides by sqrt(var + epsilon), which has no modular "
        "form; a stand-in would make batchnorms that differ only in "
        "epsilon fingerprint equal");
  } else {
    typename R::Tensor out = args.in(0);
    const std::vector<int64_t>& dims = out.shape.dims();
    const int64_t channels = dims[1];
    const int64_t inner = DimProduct(dims, 2, out.shape.rank());
    const int64_t outer = dims[0];
    const auto& scale = args.in(1).data;
    const auto& bias = args.in(2).data;
    const auto& mean = args.in(3).data;
    const auto& var = args.in(4).data;
    for (int64_t c = 0; c < channels; ++c) {
      const double mul = scale[c] / std::sqrt(static_cast<double>(var[c]) +
                                              static_cast<double>(a.epsilon));
      for (int64_t n = 0; n < outer; ++n) {
        float* p = out.data.data() + (n * channels + c) * inner;
        for (int64_t i = 0; i < inner; ++i) {
          p[i] = static_cast<float>((p[i] - static_cast<double>(mean[c])) *
                                        mul +
                                    bias[c]);
        }
      }
    }
    return Single(std::move(out));
  }
}

template <typename R>
KernelResult<R> EvalLayerNorm(const KernelArgs<R>& args,
                              const LayerNormAttrs& a) {
  if constexpr (R::kModular) {
    return NoModularForm("layernorm divides by a standard deviation");
  } else {
    typename R::Tensor out = args.in(0);
    const int rank = out.shape.rank();
    const int axis = static_cast<int>(a.axis < 0 ? a.axis + rank : a.axis);
    const int64_t inner = DimProduct(out.shape.dims(), axis, rank);
    const int64_t outer = out.shape.NumElements() / inner;
    const auto& scale = args.in(1).data;
    const auto& bias = args.in(2).data;
    for (int64_t o = 0; o < outer; ++o) {
      float* p = out.data.data() + o * inner;
      double sum = 0.0;
      for (int64_t i = 0; i < inner; ++i) sum += p[i];
      const double mean = sum / static_cast<double>(inner);
      double sq = 0.0;
      for (int64_t i = 0; i < inner; ++i) sq += (p[i] - mean) * (p[i] - mean);
      const double inv_std =
          1.0 / std::sqrt(sq / static_cast<double>(inner) + a.epsilon);
      for (int64_t i = 0; i < inner; ++i) {
        p[i] = static_cast<float>((p[i] - mean) * inv_std * scale[i] + bias[i]);
      }
    }
    return Single(std::move(out));
  }
}

template <typename R>
KernelResult<R> EvalSoftmax(const KernelArgs<R>& args, const SoftmaxAttrs& a) {
  if constexpr (R::kModular) {
    return NoModularForm("softmax needs exp and a division by its sum");
  } else {
    typename R::Tensor out = args.in(0);
    const int rank = out.shape.rank();
    const int axis = static_cast<int>(a.axis < 0 ? a.axis + rank : a.axis);
    const int64_t len = out.shape.dim(axis);
    const int64_t inner = DimProduct(out.shape.dims(), axis + 1, rank);
    const int64_t outer = DimProduct(out.shape.dims(), 0, axis);
    std::vector<double> e(len);
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t in = 0; in < inner; ++in) {
        float* p = out.data.data() + o * len * inner + in;
        float max = p[0];
        for (int64_t i = 1; i < len; ++i) max = std::max(max, p[i * inner]);
        double sum = 0.0;
        for (int64_t i = 0; i < len; ++i) {
          e[i] = std::exp(static_cast<double>(p[i * inner]) - max);
          sum += e[i];
        }
        for (int64_t i = 0; i < len; ++i) {
          p[i * inner] = static_cast<float>(e[i] / sum);
        }
      }
    }
    return Single(std::move(out));
  }
}

TSOPT_INSTANTIATE_KERNEL(BatchNorm, BatchNormAttrs);
TSOPT_INSTANTIATE_KERNEL(LayerNorm, LayerNormAttrs);
TSOPT_INSTANTIATE_KERNEL(Softmax, SoftmaxAttrs);

}  // namespace reference_internal
}  // namespace tsopt

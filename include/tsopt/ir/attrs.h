// Attribute structs of the operators. Each operator row in ops.def names one
// of these. Every struct lists its fields once, in `Fields`, and the text
// format, hashing, equality and rule constraints are derived from that list.
//
// Field types are limited to: int64_t, float, std::vector<int64_t>,
// Activation, std::string.
//
// Conventions (ONNX's, so import is direct):
//   pad  = {top, left, bottom, right}  (begins then ends)
//   Pad::pads = {begin_0..begin_{r-1}, end_0..end_{r-1}}
//   Conv2D weight layout = [out_channels, in_channels / groups, kh, kw]
#ifndef TSOPT_IR_ATTRS_H_
#define TSOPT_IR_ATTRS_H_

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tsopt {

// Activation fused into a Conv2D or MatMul (oneDNN eltwise post-op).
enum class Activation { kNone, kRelu, kSigmoid, kTanh, kGelu };
absl::string_view ActivationName(Activation a);  // "none", "relu", ...
absl::StatusOr<Activation> ParseActivation(absl::string_view name);

// Each struct's static `Fields(visitor, structs...)` calls
// visitor(name, structs.field...) for every field in order, so one visitor
// can walk one struct (printing, hashing) or two in lockstep (equality).
template <typename A>
bool FieldsEqual(const A& a, const A& b) {
  bool equal = true;
  A::Fields([&](absl::string_view, const auto& x,
                const auto& y) { equal = equal && x == y; },
            a, b);
  return equal;
}

#define TSOPT_ATTRS_EQUALITY(Type)                                         \
  friend bool operator==(const Type& a, const Type& b) {                   \
    return FieldsEqual(a, b);                                              \
  }                                                                        \
  friend bool operator!=(const Type& a, const Type& b) { return !(a == b); }

struct NoAttrs {
  template <typename V, typename... Self>
  static void Fields(V&&, Self&...) {}
  TSOPT_ATTRS_EQUALITY(NoAttrs)
};

// Input: a graph input fed at run time, identified by its name.
struct InputAttrs {
  std::vector<int64_t> shape;
  std::string name;
  template <typename V, typename... Self>
  static void Fields(V&& v, Self&... s) {
    v("shape", s.shape...);
    v("name", s.name...);
  }
  TSOPT_ATTRS_EQUALITY(InputAttrs)
};

// Weight: a constant tensor; its data lives in the node (Node::weight).
struct WeightAttrs {
  std::vector<int64_t> shape;
  template <typename V, typename... Self>
  static void Fields(V&& v, Self&... s) {
    v("shape", s.shape...);
  }
  TSOPT_ATTRS_EQUALITY(WeightAttrs)
};

struct Conv2DAttrs {
  std::vector<int64_t> stride = {1, 1};
  std::vector<int64_t> pad = {0, 0, 0, 0};
  std::vector<int64_t> dilation = {1, 1};
  int64_t groups = 1;
  Activation activation = Activation::kNone;
  template <typename V, typename... Self>
  static void Fields(V&& v, Self&... s) {
    v("stride", s.stride...);
    v("pad", s.pad...);
    v("dilation", s.dilation...);
    v("groups", s.groups...);
    v("activation", s.activation...);
  }
  TSOPT_ATTRS_EQUALITY(Conv2DAttrs)
};

struct MatMulAttrs {
  Activation activation = Activation::kNone;
  template <typename V, typename... Self>
  static void Fields(V&& v, Self&... s) {
    v("activation", s.activation...);
  }
  TSOPT_ATTRS_EQUALITY(MatMulAttrs)
};

struct BatchNormAttrs {
  float epsilon = 1e-5f;
  template <typename V, typename... Self>
  static void Fields(V&& v, Self&... s) {
    v("epsilon", s.epsilon...);
  }
  TSOPT_ATTRS_EQUALITY(BatchNormAttrs)
};

// MaxPool2D and AvgPool2D. AvgPool divides by the window area inside the
// input unless count_include_pad is 1 (ONNX semantics).
struct Pool2DAttrs {
  std::vector<int64_t> kernel = {1, 1};
  std::vector<int64_t> stride = {1, 1};
  std::vector<int64_t> pad = {0, 0, 0, 0};
  int64_t count_include_pad = 0;
  template <typename V, typename... Self>
  static void Fields(V&& v, Self&... s) {
    v("kernel", s.kernel...);
    v("stride", s.stride...);
    v("pad", s.pad...);
    v("count_include_pad", s.count_include_pad...);
  }
  TSOPT_ATTRS_EQUALITY(Pool2DAttrs)
};

struct ConcatAttrs {
  int64_t axis = 0;
  template <typename V, typename... Self>
  static void Fields(V&& v, Self&... s) {
    v("axis", s.axis...);
  }
  TSOPT_ATTRS_EQUALITY(ConcatAttrs)
};

// Split into sizes.size() outputs along axis; sizes must sum to the dim.
struct SplitAttrs {
  int64_t axis = 0;
  std::vector<int64_t> sizes;
  template <typename V, typename... Self>
  static void Fields(V&& v, Self&... s) {
    v("axis", s.axis...);
    v("sizes", s.sizes...);
  }
  TSOPT_ATTRS_EQUALITY(SplitAttrs)
};

// Reshape to a fully static shape (no 0 or -1: import resolves those).
struct ReshapeAttrs {
  std::vector<int64_t> shape;
  template <typename V, typename... Self>
  static void Fields(V&& v, Self&... s) {
    v("shape", s.shape...);
  }
  TSOPT_ATTRS_EQUALITY(ReshapeAttrs)
};

struct TransposeAttrs {
  std::vector<int64_t> perm;
  template <typename V, typename... Self>
  static void Fields(V&& v, Self&... s) {
    v("perm", s.perm...);
  }
  TSOPT_ATTRS_EQUALITY(TransposeAttrs)
};

// Flatten to 2-D: [prod(dims[:axis]), prod(dims[axis:])].
struct FlattenAttrs {
  int64_t axis = 1;
  template <typename V, typename... Self>
  static void Fields(V&& v, Self&... s) {
    v("axis", s.axis...);
  }
  TSOPT_ATTRS_EQUALITY(FlattenAttrs)
};

struct SoftmaxAttrs {
  int64_t axis = -1;
  template <typename V, typename... Self>
  static void Fields(V&& v, Self&... s) {
    v("axis", s.axis...);
  }
  TSOPT_ATTRS_EQUALITY(SoftmaxAttrs)
};

// Normalizes over dims [axis, rank); scale and bias have shape dims[axis:].
struct LayerNormAttrs {
  int64_t axis = -1;
  float epsilon = 1e-5f;
  template <typename V, typename... Self>
  static void Fields(V&& v, Self&... s) {
    v("axis", s.axis...);
    v("epsilon", s.epsilon...);
  }
  TSOPT_ATTRS_EQUALITY(LayerNormAttrs)
};

// ReduceSum and ReduceMean over `axes` (empty: all axes).
struct ReduceAttrs {
  std::vector<int64_t> axes;
  int64_t keepdims = 1;
  template <typename V, typename... Self>
  static void Fields(V&& v, Self&... s) {
    v("axes", s.axes...);
    v("keepdims", s.keepdims...);
  }
  TSOPT_ATTRS_EQUALITY(ReduceAttrs)
};

// Enlarge a conv kernel [o, i, kh, kw] to [o, i, kernel[0], kernel[1]] by
// zero-padding it symmetrically (TASO's enlarge, for merging a 1x1 conv
// with a 3x3 one). The target sizes minus the source sizes must be even.
struct EnlargeAttrs {
  std::vector<int64_t> kernel = {3, 3};
  template <typename V, typename... Self>
  static void Fields(V&& v, Self&... s) {
    v("kernel", s.kernel...);
  }
  TSOPT_ATTRS_EQUALITY(EnlargeAttrs)
};

// Constant padding; pads = {begin_0, ..., begin_{r-1}, end_0, ..., end_{r-1}}.
struct PadAttrs {
  std::vector<int64_t> pads;
  float value = 0.0f;
  template <typename V, typename... Self>
  static void Fields(V&& v, Self&... s) {
    v("pads", s.pads...);
    v("value", s.value...);
  }
  TSOPT_ATTRS_EQUALITY(PadAttrs)
};

// Static slice: for each i, axis axes[i] keeps [starts[i], ends[i]) with
// step steps[i] (ONNX semantics, ends clamped; negative indices count from
// the end; steps >= 1).
struct SliceAttrs {
  std::vector<int64_t> starts;
  std::vector<int64_t> ends;
  std::vector<int64_t> axes;
  std::vector<int64_t> steps;
  template <typename V, typename... Self>
  static void Fields(V&& v, Self&... s) {
    v("starts", s.starts...);
    v("ends", s.ends...);
    v("axes", s.axes...);
    v("steps", s.steps...);
  }
  TSOPT_ATTRS_EQUALITY(SliceAttrs)
};

// Opaque: an operator tsopt does not know (kept from an imported model).
// The IR reads only the output shapes; `payload` is the front end's own
// serialized form of the rest (for ONNX: a one-node ModelProto holding the
// node's attributes, its constant inputs and the opset of its domain).
//   opaque{domain="", op_type="TopK", output_dtypes=[1,7],
//          output_ranks=[2,2], output_dims=[1,5,1,5], payload="..."}
struct OpaqueAttrs {
  std::string domain;   // "" is ONNX's default domain
  std::string op_type;  // "TopK"
  // Per output: the element type (ONNX TensorProto.DataType: 1 = float,
  // 7 = int64, ...) and the rank; output_dims holds the dims of every
  // output, concatenated.
  std::vector<int64_t> output_dtypes;
  std::vector<int64_t> output_ranks;
  std::vector<int64_t> output_dims;
  std::string payload;
  template <typename V, typename... Self>
  static void Fields(V&& v, Self&... s) {
    v("domain", s.domain...);
    v("op_type", s.op_type...);
    v("output_dtypes", s.output_dtypes...);
    v("output_ranks", s.output_ranks...);
    v("output_dims", s.output_dims...);
    v("payload", s.payload...);
  }
  TSOPT_ATTRS_EQUALITY(OpaqueAttrs)
};

// "TopK", or "com.example:MyOp" outside the default domain.
std::string OpaqueOpName(const OpaqueAttrs& a);
// The Unimplemented error every evaluator and executor returns for an
// opaque operator: "cannot execute opaque operator 'TopK' ...".
absl::Status OpaqueNotExecutable(const OpaqueAttrs& a);

// Every attribute struct, once. Node::attrs holds one of these.
using Attrs =
    std::variant<NoAttrs, InputAttrs, WeightAttrs, Conv2DAttrs, MatMulAttrs,
                 BatchNormAttrs, Pool2DAttrs, ConcatAttrs, SplitAttrs,
                 ReshapeAttrs, TransposeAttrs, FlattenAttrs, SoftmaxAttrs,
                 LayerNormAttrs, ReduceAttrs, EnlargeAttrs, PadAttrs,
                 SliceAttrs, OpaqueAttrs>;

}  // namespace tsopt

#endif  // TSOPT_IR_ATTRS_H_

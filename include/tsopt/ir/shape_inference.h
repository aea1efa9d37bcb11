// Shape inference for every operator of ops.def. Errors describe the
// offending shapes and attributes; Graph::AddNode prefixes the node.
//
//   InferShapes(OpKind::kRelu, NoAttrs{}, {Shape({2, 3})}) -> {[2,3]}
#ifndef TSOPT_IR_SHAPE_INFERENCE_H_
#define TSOPT_IR_SHAPE_INFERENCE_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "tsopt/ir/attrs.h"
#include "tsopt/ir/op.h"
#include "tsopt/ir/shape.h"

namespace tsopt {

// `attrs` must hold op's attribute type (checked). Arity is checked too.
absl::StatusOr<std::vector<Shape>> InferShapes(OpKind op, const Attrs& attrs,
                                               absl::Span<const Shape> inputs);

// Numpy-style broadcast of two shapes, or an error naming both.
absl::StatusOr<Shape> BroadcastShapes(const Shape& a, const Shape& b);

// Output size of one spatial dim of a conv or pool window.
int64_t WindowOutputSize(int64_t in, int64_t kernel, int64_t stride,
                         int64_t pad_begin, int64_t pad_end, int64_t dilation);

}  // namespace tsopt

#endif  // TSOPT_IR_SHAPE_INFERENCE_H_

// Host-side constants of the ONNX importer: float or int64 tensors that are
// known at import time (initializers, Constant nodes, folded shape chains).
// Unlike graph tensors they may be integer-typed, rank 0, or empty.
#ifndef TSOPT_SRC_ONNX_HOST_TENSOR_H_
#define TSOPT_SRC_ONNX_HOST_TENSOR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "onnx/onnx_pb.h"

namespace tsopt::onnx_import {

struct HostTensor {
  std::vector<int64_t> dims;
  bool is_float = true;
  std::vector<float> f;    // when is_float
  std::vector<int64_t> i;  // when !is_float

  int64_t size() const;
  static HostTensor Ints(std::vector<int64_t> dims, std::vector<int64_t> v);
  static HostTensor Floats(std::vector<int64_t> dims, std::vector<float> v);
  // Element k converted to double / int64 (for either type).
  double AsDouble(int64_t k) const;
  int64_t AsInt(int64_t k) const;
  std::vector<int64_t> IntValues() const;
};

// Product of dims, or an error when a dim is negative or the product is over
// `max_elements`. Call before allocating anything of that size.
absl::StatusOr<int64_t> CheckedNumElements(absl::Span<const int64_t> dims,
                                           int64_t max_elements,
                                           absl::string_view what);

// Converts a TensorProto. Float types (FLOAT, DOUBLE) give float tensors,
// integer types (INT8..UINT64, BOOL) int64 tensors; others are refused.
// The data size is checked against the dims before anything is allocated.
absl::StatusOr<HostTensor> FromTensorProto(const onnx::TensorProto& proto,
                                           int64_t max_elements);
// Writes a float tensor as FLOAT or an int tensor as INT64 (raw data).
void ToTensorProto(const HostTensor& t, const std::string& name,
                   onnx::TensorProto* proto);

std::string DataTypeName(int data_type);

// Numpy-broadcasting binary op on two host tensors of the same type; the
// result may hold at most `max_elements` (checked before allocating).
enum class HostBinary { kAdd, kSub, kMul, kDiv };
absl::StatusOr<HostTensor> HostBinaryOp(HostBinary op, const HostTensor& a,
                                        const HostTensor& b,
                                        int64_t max_elements);

// Data movement on host constants (any type).
HostTensor HostTranspose(const HostTensor& t, absl::Span<const int64_t> perm);
// ONNX Slice with steps >= 1 on already normalized (clamped) bounds.
HostTensor HostSlice(const HostTensor& t, absl::Span<const int64_t> begins,
                     absl::Span<const int64_t> ends,
                     absl::Span<const int64_t> steps);
// ONNX Gather along `axis` with normalized, in-range indices.
HostTensor HostGather(const HostTensor& t, int axis,
                      const HostTensor& indices);
// Concatenation along `axis` of tensors of one type and equal other dims.
HostTensor HostConcat(const std::vector<HostTensor>& parts, int axis);

}  // namespace tsopt::onnx_import

#endif  // TSOPT_SRC_ONNX_HOST_TENSOR_H_

// Static tensor shapes: rank 0 to 6, every dim >= 1, bounded element count.
//
//   TSOPT_ASSIGN_OR_RETURN(Shape s, Shape::Create({1, 64, 56, 56}));
//   s.rank() == 4; s.NumElements() == 200704; s.ToString() == "[1,64,56,56]"
#ifndef TSOPT_IR_SHAPE_H_
#define TSOPT_IR_SHAPE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace tsopt {

class Shape {
 public:
  static constexpr int kMaxRank = 6;
  // Refuses tensors over 2^33 elements (32 GiB of float32): no real model
  // needs more, and a corrupt file must not make us allocate it.
  static constexpr int64_t kMaxElements = int64_t{1} << 33;

  Shape() = default;  // rank 0: a scalar.
  // Checked construction for anything a user or a file supplies.
  static absl::StatusOr<Shape> Create(std::vector<int64_t> dims);
  // Unchecked construction for dims already known valid (internal use);
  // debug builds assert the invariants.
  explicit Shape(std::vector<int64_t> dims);

  int rank() const { return static_cast<int>(dims_.size()); }
  int64_t dim(int i) const { return dims_[i]; }
  const std::vector<int64_t>& dims() const { return dims_; }
  int64_t NumElements() const;
  std::string ToString() const;

  friend bool operator==(const Shape& a, const Shape& b) {
    return a.dims_ == b.dims_;
  }
  friend bool operator!=(const Shape& a, const Shape& b) { return !(a == b); }
  template <typename H>
  friend H AbslHashValue(H h, const Shape& s) {
    return H::combine(std::move(h), s.dims_);
  }

 private:
  std::vector<int64_t> dims_;
};

// "[1,2,3]" for a list of ints (also used for attribute values).
std::string DimsToString(const std::vector<int64_t>& dims);

// Normalizes a possibly negative axis against `rank`; error if out of range.
absl::StatusOr<int> NormalizeAxis(int64_t axis, int rank);

}  // namespace tsopt

#endif  // TSOPT_IR_SHAPE_H_

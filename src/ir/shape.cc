#include "tsopt/ir/shape.h"

#include <cassert>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace tsopt {

absl::StatusOr<Shape> Shape::Create(std::vector<int64_t> dims) {
  if (dims.size() > static_cast<size_t>(kMaxRank)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "shape ", DimsToString(dims), " has rank ", dims.size(),
        "; at most ", kMaxRank, " is supported"));
  }
  int64_t elements = 1;
  for (int64_t d : dims) {
    if (d < 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "shape ", DimsToString(dims), " has a dim < 1"));
    }
    if (d > kMaxElements || elements > kMaxElements / d) {
      return absl::InvalidArgumentError(absl::StrCat(
          "shape ", DimsToString(dims), " has more than ", kMaxElements,
          " elements"));
    }
    elements *= d;
  }
  return Shape(std::move(dims));
}

Shape::Shape(std::vector<int64_t> dims) : dims_(std::move(dims)) {
  assert(dims_.size() <= static_cast<size_t>(kMaxRank));
}

int64_t Shape::NumElements() const {
  int64_t n = 1;
  for (int64_t d : dims_) n *= d;
  return n;
}

std::string Shape::ToString() const { return DimsToString(dims_); }

std::string DimsToString(const std::vector<int64_t>& dims) {
  return absl::StrCat("[", absl::StrJoin(dims, ","), "]");
}

absl::StatusOr<int> NormalizeAxis(int64_t axis, int rank) {
  if (axis < -rank || axis >= rank || (rank == 0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "axis ", axis, " is out of range for rank ", rank));
  }
  return static_cast<int>(axis < 0 ? axis + rank : axis);
}

}  // namespace tsopt

// Strided views of a row-major tensor: the stride arithmetic that lets a
// backend run Split (and Reshape/Flatten of its pieces) without copying, and
// the backend-independent layout name of such a view that the cost models
// use (cost/cost_model.h).
//
// A view is a row-major float tensor's buffer read with element strides:
// element (i0, ..., ik) is at offset + sum(i_j * strides[j]).
//
//   Split [4, 6] along axis 1 into {2, 4}: piece 1 has dims [4, 4],
//   strides [6, 1] (RowMajorStrides of [4, 6]) and offset 2.
//   ReshapeStrides({4, 4}, {6, 1}, {4, 2, 2}) == {6, 2, 1}   (a view)
//   ReshapeStrides({4, 4}, {6, 1}, {16})      == nullopt     (needs a copy)
#ifndef TSOPT_IR_STRIDED_VIEW_H_
#define TSOPT_IR_STRIDED_VIEW_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tsopt {

// Strides of a dense row-major tensor of `dims` ({1, ..., 1} style: the
// last stride is 1).
std::vector<int64_t> RowMajorStrides(const std::vector<int64_t>& dims);

// True when the view of `dims` with `strides` covers its elements in
// row-major order without gaps (the strides of size-1 dims do not matter).
bool IsRowMajorContiguous(const std::vector<int64_t>& dims,
                          const std::vector<int64_t>& strides);

// The strides that read a view of `dims`/`strides` as `new_dims` (same
// element count) without copying: numpy's no-copy reshape rule (each group
// of old dims that merges or splits into new dims must be contiguous within
// itself). nullopt when no such strides exist.
std::optional<std::vector<int64_t>> ReshapeStrides(
    const std::vector<int64_t>& dims, const std::vector<int64_t>& strides,
    const std::vector<int64_t>& new_dims);

// The layout name of a view: "plain" when row-major contiguous, else
// "view:<strides>" (e.g. "view:6,1"); the offset does not enter the name
// (it does not change what reading the view costs).
std::string ViewLayoutName(const std::vector<int64_t>& dims,
                           const std::vector<int64_t>& strides);
// True for a name ViewLayoutName gives to a non-contiguous view.
bool IsViewLayout(const std::string& layout);
// The strides of a "view:..." name of rank `rank`; nullopt when malformed.
std::optional<std::vector<int64_t>> ParseViewLayout(const std::string& layout,
                                                    int rank);

}  // namespace tsopt

#endif  // TSOPT_IR_STRIDED_VIEW_H_

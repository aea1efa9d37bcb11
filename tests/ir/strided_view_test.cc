// Stride arithmetic of views: contiguity, numpy's no-copy reshape rule and
// the "view:" layout names.
#include "tsopt/ir/strided_view.h"

#include "gtest/gtest.h"

namespace tsopt {
namespace {

using Dims = std::vector<int64_t>;

TEST(StridedViewTest, RowMajorStridesAndContiguity) {
  EXPECT_EQ(RowMajorStrides({2, 3, 4}), (Dims{12, 4, 1}));
  EXPECT_TRUE(IsRowMajorContiguous({2, 3, 4}, {12, 4, 1}));
  // A piece of a split along the last axis has a gap between rows.
  EXPECT_FALSE(IsRowMajorContiguous({2, 3, 2}, {12, 4, 1}));
  // Size-1 dims do not matter.
  EXPECT_TRUE(IsRowMajorContiguous({1, 3, 4}, {99, 4, 1}));
  EXPECT_TRUE(IsRowMajorContiguous({2, 1, 4}, {4, 7, 1}));
}

TEST(StridedViewTest, ReshapeKeepsAViewWhereNumpyDoes) {
  // [4, 4] piece of a [4, 6] tensor: splitting the last dim is a view...
  EXPECT_EQ(ReshapeStrides({4, 4}, {6, 1}, {4, 2, 2}), (Dims{6, 2, 1}));
  // ... merging across the gap is not.
  EXPECT_EQ(ReshapeStrides({4, 4}, {6, 1}, {16}), std::nullopt);
  EXPECT_EQ(ReshapeStrides({4, 4}, {6, 1}, {2, 8}), std::nullopt);
  // Adding and dropping 1s.
  EXPECT_EQ(ReshapeStrides({4, 4}, {6, 1}, {1, 4, 1, 4}),
            (Dims{24, 6, 4, 1}));  // size-1 dims: any stride
  EXPECT_EQ(ReshapeStrides({1, 4, 4}, {0, 6, 1}, {4, 4}), (Dims{6, 1}));
  // BERT's heads: [1, 8, 32] piece of [1, 8, 96] into [1, 8, 4, 8].
  EXPECT_EQ(ReshapeStrides({1, 8, 32}, {768, 96, 1}, {1, 8, 4, 8}),
            (Dims{768, 96, 8, 1}));
  // Dense tensors always reshape; element counts must agree.
  EXPECT_EQ(ReshapeStrides({2, 3, 4}, {12, 4, 1}, {6, 4}), (Dims{4, 1}));
  EXPECT_EQ(ReshapeStrides({2, 3}, {3, 1}, {7}), std::nullopt);
}

TEST(StridedViewTest, LayoutNamesRoundTrip) {
  EXPECT_EQ(ViewLayoutName({4, 4}, {6, 1}), "view:6,1");
  EXPECT_EQ(ViewLayoutName({2, 6}, {6, 1}), "plain");
  EXPECT_TRUE(IsViewLayout("view:6,1"));
  EXPECT_FALSE(IsViewLayout("plain"));
  EXPECT_FALSE(IsViewLayout("fmt:0,2,3,1/"));
  EXPECT_EQ(ParseViewLayout("view:6,1", 2), (Dims{6, 1}));
  EXPECT_EQ(ParseViewLayout("view:6,1", 3), std::nullopt);
  EXPECT_EQ(ParseViewLayout("view:6,x", 2), std::nullopt);
  EXPECT_EQ(ParseViewLayout("view:-6,1", 2), std::nullopt);
  EXPECT_EQ(ParseViewLayout("plain", 2), std::nullopt);
}

}  // namespace
}  // namespace tsopt

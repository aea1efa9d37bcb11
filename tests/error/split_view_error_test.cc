// Malformed strided-view layouts ("view:<strides>", cost/cost_model.h) are
// refused with a clear Status by the oneDNN cost model, and the stride
// helpers answer "no view" rather than failing on inconsistent input.
#include "gtest/gtest.h"
#include "tsopt/cost/cost_model.h"
#include "tsopt/cost/onednn_cost_model.h"
#include "tsopt/ir/strided_view.h"

namespace tsopt {
namespace {

TEST(SplitViewErrorTest, MalformedViewLayoutsAreRefused) {
  OneDnnCostOptions o;
  o.num_threads = 1;
  o.timing.batches = 2;
  o.timing.min_batch_ms = 0.1;
  OneDnnCostModel model(o);
  for (const char* bad : {"view:", "view:6,1", "view:a,b,c", "view:6,-1,1",
                          "view:6,,1", "view:1,2,3,4",
                          "view:99999999999999999999,1,1"}) {
    absl::StatusOr<OpCost> c =
        model.Measure(ReorderSignature(Shape({1, 2, 3}), bad, "plain"));
    EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(SplitViewErrorTest, InconsistentReshapesAndNamesAreNoViews) {
  // Element counts differ: no strides, no crash.
  EXPECT_EQ(ReshapeStrides({4, 4}, {6, 1}, {5, 3}), std::nullopt);
  EXPECT_EQ(ReshapedViewLayout(Shape({4, 4}), "view:6,1", Shape({15})), "");
  // A name of the wrong rank, or not a view at all.
  EXPECT_EQ(ReshapedViewLayout(Shape({4, 4}), "view:6,1,1", Shape({4, 4})),
            "");
  EXPECT_EQ(ReshapedViewLayout(Shape({4, 4}), "fmt:0,1/", Shape({16})), "");
}

}  // namespace
}  // namespace tsopt

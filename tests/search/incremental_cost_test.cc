// IncrementalCost must give exactly what GraphCost gives (node costs plus
// layout reorders), and must ask the model about each signature once.
#include "tsopt/search/incremental_cost.h"

#include <string>

#include "gtest/gtest.h"
#include "tests/search/search_test_util.h"
#include "tsopt/cost/analytic_cost_model.h"
#include "tsopt/models/models.h"

namespace tsopt {
namespace {

using testing_util::LayoutModel;

TEST(IncrementalCostTest, EqualsGraphCostOnModels) {
  for (const char* name : {"resnext_block", "nasnet_cell", "bert_layer",
                           "resnet_block", "inception_block"}) {
    absl::StatusOr<Graph> g = BuildModel(name);
    ASSERT_TRUE(g.ok()) << g.status();
    AnalyticCostModel analytic;
    IncrementalCost inc(&analytic);
    absl::StatusOr<double> want = GraphCost(*g, analytic);
    absl::StatusOr<double> got = inc.Of(*g);
    ASSERT_TRUE(want.ok() && got.ok()) << name;
    EXPECT_NEAR(*got, *want, 1e-9 * *want) << name;

    LayoutModel layouts;
    IncrementalCost inc_layouts(&layouts);
    absl::StatusOr<double> want_l = GraphCost(*g, layouts);
    absl::StatusOr<double> got_l = inc_layouts.Of(*g);
    ASSERT_TRUE(want_l.ok() && got_l.ok()) << name;
    EXPECT_NEAR(*got_l, *want_l, 1e-9 * *want_l) << name;
  }
}

TEST(IncrementalCostTest, MeasuresEachSignatureOnce) {
  absl::StatusOr<Graph> g = BuildModel("resnext_block");
  ASSERT_TRUE(g.ok()) << g.status();
  LayoutModel model;
  IncrementalCost inc(&model);
  ASSERT_TRUE(inc.Of(*g).ok());
  int first = model.measured;
  int64_t queries = inc.model_queries();
  ASSERT_TRUE(inc.Of(*g).ok());
  EXPECT_EQ(model.measured, first);
  EXPECT_EQ(inc.model_queries(), queries);
  EXPECT_GT(first, 0);
}

}  // namespace
}  // namespace tsopt

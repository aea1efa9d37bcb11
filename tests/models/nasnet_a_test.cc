// NasNet-A against TASO's cell stack (TASO's examples/nasnet_a.py).
#include "gtest/gtest.h"
#include "tests/models/model_test_util.h"
#include "tsopt/ir/shape.h"
#include "tsopt/models/models.h"

namespace tsopt {
namespace {

using testing::CountGroupedConvs;
using testing::EvaluateOnRandomInputs;
using testing::FiniteAndVaried;
using testing::OpHistogram;

TEST(NasNetATest, MatchesTasoCellStack) {
  absl::StatusOr<Graph> g = BuildModel("nasnet_a", {});
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_TRUE(g->Validate().ok());
  // 3 stages x (5 normal + 1 reduction) = 18 cells. Each cell: 2 squeeze
  // convs (with ReLU) + 5 separable convs (2 convs each) = 12 convs, 5
  // adds, 1 concat. Normal cell: 3 avg pools; reduction cell: 2 avg + 2
  // max pools. Stem: conv + ReLU + max pool.
  EXPECT_EQ(OpHistogram(*g),
            (std::map<std::string, int>{{"add", 90},
                                        {"avgpool2d", 15 * 3 + 3 * 2},
                                        {"concat", 18},
                                        {"conv2d", 1 + 18 * 12},
                                        {"input", 1},
                                        {"maxpool2d", 1 + 3 * 2},
                                        {"relu", 1 + 18 * 2},
                                        {"weight", 1 + 18 * 12}}));
  // Depthwise convs, 5 per cell, grouped by the cell's channel count:
  // stage 1 normal 128; reduction 1 and stage 2 normal 256; and so on.
  EXPECT_EQ(CountGroupedConvs(*g, 128), 25);
  EXPECT_EQ(CountGroupedConvs(*g, 256), 30);
  EXPECT_EQ(CountGroupedConvs(*g, 512), 30);
  EXPECT_EQ(CountGroupedConvs(*g, 1024), 5);
  // 224 -> stem 112 -> pool 56 -> reductions 28, 14, 7; 5 x 1024 channels.
  EXPECT_EQ(g->shape(g->outputs()[0]), Shape({1, 5120, 7, 7}));
}

TEST(NasNetATest, RunsOnReferenceEvaluatorAtReducedSize) {
  // 64x64 instead of 224x224 (which takes ~5 s here): the same cells on
  // 12x fewer pixels.
  absl::StatusOr<Graph> g = BuildModel("nasnet_a", {.image_size = 64});
  ASSERT_TRUE(g.ok()) << g.status();
  absl::StatusOr<std::vector<Tensor>> out = EvaluateOnRandomInputs(*g, 7);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ((*out)[0].shape, Shape({1, 5120, 2, 2}));
  EXPECT_TRUE(FiniteAndVaried((*out)[0]));
}

TEST(NasNetCellTest, IsOneNormalCell) {
  absl::StatusOr<Graph> g = BuildModel("nasnet_cell", {});
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_TRUE(g->Validate().ok());
  EXPECT_EQ(OpHistogram(*g), (std::map<std::string, int>{{"add", 5},
                                                         {"avgpool2d", 3},
                                                         {"concat", 1},
                                                         {"conv2d", 12},
                                                         {"input", 2},
                                                         {"relu", 2},
                                                         {"weight", 12}}));
  EXPECT_EQ(CountGroupedConvs(*g, 128), 5);
  EXPECT_EQ(g->shape(g->outputs()[0]), Shape({1, 640, 56, 56}));
}

TEST(NasNetCellTest, RunsOnReferenceEvaluator) {
  absl::StatusOr<Graph> g = BuildModel("nasnet_cell", {});
  ASSERT_TRUE(g.ok()) << g.status();
  absl::StatusOr<std::vector<Tensor>> out = EvaluateOnRandomInputs(*g, 3);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ((*out)[0].shape, Shape({1, 640, 56, 56}));
  EXPECT_TRUE(FiniteAndVaried((*out)[0]));
}

}  // namespace
}  // namespace tsopt

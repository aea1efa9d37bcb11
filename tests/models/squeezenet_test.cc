// SqueezeNet 1.1 against torchvision's definition
// (torchvision/models/squeezenet.py, version 1_1).
#include "gtest/gtest.h"
#include "tests/models/model_test_util.h"
#include "tsopt/ir/shape.h"
#include "tsopt/models/models.h"

namespace tsopt {
namespace {

using testing::EvaluateOnRandomInputs;
using testing::FiniteAndVaried;
using testing::OpHistogram;
using testing::TrainableParameters;

TEST(SqueezeNet11Test, MatchesTorchvisionStructure) {
  absl::StatusOr<Graph> g = BuildModel("squeezenet1_1", {});
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_TRUE(g->Validate().ok());
  // Convs: stem 1 + 8 fire modules x 3 + classifier 1 = 26, each with a
  // bias (add) and a ReLU; 3 max pools; one concat per fire module.
  EXPECT_EQ(OpHistogram(*g), (std::map<std::string, int>{{"add", 26},
                                                         {"concat", 8},
                                                         {"conv2d", 26},
                                                         {"flatten", 1},
                                                         {"global_avgpool", 1},
                                                         {"input", 1},
                                                         {"maxpool2d", 3},
                                                         {"relu", 26},
                                                         {"weight", 52}}));
  // torchvision's documented parameter count of squeezenet1_1.
  EXPECT_EQ(TrainableParameters(*g), 1235496);
  EXPECT_EQ(g->shape(g->outputs()[0]), Shape({1, 1000}));
  // 224 -> conv 111 -> pools (ceil mode) 55, 27, 13: the classifier conv
  // sees 512 x 13 x 13.
  const Node& pool = g->nodes()[g->num_nodes() - 2];
  ASSERT_EQ(pool.op, OpKind::kGlobalAvgPool);
  EXPECT_EQ(g->shape(pool.inputs[0]), Shape({1, 1000, 13, 13}));
}

TEST(SqueezeNet11Test, CeilModePoolsKeepTheLastPartialWindow) {
  // 64 -> conv 31 -> 15 -> 7 -> 3; at 66: conv 32 -> ceil 16 (floor
  // would give 15) -> 8 (7) -> 4 (3).
  absl::StatusOr<Graph> g = BuildModel("squeezenet1_1", {.image_size = 66});
  ASSERT_TRUE(g.ok()) << g.status();
  const Node& pool = g->nodes()[g->num_nodes() - 2];
  EXPECT_EQ(g->shape(pool.inputs[0]), Shape({1, 1000, 4, 4}));
}

TEST(SqueezeNet11Test, RunsOnReferenceEvaluator) {
  absl::StatusOr<Graph> g = BuildModel("squeezenet1_1", {});
  ASSERT_TRUE(g.ok()) << g.status();
  absl::StatusOr<std::vector<Tensor>> out = EvaluateOnRandomInputs(*g, 7);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ((*out)[0].shape, Shape({1, 1000}));
  EXPECT_TRUE(FiniteAndVaried((*out)[0]));
}

}  // namespace
}  // namespace tsopt

// Inception-v3 and the Inception-A module against torchvision's definition
// (torchvision/models/inception.py, aux_logits off).
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

TEST(InceptionV3Test, MatchesTorchvisionStructure) {
  absl::StatusOr<Graph> g = BuildModel("inception_v3", {});
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_TRUE(g->Validate().ok());
  // BasicConv2d (conv, bn, relu) count: stem 5, InceptionA 7 x 3,
  // InceptionB 4, InceptionC 10 x 4, InceptionD 6, InceptionE 9 x 2 = 94.
  // Max pools: 2 in the stem, 1 in B, 1 in D. Average pools (3x3, stride
  // 1): 1 in each A, C and E = 9. Concats: 1 per A, B, C, D and 3 per E
  // (its 3x3 branches concat their 1x3 and 3x1 halves) = 15.
  // Weights: 94 kernels + 94 x 4 BatchNorm parameters + fc weight, bias.
  EXPECT_EQ(OpHistogram(*g), (std::map<std::string, int>{{"add", 1},
                                                         {"avgpool2d", 9},
                                                         {"batchnorm", 94},
                                                         {"concat", 15},
                                                         {"conv2d", 94},
                                                         {"flatten", 1},
                                                         {"global_avgpool", 1},
                                                         {"input", 1},
                                                         {"matmul", 1},
                                                         {"maxpool2d", 4},
                                                         {"relu", 94},
                                                         {"weight", 472}}));
  // torchvision documents 27,161,264 parameters with the auxiliary head;
  // that head has 3,326,696 (conv0 1x1 768->128 + bn, conv1 5x5 128->768 +
  // bn, fc 768->1000).
  EXPECT_EQ(TrainableParameters(*g), 27161264 - 3326696);
  EXPECT_EQ(g->shape(g->outputs()[0]), Shape({1, 1000}));
  // torchvision's shape comments: 2048 x 8 x 8 before the pool.
  const Node& pool = g->nodes()[g->num_nodes() - 6];
  ASSERT_EQ(pool.op, OpKind::kGlobalAvgPool);
  EXPECT_EQ(g->shape(pool.inputs[0]), Shape({1, 2048, 8, 8}));
}

TEST(InceptionV3Test, RunsOnReferenceEvaluator) {
  // Full size, 299x299: under a second on the reference evaluator.
  absl::StatusOr<Graph> g = BuildModel("inception_v3", {});
  ASSERT_TRUE(g.ok()) << g.status();
  absl::StatusOr<std::vector<Tensor>> out = EvaluateOnRandomInputs(*g, 7);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ((*out)[0].shape, Shape({1, 1000}));
  EXPECT_TRUE(FiniteAndVaried((*out)[0]));
}

TEST(InceptionV3Test, MinimumSizeReachesOnePixel) {
  // torchvision's minimum input, 75x75, leaves 1x1 after Mixed_7a.
  absl::StatusOr<Graph> g = BuildModel("inception_v3", {.image_size = 75});
  ASSERT_TRUE(g.ok()) << g.status();
  const Node& pool = g->nodes()[g->num_nodes() - 6];
  EXPECT_EQ(g->shape(pool.inputs[0]), Shape({1, 2048, 1, 1}));
}

TEST(InceptionBlockTest, IsOneInceptionAModule) {
  absl::StatusOr<Graph> g = BuildModel("inception_block", {});
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_TRUE(g->Validate().ok());
  // Mixed_5b: branches 1x1 (64); 1x1 (48), 5x5 (64); 1x1 (64), 3x3 (96),
  // 3x3 (96); avg pool, 1x1 (32): 7 BasicConv2d, 64+64+96+32 = 256 out.
  EXPECT_EQ(OpHistogram(*g), (std::map<std::string, int>{{"avgpool2d", 1},
                                                         {"batchnorm", 7},
                                                         {"concat", 1},
                                                         {"conv2d", 7},
                                                         {"input", 1},
                                                         {"relu", 7},
                                                         {"weight", 35}}));
  EXPECT_EQ(g->shape(g->outputs()[0]), Shape({1, 256, 35, 35}));
  absl::StatusOr<std::vector<Tensor>> out = EvaluateOnRandomInputs(*g, 3);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(FiniteAndVaried((*out)[0]));
}

}  // namespace
}  // namespace tsopt

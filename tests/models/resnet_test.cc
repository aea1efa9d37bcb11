// ResNet-50, ResNeXt-50 and the single ResNet/ResNeXt blocks against
// torchvision's definitions (torchvision/models/resnet.py).
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
using testing::TrainableParameters;

// torchvision's resnet50 / resnext50_32x4d, layers [3, 4, 6, 3] = 16
// bottlenecks: convs = 1 stem + 16 x 3 + 4 downsample = 53, each followed by
// a BatchNorm; ReLUs = 1 stem + 16 x 3 = 49; adds = 16 residual + 1 fc bias;
// weights = 53 kernels + 53 x 4 BatchNorm parameters + fc weight and bias.
const std::map<std::string, int> kBottleneckNetOps = {
    {"add", 17},           {"batchnorm", 53}, {"conv2d", 53}, {"flatten", 1},
    {"global_avgpool", 1}, {"input", 1},      {"matmul", 1},  {"maxpool2d", 1},
    {"relu", 49},          {"weight", 267}};

TEST(ResNet50Test, MatchesTorchvisionStructure) {
  absl::StatusOr<Graph> g = BuildModel("resnet50", {});
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_TRUE(g->Validate().ok());
  EXPECT_EQ(OpHistogram(*g), kBottleneckNetOps);
  EXPECT_EQ(CountGroupedConvs(*g, 1), 53);
  // torchvision's documented parameter count of resnet50.
  EXPECT_EQ(TrainableParameters(*g), 25557032);
  ASSERT_EQ(g->outputs().size(), 1u);
  EXPECT_EQ(g->shape(g->outputs()[0]), Shape({1, 1000}));
  // The stem conv: 64 x 3 x 7 x 7 kernel, 224 -> 112.
  EXPECT_EQ(g->node(2).output_shapes[0], Shape({1, 64, 112, 112}));
}

TEST(ResNet50Test, BatchIsTheLeadingDim) {
  absl::StatusOr<Graph> g = BuildModel("resnet50", {.batch = 3});
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(g->shape(g->outputs()[0]), Shape({3, 1000}));
}

TEST(ResNet50Test, RunsOnReferenceEvaluator) {
  // Full size, 224x224: about 0.6 s on the reference evaluator.
  absl::StatusOr<Graph> g = BuildModel("resnet50", {});
  ASSERT_TRUE(g.ok()) << g.status();
  absl::StatusOr<std::vector<Tensor>> out = EvaluateOnRandomInputs(*g, 7);
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 1u);
  EXPECT_EQ((*out)[0].shape, Shape({1, 1000}));
  EXPECT_TRUE(FiniteAndVaried((*out)[0]));
}

TEST(ResNeXt50Test, MatchesTorchvisionStructure) {
  absl::StatusOr<Graph> g = BuildModel("resnext50", {});
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_TRUE(g->Validate().ok());
  EXPECT_EQ(OpHistogram(*g), kBottleneckNetOps);
  // Every bottleneck's 3x3 conv is split into 32 groups (32x4d): 16 of them.
  EXPECT_EQ(CountGroupedConvs(*g, 32), 16);
  // torchvision's documented parameter count of resnext50_32x4d.
  EXPECT_EQ(TrainableParameters(*g), 25028904);
  EXPECT_EQ(g->shape(g->outputs()[0]), Shape({1, 1000}));
  // The first 3x3 grouped conv: width 64 * 4 / 64 * 32 = 128 channels,
  // 4 per group.
  bool found = false;
  for (const Node& n : g->nodes()) {
    if (n.op == OpKind::kConv2D && n.attrs_as<Conv2DAttrs>().groups == 32) {
      EXPECT_EQ(g->shape(n.inputs[1]), Shape({128, 4, 3, 3}));
      found = true;
      break;
    }
  }
  EXPECT_TRUE(found);
}

TEST(ResNeXt50Test, RunsOnReferenceEvaluator) {
  absl::StatusOr<Graph> g = BuildModel("resnext50", {});
  ASSERT_TRUE(g.ok()) << g.status();
  absl::StatusOr<std::vector<Tensor>> out = EvaluateOnRandomInputs(*g, 7);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ((*out)[0].shape, Shape({1, 1000}));
  EXPECT_TRUE(FiniteAndVaried((*out)[0]));
}

TEST(ResNetBlockTest, IsOneBasicBlock) {
  absl::StatusOr<Graph> g = BuildModel("resnet_block", {});
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_TRUE(g->Validate().ok());
  // 3x3 conv, bn, relu, 3x3 conv, bn, + x, relu; weights 2 + 2 x 4.
  EXPECT_EQ(OpHistogram(*g), (std::map<std::string, int>{{"add", 1},
                                                         {"batchnorm", 2},
                                                         {"conv2d", 2},
                                                         {"input", 1},
                                                         {"relu", 2},
                                                         {"weight", 10}}));
  EXPECT_EQ(g->shape(g->outputs()[0]), Shape({1, 64, 56, 56}));
  absl::StatusOr<std::vector<Tensor>> out = EvaluateOnRandomInputs(*g, 3);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(FiniteAndVaried((*out)[0]));
}

TEST(ResNeXtBlockTest, IsOneGroupedBottleneck) {
  absl::StatusOr<Graph> g = BuildModel("resnext_block", {});
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_TRUE(g->Validate().ok());
  // 1x1, grouped 3x3, 1x1 convs each with a bn; relu after the first two
  // and after the residual add; no downsample (512 in, 512 out).
  EXPECT_EQ(OpHistogram(*g), (std::map<std::string, int>{{"add", 1},
                                                         {"batchnorm", 3},
                                                         {"conv2d", 3},
                                                         {"input", 1},
                                                         {"relu", 3},
                                                         {"weight", 15}}));
  EXPECT_EQ(CountGroupedConvs(*g, 32), 1);
  EXPECT_EQ(g->shape(g->outputs()[0]), Shape({1, 512, 28, 28}));
  absl::StatusOr<std::vector<Tensor>> out = EvaluateOnRandomInputs(*g, 3);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(FiniteAndVaried((*out)[0]));
}

}  // namespace
}  // namespace tsopt

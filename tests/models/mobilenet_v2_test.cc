// MobileNet-v2 against torchvision's definition
// (torchvision/models/mobilenetv2.py, width 1.0).
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

TEST(MobileNetV2Test, MatchesTorchvisionStructure) {
  absl::StatusOr<Graph> g = BuildModel("mobilenet_v2", {});
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_TRUE(g->Validate().ok());
  // Inverted residual settings (t, c, n, s): (1,16,1,1) (6,24,2,2)
  // (6,32,3,2) (6,64,4,2) (6,96,3,1) (6,160,3,2) (6,320,1,1): 17 blocks.
  // Convs: stem 1 + first block 2 (no expansion) + 16 x 3 + final 1x1 1
  // = 52, each with a BatchNorm. ReLU(6)s: stem 1 + 1 + 16 x 2 + final 1
  // = 35. Residual adds where stride 1 and in == out: 1 + 2 + 3 + 2 + 2
  // = 10, plus the fc bias.
  EXPECT_EQ(OpHistogram(*g), (std::map<std::string, int>{{"add", 11},
                                                         {"batchnorm", 52},
                                                         {"conv2d", 52},
                                                         {"flatten", 1},
                                                         {"global_avgpool", 1},
                                                         {"input", 1},
                                                         {"matmul", 1},
                                                         {"relu", 35},
                                                         {"weight", 262}}));
  // One depthwise 3x3 conv per block (groups = its channel count).
  int depthwise = 0;
  for (const Node& n : g->nodes()) {
    if (n.op == OpKind::kConv2D && n.attrs_as<Conv2DAttrs>().groups > 1) {
      EXPECT_EQ(n.attrs_as<Conv2DAttrs>().groups, g->shape(n.inputs[0]).dim(1));
      ++depthwise;
    }
  }
  EXPECT_EQ(depthwise, 17);
  // torchvision's documented parameter count of mobilenet_v2.
  EXPECT_EQ(TrainableParameters(*g), 3504872);
  EXPECT_EQ(g->shape(g->outputs()[0]), Shape({1, 1000}));
  const Node& pool = g->nodes()[g->num_nodes() - 6];
  ASSERT_EQ(pool.op, OpKind::kGlobalAvgPool);
  EXPECT_EQ(g->shape(pool.inputs[0]), Shape({1, 1280, 7, 7}));
}

TEST(MobileNetV2Test, RunsOnReferenceEvaluator) {
  absl::StatusOr<Graph> g = BuildModel("mobilenet_v2", {});
  ASSERT_TRUE(g.ok()) << g.status();
  absl::StatusOr<std::vector<Tensor>> out = EvaluateOnRandomInputs(*g, 7);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ((*out)[0].shape, Shape({1, 1000}));
  EXPECT_TRUE(FiniteAndVaried((*out)[0]));
}

}  // namespace
}  // namespace tsopt

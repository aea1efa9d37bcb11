// The model registry: names, descriptions, options, determinism.
#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/models/model_test_util.h"
#include "tsopt/ir/shape.h"
#include "tsopt/models/models.h"

namespace tsopt {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;

TEST(RegistryTest, ListsEveryModel) {
  EXPECT_THAT(ModelNames(),
              ElementsAre("resnet50", "resnext50", "inception_v3",
                          "squeezenet1_1", "nasnet_a", "nasrnn", "bert_base",
                          "mobilenet_v2", "resnet_block", "resnext_block",
                          "inception_block", "nasnet_cell", "bert_layer"));
  EXPECT_THAT(ModelNames(), Contains(std::string(kDefaultModel)));
}

TEST(RegistryTest, EveryModelBuildsValidatesAndTakesTheBatch) {
  for (const std::string& name : ModelNames()) {
    SCOPED_TRACE(name);
    absl::StatusOr<std::string> description = ModelDescription(name);
    ASSERT_TRUE(description.ok());
    EXPECT_FALSE(description->empty());
    absl::StatusOr<Graph> g = BuildModel(name, {.batch = 2});
    ASSERT_TRUE(g.ok()) << g.status();
    EXPECT_TRUE(g->Validate().ok());
    ASSERT_EQ(g->outputs().size(), 1u);
    // Every input and the output have the batch as their leading dim; BERT
    // folds batch and sequence (128) into its rows.
    const int64_t lead = absl::StartsWith(name, "bert") ? 2 * 128 : 2;
    for (NodeId id : g->InputNodes()) {
      EXPECT_EQ(g->node(id).output_shapes[0].dim(0), lead);
    }
    EXPECT_EQ(g->shape(g->outputs()[0]).dim(0), lead);
  }
}

TEST(RegistryTest, DefaultModelIsTheResNeXtBlock) {
  absl::StatusOr<Graph> g = BuildModel(kDefaultModel);
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(testing::CountGroupedConvs(*g, 32), 1);
}

TEST(RegistryTest, SameSeedSameWeightsOtherSeedOtherWeights) {
  auto weight_hashes = [](uint64_t seed) {
    std::vector<uint64_t> hashes;
    absl::StatusOr<Graph> g = BuildModel("resnet_block", {.seed = seed});
    EXPECT_TRUE(g.ok()) << g.status();
    if (!g.ok()) return hashes;
    for (const Node& n : g->nodes()) {
      if (n.op == OpKind::kWeight) hashes.push_back(n.weight->content_hash());
    }
    return hashes;
  };
  const std::vector<uint64_t> a = weight_hashes(5);
  EXPECT_EQ(a, weight_hashes(5));
  const std::vector<uint64_t> b = weight_hashes(6);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_NE(a[i], b[i]) << i;
}

TEST(RegistryTest, BatchNormVariancesArePositive) {
  absl::StatusOr<Graph> g = BuildModel("resnet50", {});
  ASSERT_TRUE(g.ok()) << g.status();
  int checked = 0;
  for (const Node& n : g->nodes()) {
    if (n.op != OpKind::kBatchNorm) continue;
    const Node& var = g->node(n.inputs[4].node);
    ASSERT_NE(var.weight, nullptr);
    for (float v : var.weight->values) ASSERT_GT(v, 0.0f);
    ++checked;
  }
  EXPECT_EQ(checked, 53);
}

TEST(RegistryTest, ImageSizeResizesTheInput) {
  absl::StatusOr<Graph> g = BuildModel("resnet50", {.image_size = 64});
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(g->node(g->InputNodes()[0]).output_shapes[0],
            Shape({1, 3, 64, 64}));
  EXPECT_EQ(g->shape(g->outputs()[0]), Shape({1, 1000}));
}

}  // namespace
}  // namespace tsopt

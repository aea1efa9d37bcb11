// BERT-base and one encoder layer against the published architecture
// (Devlin et al.; Hugging Face's BertLayer).
#include "gtest/gtest.h"
#include "tests/models/model_test_util.h"
#include "tsopt/ir/shape.h"
#include "tsopt/models/models.h"

namespace tsopt {
namespace {

using testing::EvaluateOnRandomInputs;
using testing::FiniteAndVaried;
using testing::OpHistogram;

// One layer: Q, K, V, output, FFN-in and FFN-out dense layers (matmul + bias
// add) plus the two attention matmuls; 2 residual adds; Q/K/V/context each
// reshaped and transposed once; 1/sqrt(64) scale, softmax, 2 LayerNorms,
// GELU. Weights: 6 x (matrix, bias) + the scale + 2 x (gamma, beta) = 17.
std::map<std::string, int> LayerOps(int layers) {
  return {{"add", 8 * layers},
          {"gelu", layers},
          {"input", 1},
          {"layernorm", 2 * layers},
          {"matmul", 8 * layers},
          {"reshape", 4 * layers},
          {"scalar_mul", layers},
          {"softmax", layers},
          {"transpose", 4 * layers},
          {"weight", 17 * layers}};
}

TEST(BertBaseTest, MatchesPublishedArchitecture) {
  absl::StatusOr<Graph> g = BuildModel("bert_base", {});
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_TRUE(g->Validate().ok());
  EXPECT_EQ(OpHistogram(*g), LayerOps(12));
  EXPECT_EQ(g->shape(g->outputs()[0]), Shape({128, 768}));
  // Attention runs over [batch, 12 heads, 128, 64]; scores are 128 x 128.
  int softmaxes = 0;
  for (const Node& n : g->nodes()) {
    if (n.op != OpKind::kSoftmax) continue;
    EXPECT_EQ(n.output_shapes[0], Shape({1, 12, 128, 128}));
    ++softmaxes;
  }
  EXPECT_EQ(softmaxes, 12);
  // 85M parameters in the 12 layers (110M minus the embeddings' 24M).
  int64_t params = 0;
  for (const Node& n : g->nodes()) {
    if (n.op == OpKind::kWeight) params += n.output_shapes[0].NumElements();
  }
  EXPECT_EQ(params, 12 * (4 * (768 * 768 + 768) + 768 * 3072 + 3072 +
                          3072 * 768 + 768 + 1 + 4 * 768));
}

TEST(BertLayerTest, BatchAndSequenceShapeTheInput) {
  absl::StatusOr<Graph> g =
      BuildModel("bert_layer", {.batch = 2, .seq_len = 64});
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(g->shape(g->outputs()[0]), Shape({128, 768}));
  EXPECT_EQ(g->node(g->InputNodes()[0]).output_shapes[0], Shape({128, 768}));
}

TEST(BertBaseTest, RunsOnReferenceEvaluatorAtReducedSequence) {
  // Sequence 32 instead of 128 (which takes ~3 s here): the same 12
  // layers on 4x fewer tokens.
  absl::StatusOr<Graph> g = BuildModel("bert_base", {.seq_len = 32});
  ASSERT_TRUE(g.ok()) << g.status();
  absl::StatusOr<std::vector<Tensor>> out = EvaluateOnRandomInputs(*g, 7);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ((*out)[0].shape, Shape({32, 768}));
  EXPECT_TRUE(FiniteAndVaried((*out)[0]));
}

TEST(BertLayerTest, IsOneEncoderLayer) {
  absl::StatusOr<Graph> g = BuildModel("bert_layer", {});
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_TRUE(g->Validate().ok());
  EXPECT_EQ(OpHistogram(*g), LayerOps(1));
  EXPECT_EQ(g->shape(g->outputs()[0]), Shape({128, 768}));
  absl::StatusOr<std::vector<Tensor>> out = EvaluateOnRandomInputs(*g, 3);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(FiniteAndVaried((*out)[0]));
}

}  // namespace
}  // namespace tsopt

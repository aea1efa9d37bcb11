// NasRNN against TASO's unrolled cell (TASO's examples/nasrnn.py).
#include "gtest/gtest.h"
#include "tests/models/model_test_util.h"
#include "tsopt/ir/shape.h"
#include "tsopt/models/models.h"

namespace tsopt {
namespace {

using testing::EvaluateOnRandomInputs;
using testing::FiniteAndVaried;
using testing::OpHistogram;

TEST(NasRnnTest, MatchesTasoUnrolledCell) {
  absl::StatusOr<Graph> g = BuildModel("nasrnn", {});
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_TRUE(g->Validate().ok());
  // Per step: 8 combines (2 matmuls + add), then 3 adds, 4 muls, 2 relus,
  // 5 sigmoids and 8 tanhs; 5 steps; inputs x0..x4 and h0.
  EXPECT_EQ(OpHistogram(*g), (std::map<std::string, int>{{"add", 5 * 11},
                                                         {"input", 6},
                                                         {"matmul", 5 * 16},
                                                         {"mul", 5 * 4},
                                                         {"relu", 5 * 2},
                                                         {"sigmoid", 5 * 5},
                                                         {"tanh", 5 * 8},
                                                         {"weight", 5 * 16}}));
  EXPECT_EQ(g->shape(g->outputs()[0]), Shape({1, 512}));
}

TEST(NasRnnTest, StepsFollowSeqLen) {
  absl::StatusOr<Graph> g = BuildModel("nasrnn", {.batch = 4, .seq_len = 2});
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(OpHistogram(*g)["matmul"], 2 * 16);
  EXPECT_EQ(g->InputNodes().size(), 3u);
  EXPECT_EQ(g->shape(g->outputs()[0]), Shape({4, 512}));
}

TEST(NasRnnTest, RunsOnReferenceEvaluator) {
  absl::StatusOr<Graph> g = BuildModel("nasrnn", {});
  ASSERT_TRUE(g.ok()) << g.status();
  absl::StatusOr<std::vector<Tensor>> out = EvaluateOnRandomInputs(*g, 7);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ((*out)[0].shape, Shape({1, 512}));
  EXPECT_TRUE(FiniteAndVaried((*out)[0]));
}

}  // namespace
}  // namespace tsopt

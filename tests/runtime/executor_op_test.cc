// Executor vs reference evaluator for every operator of ops.def (and the
// layout transitions between blocked and plain operators).
#include <functional>

#include "gtest/gtest.h"
#include "tests/common/op_cases.h"
#include "tests/runtime/executor_test_util.h"
#include "tsopt/util/status_macros.h"

namespace tsopt {
namespace {

using testing::RandomWeight;
using testing::CommonOpCases;
using testing::Conv;
using testing::OpCase;
using testing::Pool;
using testing::Single;

// x [1,c,h,w] -> conv with a weight -> then `tail` on the conv output.
OpCase AfterConv(std::string name, int64_t c, int64_t hw,
                 std::function<absl::StatusOr<ValueId>(Graph&, ValueId)> tail) {
  return {name, [=](Graph& g) -> absl::Status {
            TSOPT_ASSIGN_OR_RETURN(ValueId x, g.AddInput("x", {1, c, hw, hw}));
            TSOPT_ASSIGN_OR_RETURN(ValueId w, RandomWeight(g, {c, c, 3, 3}, 7,
                                                           -0.2f, 0.2f));
            Conv2DAttrs a;
            a.pad = {1, 1, 1, 1};
            TSOPT_ASSIGN_OR_RETURN(ValueId y,
                                   g.AddOp(OpKind::kConv2D, a, {x, w}));
            TSOPT_ASSIGN_OR_RETURN(ValueId out, tail(g, y));
            return g.MarkOutput(out);
          }};
}

std::vector<OpCase> Cases() {
  std::vector<OpCase> c = CommonOpCases();
  std::vector<OpCase> backend = {
      Single("conv_stride_dilation_asym_pad", OpKind::kConv2D,
             Conv({2, 1}, {0, 1, 2, 0}, {2, 2}, 1, Activation::kRelu),
             {{2, 4, 11, 9}, {8, 4, 3, 3}}),
      Single("matmul_broadcast_gelu", OpKind::kMatMul,
             MatMulAttrs{Activation::kGelu}, {{2, 3, 5, 4}, {4, 6}}),
      Single("sub", OpKind::kSub, NoAttrs{}, {{5, 6}, {5, 1}}),
      Single("layernorm_two_axes", OpKind::kLayerNorm,
             LayerNormAttrs{1, 1e-5f}, {{3, 4, 5}, {4, 5}, {4, 5}}),
      Single("maxpool", OpKind::kMaxPool2D,
             Pool({3, 3}, {2, 2}, {1, 1, 1, 1}, 0), {{1, 4, 9, 9}}),
      Single("avgpool_exclude_pad", OpKind::kAvgPool2D,
             Pool({3, 3}, {2, 2}, {1, 1, 1, 1}, 0), {{1, 4, 9, 9}}),
      Single("avgpool_include_pad", OpKind::kAvgPool2D,
             Pool({2, 3}, {1, 2}, {1, 0, 0, 2}, 1), {{2, 3, 7, 8}}),
      // Layout transitions: a conv leaves a blocked layout behind.
      AfterConv("conv_then_follow_ops", 16, 8,
                [](Graph& g, ValueId y) -> absl::StatusOr<ValueId> {
                  TSOPT_ASSIGN_OR_RETURN(
                      ValueId r, g.AddOp(OpKind::kRelu, NoAttrs{}, {y}));
                  TSOPT_ASSIGN_OR_RETURN(
                      ValueId s, g.AddOp(OpKind::kAdd, NoAttrs{}, {r, y}));
                  TSOPT_ASSIGN_OR_RETURN(ValueId b,
                                         RandomWeight(g, {1, 16, 1, 1}, 3));
                  TSOPT_ASSIGN_OR_RETURN(
                      s, g.AddOp(OpKind::kMul, NoAttrs{}, {s, b}));
                  return g.AddOp(OpKind::kMaxPool2D,
                                 Pool({2, 2}, {2, 2}, {0, 0, 0, 0}, 0), {s});
                }),
      AfterConv("conv_then_plain_ops", 16, 6,
                [](Graph& g, ValueId y) -> absl::StatusOr<ValueId> {
                  TSOPT_ASSIGN_OR_RETURN(
                      ValueId t, g.AddOp(OpKind::kTranspose,
                                         TransposeAttrs{{0, 2, 3, 1}}, {y}));
                  TSOPT_ASSIGN_OR_RETURN(
                      ValueId f, g.AddOp(OpKind::kFlatten, FlattenAttrs{1},
                                         {y}));
                  TSOPT_ASSIGN_OR_RETURN(
                      ValueId w, RandomWeight(g, {16 * 36, 10}, 4, -0.1f,
                                              0.1f));
                  TSOPT_ASSIGN_OR_RETURN(
                      f, g.AddOp(OpKind::kMatMul, MatMulAttrs{}, {f, w}));
                  TSOPT_RETURN_IF_ERROR(g.MarkOutput(t));
                  return g.AddOp(OpKind::kSoftmax, SoftmaxAttrs{}, {f});
                }),
      AfterConv("conv_chain_and_concat", 16, 7,
                [](Graph& g, ValueId y) -> absl::StatusOr<ValueId> {
                  TSOPT_ASSIGN_OR_RETURN(
                      ValueId w, RandomWeight(g, {16, 16, 1, 1}, 5, -0.3f,
                                              0.3f));
                  TSOPT_ASSIGN_OR_RETURN(
                      ValueId z, g.AddOp(OpKind::kConv2D, Conv2DAttrs{},
                                         {y, w}));
                  TSOPT_ASSIGN_OR_RETURN(
                      ValueId bn, g.AddOp(OpKind::kGlobalAvgPool, NoAttrs{},
                                          {z}));
                  TSOPT_RETURN_IF_ERROR(g.MarkOutput(bn));
                  return g.AddOp(OpKind::kConcat, ConcatAttrs{1}, {y, z});
                }),
  };
  c.insert(c.end(), backend.begin(), backend.end());
  return c;
}

class ExecutorOpTest : public ::testing::TestWithParam<OpCase> {};

TEST_P(ExecutorOpTest, MatchesReference) {
  const OpCase& c = GetParam();
  Graph g;
  ASSERT_TRUE(c.build(g).ok());
  absl::StatusOr<OutputDiff> diff =
      testing::ExecutorVsReference(g, 11, c.lo, c.hi);
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_TRUE(diff->within_tolerance)
      << "max abs " << diff->max_abs << ", max rel " << diff->max_rel;
}

INSTANTIATE_TEST_SUITE_P(AllOps, ExecutorOpTest, ::testing::ValuesIn(Cases()),
                         [](const auto& info) { return info.param.name; });

// Every operator of the table appears in some case above.
TEST(ExecutorOpCoverage, EveryOperatorIsTested) {
  std::set<OpKind> seen;
  for (const OpCase& c : Cases()) {
    Graph g;
    ASSERT_TRUE(c.build(g).ok()) << c.name;
    for (const Node& n : g.nodes()) seen.insert(n.op);
  }
  seen.insert(OpKind::kOpaque);  // refused: ExecutorOpaqueTest
  for (OpKind op : AllOps()) {
    EXPECT_TRUE(seen.count(op)) << OpName(op) << " has no executor test";
  }
}

TEST(ExecutorOpaqueTest, RefusesTheOperatorByName) {
  Graph g;
  ValueId x = g.AddInput("x", {2, 5}).value();
  std::vector<ValueId> outs =
      g.AddNode(OpKind::kOpaque, testing::OpaqueTopK(), {x}, "topk").value();
  ValueId y = g.AddOp(OpKind::kRelu, NoAttrs{}, {outs[0]}).value();
  ASSERT_TRUE(g.MarkOutput(y).ok());
  absl::StatusOr<std::unique_ptr<Executor>> exec = Executor::Create(g);
  ASSERT_FALSE(exec.ok());
  EXPECT_EQ(exec.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_NE(exec.status().message().find(
                "node 1 (opaque 'topk'): cannot execute opaque operator "
                "'TopK'"),
            std::string::npos)
      << exec.status();
}

// A biased conv or matmul with a fused activation is one oneDNN primitive
// (bias memory + eltwise post-op), never a reference-kernel fallback.
TEST(ExecutorBiasTest, BiasedConvAndMatmulAreOnePrimitiveEach) {
  for (const char* name : {"conv_bias_relu", "matmul_bias_gelu"}) {
    for (const OpCase& c : CommonOpCases()) {
      if (c.name != name) continue;
      Graph g;
      ASSERT_TRUE(c.build(g).ok()) << name;
      absl::StatusOr<std::unique_ptr<Executor>> e = Executor::Create(g);
      ASSERT_TRUE(e.ok()) << e.status();
      std::vector<Tensor> inputs;
      for (NodeId id : g.InputNodes()) {
        inputs.push_back(Tensor::Random(g.node(id).output_shapes[0], id + 1,
                                        -1.0f, 1.0f));
      }
      ASSERT_TRUE((*e)->Run(inputs).ok()) << name;
      EXPECT_EQ((*e)->stats().reference_nodes, 0) << name;
      EXPECT_EQ((*e)->stats().primitives, 1) << name;
    }
  }
}

}  // namespace
}  // namespace tsopt

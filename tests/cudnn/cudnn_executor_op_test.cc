// cuDNN executor vs reference evaluator for every operator of ops.def and
// for each of the backend's code paths (symmetric vs explicit convolution
// padding, fused ReLU, grouped/depthwise convolution, the three GEMM
// strategies, cuDNN vs tsopt pooling). The comparisons need a GPU and skip
// without one; the coverage check runs everywhere.
#include <functional>
#include <ostream>
#include <set>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/common/op_cases.h"
#include "tests/cudnn/cudnn_test_util.h"
#include "tsopt/util/status_macros.h"

namespace tsopt {
namespace {

using testing::AddRandomWeight;
using testing::CommonOpCases;
using testing::Conv;
using testing::OpCase;
using testing::Pool;
using testing::Single;

std::vector<OpCase> Cases() {
  std::vector<OpCase> c = CommonOpCases();
  std::vector<OpCase> backend = {
      Single("conv_fused_relu", OpKind::kConv2D,
             Conv({1, 1}, {1, 1, 1, 1}, {1, 1}, 1, Activation::kRelu),
             {{2, 16, 12, 12}, {32, 16, 3, 3}}),
      Single("conv_asym_pad_dilation_relu", OpKind::kConv2D,
             Conv({2, 1}, {0, 1, 2, 0}, {2, 2}, 1, Activation::kRelu),
             {{2, 4, 11, 9}, {8, 4, 3, 3}}),
      Single("matmul_fold_batch_gelu", OpKind::kMatMul,
             MatMulAttrs{Activation::kGelu}, {{2, 3, 5, 4}, {4, 6}}),
      Single("matmul_shared_lhs", OpKind::kMatMul, MatMulAttrs{},
             {{5, 4}, {3, 4, 6}}),
      Single("matmul_broadcast_both", OpKind::kMatMul,
             MatMulAttrs{Activation::kTanh}, {{2, 1, 5, 4}, {1, 3, 4, 6}}),
      Single("layernorm_two_axes_wide", OpKind::kLayerNorm,
             LayerNormAttrs{1, 1e-5f}, {{3, 40, 50}, {40, 50}, {40, 50}}),
      Single("maxpool_cudnn", OpKind::kMaxPool2D,
             Pool({3, 3}, {2, 2}, {1, 1, 1, 1}, 0), {{1, 4, 9, 9}}),
      Single("avgpool_cudnn_exclude_pad", OpKind::kAvgPool2D,
             Pool({3, 3}, {2, 2}, {1, 1, 1, 1}, 0), {{1, 4, 9, 9}}),
      Single("avgpool_cudnn_include_pad", OpKind::kAvgPool2D,
             Pool({3, 3}, {1, 1}, {1, 1, 1, 1}, 1), {{2, 3, 7, 8}}),
      Single("avgpool_asym_include_pad", OpKind::kAvgPool2D,
             Pool({2, 3}, {1, 2}, {1, 0, 0, 2}, 1), {{2, 3, 7, 8}}),
      Single("maxpool_asym", OpKind::kMaxPool2D,
             Pool({2, 2}, {2, 2}, {0, 0, 1, 1}, 0), {{1, 2, 7, 7}}),
      // Views feeding kernels and a weight-fed chain.
      {"conv_views_chain",
       [](Graph& g) -> absl::Status {
         TSOPT_ASSIGN_OR_RETURN(ValueId x, g.AddInput("x", {1, 8, 6, 6}));
         TSOPT_ASSIGN_OR_RETURN(
             ValueId w, AddRandomWeight(g, {8, 8, 3, 3}, 7, -0.2f, 0.2f));
         Conv2DAttrs a;
         a.pad = {1, 1, 1, 1};
         TSOPT_ASSIGN_OR_RETURN(ValueId y, g.AddOp(OpKind::kConv2D, a, {x, w}));
         TSOPT_ASSIGN_OR_RETURN(ValueId f,
                                g.AddOp(OpKind::kFlatten, FlattenAttrs{1}, {y}));
         TSOPT_ASSIGN_OR_RETURN(
             ValueId m, AddRandomWeight(g, {8 * 36, 10}, 4, -0.1f, 0.1f));
         TSOPT_ASSIGN_OR_RETURN(f, g.AddOp(OpKind::kMatMul, MatMulAttrs{},
                                           {f, m}));
         TSOPT_ASSIGN_OR_RETURN(ValueId s,
                                g.AddOp(OpKind::kSoftmax, SoftmaxAttrs{}, {f}));
         TSOPT_RETURN_IF_ERROR(g.MarkOutput(y));
         return g.MarkOutput(s);
       }},
  };
  c.insert(c.end(), backend.begin(), backend.end());
  return c;
}

class CudnnExecutorOpTest : public ::testing::TestWithParam<OpCase> {};

TEST_P(CudnnExecutorOpTest, MatchesReference) {
  TSOPT_REQUIRE_GPU();
  const OpCase& c = GetParam();
  Graph g;
  ASSERT_TRUE(c.build(g).ok());
  absl::StatusOr<OutputDiff> diff =
      testing::GpuVsReference(g, 11, c.lo, c.hi);
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_TRUE(diff->within_tolerance)
      << "max abs " << diff->max_abs << ", max rel " << diff->max_rel;
}

INSTANTIATE_TEST_SUITE_P(AllOps, CudnnExecutorOpTest,
                         ::testing::ValuesIn(Cases()),
                         [](const auto& info) { return info.param.name; });

// Every operator of the table appears in some case above (no GPU needed).
TEST(CudnnExecutorOpCoverage, EveryOperatorIsTested) {
  std::set<OpKind> seen;
  for (const OpCase& c : Cases()) {
    Graph g;
    ASSERT_TRUE(c.build(g).ok()) << c.name;
    for (const Node& n : g.nodes()) seen.insert(n.op);
  }
  seen.insert(OpKind::kOpaque);  // refused: CudnnExecutorOpaqueTest
  for (OpKind op : AllOps()) {
    EXPECT_TRUE(seen.count(op)) << OpName(op) << " has no cuDNN test";
  }
}

TEST(CudnnExecutorOpaqueTest, RefusesTheOperatorByName) {
  TSOPT_REQUIRE_GPU();
  Graph g;
  ValueId x = g.AddInput("x", {2, 5}).value();
  std::vector<ValueId> outs =
      g.AddNode(OpKind::kOpaque, testing::OpaqueTopK(), {x}, "topk").value();
  ASSERT_TRUE(g.MarkOutput(outs[0]).ok());
  absl::StatusOr<std::unique_ptr<Executor>> exec = CreateCudnnExecutor(g);
  ASSERT_FALSE(exec.ok());
  EXPECT_EQ(exec.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_NE(exec.status().message().find(
                "cannot execute opaque operator 'TopK'"),
            std::string::npos)
      << exec.status();
}

}  // namespace
}  // namespace tsopt

// Executor vs reference evaluator for every operator of ops.def (and the
// layout transitions between blocked and plain operators).
#include <functional>

#include "gtest/gtest.h"
#include "tests/runtime/executor_test_util.h"
#include "tsopt/util/status_macros.h"

namespace tsopt {
namespace {

using testing::RandomWeight;

struct OpCase {
  std::string name;
  std::function<absl::Status(Graph&)> build;  // adds nodes, marks outputs
  float lo = -1.0f, hi = 1.0f;                // input range
};

// Test names in ctest: the case name, not the struct's bytes.
void PrintTo(const OpCase& c, std::ostream* os) { *os << c.name; }

// One operator on fresh inputs of `shapes`.
OpCase Single(std::string name, OpKind op, Attrs attrs,
              std::vector<std::vector<int64_t>> shapes, float lo = -1.0f,
              float hi = 1.0f) {
  return {name,
          [=](Graph& g) -> absl::Status {
            std::vector<ValueId> ins;
            for (size_t i = 0; i < shapes.size(); ++i) {
              TSOPT_ASSIGN_OR_RETURN(
                  ValueId v, g.AddInput(absl::StrCat("in", i), shapes[i]));
              ins.push_back(v);
            }
            TSOPT_ASSIGN_OR_RETURN(std::vector<ValueId> outs,
                                   g.AddNode(op, attrs, ins));
            for (ValueId v : outs) TSOPT_RETURN_IF_ERROR(g.MarkOutput(v));
            return absl::OkStatus();
          },
          lo, hi};
}

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

Conv2DAttrs Conv(std::vector<int64_t> stride, std::vector<int64_t> pad,
                 std::vector<int64_t> dilation, int64_t groups,
                 Activation act) {
  Conv2DAttrs a;
  a.stride = stride;
  a.pad = pad;
  a.dilation = dilation;
  a.groups = groups;
  a.activation = act;
  return a;
}

Pool2DAttrs Pool(std::vector<int64_t> k, std::vector<int64_t> s,
                 std::vector<int64_t> p, int64_t include_pad) {
  Pool2DAttrs a;
  a.kernel = k;
  a.stride = s;
  a.pad = p;
  a.count_include_pad = include_pad;
  return a;
}

std::vector<OpCase> Cases() {
  const auto none = Activation::kNone;
  std::vector<OpCase> c = {
      Single("conv3x3", OpKind::kConv2D,
             Conv({1, 1}, {1, 1, 1, 1}, {1, 1}, 1, none),
             {{1, 8, 10, 10}, {16, 8, 3, 3}}),
      Single("conv_stride_dilation_asym_pad", OpKind::kConv2D,
             Conv({2, 1}, {0, 1, 2, 0}, {2, 2}, 1, Activation::kRelu),
             {{2, 4, 11, 9}, {8, 4, 3, 3}}),
      Single("conv_groups_sigmoid", OpKind::kConv2D,
             Conv({1, 1}, {1, 1, 1, 1}, {1, 1}, 4, Activation::kSigmoid),
             {{1, 16, 8, 8}, {32, 4, 3, 3}}),
      Single("conv_depthwise_gelu", OpKind::kConv2D,
             Conv({2, 2}, {1, 1, 1, 1}, {1, 1}, 16, Activation::kGelu),
             {{1, 16, 9, 9}, {16, 1, 3, 3}}),
      Single("conv1x1_tanh", OpKind::kConv2D,
             Conv({1, 1}, {0, 0, 0, 0}, {1, 1}, 1, Activation::kTanh),
             {{1, 32, 7, 7}, {16, 32, 1, 1}}),
      Single("matmul_2d", OpKind::kMatMul, MatMulAttrs{}, {{7, 12}, {12, 5}}),
      Single("matmul_batched_relu", OpKind::kMatMul,
             MatMulAttrs{Activation::kRelu}, {{3, 7, 12}, {3, 12, 5}}),
      Single("matmul_broadcast_gelu", OpKind::kMatMul,
             MatMulAttrs{Activation::kGelu}, {{2, 3, 5, 4}, {4, 6}}),
      Single("add", OpKind::kAdd, NoAttrs{}, {{2, 3, 4}, {2, 3, 4}}),
      Single("add_broadcast", OpKind::kAdd, NoAttrs{}, {{2, 3, 4}, {4}}),
      Single("add_broadcast_first", OpKind::kAdd, NoAttrs{},
             {{3, 1}, {2, 3, 4}}),
      Single("sub_broadcast_first", OpKind::kSub, NoAttrs{},
             {{4}, {2, 3, 4}}),
      Single("sub", OpKind::kSub, NoAttrs{}, {{5, 6}, {5, 1}}),
      Single("mul", OpKind::kMul, NoAttrs{}, {{1, 8, 4, 4}, {1, 8, 1, 1}}),
      Single("div", OpKind::kDiv, NoAttrs{}, {{2, 3, 4}, {3, 1}}, 0.5f, 1.5f),
      Single("scalar_mul", OpKind::kScalarMul, NoAttrs{}, {{3, 4}, {}}),
      Single("relu", OpKind::kRelu, NoAttrs{}, {{2, 33}}),
      Single("sigmoid", OpKind::kSigmoid, NoAttrs{}, {{2, 33}}),
      Single("tanh", OpKind::kTanh, NoAttrs{}, {{2, 33}}),
      Single("gelu", OpKind::kGelu, NoAttrs{}, {{2, 33}}),
      Single("exp", OpKind::kExp, NoAttrs{}, {{2, 33}}),
      Single("sqrt", OpKind::kSqrt, NoAttrs{}, {{2, 33}}, 0.0f, 2.0f),
      Single("identity", OpKind::kIdentity, NoAttrs{}, {{2, 3}}),
      Single("batchnorm_4d", OpKind::kBatchNorm, BatchNormAttrs{},
             {{2, 3, 4, 5}, {3}, {3}, {3}, {3}}, 0.1f, 1.0f),
      Single("batchnorm_2d", OpKind::kBatchNorm, BatchNormAttrs{1e-3f},
             {{4, 6}, {6}, {6}, {6}, {6}}, 0.1f, 1.0f),
      Single("layernorm_last", OpKind::kLayerNorm, LayerNormAttrs{},
             {{4, 10}, {10}, {10}}),
      Single("layernorm_two_axes", OpKind::kLayerNorm,
             LayerNormAttrs{1, 1e-5f}, {{3, 4, 5}, {4, 5}, {4, 5}}),
      Single("softmax_last", OpKind::kSoftmax, SoftmaxAttrs{}, {{3, 4, 9}}),
      Single("softmax_axis1", OpKind::kSoftmax, SoftmaxAttrs{1},
             {{3, 4, 9}}),
      Single("maxpool", OpKind::kMaxPool2D,
             Pool({3, 3}, {2, 2}, {1, 1, 1, 1}, 0), {{1, 4, 9, 9}}),
      Single("avgpool_exclude_pad", OpKind::kAvgPool2D,
             Pool({3, 3}, {2, 2}, {1, 1, 1, 1}, 0), {{1, 4, 9, 9}}),
      Single("avgpool_include_pad", OpKind::kAvgPool2D,
             Pool({2, 3}, {1, 2}, {1, 0, 0, 2}, 1), {{2, 3, 7, 8}}),
      Single("global_avgpool", OpKind::kGlobalAvgPool, NoAttrs{},
             {{2, 5, 6, 7}}),
      Single("reduce_sum_axis", OpKind::kReduceSum, ReduceAttrs{{1}, 1},
             {{2, 3, 4}}),
      Single("reduce_sum_nokeep", OpKind::kReduceSum, ReduceAttrs{{0, 2}, 0},
             {{2, 3, 4}}),
      Single("reduce_mean_all", OpKind::kReduceMean, ReduceAttrs{{}, 1},
             {{2, 3, 4}}),
      Single("concat", OpKind::kConcat, ConcatAttrs{1},
             {{2, 3, 4}, {2, 1, 4}, {2, 5, 4}}),
      Single("split", OpKind::kSplit, SplitAttrs{1, {1, 3}}, {{2, 4, 3}}),
      Single("reshape", OpKind::kReshape, ReshapeAttrs{{4, 6}}, {{2, 3, 4}}),
      Single("transpose", OpKind::kTranspose, TransposeAttrs{{2, 0, 1}},
             {{2, 3, 4}}),
      Single("flatten", OpKind::kFlatten, FlattenAttrs{2}, {{2, 3, 4, 5}}),
      Single("enlarge", OpKind::kEnlarge, EnlargeAttrs{{5, 5}},
             {{4, 2, 1, 3}}),
      Single("pad", OpKind::kPad, PadAttrs{{0, 1, 2, 1, 0, 0}, 0.5f},
             {{2, 3, 4}}),
      Single("slice", OpKind::kSlice,
             SliceAttrs{{1, -3}, {3, 100}, {0, 2}, {1, 2}}, {{4, 3, 8}}),
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
  for (OpKind op : AllOps()) {
    EXPECT_TRUE(seen.count(op)) << OpName(op) << " has no executor test";
  }
}

}  // namespace
}  // namespace tsopt

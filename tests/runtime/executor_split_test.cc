// Split on the oneDNN executor runs as strided views: its pieces match the
// reference evaluator for plain and blocked inputs and for consumers of
// every kind (matmul, conv, add, relu, transpose, reshape, a reference
// kernel, graph outputs), the views are read in place where the consumer
// can (no reorder), and a view keeps its base buffer alive.
#include <vector>

#include "gtest/gtest.h"
#include "tests/runtime/executor_test_util.h"
#include "tsopt/runtime/executor.h"

namespace tsopt {
namespace {

using testing::RandomWeight;

void ExpectMatchesReference(const Graph& g) {
  absl::StatusOr<OutputDiff> diff = testing::ExecutorVsReference(g, 5);
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_TRUE(diff->within_tolerance)
      << "max abs " << diff->max_abs << ", max rel " << diff->max_rel;
}

ExecutorStats StatsOf(const Graph& g) {
  absl::StatusOr<std::unique_ptr<Executor>> exec = Executor::Create(g);
  EXPECT_TRUE(exec.ok()) << exec.status();
  return exec.ok() ? (*exec)->stats() : ExecutorStats{};
}

std::vector<ValueId> Split(Graph& g, ValueId x, int64_t axis,
                           std::vector<int64_t> sizes) {
  absl::StatusOr<std::vector<ValueId>> parts =
      g.AddNode(OpKind::kSplit, SplitAttrs{axis, std::move(sizes)}, {x});
  EXPECT_TRUE(parts.ok()) << parts.status();
  return parts.ok() ? *parts : std::vector<ValueId>{};
}

ValueId Op(Graph& g, OpKind op, Attrs attrs, std::vector<ValueId> in) {
  absl::StatusOr<ValueId> v = g.AddOp(op, std::move(attrs), in);
  EXPECT_TRUE(v.ok()) << v.status();
  return *v;
}

// x times a random weight of `dims` (values from `seed`).
ValueId MatMulByWeight(Graph& g, ValueId x, std::vector<int64_t> dims,
                       int seed) {
  return Op(g, OpKind::kMatMul, MatMulAttrs{},
            {x, *RandomWeight(g, std::move(dims), seed)});
}

// A plain [4, 10] input split along its last axis: every piece is a
// strided view, read by a matmul, an add, a relu, a transpose, reshapes
// (one stays a view, one must copy), a reference kernel (pad) and handed
// back as graph outputs.
TEST(ExecutorSplitTest, PlainInputEveryConsumer) {
  Graph g;
  ValueId x = *g.AddInput("x", {4, 10});
  ValueId other = *g.AddInput("other", {4, 4});
  std::vector<ValueId> p = Split(g, x, 1, {2, 4, 4});
  ValueId mm = MatMulByWeight(g, p[1], {4, 3}, 1);
  ValueId add = Op(g, OpKind::kAdd, NoAttrs{}, {p[2], other});
  ValueId relu = Op(g, OpKind::kRelu, NoAttrs{}, {p[1]});
  ValueId tr = Op(g, OpKind::kTranspose, TransposeAttrs{{1, 0}}, {p[2]});
  ValueId view = Op(g, OpKind::kReshape, ReshapeAttrs{{4, 2, 2}}, {p[1]});
  ValueId copy = Op(g, OpKind::kReshape, ReshapeAttrs{{16}}, {p[2]});
  ValueId pad = Op(g, OpKind::kPad, PadAttrs{{0, 1, 0, 1}, 0.0f}, {p[0]});
  for (ValueId v : {p[0], p[1], mm, add, relu, tr, view, copy, pad}) {
    ASSERT_TRUE(g.MarkOutput(v).ok());
  }
  ExpectMatchesReference(g);
  ExecutorStats s = StatsOf(g);
  EXPECT_GE(s.views, 2);  // the split and the reshape that stays a view
  EXPECT_EQ(s.reference_nodes, 1);  // the pad, not the split
}

// Split along the first axis: the pieces are contiguous row-major tensors
// at an offset, read by everything without a copy.
TEST(ExecutorSplitTest, ContiguousPiecesNeedNoReorder) {
  Graph g;
  ValueId x = *g.AddInput("x", {6, 8});
  std::vector<ValueId> p = Split(g, x, 0, {2, 4});
  ValueId mm = MatMulByWeight(g, p[1], {8, 8}, 2);
  ValueId relu = Op(g, OpKind::kRelu, NoAttrs{}, {p[0]});
  ValueId flat = Op(g, OpKind::kFlatten, FlattenAttrs{0}, {p[1]});
  for (ValueId v : {mm, relu, flat, p[1]}) ASSERT_TRUE(g.MarkOutput(v).ok());
  ExpectMatchesReference(g);
  EXPECT_EQ(StatsOf(g).reorders, 0);
}

// TASO's merged Q/K/V projection: one matmul, split along the hidden axis,
// each piece reshaped into heads and transposed, then attention matmuls.
// The reshapes stay views and the transposes read them in place: no
// reorder anywhere.
TEST(ExecutorSplitTest, MergedProjectionIntoHeadsIsCopyFree) {
  Graph g;
  ValueId h = *g.AddInput("h", {1, 8, 32});
  ValueId qkv = MatMulByWeight(g, h, {32, 96}, 3);
  std::vector<ValueId> p = Split(g, qkv, 2, {32, 32, 32});
  auto heads = [&](ValueId v, std::vector<int64_t> perm) {
    ValueId r = Op(g, OpKind::kReshape, ReshapeAttrs{{1, 8, 4, 8}}, {v});
    return Op(g, OpKind::kTranspose, TransposeAttrs{std::move(perm)}, {r});
  };
  ValueId q = heads(p[0], {0, 2, 1, 3});
  ValueId k = heads(p[1], {0, 2, 3, 1});
  ValueId v = heads(p[2], {0, 2, 1, 3});
  ValueId scores = Op(g, OpKind::kMatMul, MatMulAttrs{}, {q, k});
  ValueId ctx = Op(g, OpKind::kMatMul, MatMulAttrs{}, {scores, v});
  ASSERT_TRUE(g.MarkOutput(ctx).ok());
  ExpectMatchesReference(g);
  ExecutorStats s = StatsOf(g);
  EXPECT_EQ(s.reorders, 0);
  EXPECT_EQ(s.reference_nodes, 0);
  EXPECT_EQ(s.views, 4);  // the split and three reshapes of its pieces
}

// A matmul reads a split piece with a gap between rows in place.
TEST(ExecutorSplitTest, MatMulReadsAStridedPieceInPlace) {
  Graph g;
  ValueId x = *g.AddInput("x", {16, 96});
  std::vector<ValueId> p = Split(g, x, 1, {32, 64});
  ValueId a = MatMulByWeight(g, p[0], {32, 16}, 4);
  ValueId b = MatMulByWeight(g, p[1], {64, 16}, 5);
  ValueId y = Op(g, OpKind::kAdd, NoAttrs{}, {a, b});
  ASSERT_TRUE(g.MarkOutput(y).ok());
  ExpectMatchesReference(g);
  EXPECT_EQ(StatsOf(g).reorders, 0);
}

// A conv output (oneDNN's blocked layout) split along channels into
// pieces that do and do not fill the channel blocks, read by convs, a
// relu, an add and a graph output.
TEST(ExecutorSplitTest, BlockedInputEveryConsumer) {
  for (std::vector<int64_t> sizes :
       {std::vector<int64_t>{16, 16}, std::vector<int64_t>{8, 24}}) {
    SCOPED_TRACE(sizes[0]);
    Graph g;
    ValueId x = *g.AddInput("x", {1, 8, 6, 6});
    Conv2DAttrs same;
    same.pad = {1, 1, 1, 1};
    ValueId c = Op(g, OpKind::kConv2D, same,
                   {x, *RandomWeight(g, {32, 8, 3, 3}, 6)});
    std::vector<ValueId> p = Split(g, c, 1, sizes);
    ValueId conv = Op(g, OpKind::kConv2D, same,
                      {p[0], *RandomWeight(g, {8, sizes[0], 3, 3}, 7)});
    ValueId relu = Op(g, OpKind::kRelu, NoAttrs{}, {p[1]});
    ValueId conv2 = Op(g, OpKind::kConv2D, same,
                       {relu, *RandomWeight(g, {8, sizes[1], 3, 3}, 8)});
    ValueId add = Op(g, OpKind::kAdd, NoAttrs{}, {conv, conv2});
    ASSERT_TRUE(g.MarkOutput(add).ok());
    ASSERT_TRUE(g.MarkOutput(p[1]).ok());
    ExpectMatchesReference(g);
    EXPECT_EQ(StatsOf(g).reference_nodes, 0);
  }
}

// Splits along the spatial axes of a conv input, then convs on the
// pieces (each reorders its view into the conv's layout).
TEST(ExecutorSplitTest, SpatialSplitIntoConvs) {
  Graph g;
  ValueId x = *g.AddInput("x", {1, 4, 8, 6});
  std::vector<ValueId> rows = Split(g, x, 2, {3, 5});
  std::vector<ValueId> cols = Split(g, rows[1], 3, {2, 4});
  Conv2DAttrs a;
  ValueId y0 =
      Op(g, OpKind::kConv2D, a, {rows[0], *RandomWeight(g, {4, 4, 1, 1}, 9)});
  ValueId y1 =
      Op(g, OpKind::kConv2D, a, {cols[1], *RandomWeight(g, {4, 4, 1, 1}, 10)});
  for (ValueId v : {y0, y1, cols[0]}) ASSERT_TRUE(g.MarkOutput(v).ok());
  ExpectMatchesReference(g);
}

// A piece used late keeps its base alive: the base must not share memory
// with the many values computed in between.
TEST(ExecutorSplitTest, ViewKeepsItsBaseAlive) {
  Graph g;
  ValueId x = *g.AddInput("x", {8, 16});
  ValueId base = MatMulByWeight(g, x, {16, 32}, 11);
  std::vector<ValueId> p = Split(g, base, 1, {16, 16});
  ValueId h = p[0];
  for (int i = 0; i < 6; ++i) {
    h = MatMulByWeight(g, Op(g, OpKind::kRelu, NoAttrs{}, {h}), {16, 16},
                       12 + i);
  }
  ValueId y = Op(g, OpKind::kAdd, NoAttrs{}, {h, p[1]});
  ASSERT_TRUE(g.MarkOutput(y).ok());
  ExpectMatchesReference(g);
}

// A split of a weight is prepared once, and its pieces feed matmuls.
TEST(ExecutorSplitTest, SplitOfAWeight) {
  Graph g;
  ValueId x = *g.AddInput("x", {4, 8});
  std::vector<ValueId> w = Split(g, *RandomWeight(g, {8, 12}, 20), 1, {4, 8});
  ValueId a = Op(g, OpKind::kMatMul, MatMulAttrs{}, {x, w[0]});
  ValueId b = Op(g, OpKind::kMatMul, MatMulAttrs{}, {x, w[1]});
  for (ValueId v : {a, b}) ASSERT_TRUE(g.MarkOutput(v).ok());
  ExpectMatchesReference(g);
}

// Q and K merged, then QK and V (TASO's two merge steps): the pieces of
// the first piece are views of the merged output too, read in place.
TEST(ExecutorSplitTest, SplitOfAPieceIsAView) {
  Graph g;
  ValueId x = *g.AddInput("x", {8, 16});
  ValueId qkv = MatMulByWeight(g, x, {16, 48}, 30);
  std::vector<ValueId> p = Split(g, qkv, 1, {32, 16});
  std::vector<ValueId> q = Split(g, p[0], 1, {16, 16});
  for (ValueId v : {q[0], q[1], p[1]}) {
    ASSERT_TRUE(g.MarkOutput(MatMulByWeight(g, v, {16, 4}, 31)).ok());
  }
  ExpectMatchesReference(g);
  ExecutorStats s = StatsOf(g);
  EXPECT_EQ(s.reorders, 0);
  EXPECT_EQ(s.views, 2);
}

// The same piece as two graph outputs, and a split of a split.
TEST(ExecutorSplitTest, PiecesAsGraphOutputs) {
  Graph g;
  ValueId x = *g.AddInput("x", {3, 4, 5});
  std::vector<ValueId> p = Split(g, x, 1, {1, 3});
  std::vector<ValueId> q = Split(g, p[1], 2, {2, 3});
  for (ValueId v : {p[0], p[0], q[0], q[1], p[1]}) {
    ASSERT_TRUE(g.MarkOutput(v).ok());
  }
  ExpectMatchesReference(g);
}

}  // namespace
}  // namespace tsopt

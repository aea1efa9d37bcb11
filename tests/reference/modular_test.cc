// Modular evaluation: agrees with float evaluation on small integer inputs
// for every linear operator; the activation polynomials are the documented,
// distinct, nonlinear ones; division uses inverses; fingerprints separate
// non-equivalent graphs and match equivalent ones; unsupported operators
// are refused with Unimplemented naming the node.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/reference/ring.h"
#include "tests/reference/reference_test_util.h"
#include "tsopt/reference/evaluator.h"

namespace tsopt {
namespace {

using reference_internal::ModRing;
using testing_util::MustAdd;
using testing_util::MustInput;
using testing_util::MustWeight;
using testing_util::RunOpModular;
using testing_util::SingleOpGraph;
using ::testing::HasSubstr;

// --- Float and modular agree on integer inputs (linear operators) -----------

struct LinearCase {
  std::string name;
  OpKind op;
  Attrs attrs;
  std::vector<std::vector<int64_t>> shapes;
  int64_t lo = -3, hi = 3;  // input integers
  int64_t scale = 1;        // multiplied in, so means stay integers
};

void PrintTo(const LinearCase& p, std::ostream* os) { *os << p.name; }

class FloatModularAgreeTest : public ::testing::TestWithParam<LinearCase> {};

TEST_P(FloatModularAgreeTest, OnSmallIntegers) {
  const LinearCase& p = GetParam();
  std::vector<Shape> shapes;
  std::vector<Tensor> inputs;
  std::vector<ModTensor> mod_inputs;
  for (size_t i = 0; i < p.shapes.size(); ++i) {
    shapes.push_back(Shape(p.shapes[i]));
    Tensor t = Tensor::Integers(shapes.back(), 100 + i, p.lo, p.hi);
    for (float& v : t.data) v *= static_cast<float>(p.scale);
    absl::StatusOr<ModTensor> m = ToModTensor(t);
    ASSERT_TRUE(m.ok()) << m.status();
    inputs.push_back(std::move(t));
    mod_inputs.push_back(*std::move(m));
  }
  absl::StatusOr<Graph> g = SingleOpGraph(p.op, p.attrs, shapes);
  ASSERT_TRUE(g.ok()) << g.status();
  absl::StatusOr<std::vector<Tensor>> f = Evaluate(*g, inputs);
  absl::StatusOr<std::vector<ModTensor>> m = EvaluateModular(*g, mod_inputs);
  ASSERT_TRUE(f.ok()) << f.status();
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(f->size(), m->size());
  for (size_t i = 0; i < f->size(); ++i) {
    Tensor back = FromModTensor((*m)[i]);
    EXPECT_EQ(back.shape, (*f)[i].shape);
    EXPECT_EQ(back.data, (*f)[i].data) << "output " << i;
  }
}

Conv2DAttrs ConvAttrs(std::vector<int64_t> stride, std::vector<int64_t> pad,
                      std::vector<int64_t> dilation, int64_t groups) {
  Conv2DAttrs a;
  a.stride = stride;
  a.pad = pad;
  a.dilation = dilation;
  a.groups = groups;
  return a;
}

Pool2DAttrs PoolAttrs(int64_t include_pad) {
  Pool2DAttrs a;
  a.kernel = {2, 2};
  a.stride = {1, 1};
  a.pad = {1, 1, 1, 1};
  a.count_include_pad = include_pad;
  return a;
}

std::vector<LinearCase> LinearCases() {
  std::vector<LinearCase> c;
  c.push_back({"conv_groups_stride_pad", OpKind::kConv2D,
               ConvAttrs({2, 2}, {1, 0, 1, 2}, {1, 1}, 2),
               {{1, 4, 5, 5}, {4, 2, 3, 3}}});
  c.push_back({"conv_dilation_batch", OpKind::kConv2D,
               ConvAttrs({1, 1}, {0, 0, 0, 0}, {2, 2}, 1),
               {{2, 2, 6, 6}, {3, 2, 2, 2}}});
  c.push_back({"conv_bias_groups", OpKind::kConv2D,
               ConvAttrs({1, 1}, {1, 1, 1, 1}, {1, 1}, 2),
               {{2, 4, 4, 4}, {6, 2, 3, 3}, {6}}});
  c.push_back({"matmul_broadcast", OpKind::kMatMul, MatMulAttrs{},
               {{2, 1, 3, 4}, {3, 4, 2}}});
  c.push_back({"matmul_bias_rank3", OpKind::kMatMul, MatMulAttrs{},
               {{2, 3, 4}, {4, 5}, {5}}});
  c.push_back({"add", OpKind::kAdd, NoAttrs{}, {{2, 3, 4}, {3, 1}}});
  c.push_back({"sub", OpKind::kSub, NoAttrs{}, {{3, 1}, {2, 3, 4}}});
  c.push_back({"mul", OpKind::kMul, NoAttrs{}, {{2, 3, 4}, {4}}});
  c.push_back({"scalar_mul", OpKind::kScalarMul, NoAttrs{}, {{3, 4}, {}}});
  c.push_back({"identity", OpKind::kIdentity, NoAttrs{}, {{3, 4}}});
  ConcatAttrs concat;
  concat.axis = 1;
  c.push_back({"concat", OpKind::kConcat, concat, {{2, 3}, {2, 2}}});
  SplitAttrs split;
  split.axis = 1;
  split.sizes = {2, 4};
  c.push_back({"split", OpKind::kSplit, split, {{4, 6}}});
  ReshapeAttrs reshape;
  reshape.shape = {6, 4};
  c.push_back({"reshape", OpKind::kReshape, reshape, {{2, 3, 4}}});
  TransposeAttrs transpose;
  transpose.perm = {2, 0, 1};
  c.push_back({"transpose", OpKind::kTranspose, transpose, {{2, 3, 4}}});
  FlattenAttrs flatten;
  c.push_back({"flatten", OpKind::kFlatten, flatten, {{2, 3, 4}}});
  EnlargeAttrs enlarge;
  enlarge.kernel = {5, 3};
  c.push_back({"enlarge", OpKind::kEnlarge, enlarge, {{2, 2, 1, 3}}});
  PadAttrs pad;
  pad.pads = {1, 0, 2, 1};
  c.push_back({"pad_zero", OpKind::kPad, pad, {{2, 3}}});
  pad.value = -2;
  c.push_back({"pad_negative_integer", OpKind::kPad, pad, {{2, 3}}});
  SliceAttrs slice;
  slice.starts = {-4, 1};
  slice.ends = {100, 3};
  slice.axes = {1, 0};
  slice.steps = {2, 1};
  c.push_back({"slice", OpKind::kSlice, slice, {{4, 6}}});
  ReduceAttrs reduce;
  reduce.axes = {0, 2};
  reduce.keepdims = 0;
  c.push_back({"reduce_sum", OpKind::kReduceSum, reduce, {{2, 3, 4}}});
  c.push_back({"reduce_mean", OpKind::kReduceMean, reduce, {{2, 3, 4}}, -3, 3,
               8});
  c.push_back({"avgpool_exclude_pad", OpKind::kAvgPool2D, PoolAttrs(0),
               {{1, 2, 3, 3}}, -3, 3, 4});
  c.push_back({"avgpool_include_pad", OpKind::kAvgPool2D, PoolAttrs(1),
               {{1, 2, 3, 3}}, -3, 3, 4});
  c.push_back({"global_avgpool", OpKind::kGlobalAvgPool, NoAttrs{},
               {{2, 3, 2, 3}}, -3, 3, 6});
  // Residue order equals integer order for non-negative inputs.
  c.push_back({"maxpool_nonnegative", OpKind::kMaxPool2D, PoolAttrs(0),
               {{1, 2, 3, 3}}, 0, 9});
  return c;
}

INSTANTIATE_TEST_SUITE_P(
    LinearOps, FloatModularAgreeTest, ::testing::ValuesIn(LinearCases()),
    [](const ::testing::TestParamInfo<LinearCase>& info) {
      return info.param.name;
    });

// --- Activation polynomials ---------------------------------------------------

int64_t ModOf(OpKind op, int64_t x) {
  absl::StatusOr<std::vector<ModTensor>> out = RunOpModular(
      op, NoAttrs{},
      {ModTensor{Shape({1}), {x < 0 ? x + kModPrime : x}}});
  EXPECT_TRUE(out.ok()) << out.status();
  return out.ok() ? (*out)[0].data[0] : -1;
}

TEST(ModularActivationTest, DocumentedPolynomials) {
  EXPECT_EQ(ModOf(OpKind::kRelu, 2), 6);      // x^2 + x
  EXPECT_EQ(ModOf(OpKind::kTanh, 2), 12);     // x^3 + 2x
  EXPECT_EQ(ModOf(OpKind::kSigmoid, 2), 19);  // x^4 + x + 1
  EXPECT_EQ(ModOf(OpKind::kGelu, 2), 46);     // x^5 + 3x^2 + x
  EXPECT_EQ(ModOf(OpKind::kExp, 2), 81);      // x^6 + 2x^3 + 1
  EXPECT_EQ(ModOf(OpKind::kRelu, -1), 0);
  EXPECT_EQ(ModOf(OpKind::kTanh, -1), kModPrime - 3);
}

TEST(ModularActivationTest, DistinctAndNonlinear) {
  const std::vector<OpKind> ops = {OpKind::kRelu, OpKind::kTanh,
                                   OpKind::kSigmoid, OpKind::kGelu,
                                   OpKind::kExp};
  const int64_t x = 123456789, y = 987654321;
  std::vector<int64_t> at_x;
  for (OpKind op : ops) {
    const int64_t fx = ModOf(op, x);
    for (int64_t other : at_x) EXPECT_NE(fx, other) << OpName(op);
    at_x.push_back(fx);
    // f(x + y) != f(x) + f(y) and f(2x) != 2 f(x): not linear.
    EXPECT_NE(ModOf(op, ModRing::Add(x, y)), ModRing::Add(fx, ModOf(op, y)))
        << OpName(op);
    EXPECT_NE(ModOf(op, ModRing::Add(x, x)), ModRing::Add(fx, fx))
        << OpName(op);
  }
}

class ModularFusedActivationTest
    : public ::testing::TestWithParam<Activation> {};

TEST_P(ModularFusedActivationTest, ConvAndMatMulMatchSeparateOperator) {
  const Activation act = GetParam();
  const OpKind op = act == Activation::kRelu      ? OpKind::kRelu
                    : act == Activation::kSigmoid ? OpKind::kSigmoid
                    : act == Activation::kTanh    ? OpKind::kTanh
                                                  : OpKind::kGelu;
  Graph g;
  ValueId x = MustInput(g, "x", {1, 2, 4, 4});
  ValueId w = MustWeight(g, {3, 2, 3, 3});
  Conv2DAttrs conv;
  conv.pad = {1, 1, 1, 1};
  ValueId plain = MustAdd(g, OpKind::kConv2D, conv, {x, w});
  conv.activation = act;
  ValueId fused = MustAdd(g, OpKind::kConv2D, conv, {x, w});
  ValueId separate = MustAdd(g, op, NoAttrs{}, {plain});
  ValueId a = MustInput(g, "a", {3, 4});
  ValueId b = MustInput(g, "b", {4, 2});
  MatMulAttrs mm;
  mm.activation = act;
  ValueId mm_fused = MustAdd(g, OpKind::kMatMul, mm, {a, b});
  ValueId mm_separate = MustAdd(
      g, op, NoAttrs{}, {MustAdd(g, OpKind::kMatMul, MatMulAttrs{}, {a, b})});
  for (ValueId v : {fused, separate, mm_fused, mm_separate}) {
    ASSERT_TRUE(g.MarkOutput(v).ok());
  }
  absl::StatusOr<std::vector<ModTensor>> out = EvaluateModular(
      g,
      {ModTensor::Random(Shape({1, 2, 4, 4}), 1),
       ModTensor::Random(Shape({3, 4}), 2), ModTensor::Random(Shape({4, 2}), 3)},
      {ModTensor::Random(Shape({3, 2, 3, 3}), 4)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ((*out)[0].data, (*out)[1].data);
  EXPECT_EQ((*out)[2].data, (*out)[3].data);
}

INSTANTIATE_TEST_SUITE_P(AllActivations, ModularFusedActivationTest,
                         ::testing::Values(Activation::kRelu,
                                           Activation::kSigmoid,
                                           Activation::kTanh,
                                           Activation::kGelu),
                         [](const ::testing::TestParamInfo<Activation>& info) {
                           return std::string(ActivationName(info.param));
                         });

// --- Division, exactness, fingerprints ---------------------------------------

TEST(ModularDivTest, DivTimesDivisorIsDividend) {
  Graph g;
  ValueId x = MustInput(g, "x", {4, 5});
  ValueId y = MustInput(g, "y", {5});
  ValueId q = MustAdd(g, OpKind::kDiv, NoAttrs{}, {x, y});
  ASSERT_TRUE(g.MarkOutput(MustAdd(g, OpKind::kMul, NoAttrs{}, {q, y})).ok());
  ModTensor xs = ModTensor::Random(Shape({4, 5}), 7);
  ModTensor ys{Shape({5}), {1, 2, 3, kModPrime - 1, 123456789}};
  absl::StatusOr<std::vector<ModTensor>> out = EvaluateModular(g, {xs, ys});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ((*out)[0].data, xs.data);
}

TEST(ModularExactnessTest, MatMulOfLargeResiduesMatchesWideArithmetic) {
  ModTensor a = ModTensor::Random(Shape({3, 7}), 31);
  ModTensor b = ModTensor::Random(Shape({7, 4}), 32);
  absl::StatusOr<std::vector<ModTensor>> out =
      RunOpModular(OpKind::kMatMul, MatMulAttrs{}, {a, b});
  ASSERT_TRUE(out.ok()) << out.status();
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 4; ++j) {
      unsigned __int128 sum = 0;
      for (int k = 0; k < 7; ++k) {
        sum += static_cast<unsigned __int128>(a.data[i * 7 + k]) *
               static_cast<uint64_t>(b.data[k * 4 + j]);
      }
      EXPECT_EQ((*out)[0].data[i * 4 + j],
                static_cast<int64_t>(sum % kModPrime));
    }
  }
}

TEST(ModRingTest, ReduceAndInverse) {
  uint64_t x = 0x0123456789ABCDEFULL;
  for (int i = 0; i < 1000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    const uint64_t v = x >> 1;  // < 2^63
    ASSERT_EQ(ModRing::Reduce(v), static_cast<int64_t>(v % kModPrime));
    const int64_t r = static_cast<int64_t>(v % kModPrime);
    if (r != 0) {
      ASSERT_EQ(ModRing::Mul(r, ModRing::Inverse(r)), 1);
    }
  }
  EXPECT_EQ(ModRing::Reduce(static_cast<uint64_t>(kModPrime)), 0);
  EXPECT_EQ(ModRing::Sub(0, 1), kModPrime - 1);
}

// Fingerprint of out = f(a, b, c) on fixed random residues.
std::vector<int64_t> Fingerprint(const Graph& g) {
  const Shape s({2, 3});
  absl::StatusOr<std::vector<ModTensor>> out =
      EvaluateModular(g, {ModTensor::Random(s, 1), ModTensor::Random(s, 2),
                          ModTensor::Random(s, 3)});
  EXPECT_TRUE(out.ok()) << out.status();
  return out.ok() ? (*out)[0].data : std::vector<int64_t>{};
}

// Builds a graph over inputs a, b, c of shape [2,3] with `body`.
template <typename Body>
Graph Abc(Body body) {
  Graph g;
  ValueId a = MustInput(g, "a", {2, 3});
  ValueId b = MustInput(g, "b", {2, 3});
  ValueId c = MustInput(g, "c", {2, 3});
  EXPECT_TRUE(g.MarkOutput(body(g, a, b, c)).ok());
  return g;
}

TEST(FingerprintTest, EquivalentGraphsMatchAndOthersDiffer) {
  auto op = [](Graph& g, OpKind k, ValueId x, ValueId y) {
    return MustAdd(g, k, NoAttrs{}, {x, y});
  };
  // (a + b) * c
  Graph lhs = Abc([&](Graph& g, ValueId a, ValueId b, ValueId c) {
    return op(g, OpKind::kMul, op(g, OpKind::kAdd, a, b), c);
  });
  // a * c + b * c: equivalent.
  Graph same = Abc([&](Graph& g, ValueId a, ValueId b, ValueId c) {
    return op(g, OpKind::kAdd, op(g, OpKind::kMul, a, c),
              op(g, OpKind::kMul, b, c));
  });
  // a * c + b: not equivalent.
  Graph other = Abc([&](Graph& g, ValueId a, ValueId b, ValueId c) {
    return op(g, OpKind::kAdd, op(g, OpKind::kMul, a, c), b);
  });
  // relu(a + b) vs relu(a) + relu(b): differ (relu is nonlinear).
  Graph relu_sum = Abc([&](Graph& g, ValueId a, ValueId b, ValueId) {
    return MustAdd(g, OpKind::kRelu, NoAttrs{}, {op(g, OpKind::kAdd, a, b)});
  });
  Graph sum_relu = Abc([&](Graph& g, ValueId a, ValueId b, ValueId) {
    return op(g, OpKind::kAdd, MustAdd(g, OpKind::kRelu, NoAttrs{}, {a}),
              MustAdd(g, OpKind::kRelu, NoAttrs{}, {b}));
  });
  EXPECT_EQ(Fingerprint(lhs), Fingerprint(same));
  EXPECT_NE(Fingerprint(lhs), Fingerprint(other));
  EXPECT_NE(Fingerprint(relu_sum), Fingerprint(sum_relu));
  EXPECT_EQ(Fingerprint(lhs), Fingerprint(lhs));  // deterministic
}

TEST(FingerprintTest, ConvDistributesOverWeightSum) {
  // conv(x, w1) + conv(x, w2) == conv(x, w1 + w2), exactly.
  Graph split, merged;
  for (Graph* g : {&split, &merged}) {
    ValueId x = MustInput(*g, "x", {1, 3, 5, 5});
    ValueId w1 = MustWeight(*g, {4, 3, 3, 3});
    ValueId w2 = MustWeight(*g, {4, 3, 3, 3});
    Conv2DAttrs conv;
    conv.pad = {1, 1, 1, 1};
    ValueId out =
        g == &split
            ? MustAdd(*g, OpKind::kAdd, NoAttrs{},
                      {MustAdd(*g, OpKind::kConv2D, conv, {x, w1}),
                       MustAdd(*g, OpKind::kConv2D, conv, {x, w2})})
            : MustAdd(*g, OpKind::kConv2D, conv,
                      {x, MustAdd(*g, OpKind::kAdd, NoAttrs{}, {w1, w2})});
    ASSERT_TRUE(g->MarkOutput(out).ok());
  }
  std::vector<ModTensor> in = {ModTensor::Random(Shape({1, 3, 5, 5}), 5)};
  std::vector<ModTensor> w = {ModTensor::Random(Shape({4, 3, 3, 3}), 6),
                              ModTensor::Random(Shape({4, 3, 3, 3}), 7)};
  absl::StatusOr<std::vector<ModTensor>> a = EvaluateModular(split, in, w);
  absl::StatusOr<std::vector<ModTensor>> b = EvaluateModular(merged, in, w);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ((*a)[0].data, (*b)[0].data);
}

// --- Refusals -------------------------------------------------------------------

struct UnsupportedCase {
  OpKind op;
  Attrs attrs;
  std::vector<std::vector<int64_t>> shapes;
};

void PrintTo(const UnsupportedCase& p, std::ostream* os) {
  *os << OpMnemonic(p.op);
}

class ModularUnsupportedTest
    : public ::testing::TestWithParam<UnsupportedCase> {};

TEST_P(ModularUnsupportedTest, UnimplementedNamingTheNode) {
  const UnsupportedCase& p = GetParam();
  std::vector<ModTensor> inputs;
  for (const auto& s : p.shapes) inputs.push_back(ModTensor::Random(Shape(s), 1));
  absl::StatusOr<std::vector<ModTensor>> out =
      RunOpModular(p.op, p.attrs, inputs);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kUnimplemented);
  const int node_id = static_cast<int>(p.shapes.size());
  EXPECT_THAT(std::string(out.status().message()),
              HasSubstr(absl::StrCat("node ", node_id, " (",
                                     OpMnemonic(p.op), ")")));
}

PadAttrs FractionalPad() {
  PadAttrs a;
  a.pads = {1, 1};
  a.value = 0.5f;
  return a;
}

INSTANTIATE_TEST_SUITE_P(
    NoModularForm, ModularUnsupportedTest,
    ::testing::Values(
        UnsupportedCase{OpKind::kSqrt, NoAttrs{}, {{3}}},
        UnsupportedCase{OpKind::kSoftmax, SoftmaxAttrs{}, {{2, 3}}},
        UnsupportedCase{OpKind::kLayerNorm, LayerNormAttrs{},
                        {{2, 3}, {3}, {3}}},
        UnsupportedCase{OpKind::kBatchNorm, BatchNormAttrs{},
                        {{1, 2, 2}, {2}, {2}, {2}, {2}}},
        UnsupportedCase{OpKind::kPad, FractionalPad(), {{3}}}));

// --- One operator without a graph (EvaluateOpModular) -----------------------

TEST(EvaluateOpModularTest, EqualsTheOneNodeGraph) {
  Conv2DAttrs conv;
  conv.pad = {1, 1, 1, 1};
  conv.activation = Activation::kRelu;
  SplitAttrs split;
  split.axis = 1;
  split.sizes = {1, 3};
  struct Case {
    OpKind op;
    Attrs attrs;
    std::vector<std::vector<int64_t>> shapes;
  };
  for (const Case& c : {Case{OpKind::kConv2D, conv, {{1, 2, 4, 4}, {3, 2, 3, 3}}},
                        Case{OpKind::kMatMul, MatMulAttrs{}, {{3, 4}, {4, 5}}},
                        Case{OpKind::kSplit, split, {{2, 4}}}}) {
    std::vector<ModTensor> inputs;
    std::vector<const ModTensor*> ptrs;
    for (size_t i = 0; i < c.shapes.size(); ++i) {
      inputs.push_back(ModTensor::Random(Shape(c.shapes[i]), 7 + i));
    }
    for (const ModTensor& t : inputs) ptrs.push_back(&t);
    absl::StatusOr<std::vector<ModTensor>> graph =
        RunOpModular(c.op, c.attrs, inputs);
    absl::StatusOr<std::vector<ModTensor>> direct =
        EvaluateOpModular(c.op, c.attrs, ptrs);
    ASSERT_TRUE(graph.ok()) << graph.status();
    ASSERT_TRUE(direct.ok()) << direct.status();
    ASSERT_EQ(graph->size(), direct->size()) << OpMnemonic(c.op);
    for (size_t i = 0; i < graph->size(); ++i) {
      EXPECT_EQ((*graph)[i].shape, (*direct)[i].shape);
      EXPECT_EQ((*graph)[i].data, (*direct)[i].data) << OpMnemonic(c.op);
    }
  }
}

TEST(EvaluateOpModularTest, RefusesLeavesAndShapeMismatches) {
  ModTensor a = ModTensor::Random(Shape({3, 4}), 1);
  ModTensor b = ModTensor::Random(Shape({5, 2}), 2);
  std::vector<const ModTensor*> both = {&a, &b};
  absl::StatusOr<std::vector<ModTensor>> mismatch =
      EvaluateOpModular(OpKind::kMatMul, MatMulAttrs{}, both);
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.status().code(), absl::StatusCode::kInvalidArgument);
  absl::StatusOr<std::vector<ModTensor>> leaf =
      EvaluateOpModular(OpKind::kInput, InputAttrs{}, {});
  ASSERT_FALSE(leaf.ok());
  EXPECT_THAT(std::string(leaf.status().message()), HasSubstr("leaf"));
  std::vector<const ModTensor*> one = {&a};
  absl::StatusOr<std::vector<ModTensor>> arity =
      EvaluateOpModular(OpKind::kAdd, NoAttrs{}, one);
  EXPECT_FALSE(arity.ok());
}

}  // namespace
}  // namespace tsopt

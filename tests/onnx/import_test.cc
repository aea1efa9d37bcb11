// Importer unit tests on small hand-built models: structure of the mapped
// graph, folding notes, and numerics against the reference evaluator.
#include <cmath>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/onnx/onnx_model_builder.h"
#include "tsopt/onnx/onnx.h"
#include "tsopt/reference/evaluator.h"

namespace tsopt::testing {
namespace {

using ::testing::HasSubstr;

std::vector<OpKind> Ops(const Graph& g) {
  std::vector<OpKind> ops;
  for (const Node& n : g.nodes()) ops.push_back(n.op);
  return ops;
}

ImportResult MustImport(const OnnxModelBuilder& m) {
  absl::StatusOr<ImportResult> r = ImportOnnx(m.Bytes());
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *std::move(r) : ImportResult{};
}

float Gelu(float x) { return 0.5f * x * (1.0f + std::erf(x / std::sqrt(2.0f))); }

// The three association orders exporters use for exact GELU.
class GeluPattern : public ::testing::TestWithParam<int> {};

TEST_P(GeluPattern, FusesIntoOneGelu) {
  OnnxModelBuilder m;
  m.Input("x", {2, 3});
  m.Initializer("sqrt2", {}, {1.4142135f});
  m.Initializer("one", {}, {1.0f});
  m.Initializer("half", {}, {0.5f});
  m.Node("Div", {"x", "sqrt2"}, {"d"});
  m.Node("Erf", {"d"}, {"e"});
  m.Node("Add", {"e", "one"}, {"p"});
  if (GetParam() == 0) {
    m.Node("Mul", {"x", "p"}, {"m"});
    m.Node("Mul", {"m", "half"}, {"y"});
  } else if (GetParam() == 1) {
    m.Node("Mul", {"p", "half"}, {"m"});
    m.Node("Mul", {"x", "m"}, {"y"});
  } else {
    m.Node("Mul", {"x", "half"}, {"h"});
    m.Node("Mul", {"h", "p"}, {"y"});
  }
  m.Output("y");
  ImportResult r = MustImport(m);
  EXPECT_EQ(Ops(r.graph), (std::vector<OpKind>{OpKind::kInput, OpKind::kGelu}));
  ASSERT_FALSE(r.notes.empty());
  EXPECT_THAT(r.notes.back(), HasSubstr("GELU pattern"));
  Tensor x = Tensor::Random(Shape({2, 3}), 1, -3.0f, 3.0f);
  absl::StatusOr<std::vector<Tensor>> y = Evaluate(r.graph, {x});
  ASSERT_TRUE(y.ok()) << y.status();
  for (int k = 0; k < 6; ++k) {
    EXPECT_NEAR((*y)[0].data[k], Gelu(x.data[k]), 1e-5);
  }
}

INSTANTIATE_TEST_SUITE_P(Orders, GeluPattern, ::testing::Values(0, 1, 2));

TEST(OnnxImport, ErfWithASecondReaderIsNotFused) {
  OnnxModelBuilder m;
  m.Input("x", {2, 3});
  m.Initializer("sqrt2", {}, {1.4142135f});
  m.Initializer("one", {}, {1.0f});
  m.Initializer("half", {}, {0.5f});
  m.Node("Div", {"x", "sqrt2"}, {"d"});
  m.Node("Erf", {"d"}, {"e"});
  m.Node("Add", {"e", "one"}, {"p"});
  m.Node("Mul", {"x", "p"}, {"m"});
  m.Node("Mul", {"m", "half"}, {"y"});
  m.Output("y");
  m.Output("e");  // erf itself is needed: not a GELU
  ImportResult r = MustImport(m);
  // A lone Erf has no tsopt operator: it is kept as opaque, with a note.
  int opaque = 0, gelu = 0;
  for (const Node& n : r.graph.nodes()) {
    opaque += n.op == OpKind::kOpaque;
    gelu += n.op == OpKind::kGelu;
  }
  EXPECT_EQ(opaque, 1);
  EXPECT_EQ(gelu, 0);
  ASSERT_FALSE(r.notes.empty());
  EXPECT_THAT(r.notes[0], HasSubstr("node 'e' (Erf): kept as opaque"));
}

TEST(OnnxImport, ConvBiasIsTheConvsOwnBiasInput) {
  OnnxModelBuilder m;
  m.Input("x", {1, 2, 5, 5});
  m.Initializer("w", {3, 2, 3, 3}, std::vector<float>(54, 0.1f));
  m.Initializer("b", {3}, {1.0f, 2.0f, 3.0f});
  m.Node("Conv", {"x", "w", "b"}, {"y"})
      .String("auto_pad", "SAME_UPPER")
      .Ints("strides", {2, 2});
  m.Output("y");
  ImportResult r = MustImport(m);
  const Graph& g = r.graph;
  ASSERT_EQ(g.outputs().size(), 1u);
  const Node& conv = g.node(g.outputs()[0].node);
  ASSERT_EQ(conv.op, OpKind::kConv2D);
  EXPECT_EQ(conv.name, "y");
  ASSERT_EQ(conv.inputs.size(), 3u);
  // SAME_UPPER, 5 -> 3 with stride 2 and kernel 3: 2 pads, 1 each side.
  EXPECT_EQ(conv.attrs_as<Conv2DAttrs>().pad, (std::vector<int64_t>{1, 1, 1, 1}));
  EXPECT_EQ(g.shape(conv.inputs[2]), Shape({3}));
  EXPECT_EQ(g.shape(g.outputs()[0]), Shape({1, 3, 3, 3}));
  // Every output element is 0.1 * (the window's sum of x) + b[c].
  Tensor x = Tensor::Random(Shape({1, 2, 5, 5}), 3);
  absl::StatusOr<std::vector<Tensor>> y = Evaluate(g, {x});
  ASSERT_TRUE(y.ok()) << y.status();
  float center = 0;  // output (0, c, 1, 1): rows and cols 1..3 of x
  for (int ch = 0; ch < 2; ++ch) {
    for (int i = 1; i < 4; ++i) {
      for (int j = 1; j < 4; ++j) center += x.data[(ch * 5 + i) * 5 + j];
    }
  }
  for (int c = 0; c < 3; ++c) {
    EXPECT_NEAR((*y)[0].data[c * 9 + 4], 0.1f * center + (c + 1), 1e-4);
  }
}

TEST(OnnxImport, ShapeChainIsFoldedIntoAStaticReshape) {
  // y = Reshape(x, Concat(Unsqueeze(Gather(Shape(x), 0)), [-1]))
  OnnxModelBuilder m;
  m.Input("x", {2, 3, 4});
  m.IntInitializer("zero", {0});
  m.IntInitializer("minus1", {-1});
  m.IntInitializer("axes", {0});
  m.Node("Shape", {"x"}, {"s"});
  m.Node("Gather", {"s", "zero"}, {"g"});
  m.Node("Squeeze", {"g", "axes"}, {"n"});
  m.Node("Unsqueeze", {"n", "axes"}, {"u"});
  m.Node("Concat", {"u", "minus1"}, {"shape"}).Int("axis", 0);
  m.Node("Reshape", {"x", "shape"}, {"y"});
  m.Output("y");
  ImportResult r = MustImport(m);
  EXPECT_EQ(Ops(r.graph),
            (std::vector<OpKind>{OpKind::kInput, OpKind::kReshape}));
  EXPECT_EQ(r.graph.node(1).attrs_as<ReshapeAttrs>().shape,
            (std::vector<int64_t>{2, 12}));
  int folded = 0;
  for (const std::string& note : r.notes) {
    folded += note.find("folded to a constant") != std::string::npos;
  }
  EXPECT_EQ(folded, 5);
}

TEST(OnnxImport, NodesOutOfOrderAreSorted) {
  OnnxModelBuilder m;
  m.Input("x", {1, 4});
  m.Node("Sigmoid", {"r"}, {"y"});
  m.Node("Relu", {"x"}, {"r"});
  m.Output("y");
  ImportResult r = MustImport(m);
  EXPECT_EQ(Ops(r.graph), (std::vector<OpKind>{OpKind::kInput, OpKind::kRelu,
                                               OpKind::kSigmoid}));
}

TEST(OnnxImport, GemmFoldsTransposeAndAlphaIntoConstantB) {
  OnnxModelBuilder m;
  m.Input("a", {2, 3});
  m.Initializer("b", {4, 3}, std::vector<float>(12, 1.0f));
  m.Initializer("c", {4}, {1, 2, 3, 4});
  m.Node("Gemm", {"a", "b", "c"}, {"y"})
      .Int("transB", 1)
      .Float("alpha", 2.0f)
      .Float("beta", 0.5f);
  m.Output("y");
  ImportResult r = MustImport(m);
  // A 1-D C is the matmul's own bias: one biased matmul.
  EXPECT_EQ(Ops(r.graph),
            (std::vector<OpKind>{OpKind::kInput, OpKind::kWeight,
                                 OpKind::kWeight, OpKind::kMatMul}));
  Tensor a = Tensor::Random(Shape({2, 3}), 3);
  absl::StatusOr<std::vector<Tensor>> y = Evaluate(r.graph, {a});
  ASSERT_TRUE(y.ok()) << y.status();
  for (int i = 0; i < 2; ++i) {
    float row = a.data[i * 3] + a.data[i * 3 + 1] + a.data[i * 3 + 2];
    for (int j = 0; j < 4; ++j) {
      EXPECT_NEAR((*y)[0].data[i * 4 + j], 2 * row + 0.5f * (j + 1), 1e-5);
    }
  }
}

TEST(OnnxImport, DropoutIsIdentityWithANote) {
  OnnxModelBuilder m;
  m.Input("x", {1, 4});
  m.Node("Dropout", {"x"}, {"y"});
  m.Output("y");
  ImportResult r = MustImport(m);
  EXPECT_EQ(Ops(r.graph),
            (std::vector<OpKind>{OpKind::kInput, OpKind::kIdentity}));
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_THAT(r.notes[0], HasSubstr("Dropout"));
}

TEST(OnnxImport, SupportedOpsCoverTheOperatorTable) {
  std::vector<std::string> ops = SupportedOnnxOps();
  for (const char* op :
       {"Conv", "Gemm", "MatMul", "BatchNormalization", "Relu", "Sigmoid",
        "Tanh", "Erf", "MaxPool", "AveragePool", "GlobalAveragePool", "Concat",
        "Split", "Reshape", "Transpose", "Flatten", "Softmax",
        "LayerNormalization", "ReduceMean", "ReduceSum", "Add", "Sub", "Mul",
        "Div", "Pad", "Slice", "Identity", "Dropout", "Constant", "Shape",
        "Gather", "Unsqueeze", "Exp", "Sqrt"}) {
    EXPECT_NE(std::find(ops.begin(), ops.end(), op), ops.end()) << op;
  }
}

}  // namespace
}  // namespace tsopt::testing

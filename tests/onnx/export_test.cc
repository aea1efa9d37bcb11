// Exporter unit tests: fused activations as standard ONNX, opset-specific
// forms (LayerNorm before 17, Softmax before 13), stable names, and
// numerics of the re-imported graph against the original.
#include "gtest/gtest.h"
#include "onnx/onnx_pb.h"
#include "tsopt/onnx/onnx.h"
#include "tsopt/reference/evaluator.h"

namespace tsopt::testing {
namespace {

std::shared_ptr<const WeightData> Data(const Shape& s, uint64_t seed) {
  return WeightData::Create(Tensor::Random(s, seed).data);
}

// Exports at `opset`, re-imports, and checks the outputs match.
void ExpectSameNumerics(const Graph& g, int opset, onnx::ModelProto* model) {
  absl::StatusOr<std::string> bytes = ExportOnnx(g, opset);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  ASSERT_TRUE(model->ParseFromString(*bytes));
  absl::StatusOr<ImportResult> back = ImportOnnx(*bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  std::vector<Tensor> inputs;
  for (NodeId id : g.InputNodes()) {
    inputs.push_back(Tensor::Random(g.node(id).output_shapes[0], 7 + id));
  }
  absl::StatusOr<std::vector<Tensor>> a = Evaluate(g, inputs);
  absl::StatusOr<std::vector<Tensor>> b = Evaluate(back->graph, inputs);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->size(), b->size());
  for (size_t o = 0; o < a->size(); ++o) {
    for (size_t k = 0; k < (*a)[o].data.size(); ++k) {
      EXPECT_NEAR((*a)[o].data[k], (*b)[o].data[k], 1e-5);
    }
  }
}

std::vector<std::string> OpTypes(const onnx::ModelProto& m) {
  std::vector<std::string> ops;
  for (const auto& n : m.graph().node()) ops.push_back(n.op_type());
  return ops;
}

TEST(OnnxExport, FusedConvReluBecomesConvThenRelu) {
  Graph g;
  ValueId x = *g.AddInput("image", {1, 2, 6, 6});
  ValueId w = *g.AddWeight({4, 2, 3, 3}, Data(Shape({4, 2, 3, 3}), 1), "w1");
  Conv2DAttrs c;
  c.pad = {1, 1, 1, 1};
  c.activation = Activation::kRelu;
  ValueId y = *g.AddOp(OpKind::kConv2D, c, {x, w}, "conv1");
  ASSERT_TRUE(g.MarkOutput(y).ok());
  onnx::ModelProto m;
  ExpectSameNumerics(g, 13, &m);
  EXPECT_EQ(OpTypes(m), (std::vector<std::string>{"Conv", "Relu"}));
  EXPECT_EQ(m.graph().input(0).name(), "image");
  EXPECT_EQ(m.graph().initializer(0).name(), "w1");
  EXPECT_EQ(m.graph().output(0).name(), "conv1");
}

TEST(OnnxExport, FusedMatMulGeluBecomesTheErfPattern) {
  Graph g;
  ValueId x = *g.AddInput("x", {2, 3});
  ValueId w = *g.AddWeight({3, 5}, Data(Shape({3, 5}), 2), "w");
  MatMulAttrs a;
  a.activation = Activation::kGelu;
  ValueId y = *g.AddOp(OpKind::kMatMul, a, {x, w}, "y");
  ASSERT_TRUE(g.MarkOutput(y).ok());
  onnx::ModelProto m;
  ExpectSameNumerics(g, 17, &m);
  EXPECT_EQ(OpTypes(m), (std::vector<std::string>{"MatMul", "Div", "Erf",
                                                  "Add", "Mul", "Mul"}));
}

TEST(OnnxExport, BiasedMatMulWithReluIsMatMulAddRelu) {
  Graph g;
  ValueId x = *g.AddInput("x", {2, 4, 3});
  ValueId w = *g.AddWeight({3, 5}, Data(Shape({3, 5}), 2), "w");
  ValueId b = *g.AddWeight({5}, Data(Shape({5}), 3), "b");
  MatMulAttrs a;
  a.activation = Activation::kRelu;
  ValueId y = *g.AddOp(OpKind::kMatMul, a, {x, w, b}, "y");
  ASSERT_TRUE(g.MarkOutput(y).ok());
  onnx::ModelProto m;
  ExpectSameNumerics(g, 13, &m);
  EXPECT_EQ(OpTypes(m), (std::vector<std::string>{"MatMul", "Add", "Relu"}));
}

TEST(OnnxExport, BiasedMatrixProductIsGemm) {
  Graph g;
  ValueId x = *g.AddInput("x", {4, 3});
  ValueId w = *g.AddWeight({3, 5}, Data(Shape({3, 5}), 2), "w");
  ValueId b = *g.AddWeight({5}, Data(Shape({5}), 3), "b");
  MatMulAttrs a;
  a.activation = Activation::kGelu;
  ValueId y = *g.AddOp(OpKind::kMatMul, a, {x, w, b}, "y");
  ASSERT_TRUE(g.MarkOutput(y).ok());
  onnx::ModelProto m;
  ExpectSameNumerics(g, 13, &m);
  ASSERT_GT(m.graph().node_size(), 1);
  EXPECT_EQ(m.graph().node(0).op_type(), "Gemm");
}

TEST(OnnxExport, BiasedConvIsConvWithB) {
  Graph g;
  ValueId x = *g.AddInput("x", {1, 4, 6, 6});
  ValueId w = *g.AddWeight({6, 2, 3, 3}, Data(Shape({6, 2, 3, 3}), 2), "w");
  ValueId b = *g.AddWeight({6}, Data(Shape({6}), 3), "b");
  Conv2DAttrs a;
  a.groups = 2;
  a.pad = {1, 1, 1, 1};
  a.activation = Activation::kRelu;
  ValueId y = *g.AddOp(OpKind::kConv2D, a, {x, w, b}, "y");
  ASSERT_TRUE(g.MarkOutput(y).ok());
  onnx::ModelProto m;
  ExpectSameNumerics(g, 13, &m);
  EXPECT_EQ(OpTypes(m), (std::vector<std::string>{"Conv", "Relu"}));
  EXPECT_EQ(m.graph().node(0).input_size(), 3);
}

TEST(OnnxExport, LayerNormBeforeOpset17IsDecomposed) {
  Graph g;
  ValueId x = *g.AddInput("x", {2, 4, 8});
  ValueId s = *g.AddWeight({8}, Data(Shape({8}), 3), "scale");
  ValueId b = *g.AddWeight({8}, Data(Shape({8}), 4), "bias");
  ValueId y = *g.AddOp(OpKind::kLayerNorm, LayerNormAttrs{-1, 1e-5f},
                       {x, s, b}, "ln");
  ASSERT_TRUE(g.MarkOutput(y).ok());
  onnx::ModelProto m11, m17;
  ExpectSameNumerics(g, 11, &m11);
  ExpectSameNumerics(g, 17, &m17);
  EXPECT_EQ(OpTypes(m17), (std::vector<std::string>{"LayerNormalization"}));
  EXPECT_GT(m11.graph().node_size(), 5);
}

TEST(OnnxExport, SoftmaxOnAMiddleAxisAtOpset11) {
  Graph g;
  ValueId x = *g.AddInput("x", {2, 3, 4});
  ValueId y = *g.AddOp(OpKind::kSoftmax, SoftmaxAttrs{1}, {x}, "y");
  ASSERT_TRUE(g.MarkOutput(y).ok());
  onnx::ModelProto m;
  ExpectSameNumerics(g, 11, &m);
  EXPECT_EQ(OpTypes(m),
            (std::vector<std::string>{"Transpose", "Softmax", "Transpose"}));
}

TEST(OnnxExport, EveryDataMovementOpAtOldAndNewOpsets) {
  Graph g;
  ValueId x = *g.AddInput("x", {1, 4, 6, 6});
  std::vector<ValueId> parts =
      *g.AddNode(OpKind::kSplit, SplitAttrs{1, {1, 3}}, {x}, "split");
  ValueId cat = *g.AddOp(OpKind::kConcat, ConcatAttrs{1}, {parts[1], parts[0]});
  ValueId pad = *g.AddOp(OpKind::kPad, PadAttrs{{0, 0, 1, 1, 0, 0, 1, 1}, 0.5f},
                         {cat});
  ValueId sl = *g.AddOp(OpKind::kSlice,
                        SliceAttrs{{1}, {7}, {2}, {2}}, {pad});
  ValueId rs = *g.AddOp(OpKind::kReduceSum, ReduceAttrs{{3}, 1}, {sl});
  ValueId rm = *g.AddOp(OpKind::kReduceMean, ReduceAttrs{{1}, 0}, {rs});
  ValueId tr = *g.AddOp(OpKind::kTranspose, TransposeAttrs{{2, 1, 0}}, {rm});
  ValueId fl = *g.AddOp(OpKind::kFlatten, FlattenAttrs{1}, {tr});
  ValueId sm = *g.AddOp(OpKind::kScalarMul, NoAttrs{},
                        {fl, *g.AddWeight({}, WeightData::Create({3.0f}))});
  ASSERT_TRUE(g.MarkOutput(sm).ok());
  ASSERT_TRUE(g.MarkOutput(sm).ok());  // repeated output
  ASSERT_TRUE(g.MarkOutput(x).ok());   // an input as output
  for (int opset : {11, 12, 13, 17}) {
    SCOPED_TRACE(opset);
    onnx::ModelProto m;
    ExpectSameNumerics(g, opset, &m);
    EXPECT_EQ(m.graph().output_size(), 3);
  }
}

TEST(OnnxExport, NamesAreUniqueAndStable) {
  Graph g;
  ValueId x = *g.AddInput("x", {1, 4});
  ValueId a = *g.AddOp(OpKind::kRelu, NoAttrs{}, {x}, "same");
  ValueId b = *g.AddOp(OpKind::kTanh, NoAttrs{}, {a}, "same");
  ValueId c = *g.AddOp(OpKind::kExp, NoAttrs{}, {b});
  ASSERT_TRUE(g.MarkOutput(c).ok());
  absl::StatusOr<std::string> first = ExportOnnx(g, 13);
  absl::StatusOr<std::string> second = ExportOnnx(g, 13);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, *second);
  onnx::ModelProto m;
  ASSERT_TRUE(m.ParseFromString(*first));
  EXPECT_EQ(m.graph().node(0).output(0), "same");
  EXPECT_EQ(m.graph().node(1).output(0), "same_1");
  EXPECT_EQ(m.graph().node(2).output(0), "exp_3");
}

}  // namespace
}  // namespace tsopt::testing

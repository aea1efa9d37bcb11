// Bad ONNX input must give a clear Status, never a crash, hang or huge
// allocation.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/onnx/onnx_model_builder.h"
#include "tsopt/onnx/onnx.h"

namespace tsopt::testing {
namespace {

using ::testing::HasSubstr;

std::string ReluModel() {
  OnnxModelBuilder m;
  m.Input("x", {1, 4});
  m.Node("Relu", {"x"}, {"y"});
  m.Output("y");
  return m.Bytes();
}

TEST(OnnxImportError, TruncatedFile) {
  std::string bytes = ReluModel();
  for (size_t len : {size_t{1}, bytes.size() / 2, bytes.size() - 1}) {
    absl::StatusOr<ImportResult> r = ImportOnnx(bytes.substr(0, len));
    ASSERT_FALSE(r.ok()) << "prefix of " << len << " bytes imported";
  }
}

TEST(OnnxImportError, CorruptFile) {
  absl::StatusOr<ImportResult> r = ImportOnnx("\xff\xff\xff\xff garbage");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("not a valid ONNX model"));
}

TEST(OnnxImportError, MissingFile) {
  absl::StatusOr<ImportResult> r = ImportOnnxFile("/nonexistent/model.onnx");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("cannot open"));
}

TEST(OnnxImportError, Cycle) {
  OnnxModelBuilder m;
  m.Input("x", {1, 4});
  m.Node("Add", {"x", "b"}, {"a"});
  m.Node("Relu", {"a"}, {"b"});
  m.Output("b");
  absl::StatusOr<ImportResult> r = ImportOnnx(m.Bytes());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("cycle"));
}

TEST(OnnxImportError, MissingInitializer) {
  OnnxModelBuilder m;
  m.Input("x", {1, 3, 8, 8});
  m.Node("Conv", {"x", "w"}, {"y"});
  m.Output("y");
  absl::StatusOr<ImportResult> r = ImportOnnx(m.Bytes());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("'w'"));
  EXPECT_THAT(r.status().message(), HasSubstr("missing initializer"));
}

TEST(OnnxImportError, DynamicShapeWithoutOverride) {
  OnnxModelBuilder m;
  m.Input("x", {-1, 4});
  m.Node("Relu", {"x"}, {"y"});
  m.Output("y");
  absl::StatusOr<ImportResult> r = ImportOnnx(m.Bytes());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("dynamic dim 0 ('batch')"));
  EXPECT_THAT(r.status().message(), HasSubstr("--input-shape x="));
  ImportOptions options;
  options.input_shapes["x"] = {2, 4};
  absl::StatusOr<ImportResult> fixed = ImportOnnx(m.Bytes(), options);
  ASSERT_TRUE(fixed.ok()) << fixed.status();
  EXPECT_EQ(fixed->graph.node(0).output_shapes[0], Shape({2, 4}));
}

TEST(OnnxImportError, OverrideOfUnknownInput) {
  ImportOptions options;
  options.input_shapes["nope"] = {1};
  absl::StatusOr<ImportResult> r = ImportOnnx(ReluModel(), options);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("'nope'"));
}

TEST(OnnxImportError, AbsurdTensorSizeIsRefusedBeforeAllocating) {
  OnnxModelBuilder m;
  m.Input("x", {1, 4});
  // 2^62 elements declared, 1 value present.
  m.Initializer("w", {int64_t{1} << 31, int64_t{1} << 31}, {1.0f});
  m.Node("Add", {"x", "w"}, {"y"});
  m.Output("y");
  absl::StatusOr<ImportResult> r = ImportOnnx(m.Bytes());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("too large"));
}

TEST(OnnxImportError, AbsurdConstantOfShape) {
  OnnxModelBuilder m;
  m.Input("x", {1, 4});
  m.IntInitializer("shape", {1 << 20, 1 << 20, 1 << 20});
  m.Node("ConstantOfShape", {"shape"}, {"c"});
  m.Node("Add", {"x", "c"}, {"y"});
  m.Output("y");
  absl::StatusOr<ImportResult> r = ImportOnnx(m.Bytes());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("too large"));
}

// Folding the Mul would allocate 2^32 elements: it is not folded but kept
// as an opaque node (nothing allocated), and the note says why.
TEST(OnnxImportError, AbsurdFoldedBroadcast) {
  OnnxModelBuilder m;
  m.Input("x", {1, 1 << 16});
  std::vector<float> ones(1 << 16, 1.0f);
  m.Initializer("a", {1 << 16, 1}, ones);
  m.Initializer("b", {1, 1 << 16}, ones);
  m.Node("Mul", {"a", "b"}, {"c"});  // 2^32 elements if folded
  m.Node("Add", {"x", "c"}, {"y"});
  m.Output("y");
  absl::StatusOr<ImportResult> r = ImportOnnx(m.Bytes());
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_FALSE(r->notes.empty());
  EXPECT_THAT(r->notes[0], HasSubstr("node 'c' (Mul): kept as opaque"));
  EXPECT_THAT(r->notes[0], HasSubstr("too large"));
}

TEST(OnnxImportError, DataSizeMismatch) {
  OnnxModelBuilder m;
  m.Input("x", {1, 4});
  m.Initializer("w", {1, 4}, {1.0f, 2.0f});
  m.Node("Add", {"x", "w"}, {"y"});
  m.Output("y");
  absl::StatusOr<ImportResult> r = ImportOnnx(m.Bytes());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("float_data has 2 values"));
}

TEST(OnnxImportError, UnsupportedDataType) {
  OnnxModelBuilder m;
  m.Input("x", {1, 4});
  onnx::TensorProto* w = m.Initializer("w", {1, 4}, {});
  w->set_data_type(onnx::TensorProto::FLOAT16);
  w->set_raw_data(std::string(8, '\0'));
  m.Node("Add", {"x", "w"}, {"y"});
  m.Output("y");
  absl::StatusOr<ImportResult> r = ImportOnnx(m.Bytes());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("unsupported data type FLOAT16"));
}

TEST(OnnxImportError, UnsupportedInputType) {
  OnnxModelBuilder m;
  m.Input("ids", {1, 8}, onnx::TensorProto::INT64);
  m.Node("Identity", {"ids"}, {"y"});
  m.Output("y");
  absl::StatusOr<ImportResult> r = ImportOnnx(m.Bytes());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("INT64"));
}

// An unknown operator is kept as opaque only when its output shapes are
// known statically; otherwise the error names the operator, node and output.
TEST(OnnxImportError, OpaqueOperatorWithoutStaticShapeNamesOpAndNode) {
  OnnxModelBuilder m;
  auto* imp = m.model().add_opset_import();
  imp->set_domain("com.example");
  imp->set_version(1);
  m.Input("x", {1, 4});
  m.Node("Mystery", {"x"}, {"y"}).proto()->set_domain("com.example");
  m.Output("y");  // FLOAT, no shape
  absl::StatusOr<ImportResult> r = ImportOnnx(m.Bytes());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("node 'y' (Mystery)"));
  EXPECT_THAT(r.status().message(), HasSubstr("'Mystery'"));
  EXPECT_THAT(r.status().message(),
              HasSubstr("shape of its output 'y' is not known statically"));
}

// A data-dependent output shape (NonZero) cannot be kept either.
TEST(OnnxImportError, DataDependentShapeOfAnUnknownOp) {
  OnnxModelBuilder m;
  m.Input("x", {2, 3});
  m.Node("NonZero", {"x"}, {"y"});
  m.Output("y");
  absl::StatusOr<ImportResult> r = ImportOnnx(m.Bytes());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("node 'y' (NonZero)"));
  EXPECT_THAT(r.status().message(), HasSubstr("not known statically"));
}

// A conv that tsopt does not import (a 3x2 kernel) with a zero stride is
// not handed to ONNX's shape inference, which would divide by it (found by
// the fuzzer).
TEST(OnnxImportError, OpaqueConvWithZeroStrideIsRefused) {
  OnnxModelBuilder m;
  m.Input("x", {2, 3, 7, 5});
  m.Initializer("w", {4, 3, 3, 2}, std::vector<float>(72, 0.5f));
  m.Node("Conv", {"x", "w"}, {"y"})
      .Ints("kernel_shape", {3, 2})
      .Ints("strides", {0, 1});
  m.Output("y");
  absl::StatusOr<ImportResult> r = ImportOnnx(m.Bytes());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("'strides'"));
  EXPECT_THAT(r.status().message(), HasSubstr("non-positive"));
}

// Subgraph operators (If, Loop, Scan) reference outer names: refused.
TEST(OnnxImportError, SubgraphOperatorIsRefused) {
  OnnxModelBuilder m;
  m.Input("x", {1});
  onnx::NodeProto* n = m.Node("If", {"x"}, {"y"}).proto();
  onnx::AttributeProto* a = n->add_attribute();
  a->set_name("then_branch");
  a->set_type(onnx::AttributeProto::GRAPH);
  a->mutable_g()->set_name("then");
  m.Output("y");
  absl::StatusOr<ImportResult> r = ImportOnnx(m.Bytes());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("subgraph"));
}

TEST(OnnxImportError, UnsupportedOpset) {
  OnnxModelBuilder m(18);
  m.Input("x", {1, 4});
  m.Node("Relu", {"x"}, {"y"});
  m.Output("y");
  absl::StatusOr<ImportResult> r = ImportOnnx(m.Bytes());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("opset 18"));
}

// Found by the fuzzer: a Gemm with one input read input(1) out of range.
TEST(OnnxImportError, TooFewInputs) {
  for (const char* op : {"Gemm", "Identity", "Cast", "Erf", "Conv", "Slice"}) {
    OnnxModelBuilder m;
    m.Input("x", {2, 2});
    if (std::string(op) == "Identity" || std::string(op) == "Cast" ||
        std::string(op) == "Erf") {
      m.Node(op, {}, {"y"});
    } else {
      m.Node(op, {"x"}, {"y"});
    }
    m.Output("y");
    absl::StatusOr<ImportResult> r = ImportOnnx(m.Bytes());
    ASSERT_FALSE(r.ok()) << op;
    EXPECT_THAT(r.status().message(), HasSubstr("takes at least")) << op;
  }
}

// Found by the fuzzer: ONNX's version converter dereferenced null on an
// old-opset model whose output is never computed.
TEST(OnnxImportError, OldOpsetWithDanglingOutput) {
  OnnxModelBuilder m(6);
  m.Input("x", {1, 4});
  m.Node("Relu", {"x"}, {"y"});
  m.Output("never_computed");
  absl::StatusOr<ImportResult> r = ImportOnnx(m.Bytes());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("never computed"));
}

TEST(OnnxImportError, TensorDefinedTwice) {
  OnnxModelBuilder m;
  m.Input("x", {1, 4});
  m.Node("Relu", {"x"}, {"y"});
  m.Node("Sigmoid", {"x"}, {"y"});
  m.Output("y");
  absl::StatusOr<ImportResult> r = ImportOnnx(m.Bytes());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("defined more than once"));
}

TEST(OnnxImportError, BadShapeNamesTheNode) {
  OnnxModelBuilder m;
  m.Input("x", {1, 4});
  m.Input("z", {1, 3});
  m.Node("Add", {"x", "z"}, {"y"});
  m.Output("y");
  absl::StatusOr<ImportResult> r = ImportOnnx(m.Bytes());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("node 'y' (Add)"));
  EXPECT_THAT(r.status().message(), HasSubstr("do not broadcast"));
}

TEST(OnnxImportError, WrongAttributeType) {
  OnnxModelBuilder m;
  m.Input("x", {1, 4});
  m.Node("Softmax", {"x"}, {"y"}).Float("axis", 1.0f);
  m.Output("y");
  absl::StatusOr<ImportResult> r = ImportOnnx(m.Bytes());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("attribute 'axis'"));
}

TEST(OnnxImportError, BadInputShapeText) {
  EXPECT_FALSE(ParseInputShapes("x").ok());
  EXPECT_FALSE(ParseInputShapes("x=1,a").ok());
  EXPECT_FALSE(ParseInputShapes("x=0").ok());
  absl::StatusOr<std::map<std::string, std::vector<int64_t>>> ok =
      ParseInputShapes("x=1,3;m=2");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->at("x"), (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(ok->at("m"), (std::vector<int64_t>{2}));
}

TEST(OnnxExportError, SymbolicWeightAndBadOpset) {
  Graph g;
  absl::StatusOr<ValueId> x = g.AddInput("x", {1, 4});
  absl::StatusOr<ValueId> w = g.AddWeight({1, 4}, nullptr);
  ASSERT_TRUE(x.ok() && w.ok());
  absl::StatusOr<ValueId> y = g.AddOp(OpKind::kAdd, NoAttrs{}, {*x, *w});
  ASSERT_TRUE(y.ok());
  ASSERT_TRUE(g.MarkOutput(*y).ok());
  absl::StatusOr<std::string> r = ExportOnnx(g, 13);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("symbolic"));
  EXPECT_FALSE(ExportOnnx(g, 10).ok());
  EXPECT_FALSE(ExportOnnxFile(g, 13, "/nonexistent/dir/x.onnx").ok());
}

}  // namespace
}  // namespace tsopt::testing

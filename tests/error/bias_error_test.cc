// A conv's or matmul's bias of the wrong shape is refused with a message
// naming the node and the expected shape: in the text format, in the graph
// builder and in ONNX import (Conv's B).
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/onnx/onnx_model_builder.h"
#include "tsopt/ir/builder.h"
#include "tsopt/ir/text.h"
#include "tsopt/onnx/onnx.h"

namespace tsopt {
namespace {

using ::testing::HasSubstr;

TEST(BiasError, TextConvBiasPerPixelIsRefused) {
  absl::StatusOr<Graph> g = ParseGraph(R"(
    %x = input {shape=[1,2,5,5], name="x"}
    %w = weight {shape=[3,2,3,3]}
    %b = weight {shape=[1,3,1,1]}
    %c = conv2d(%x, %w, %b)
    return %c)");
  ASSERT_FALSE(g.ok());
  EXPECT_THAT(g.status().message(), HasSubstr("conv2d bias must have shape [3]"));
}

TEST(BiasError, TextMatMulBiasOnRowsIsRefused) {
  absl::StatusOr<Graph> g = ParseGraph(R"(
    %x = input {shape=[4,3], name="x"}
    %w = weight {shape=[3,5]}
    %b = weight {shape=[4]}
    %m = matmul(%x, %w, %b)
    return %m)");
  ASSERT_FALSE(g.ok());
  EXPECT_THAT(g.status().message(), HasSubstr("matmul bias must have shape [5]"));
}

TEST(BiasError, BuilderNamesTheNode) {
  GraphBuilder b;
  ValueId x = b.Input({2, 7, 3}, "x");
  ValueId y = b.MatMul(x, b.Weight({3, 5}), b.Weight({7, 5}), MatMulAttrs{});
  b.Output(y);
  absl::StatusOr<Graph> g = std::move(b).Build();
  ASSERT_FALSE(g.ok());
  EXPECT_THAT(g.status().message(), HasSubstr("matmul"));
  EXPECT_THAT(g.status().message(), HasSubstr("got [7,5]"));
}

TEST(BiasError, OnnxConvBiasOfWrongLength) {
  testing::OnnxModelBuilder m;
  m.Input("x", {1, 2, 5, 5});
  m.Initializer("w", {3, 2, 3, 3}, std::vector<float>(54, 0.1f));
  m.Initializer("b", {2}, {1.0f, 2.0f});
  m.Node("Conv", {"x", "w", "b"}, {"y"});
  m.Output("y");
  absl::StatusOr<ImportResult> r = ImportOnnx(m.Bytes());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("bias [2] is not [3]"));
}

}  // namespace
}  // namespace tsopt

// Stable names across import and export: a model re-exported without
// changes keeps its input and output names (every output of a Split
// included), and requested output names survive leaves and repeats.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "onnx/onnx_pb.h"
#include "tests/onnx/onnx_model_builder.h"
#include "tsopt/ir/hash.h"
#include "tsopt/onnx/onnx.h"

namespace tsopt::testing {
namespace {

struct Names {
  std::vector<std::string> inputs, outputs;
  std::vector<std::vector<std::string>> node_outputs;
};

Names NamesOf(const std::string& bytes) {
  onnx::ModelProto m;
  EXPECT_TRUE(m.ParseFromString(bytes));
  Names n;
  for (const auto& in : m.graph().input()) n.inputs.push_back(in.name());
  for (const auto& out : m.graph().output()) n.outputs.push_back(out.name());
  for (const auto& node : m.graph().node()) {
    n.node_outputs.emplace_back(node.output().begin(), node.output().end());
  }
  return n;
}

std::string ReExport(const std::string& bytes, ImportResult* imported) {
  absl::StatusOr<ImportResult> r = ImportOnnx(bytes);
  EXPECT_TRUE(r.ok()) << r.status();
  if (!r.ok()) return "";
  ExportOptions options;
  options.opset = r->opset;
  options.output_names = r->output_names;
  options.multi_output_names = r->multi_output_names;
  absl::StatusOr<std::string> out = ExportOnnx(r->graph, options);
  EXPECT_TRUE(out.ok()) << out.status();
  if (imported != nullptr) *imported = *std::move(r);
  return out.value_or("");
}

// x -> Split into "left" (a graph output), "mid" and "right"; "mid" and
// "right" are read by an Add named "sum" (a graph output); "x" is also
// output as "x_copy" through Identity.
std::string SplitModel() {
  OnnxModelBuilder m(13);
  m.Input("input.1", {2, 6});
  m.IntInitializer("sizes", {2, 2, 2});
  m.Node("Split", {"input.1", "sizes"}, {"left", "mid", "right"})
      .Int("axis", 1);
  m.Node("Add", {"mid", "right"}, {"sum"});
  m.Node("Identity", {"input.1"}, {"x_copy"});
  m.Output("sum");
  m.Output("left");
  m.Output("x_copy");
  return m.Bytes();
}

TEST(OnnxNames, ReExportKeepsInputOutputAndSplitNames) {
  ImportResult imported;
  std::string once = ReExport(SplitModel(), &imported);
  Names names = NamesOf(once);
  EXPECT_EQ(names.inputs, (std::vector<std::string>{"input.1"}));
  EXPECT_EQ(names.outputs,
            (std::vector<std::string>{"sum", "left", "x_copy"}));
  bool split_named = false;
  for (const auto& outs : names.node_outputs) {
    if (outs == std::vector<std::string>{"left", "mid", "right"}) {
      split_named = true;
    }
  }
  EXPECT_TRUE(split_named);
  // A second round changes nothing.
  ImportResult again;
  std::string twice = ReExport(once, &again);
  EXPECT_EQ(NamesOf(twice).outputs, names.outputs);
  EXPECT_EQ(NamesOf(twice).inputs, names.inputs);
  EXPECT_EQ(twice, once);
  EXPECT_TRUE(StructurallyEqual(imported.graph, again.graph));
}

TEST(OnnxNames, RequestedNamesOnLeavesAndRepeatedOutputs) {
  Graph g;
  ValueId x = *g.AddInput("x", {1, 4});
  ValueId r = *g.AddOp(OpKind::kRelu, NoAttrs{}, {x}, "relu_node");
  ASSERT_TRUE(g.MarkOutput(r).ok());
  ASSERT_TRUE(g.MarkOutput(r).ok());
  ASSERT_TRUE(g.MarkOutput(x).ok());
  ExportOptions options;
  options.opset = 13;
  options.output_names = {"first", "second", "passthrough"};
  absl::StatusOr<std::string> bytes = ExportOnnx(g, options);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  Names names = NamesOf(*bytes);
  EXPECT_EQ(names.outputs,
            (std::vector<std::string>{"first", "second", "passthrough"}));
  EXPECT_EQ(names.node_outputs.front(), (std::vector<std::string>{"first"}));
}

TEST(OnnxNames, OutputNameTakenByAnInputIsMadeUnique) {
  Graph g;
  ValueId x = *g.AddInput("x", {1, 4});
  ValueId r = *g.AddOp(OpKind::kRelu, NoAttrs{}, {x});
  ASSERT_TRUE(g.MarkOutput(r).ok());
  ExportOptions options;
  options.output_names = {"x"};
  absl::StatusOr<std::string> bytes = ExportOnnx(g, options);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  Names names = NamesOf(*bytes);
  EXPECT_EQ(names.inputs, (std::vector<std::string>{"x"}));
  ASSERT_EQ(names.outputs.size(), 1u);
  EXPECT_NE(names.outputs[0], "x");
}

}  // namespace
}  // namespace tsopt::testing

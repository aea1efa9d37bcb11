// Operators tsopt does not know: imported as opaque nodes (standard ops
// without a converter, another domain, a known op used in a way tsopt cannot
// express), never inside a match, optimized around with the shipped rules,
// exported back exactly (checker + shape inference), re-imported equal, and
// refused by name by every evaluator.
#include <algorithm>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "onnx/checker.h"
#include "onnx/onnx_pb.h"
#include "onnx/shape_inference/implementation.h"
#include "tests/onnx/onnx_model_builder.h"
#include "tsopt/cost/analytic_cost_model.h"
#include "tsopt/ir/hash.h"
#include "tsopt/ir/text.h"
#include "tsopt/onnx/onnx.h"
#include "tsopt/optimize.h"
#include "tsopt/reference/evaluator.h"
#include "tsopt/search/matcher.h"

namespace tsopt::testing {
namespace {

using ::testing::HasSubstr;

std::vector<float> Values(int64_t n, float scale) {
  std::vector<float> v(n);
  for (int64_t k = 0; k < n; ++k) v[k] = scale * static_cast<float>(k % 7 - 3);
  return v;
}

// x -> conv -> relu -> Hardmax -> conv -> relu -> TopK(k=3) -> relu(values)
// Outputs: "out" (relu of the values) and "indices" (INT64, from TopK).
std::string HardmaxTopKModel() {
  OnnxModelBuilder m(13);
  m.Input("x", {1, 4, 6, 6});
  m.Initializer("w1", {4, 4, 3, 3}, Values(144, 0.05f));
  m.Initializer("w2", {4, 4, 1, 1}, Values(16, 0.1f));
  m.IntInitializer("k", {3});
  m.Node("Conv", {"x", "w1"}, {"c1"}).Ints("pads", {1, 1, 1, 1});
  m.Node("Relu", {"c1"}, {"r1"});
  m.Node("Hardmax", {"r1"}, {"h"}).Int("axis", -1);
  m.Node("Conv", {"h", "w2"}, {"c2"});
  m.Node("Relu", {"c2"}, {"r2"});
  m.Node("TopK", {"r2", "k"}, {"values", "indices"}).Int("axis", -1);
  m.Node("Relu", {"values"}, {"out"});
  m.Output("out");
  m.Output("indices");
  m.model().mutable_graph()->mutable_output(1)->mutable_type()
      ->mutable_tensor_type()->set_elem_type(onnx::TensorProto::INT64);
  return m.Bytes();
}

std::vector<NodeId> OpaqueNodes(const Graph& g) {
  std::vector<NodeId> ids;
  for (NodeId id = 0; id < g.num_nodes(); ++id) {
    if (g.node(id).op == OpKind::kOpaque) ids.push_back(id);
  }
  return ids;
}

ImportResult MustImport(const std::string& bytes) {
  absl::StatusOr<ImportResult> r = ImportOnnx(bytes);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *std::move(r) : ImportResult{};
}

RuleSet ShippedRules() {
  absl::StatusOr<std::string> dir = DefaultRulesDir();
  EXPECT_TRUE(dir.ok()) << dir.status();
  int skipped = 0;
  absl::StatusOr<RuleSet> rules =
      LoadRulesForSearch(dir.value_or(""), false, &skipped);
  EXPECT_TRUE(rules.ok()) << rules.status();
  return rules.ok() ? *std::move(rules) : RuleSet();
}

TEST(OnnxOpaque, UnknownStandardOpsAreKeptWithANote) {
  ImportResult r = MustImport(HardmaxTopKModel());
  std::vector<NodeId> opaque = OpaqueNodes(r.graph);
  ASSERT_EQ(opaque.size(), 2u);
  const auto& hardmax = r.graph.node(opaque[0]).attrs_as<OpaqueAttrs>();
  EXPECT_EQ(hardmax.op_type, "Hardmax");
  EXPECT_EQ(hardmax.domain, "");
  EXPECT_EQ(r.graph.node(opaque[0]).output_shapes,
            (std::vector<Shape>{Shape({1, 4, 6, 6})}));
  const Node& topk = r.graph.node(opaque[1]);
  EXPECT_EQ(topk.attrs_as<OpaqueAttrs>().op_type, "TopK");
  EXPECT_EQ(topk.attrs_as<OpaqueAttrs>().output_dtypes,
            (std::vector<int64_t>{onnx::TensorProto::FLOAT,
                                  onnx::TensorProto::INT64}));
  EXPECT_EQ(topk.output_shapes,
            (std::vector<Shape>{Shape({1, 4, 6, 3}), Shape({1, 4, 6, 3})}));
  EXPECT_EQ(topk.inputs.size(), 1u);  // k is embedded in the payload
  EXPECT_EQ(r.output_names, (std::vector<std::string>{"out", "indices"}));
  int kept = 0;
  for (const std::string& note : r.notes) {
    if (note.find("kept as opaque") != std::string::npos) ++kept;
  }
  EXPECT_EQ(kept, 2) << ::testing::PrintToString(r.notes);
  EXPECT_THAT(r.notes[0], HasSubstr("node 'h' (Hardmax): kept as opaque"));
}

TEST(OnnxOpaque, EvaluatorRefusesByName) {
  ImportResult r = MustImport(HardmaxTopKModel());
  absl::StatusOr<std::vector<Tensor>> out =
      Evaluate(r.graph, {Tensor::Random(Shape({1, 4, 6, 6}), 1)});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_THAT(out.status().message(),
              HasSubstr("cannot execute opaque operator 'Hardmax'"));
}

TEST(OnnxOpaque, NeverInsideAMatch) {
  ImportResult r = MustImport(HardmaxTopKModel());
  RuleSet rules = ShippedRules();
  MatchContext ctx(r.graph);
  std::vector<Match> matches = FindMatches(ctx, rules);
  EXPECT_FALSE(matches.empty());  // conv + relu on both sides
  for (const Match& m : matches) {
    for (NodeId id : m.nodes) {
      if (id >= 0) EXPECT_NE(r.graph.node(id).op, OpKind::kOpaque);
    }
  }
}

TEST(OnnxOpaque, OptimizedAroundExportedExactlyAndReimportedEqual) {
  ImportResult r = MustImport(HardmaxTopKModel());
  RuleSet rules = ShippedRules();
  OptimizeOptions options;
  options.rules = &rules;
  options.cost_kind = CostModelKind::kAnalytic;
  options.search.budget = 50;
  absl::StatusOr<OptimizeResult> opt = Optimize(r.graph, options);
  ASSERT_TRUE(opt.ok()) << opt.status();
  EXPECT_LT(opt->report.cost_after_ms, opt->report.cost_before_ms);
  EXPECT_LT(opt->graph.num_nodes(), r.graph.num_nodes());
  ASSERT_EQ(OpaqueNodes(opt->graph).size(), 2u);
  for (size_t k = 0; k < 2; ++k) {
    EXPECT_EQ(opt->graph.node(OpaqueNodes(opt->graph)[k]).attrs,
              r.graph.node(OpaqueNodes(r.graph)[k]).attrs);
  }

  ExportOptions eo;
  eo.opset = r.opset;
  eo.output_names = r.output_names;
  eo.multi_output_names = r.multi_output_names;
  absl::StatusOr<std::string> bytes = ExportOnnx(opt->graph, eo);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  onnx::ModelProto model;
  ASSERT_TRUE(model.ParseFromString(*bytes));
  EXPECT_NO_THROW(onnx::checker::check_model(model));
  onnx::ShapeInferenceOptions strict(true, 1);
  EXPECT_NO_THROW(onnx::shape_inference::InferShapes(
      model, onnx::OpSchemaRegistry::Instance(), strict));
  ASSERT_EQ(model.graph().output_size(), 2);
  EXPECT_EQ(model.graph().output(0).name(), "out");
  EXPECT_EQ(model.graph().output(1).name(), "indices");
  EXPECT_EQ(model.graph().output(1).type().tensor_type().elem_type(),
            onnx::TensorProto::INT64);
  EXPECT_EQ(model.graph().input(0).name(), "x");
  const onnx::NodeProto* topk = nullptr;
  const onnx::NodeProto* hardmax = nullptr;
  for (const onnx::NodeProto& n : model.graph().node()) {
    if (n.op_type() == "TopK") topk = &n;
    if (n.op_type() == "Hardmax") hardmax = &n;
  }
  ASSERT_NE(topk, nullptr);
  ASSERT_NE(hardmax, nullptr);
  ASSERT_EQ(hardmax->attribute_size(), 1);
  EXPECT_EQ(hardmax->attribute(0).name(), "axis");
  EXPECT_EQ(hardmax->attribute(0).i(), -1);
  EXPECT_EQ(topk->output(1), "indices");
  ASSERT_EQ(topk->input_size(), 2);
  bool k_is_int64 = false;
  for (const onnx::TensorProto& t : model.graph().initializer()) {
    if (t.name() == topk->input(1)) {
      k_is_int64 = t.data_type() == onnx::TensorProto::INT64;
    }
  }
  EXPECT_TRUE(k_is_int64);

  // Re-import: the same opaque nodes and names; a second export and import
  // gives the same graph (fused activations come back unfused, so the
  // optimized graph itself is not the fixpoint).
  absl::StatusOr<ImportResult> back = ImportOnnx(*bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->output_names, r.output_names);
  ASSERT_EQ(OpaqueNodes(back->graph).size(), 2u);
  for (size_t k = 0; k < 2; ++k) {
    EXPECT_EQ(back->graph.node(OpaqueNodes(back->graph)[k]).attrs,
              r.graph.node(OpaqueNodes(r.graph)[k]).attrs);
  }
  eo.multi_output_names = back->multi_output_names;
  absl::StatusOr<std::string> again = ExportOnnx(back->graph, eo);
  ASSERT_TRUE(again.ok()) << again.status();
  absl::StatusOr<ImportResult> back2 = ImportOnnx(*again);
  ASSERT_TRUE(back2.ok()) << back2.status();
  EXPECT_TRUE(StructurallyEqual(back->graph, back2->graph));
}

TEST(OnnxOpaque, UnoptimizedRoundTripReimportsEqual) {
  ImportResult r = MustImport(HardmaxTopKModel());
  ExportOptions eo;
  eo.opset = r.opset;
  eo.output_names = r.output_names;
  eo.multi_output_names = r.multi_output_names;
  absl::StatusOr<std::string> bytes = ExportOnnx(r.graph, eo);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  absl::StatusOr<ImportResult> back = ImportOnnx(*bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(StructurallyEqual(back->graph, r.graph));
  EXPECT_EQ(back->output_names, r.output_names);
}

TEST(OnnxOpaque, CustomDomainKeepsItsOpsetAndAttributes) {
  OnnxModelBuilder m(13);
  auto* imp = m.model().add_opset_import();
  imp->set_domain("com.example");
  imp->set_version(3);
  m.Input("x", {2, 8});
  m.Node("Relu", {"x"}, {"r"});
  onnx::NodeProto* n =
      m.Node("Scale", {"r"}, {"s"}).Float("factor", 2.5f).String("mode", "a\x01")
          .proto();
  n->set_domain("com.example");
  m.Node("Tanh", {"s"}, {"y"});
  m.Output("y");
  // The shape of a custom op's output comes from the model's value_info.
  auto* info = m.model().mutable_graph()->add_value_info();
  info->set_name("s");
  auto* t = info->mutable_type()->mutable_tensor_type();
  t->set_elem_type(onnx::TensorProto::FLOAT);
  t->mutable_shape()->add_dim()->set_dim_value(2);
  t->mutable_shape()->add_dim()->set_dim_value(8);
  ImportResult r = MustImport(m.Bytes());
  std::vector<NodeId> opaque = OpaqueNodes(r.graph);
  ASSERT_EQ(opaque.size(), 1u);
  EXPECT_EQ(OpaqueOpName(r.graph.node(opaque[0]).attrs_as<OpaqueAttrs>()),
            "com.example:Scale");
  EXPECT_THAT(r.notes.back(), HasSubstr("domain 'com.example'"));

  absl::StatusOr<std::string> bytes = ExportOnnx(r.graph, r.opset);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  onnx::ModelProto model;
  ASSERT_TRUE(model.ParseFromString(*bytes));
  bool has_domain = false;
  for (const auto& o : model.opset_import()) {
    if (o.domain() == "com.example") has_domain = o.version() == 3;
  }
  EXPECT_TRUE(has_domain);
  const onnx::NodeProto& scale = model.graph().node(1);
  EXPECT_EQ(scale.domain(), "com.example");
  ASSERT_EQ(scale.attribute_size(), 2);
  EXPECT_EQ(scale.attribute(0).f(), 2.5f);
  EXPECT_EQ(scale.attribute(1).s(), "a\x01");
  absl::StatusOr<ImportResult> back = ImportOnnx(*bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(StructurallyEqual(back->graph, r.graph));
}

// A known operator used in a way tsopt cannot express (Cast to INT64) is
// kept as opaque too, and its INT64 output may only leave the graph.
TEST(OnnxOpaque, InexpressibleUseOfAKnownOpFallsBackToOpaque) {
  OnnxModelBuilder m(13);
  m.Input("x", {3, 4});
  m.Node("Relu", {"x"}, {"r"});
  m.Node("Cast", {"r"}, {"ints"}).Int("to", onnx::TensorProto::INT64);
  m.Output("ints");
  m.model().mutable_graph()->mutable_output(0)->mutable_type()
      ->mutable_tensor_type()->set_elem_type(onnx::TensorProto::INT64);
  ImportResult r = MustImport(m.Bytes());
  ASSERT_EQ(OpaqueNodes(r.graph).size(), 1u);
  EXPECT_THAT(r.notes.back(), HasSubstr("node 'ints' (Cast): kept as opaque ("));
  absl::StatusOr<std::string> bytes = ExportOnnx(r.graph, r.opset);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
}

TEST(OnnxOpaque, IntegerOutputReadByAKnownOpMakesItOpaqueToo) {
  OnnxModelBuilder m(13);
  m.Input("x", {3, 4});
  m.Node("Cast", {"x"}, {"ints"}).Int("to", onnx::TensorProto::INT64);
  m.Node("Relu", {"ints"}, {"y"});
  m.Output("y");
  m.model().mutable_graph()->mutable_output(0)->mutable_type()
      ->mutable_tensor_type()->set_elem_type(onnx::TensorProto::INT64);
  ImportResult r = MustImport(m.Bytes());
  EXPECT_EQ(OpaqueNodes(r.graph).size(), 2u);
  EXPECT_THAT(r.notes.back(), HasSubstr("INT64 tensor from an opaque"));
}

TEST(OnnxOpaque, TextRoundTripAndHashCoverThePayload) {
  ImportResult r = MustImport(HardmaxTopKModel());
  absl::StatusOr<Graph> parsed = ParseGraph(PrintGraph(r.graph));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(StructurallyEqual(*parsed, r.graph));
  EXPECT_EQ(StructuralHash(*parsed), StructuralHash(r.graph));
  Graph changed = r.graph;
  auto& a = std::get<OpaqueAttrs>(
      changed.MutableNode(OpaqueNodes(changed)[0]).attrs);
  a.payload += "x";
  EXPECT_NE(StructuralHash(changed), StructuralHash(r.graph));
  EXPECT_FALSE(StructurallyEqual(changed, r.graph));
}

TEST(OnnxOpaque, CostsNothingAndSaysSo) {
  ImportResult r = MustImport(HardmaxTopKModel());
  AnalyticCostModel model;
  absl::StatusOr<GraphCostReport> report = GraphCostDetailed(r.graph, model);
  ASSERT_TRUE(report.ok()) << report.status();
  for (NodeId id : OpaqueNodes(r.graph)) {
    EXPECT_EQ(report->node_ms[id], 0.0);
    EXPECT_EQ(report->node_source[id], "opaque");
  }
  absl::StatusOr<double> ms =
      model.Cost(SignatureOf(r.graph, OpaqueNodes(r.graph)[0]));
  ASSERT_TRUE(ms.ok()) << ms.status();
  EXPECT_EQ(*ms, 0.0);
}

}  // namespace
}  // namespace tsopt::testing

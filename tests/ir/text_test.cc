// The graph text format: exact round trips (text -> graph -> text and
// graph -> text -> graph) for every operator, random graphs, names and
// special float values.
#include "tsopt/ir/text.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <set>

#include "gtest/gtest.h"
#include "tests/ir/random_graph_util.h"
#include "tsopt/ir/builder.h"
#include "tsopt/ir/hash.h"

namespace tsopt {
namespace {

uint32_t Bits(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}

// Same structure (StructurallyEqual), same node names in id order.
void ExpectSameGraph(const Graph& a, const Graph& b) {
  EXPECT_TRUE(StructurallyEqual(a, b));
  ASSERT_EQ(a.num_nodes(), b.num_nodes());
  for (NodeId id = 0; id < a.num_nodes(); ++id) {
    EXPECT_EQ(a.node(id).name, b.node(id).name) << "node " << id;
    EXPECT_EQ(a.node(id).op, b.node(id).op) << "node " << id;
    EXPECT_EQ(a.node(id).inputs, b.node(id).inputs) << "node " << id;
  }
  EXPECT_EQ(a.outputs(), b.outputs());
}

struct OpCase {
  const char* name;
  const char* text;  // canonical: PrintGraph writes exactly this
};

// One canonical graph per operator (several for ops with many attributes).
const OpCase kOpCases[] = {
    {"input", "%x = input {shape=[2,3], name=\"x\"}\nreturn %x\n"},
    {"scalar_input", "%s = input\nreturn %s\n"},
    {"weight", "%w = weight {shape=[2]} data=[0.5, -1.25]\nreturn %w\n"},
    {"symbolic_weight", "%w = weight {shape=[3,1]}\nreturn %w\n"},
    {"conv2d",
     "%x = input {shape=[1,3,8,8], name=\"x\"}\n"
     "%w = weight {shape=[4,3,3,3]}\n"
     "%c = conv2d(%x, %w) {pad=[1,1,1,1], activation=relu} : [1,4,8,8]\n"
     "return %c\n"},
    {"conv2d_grouped_strided",
     "%x = input {shape=[1,4,9,9], name=\"x\"}\n"
     "%w = weight {shape=[8,2,3,3]}\n"
     "%c = conv2d(%x, %w) {stride=[2,2], dilation=[2,1], groups=2} : "
     "[1,8,3,4]\n"
     "return %c\n"},
    {"matmul",
     "%a = input {shape=[5,2,3], name=\"a\"}\n"
     "%b = weight {shape=[3,4]}\n"
     "%m = matmul(%a, %b) {activation=gelu} : [5,2,4]\n"
     "return %m\n"},
    {"add",
     "%a = input {shape=[2,3], name=\"a\"}\n"
     "%b = input {shape=[3], name=\"b\"}\n"
     "%y = add(%a, %b) : [2,3]\n"
     "return %y\n"},
    {"sub",
     "%a = input {shape=[2,1], name=\"a\"}\n"
     "%b = input {shape=[1,3], name=\"b\"}\n"
     "%y = sub(%a, %b) : [2,3]\n"
     "return %y\n"},
    {"mul",
     "%a = input {shape=[4], name=\"a\"}\n"
     "%y = mul(%a, %a) : [4]\n"
     "return %y\n"},
    {"div",
     "%a = input {shape=[4], name=\"a\"}\n"
     "%b = weight {shape=[1]} data=[3]\n"
     "%y = div(%a, %b) : [4]\n"
     "return %y\n"},
    {"scalar_mul",
     "%a = input {shape=[2,2], name=\"a\"}\n"
     "%s = weight data=[0.25]\n"
     "%y = scalar_mul(%a, %s) : [2,2]\n"
     "return %y\n"},
    {"unary",
     "%x = input {shape=[3], name=\"x\"}\n"
     "%1 = relu(%x) : [3]\n"
     "%2 = sigmoid(%1) : [3]\n"
     "%3 = tanh(%2) : [3]\n"
     "%4 = gelu(%3) : [3]\n"
     "%5 = exp(%4) : [3]\n"
     "%6 = sqrt(%5) : [3]\n"
     "%7 = identity(%6) : [3]\n"
     "return %7\n"},
    {"batchnorm",
     "%x = input {shape=[1,2,4,4], name=\"x\"}\n"
     "%g = weight {shape=[2]}\n"
     "%b = weight {shape=[2]}\n"
     "%m = weight {shape=[2]}\n"
     "%v = weight {shape=[2]} data=[1, 2]\n"
     "%y = batchnorm(%x, %g, %b, %m, %v) {epsilon=0.001} : [1,2,4,4]\n"
     "return %y\n"},
    {"layernorm",
     "%x = input {shape=[2,3,4], name=\"x\"}\n"
     "%g = weight {shape=[3,4]}\n"
     "%b = weight {shape=[3,4]}\n"
     "%y = layernorm(%x, %g, %b) {axis=1, epsilon=1e-06} : [2,3,4]\n"
     "return %y\n"},
    {"softmax",
     "%x = input {shape=[2,5], name=\"x\"}\n"
     "%y = softmax(%x) {axis=0} : [2,5]\n"
     "%z = softmax(%y) : [2,5]\n"
     "return %z\n"},
    {"maxpool2d",
     "%x = input {shape=[1,1,5,5], name=\"x\"}\n"
     "%y = maxpool2d(%x) {kernel=[3,3], stride=[2,2], pad=[1,1,1,1]} : "
     "[1,1,3,3]\n"
     "return %y\n"},
    {"avgpool2d",
     "%x = input {shape=[1,1,4,4], name=\"x\"}\n"
     "%y = avgpool2d(%x) {kernel=[2,2], stride=[2,2], count_include_pad=1} "
     ": [1,1,2,2]\n"
     "return %y\n"},
    {"global_avgpool",
     "%x = input {shape=[2,3,4,5], name=\"x\"}\n"
     "%y = global_avgpool(%x) : [2,3,1,1]\n"
     "return %y\n"},
    {"reduce_sum",
     "%x = input {shape=[2,3,4], name=\"x\"}\n"
     "%y = reduce_sum(%x) {axes=[1,-1], keepdims=0} : [2]\n"
     "return %y\n"},
    {"reduce_mean",
     "%x = input {shape=[2,3,4], name=\"x\"}\n"
     "%y = reduce_mean(%x) : [1,1,1]\n"
     "return %y\n"},
    {"concat",
     "%a = input {shape=[2,3], name=\"a\"}\n"
     "%b = input {shape=[2,1], name=\"b\"}\n"
     "%y = concat(%a, %b, %a) {axis=1} : [2,7]\n"
     "return %y\n"},
    {"split",
     "%x = input {shape=[1,4,8,8], name=\"x\"}\n"
     "%s:3 = split(%x) {axis=1, sizes=[1,2,1]} : [1,1,8,8], [1,2,8,8], "
     "[1,1,8,8]\n"
     "%a = add(%s#0, %s#2) : [1,1,8,8]\n"
     "return %a, %s#1\n"},
    {"split_single",
     "%x = input {shape=[4], name=\"x\"}\n"
     "%s = split(%x) {sizes=[4]} : [4]\n"
     "return %s\n"},
    {"reshape",
     "%x = input {shape=[2,3,4], name=\"x\"}\n"
     "%y = reshape(%x) {shape=[6,4]} : [6,4]\n"
     "return %y\n"},
    {"transpose",
     "%x = input {shape=[2,3,4], name=\"x\"}\n"
     "%y = transpose(%x) {perm=[2,0,1]} : [4,2,3]\n"
     "return %y\n"},
    {"flatten",
     "%x = input {shape=[2,3,4], name=\"x\"}\n"
     "%y = flatten(%x) {axis=2} : [6,4]\n"
     "%z = flatten(%x) : [2,12]\n"
     "return %y, %z\n"},
    {"enlarge",
     "%w = weight {shape=[4,3,1,1]}\n"
     "%e = enlarge(%w) : [4,3,3,3]\n"
     "%f = enlarge(%w) {kernel=[5,1]} : [4,3,5,1]\n"
     "return %e, %f\n"},
    {"pad",
     "%x = input {shape=[2,3], name=\"x\"}\n"
     "%y = pad(%x) {pads=[0,1,2,0], value=-1.5} : [4,4]\n"
     "return %y\n"},
    {"slice",
     "%x = input {shape=[6,8], name=\"x\"}\n"
     "%y = slice(%x) {starts=[1,-3], ends=[5,100], axes=[0,1], "
     "steps=[2,1]} : [2,3]\n"
     "return %y\n"},
    {"opaque",
     "%x = input {shape=[2,5], name=\"x\"}\n"
     "%t:2 = opaque(%x) {domain=\"com.example\", op_type=\"TopK\", "
     "output_dtypes=[1,7], output_ranks=[2,2], output_dims=[2,3,2,3], "
     "payload=\"\\001\\\"k\\n\"} : [2,3], [2,3]\n"
     "%r = relu(%t#0) : [2,3]\n"
     "return %r, %t#1\n"},
    {"opaque_no_inputs",
     "%c = opaque {op_type=\"RandomNormal\", output_dtypes=[1], "
     "output_ranks=[0]} : []\n"
     "return %c\n"},
    {"no_outputs", "%x = input {shape=[1], name=\"x\"}\nreturn\n"},
    {"repeated_output",
     "%x = input {shape=[1], name=\"x\"}\n"
     "%r = relu(%x) : [1]\n"
     "return %r, %r, %x\n"},
    {"quoted_and_numeric_labels",
     "%\"x:0\" = input {shape=[2], name=\"x:0\"}\n"
     "%1 = relu(%\"x:0\") : [2]\n"
     "%\"conv/out \\\"a\\\"\" = tanh(%1) : [2]\n"
     "%3 = exp(%\"conv/out \\\"a\\\"\") : [2] name=\"42\"\n"
     "%4 = sqrt(%3) : [2] name=\"dup\"\n"
     "%5 = sqrt(%4) : [2] name=\"dup\"\n"
     "%n.1_b = identity(%5) : [2]\n"
     "return %n.1_b\n"},
};

class OpTextTest : public ::testing::TestWithParam<OpCase> {};

TEST_P(OpTextTest, PrintOfParseIsIdentity) {
  absl::StatusOr<Graph> g = ParseGraph(GetParam().text);
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(PrintGraph(*g), GetParam().text);
}

TEST_P(OpTextTest, ParseOfPrintIsIdentity) {
  absl::StatusOr<Graph> g = ParseGraph(GetParam().text);
  ASSERT_TRUE(g.ok()) << g.status();
  absl::StatusOr<Graph> again = ParseGraph(PrintGraph(*g));
  ASSERT_TRUE(again.ok()) << again.status();
  ExpectSameGraph(*g, *again);
  // Without shapes the text still parses to the same graph.
  PrintOptions no_shapes;
  no_shapes.shapes = false;
  absl::StatusOr<Graph> bare = ParseGraph(PrintGraph(*g, no_shapes));
  ASSERT_TRUE(bare.ok()) << bare.status();
  ExpectSameGraph(*g, *bare);
}

INSTANTIATE_TEST_SUITE_P(
    Ops, OpTextTest, ::testing::ValuesIn(kOpCases),
    [](const ::testing::TestParamInfo<OpCase>& info) {
      return std::string(info.param.name);
    });

TEST(TextTest, OpCasesCoverEveryOperator) {
  std::set<OpKind> seen;
  for (const OpCase& c : kOpCases) {
    absl::StatusOr<Graph> g = ParseGraph(c.text);
    ASSERT_TRUE(g.ok()) << c.name << ": " << g.status();
    for (const Node& n : g->nodes()) seen.insert(n.op);
  }
  for (OpKind op : AllOps()) {
    EXPECT_TRUE(seen.count(op)) << OpName(op) << " has no text case";
  }
}

class RandomGraphTextTest : public ::testing::TestWithParam<int> {};

TEST_P(RandomGraphTextTest, RoundTripsExactly) {
  Graph g = testing::RandomGraph(GetParam(), 24);
  const std::string text = PrintGraph(g);
  absl::StatusOr<Graph> parsed = ParseGraph(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status() << "\n" << text;
  ExpectSameGraph(g, *parsed);
  for (NodeId id = 0; id < g.num_nodes(); ++id) {
    if (g.node(id).weight == nullptr) continue;
    ASSERT_NE(parsed->node(id).weight, nullptr);
    EXPECT_EQ(parsed->node(id).weight->content_hash(),
              g.node(id).weight->content_hash());
  }
  EXPECT_EQ(PrintGraph(*parsed), text);
  EXPECT_EQ(StructuralHash(*parsed), StructuralHash(g));
}

INSTANTIATE_TEST_SUITE_P(Seeds, RandomGraphTextTest, ::testing::Range(0, 8));

TEST(TextTest, BuilderGraphRoundTripsWithWeights) {
  GraphBuilder b(/*seed=*/3);
  ValueId x = b.Input({1, 4, 6, 6}, "x");
  ValueId y = b.Conv2D(x, b.Weight({4, 4, 3, 3}, "w1"),
                       {.stride = {1, 1}, .pad = {1, 1, 1, 1}});
  y = b.BatchNorm(y, b.Constant({4}, 1.0f), b.Weight({4}), b.Weight({4}),
                  b.Constant({4}, 1.0f));
  b.Output(b.Relu(b.Add(y, x)));
  absl::StatusOr<Graph> g = std::move(b).Build();
  ASSERT_TRUE(g.ok()) << g.status();
  absl::StatusOr<Graph> parsed = ParseGraph(PrintGraph(*g));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ExpectSameGraph(*g, *parsed);
  EXPECT_EQ(parsed->node(1).name, "w1");
  EXPECT_EQ(parsed->node(1).weight->values, g->node(1).weight->values);
}

TEST(TextTest, SpecialFloatsRoundTripBitExactly) {
  const float nan_payload = [] {
    uint32_t bits = 0x7fc00123;
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
  }();
  std::vector<float> values = {0.1f,
                               -0.0f,
                               0.0f,
                               std::numeric_limits<float>::infinity(),
                               -std::numeric_limits<float>::infinity(),
                               nan_payload,
                               std::numeric_limits<float>::denorm_min(),
                               std::numeric_limits<float>::max(),
                               std::numeric_limits<float>::lowest(),
                               1.0f / 3.0f,
                               16777217.0f};
  Graph g;
  ValueId w = g.AddWeight({static_cast<int64_t>(values.size())},
                          WeightData::Create(values))
                  .value();
  ASSERT_TRUE(g.MarkOutput(w).ok());
  absl::StatusOr<Graph> parsed = ParseGraph(PrintGraph(g));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const std::vector<float>& back = parsed->node(0).weight->values;
  ASSERT_EQ(back.size(), values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(Bits(back[i]), Bits(values[i])) << "value " << i;
  }
  EXPECT_TRUE(StructurallyEqual(g, *parsed));
}

TEST(TextTest, FloatToTextIsShortAndExact) {
  EXPECT_EQ(FloatToText(0.1f), "0.1");
  EXPECT_EQ(FloatToText(1e-5f), "1e-05");
  EXPECT_EQ(FloatToText(-0.0f), "-0");
  EXPECT_EQ(FloatToText(2.0f), "2");
  EXPECT_EQ(FloatToText(std::numeric_limits<float>::infinity()), "inf");
  EXPECT_EQ(FloatToText(std::nanf("")), "0x7fc00000");
  EXPECT_EQ(FloatToText(16777216.0f), "16777216");
}

TEST(TextTest, AttrsToStringPrintsOnlyNonDefaults) {
  Conv2DAttrs conv;
  EXPECT_EQ(AttrsToString(conv), "");
  conv.groups = 2;
  conv.activation = Activation::kTanh;
  EXPECT_EQ(AttrsToString(conv), "{groups=2, activation=tanh}");
  InputAttrs in;
  in.shape = {1, 2};
  in.name = "a\"b";
  EXPECT_EQ(AttrsToString(in), "{shape=[1,2], name=\"a\\\"b\"}");
  PadAttrs pad;
  pad.value = -0.0f;
  EXPECT_EQ(AttrsToString(pad), "{value=-0}");
  EXPECT_EQ(AttrsToString(NoAttrs{}), "");
}

TEST(TextTest, ElidedDataParsesAsSymbolicWeight) {
  Graph g;
  ValueId w = g.AddWeight({2}, WeightData::Create({1.0f, 2.0f}), "w").value();
  ASSERT_TRUE(g.MarkOutput(w).ok());
  PrintOptions elide;
  elide.weight_data = false;
  const std::string text = PrintGraph(g, elide);
  EXPECT_NE(text.find("data=elided(0x"), std::string::npos) << text;
  absl::StatusOr<Graph> parsed = ParseGraph(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->node(0).weight, nullptr);
  EXPECT_EQ(parsed->shape(parsed->outputs()[0]), Shape({2}));
  EXPECT_FALSE(StructurallyEqual(g, *parsed));
  // The elided hash is the content hash: equal data, equal text.
  Graph same;
  ValueId v =
      same.AddWeight({2}, WeightData::Create({1.0f, 2.0f}), "w").value();
  ASSERT_TRUE(same.MarkOutput(v).ok());
  EXPECT_EQ(PrintGraph(same, elide), text);
}

TEST(TextTest, FreeFormattingAndCommentsParse) {
  absl::StatusOr<Graph> g = ParseGraph(R"(
# leading comment
   %x=input{shape=[1,2,4,4],name="x"}# trailing comment
   %w = weight {
      shape = [2, 2, 1, 1]   # a kernel
   } data = [1, 0,
             0, 1]
   %s:2=split( %x ){ sizes=[1,1], axis=1 }
   %y = Conv2D(%x,%w)  # the table's name works too
   return %y ,%s#1   # done
)");
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(PrintGraph(*g),
            "%x = input {shape=[1,2,4,4], name=\"x\"}\n"
            "%w = weight {shape=[2,2,1,1]} data=[1, 0, 0, 1]\n"
            "%s:2 = split(%x) {axis=1, sizes=[1,1]} : [1,1,4,4], [1,1,4,4]\n"
            "%y = conv2d(%x, %w) : [1,2,4,4]\n"
            "return %y, %s#1\n");
}

TEST(TextTest, NumericLabelsGiveNamelessNodes) {
  absl::StatusOr<Graph> g = ParseGraph(
      "%0 = input {shape=[2], name=\"in\"}\n%7 = relu(%0)\nreturn %7\n");
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(g->node(0).name, "");
  EXPECT_EQ(g->node(1).name, "");
  EXPECT_EQ(std::get<InputAttrs>(g->node(0).attrs).name, "in");
  EXPECT_EQ(PrintGraph(*g),
            "%0 = input {shape=[2], name=\"in\"}\n%1 = relu(%0) : [2]\n"
            "return %1\n");
}

TEST(TextTest, AttributeOrderAndIntegerFloatsAreAccepted) {
  absl::StatusOr<Graph> g = ParseGraph(R"(
    %x = input {name="x", shape=[2,3]}
    %y = pad(%x) {value=2, pads=[0,0,1,1]}
    return %y)");
  ASSERT_TRUE(g.ok()) << g.status();
  const auto& pad = g->node(1).attrs_as<PadAttrs>();
  EXPECT_EQ(pad.value, 2.0f);
  EXPECT_EQ(pad.pads, (std::vector<int64_t>{0, 0, 1, 1}));
  EXPECT_EQ(g->shape(g->outputs()[0]), Shape({3, 4}));
}

}  // namespace
}  // namespace tsopt

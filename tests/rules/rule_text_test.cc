// Tests of the rule text format: parsing, structure, round trip, constants,
// attribute variables, multi-output patterns and instantiation at shapes
// other than the example ones.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tsopt/reference/evaluator.h"
#include "tsopt/rules/rule.h"
#include "tsopt/rules/rule_text.h"

namespace tsopt {
namespace {

using ::testing::HasSubstr;

constexpr char kRules[] = R"((rule matmul-assoc
  (provenance (generator "tsopt-rulegen 1") (ops matmul add) (max-ops 3) (seed 7))
  (status proved)
  (vars (a act [2 3]) (b weight [3 4]) (c weight [4 5]))
  (source (matmul (matmul a b) c))
  (target (matmul a (matmul b c))))

(rule matmul-distrib
  (provenance hand-written)
  (status unverified)
  (vars (a act [2 3]) (b weight [3 4]) (c weight [3 4]))
  (source (add (matmul a b) (matmul a c)))
  (target (matmul a (add b c))))

(rule relu-transpose
  (provenance hand-written "commute")
  (status unknown)
  (vars (x act [2 3]))
  (source (relu (transpose :perm [1 0] x)))
  (target (transpose :perm [1 0] (relu x))))

(rule conv-concat
  (provenance hand-written)
  (status unverified)
  (attr-vars (s [1 1]) (p [0 0 0 0]))
  (vars (x act [1 2 5 5]) (w1 weight [3 2 3 3]) (w2 weight [4 2 3 3]))
  (source (conv2d :stride ?s :pad ?p x w1) (conv2d :stride ?s :pad ?p x w2))
  (target (let y (split :axis 1 :sizes [(dim w1 0) (dim w2 0)] (conv2d :stride ?s :pad ?p x (concat w1 w2)))) y.0 y.1))

(rule matmul-identity
  (provenance hand-written)
  (status refuted)
  (vars (x act [2 3]) (i const identity-matrix (shape (dim x 1) (dim x 1))))
  (source x)
  (target (matmul x i)))

(rule shared-add
  (provenance hand-written)
  (status unverified)
  (vars (x act [2 3]) (s scalar) (two const (fill 2.0) (shape)))
  (source (let t (relu x)) (scalar_mul (add t t) s))
  (target (scalar_mul (relu x) (mul s two))))
)";

std::vector<Rule> ParseOrDie(const std::string& text) {
  absl::StatusOr<std::vector<Rule>> rules = ParseRules(text, "test.rules");
  EXPECT_TRUE(rules.ok()) << rules.status();
  return rules.ok() ? *std::move(rules) : std::vector<Rule>{};
}

TEST(RuleTextTest, ParsesStructure) {
  std::vector<Rule> rules = ParseOrDie(kRules);
  ASSERT_EQ(rules.size(), 6u);
  const Rule& assoc = rules[0];
  EXPECT_EQ(assoc.name, "matmul-assoc");
  EXPECT_EQ(assoc.status, VerificationStatus::kProved);
  EXPECT_FALSE(assoc.provenance.hand_written);
  EXPECT_EQ(assoc.provenance.generator, "tsopt-rulegen 1");
  EXPECT_THAT(assoc.provenance.ops,
              ::testing::ElementsAre("matmul", "add"));
  EXPECT_EQ(assoc.provenance.max_ops, 3);
  EXPECT_EQ(assoc.provenance.seed, 7u);
  // Inputs a b c, then two matmuls.
  ASSERT_EQ(assoc.source.graph.num_nodes(), 5);
  EXPECT_EQ(assoc.source.graph.node(3).op, OpKind::kMatMul);
  EXPECT_EQ(assoc.source.graph.node(4).inputs[0].node, 3);
  EXPECT_EQ(assoc.target.graph.node(3).inputs[0].node, 1);  // matmul b c
  EXPECT_EQ(assoc.RootOp(), OpKind::kMatMul);
  EXPECT_EQ(assoc.source.graph.shape(assoc.source.graph.outputs()[0]),
            Shape({2, 5}));
}

TEST(RuleTextTest, MultiOutputRuleHasTwoOutputsAndDimBindings) {
  std::vector<Rule> rules = ParseOrDie(kRules);
  const Rule& r = rules[3];
  ASSERT_EQ(r.source.graph.outputs().size(), 2u);
  ASSERT_EQ(r.target.graph.outputs().size(), 2u);
  EXPECT_EQ(r.target.graph.shape(r.target.graph.outputs()[1]),
            Shape({1, 4, 3, 3}));
  // stride and pad bound to ?s ?p on both convs of the source.
  int bound = 0;
  for (const AttrBinding& b : r.source.bindings) {
    bound += b.attr_var == "s" || b.attr_var == "p";
  }
  EXPECT_EQ(bound, 4);
  bool has_split_sizes = false;
  for (const AttrBinding& b : r.target.bindings) {
    if (b.field == "sizes") {
      has_split_sizes = true;
      EXPECT_TRUE(b.is_list);
      EXPECT_EQ(b.dims[0], DimExpr::Dim("w1", 0));
    }
  }
  EXPECT_TRUE(has_split_sizes);
}

TEST(RuleTextTest, RoundTripIsExact) {
  std::vector<Rule> rules = ParseOrDie(kRules);
  std::string printed = PrintRules(rules, {"header line"});
  std::vector<Rule> again = ParseOrDie(printed);
  ASSERT_EQ(again.size(), rules.size());
  EXPECT_EQ(PrintRules(again, {"header line"}), printed);
  // The canonical text of a rule is what the test wrote (modulo layout).
  EXPECT_THAT(printed, HasSubstr("(source (matmul (matmul a b) c))"));
  EXPECT_THAT(printed, HasSubstr("(target (let y (split :axis 1 :sizes "
                                 "[(dim w1 0) (dim w2 0)] (conv2d :stride ?s "
                                 ":pad ?p x (concat w1 w2)))) y.0 y.1)"));
  EXPECT_THAT(printed, HasSubstr("(source (let t (relu x)) (scalar_mul (add t t) s))"));
  EXPECT_THAT(printed, HasSubstr("(i const identity-matrix (shape (dim x 1) "
                                 "(dim x 1)))"));
  EXPECT_THAT(printed, HasSubstr("; header line\n"));
}

TEST(RuleTextTest, ConstantIsMadeAtItsShape) {
  std::vector<Rule> rules = ParseOrDie(kRules);
  const Rule& r = rules[4];
  const Graph& t = r.target.graph;
  const Node& weight = t.node(t.num_nodes() - 2);
  ASSERT_EQ(weight.op, OpKind::kWeight);
  ASSERT_NE(weight.weight, nullptr);
  EXPECT_EQ(weight.weight->values,
            std::vector<float>({1, 0, 0, 0, 1, 0, 0, 0, 1}));
  EXPECT_FALSE(r.RootOp().has_value());
}

TEST(RuleTextTest, InstantiatesAtOtherShapes) {
  std::vector<Rule> rules = ParseOrDie(kRules);
  const Rule& r = rules[3];
  RuleBinding b;
  b.shapes["x"] = Shape({2, 3, 9, 9});
  b.shapes["w1"] = Shape({5, 3, 3, 3});
  b.shapes["w2"] = Shape({6, 3, 3, 3});
  b.attr_vars["s"] = std::vector<int64_t>{2, 2};
  absl::StatusOr<Graph> g = Instantiate(r, r.target, b);
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(g->shape(g->outputs()[0]), Shape({2, 5, 4, 4}));
  EXPECT_EQ(g->shape(g->outputs()[1]), Shape({2, 6, 4, 4}));
  // Kernels of different sizes cannot be concatenated: the match is refused.
  b.shapes["w2"] = Shape({6, 3, 1, 1});
  EXPECT_FALSE(Instantiate(r, r.target, b).ok());
}

TEST(RuleTextTest, RuleSetIndexesByRootOp) {
  absl::StatusOr<RuleSet> set = RuleSet::Create(ParseOrDie(kRules));
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->size(), 6);
  EXPECT_THAT(set->RulesWithRoot(OpKind::kMatMul), ::testing::ElementsAre(0));
  EXPECT_THAT(set->RulesWithRoot(OpKind::kAdd), ::testing::ElementsAre(1));
  EXPECT_THAT(set->RulesWithRoot(OpKind::kConv2D), ::testing::ElementsAre(3));
  EXPECT_THAT(set->RulesWithRoot(OpKind::kScalarMul),
              ::testing::ElementsAre(5));
  EXPECT_THAT(set->RulesWithVariableRoot(), ::testing::ElementsAre(4));
  ASSERT_NE(set->Find("relu-transpose"), nullptr);
  EXPECT_EQ(set->Find("nope"), nullptr);
}

TEST(RuleTextTest, RuleSetRefusesDuplicateNames) {
  std::vector<Rule> rules = ParseOrDie(kRules);
  rules.push_back(rules[0]);
  absl::StatusOr<RuleSet> set = RuleSet::Create(std::move(rules));
  ASSERT_FALSE(set.ok());
  EXPECT_THAT(set.status().message(), HasSubstr("matmul-assoc"));
}

TEST(RuleTextTest, ShippedHandWrittenRulesLoadAndRoundTrip) {
  absl::StatusOr<std::vector<Rule>> rules =
      LoadRuleFile(std::string(TSOPT_RULES_DIR) + "/taso_handwritten.rules");
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_GE(rules->size(), 5u);
  std::string printed = PrintRules(*rules);
  EXPECT_EQ(PrintRules(ParseOrDie(printed)), printed);
  for (const Rule& r : *rules) EXPECT_TRUE(r.provenance.hand_written);
}

TEST(RuleTextTest, FoldConvBatchnormInstantiatesWithOtherEpsilon) {
  absl::StatusOr<std::vector<Rule>> rules =
      LoadRuleFile(std::string(TSOPT_RULES_DIR) + "/taso_handwritten.rules");
  ASSERT_TRUE(rules.ok()) << rules.status();
  const Rule& r = (*rules)[0];
  ASSERT_EQ(r.name, "fold-conv-batchnorm");
  RuleBinding b = ExampleBinding(r);
  b.attr_vars["eps"] = 0.5f;
  absl::StatusOr<Graph> g = Instantiate(r, r.target, b);
  ASSERT_TRUE(g.ok()) << g.status();
  bool found = false;
  for (const Node& n : g->nodes()) {
    if (n.op == OpKind::kWeight) {
      found = true;
      EXPECT_EQ(n.weight->values, std::vector<float>({0.5f}));
    }
  }
  EXPECT_TRUE(found);
}

// Both sides of every hand-written rule compute the same values (float32,
// inputs in [0.5, 1.5) so that batchnorm's variance is positive), at the
// example shapes and at a second binding with other strides.
TEST(RuleTextTest, HandWrittenRulesHoldNumerically) {
  absl::StatusOr<std::vector<Rule>> rules =
      LoadRuleFile(std::string(TSOPT_RULES_DIR) + "/taso_handwritten.rules");
  ASSERT_TRUE(rules.ok()) << rules.status();
  for (const Rule& r : *rules) {
    for (bool strided : {false, true}) {
      RuleBinding b = ExampleBinding(r);
      if (strided) {
        if (!b.attr_vars.count("s")) continue;
        b.attr_vars["s"] = std::vector<int64_t>{2, 2};
      }
      absl::StatusOr<Graph> src = Instantiate(r, r.source, b);
      absl::StatusOr<Graph> tgt = Instantiate(r, r.target, b);
      ASSERT_TRUE(src.ok() && tgt.ok()) << r.name;
      std::vector<Tensor> inputs;
      uint64_t seed = 5;
      for (NodeId id : src->InputNodes()) {
        inputs.push_back(
            Tensor::Random(src->node(id).output_shapes[0], ++seed, 0.5f, 1.5f));
      }
      absl::StatusOr<std::vector<Tensor>> a = Evaluate(*src, inputs);
      absl::StatusOr<std::vector<Tensor>> c = Evaluate(*tgt, inputs);
      ASSERT_TRUE(a.ok()) << r.name << ": " << a.status();
      ASSERT_TRUE(c.ok()) << r.name << ": " << c.status();
      ASSERT_EQ(a->size(), c->size());
      for (size_t i = 0; i < a->size(); ++i) {
        ASSERT_EQ((*a)[i].shape, (*c)[i].shape) << r.name;
        for (size_t k = 0; k < (*a)[i].data.size(); ++k) {
          EXPECT_NEAR((*a)[i].data[k], (*c)[i].data[k],
                      1e-4 * (1 + std::abs((*a)[i].data[k])))
              << r.name << " output " << i << " element " << k;
        }
      }
    }
  }
}

TEST(RuleTextTest, ShippedDefaultRulesLoadIntoARuleSet) {
  absl::StatusOr<RuleSet> set =
      LoadRuleSet(std::string(TSOPT_RULES_DIR) + "/default.rules");
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_GT(set->size(), 100);
  EXPECT_FALSE(set->RulesWithRoot(OpKind::kMatMul).empty());
  EXPECT_FALSE(set->RulesWithRoot(OpKind::kConv2D).empty());
}

}  // namespace
}  // namespace tsopt

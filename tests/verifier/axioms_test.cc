// The axioms: they parse, each one holds on concrete tensors, every
// operator of the generator and of rules/ is covered, and deliberately wrong
// axioms are caught by the self-check.
#include "tsopt/verifier/axioms.h"

#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/verifier/verifier_test_util.h"
#include "tsopt/rules/rule_text.h"

namespace tsopt {
namespace {

using ::tsopt::testing::ParseOrDie;

std::vector<Rule> Axioms() {
  absl::StatusOr<std::vector<Rule>> axioms = OperatorAxioms();
  EXPECT_TRUE(axioms.ok()) << axioms.status();
  return axioms.ok() ? *axioms : std::vector<Rule>{};
}

std::set<std::string> OpsOf(const Rule& r) {
  std::set<std::string> ops;
  for (const Pattern* p : {&r.source, &r.target}) {
    for (const Node& n : p->graph.nodes()) {
      if (n.op != OpKind::kInput && n.op != OpKind::kWeight) {
        ops.insert(std::string(OpMnemonic(n.op)));
      }
    }
  }
  return ops;
}

TEST(AxiomsTest, EveryAxiomHoldsOnConcreteTensors) {
  std::vector<Rule> axioms = Axioms();
  ASSERT_GE(axioms.size(), 43u);  // TASO had 43
  absl::StatusOr<AxiomCheckReport> r = CheckAxioms(axioms);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->failures, ::testing::IsEmpty());
  EXPECT_EQ(r->axioms, static_cast<int>(axioms.size()));
  // Several shapes and attribute values per axiom on average.
  EXPECT_GE(r->instances, 4 * r->axioms);
}

TEST(AxiomsTest, CoverTheGeneratorsAndHandWrittenOperators) {
  std::set<std::string> covered;
  for (const Rule& a : Axioms()) {
    for (const std::string& op : OpsOf(a)) covered.insert(op);
  }
  // Every operator the rule generator enumerates.
  for (const char* op :
       {"conv2d", "matmul", "add", "mul", "scalar_mul", "relu", "sigmoid",
        "tanh", "identity", "transpose", "concat", "split", "enlarge",
        "avgpool2d", "maxpool2d"}) {
    EXPECT_TRUE(covered.count(op)) << op;
  }
  // Every operator of the hand-written rules.
  absl::StatusOr<std::vector<Rule>> hand =
      LoadRuleFile(std::string(TSOPT_RULES_DIR) + "/taso_handwritten.rules");
  ASSERT_TRUE(hand.ok()) << hand.status();
  for (const Rule& r : *hand) {
    for (const std::string& op : OpsOf(r)) {
      EXPECT_TRUE(covered.count(op)) << op << " (rule " << r.name << ")";
    }
  }
}

TEST(AxiomsTest, WrongAxiomsAreCaught) {
  std::vector<Rule> wrong = ParseOrDie(R"(
(rule relu-add (provenance hand-written "wrong")
  (vars (x act [2 3]) (y act [2 3]))
  (source (relu (add x y))) (target (add (relu x) (relu y))))
(rule matmul-transpose-same-order (provenance hand-written "wrong")
  (vars (a act [3 3]) (b act [3 3]))
  (source (transpose :perm [1 0] (matmul a b)))
  (target (matmul (transpose :perm [1 0] a) (transpose :perm [1 0] b))))
(rule split-concat-returns-second (provenance hand-written "wrong")
  (attr-vars (a 0) (sz [2 2]))
  (vars (x act [2 3]) (y act [2 3]))
  (source (let t (split :axis ?a :sizes ?sz (concat :axis ?a x y))) t.0)
  (target y))
(rule maxpool-concat-any-axis (provenance hand-written "wrong: axis 2 and 3")
  (attr-vars (a 1))
  (vars (x act [1 2 4 4]) (y act [1 2 4 4]))
  (source (maxpool2d :kernel [3 3] :pad [1 1 1 1] (concat :axis ?a x y)))
  (target (concat :axis ?a (maxpool2d :kernel [3 3] :pad [1 1 1 1] x) (maxpool2d :kernel [3 3] :pad [1 1 1 1] y))))
(rule conv-add-kernel-typo (provenance hand-written "wrong: w1 twice")
  (attr-vars (s [1 1]) (p [1 1 1 1]))
  (vars (x act [1 2 4 4]) (w1 weight [3 2 3 3]) (w2 weight [3 2 3 3]))
  (source (conv2d :stride ?s :pad ?p x (add w1 w2)))
  (target (add (conv2d :stride ?s :pad ?p x w1) (conv2d :stride ?s :pad ?p x w1)))))");
  ASSERT_EQ(wrong.size(), 5u);
  std::vector<Rule> axioms = Axioms();
  axioms.insert(axioms.end(), wrong.begin(), wrong.end());
  absl::StatusOr<AxiomCheckReport> r = CheckAxioms(axioms);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->failures.size(), wrong.size()) << ::testing::PrintToString(
      r->failures);
  for (size_t i = 0; i < wrong.size(); ++i) {
    EXPECT_THAT(r->failures[i], ::testing::StartsWith(wrong[i].name + ":"));
  }
}

}  // namespace
}  // namespace tsopt

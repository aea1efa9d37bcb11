// Output symmetries: parallel merges are symmetric in their two outputs;
// patterns whose outputs differ (kernel sizes, pads, attribute variables,
// one-sided `where` constraints) are not.
#include "tsopt/search/rule_symmetry.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/search/search_test_util.h"

namespace tsopt {
namespace {

using testing_util::kTestRules;
using testing_util::RulesFromText;

using Perms = std::vector<std::vector<int>>;

Perms SymmetriesOf(const std::string& rules_text, const std::string& name) {
  absl::StatusOr<RuleSet> rules = RulesFromText(rules_text);
  EXPECT_TRUE(rules.ok()) << rules.status();
  if (!rules.ok()) return {};
  const Rule* r = rules->Find(name);
  EXPECT_NE(r, nullptr) << name;
  return r == nullptr ? Perms{} : OutputSymmetries(*r);
}

TEST(RuleSymmetryTest, ParallelMergesSwapTheirOutputs) {
  EXPECT_EQ(SymmetriesOf(kTestRules, "merge-convs"), (Perms{{1, 0}}));
  EXPECT_EQ(SymmetriesOf(kTestRules, "merge-matmuls"), (Perms{{1, 0}}));
}

TEST(RuleSymmetryTest, DifferentOutputsAreNotSymmetric) {
  EXPECT_TRUE(SymmetriesOf(kTestRules, "merge-conv1x1-conv3x3").empty());
  EXPECT_TRUE(SymmetriesOf(kTestRules, "fuse-conv-relu").empty());
  EXPECT_TRUE(SymmetriesOf(kTestRules, "concat-split-cancel").empty());
}

const char kMoreRules[] = R"(
(rule merge-three-matmuls
  (provenance hand-written)
  (status unverified)
  (vars (x act [2 3]) (w1 weight [3 4]) (w2 weight [3 5]) (w3 weight [3 6]))
  (source (matmul x w1) (matmul x w2) (matmul x w3))
  (target (let y (split :axis -1 :sizes [(dim w1 1) (dim w2 1) (dim w3 1)]
                   (matmul x (concat :axis 1 w1 w2 w3))))
          y.0 y.1 y.2))

(rule merge-matmuls-one-narrow
  (provenance hand-written)
  (status unverified)
  (vars (x act [2 3]) (w1 weight [3 4]) (w2 weight [3 5]))
  (where (= (dim w1 1) 4))
  (source (matmul x w1) (matmul x w2))
  (target (let y (split :axis -1 :sizes [(dim w1 1) (dim w2 1)]
                   (matmul x (concat :axis 1 w1 w2))))
          y.0 y.1))

(rule merge-convs-two-strides
  (provenance hand-written)
  (status unverified)
  (attr-vars (s [1 1]) (t [1 1]))
  (vars (x act [1 2 5 5]) (w1 weight [3 2 1 1]) (w2 weight [4 2 1 1]))
  (source (conv2d :stride ?s x w1) (conv2d :stride ?t x w2))
  (target (conv2d :stride ?s x w1) (conv2d :stride ?t x w2)))
)";

TEST(RuleSymmetryTest, EveryPermutationOfThreeParallelMatmuls) {
  EXPECT_EQ(SymmetriesOf(kMoreRules, "merge-three-matmuls").size(), 5u);
}

TEST(RuleSymmetryTest, OneSidedConstraintOrAttributeBreaksTheSymmetry) {
  EXPECT_TRUE(SymmetriesOf(kMoreRules, "merge-matmuls-one-narrow").empty());
  EXPECT_TRUE(SymmetriesOf(kMoreRules, "merge-convs-two-strides").empty());
}

}  // namespace
}  // namespace tsopt

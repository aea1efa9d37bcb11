// Tests of the rule generator: known rules appear, false candidates never
// survive the float confirmation, sharded runs merge to the unsharded
// result, and results do not depend on the thread count.
#include <regex>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tsopt/reference/evaluator.h"
#include "tsopt/rulegen/generator.h"
#include "tsopt/rules/rule_text.h"

namespace tsopt {
namespace {

std::vector<Rule> Generate(std::vector<std::string> ops, int max_ops,
                           GeneratorStats* stats = nullptr, int threads = 2) {
  GeneratorOptions o;
  o.ops = std::move(ops);
  o.max_ops = max_ops;
  o.threads = threads;
  absl::StatusOr<GeneratorResult> r = GenerateRules(o);
  EXPECT_TRUE(r.ok()) << r.status();
  if (!r.ok()) return {};
  if (stats != nullptr) *stats = r->stats;
  return FinalizeRules(std::move(r->rules), stats);
}

// "(source ...)\n(target ...)" of a rule, for regular expressions.
std::string Patterns(const Rule& r) {
  std::string text = PrintRule(r);
  return text.substr(text.find("  (source"));
}

int CountMatching(const std::vector<Rule>& rules, const std::string& re) {
  std::regex pattern(re);
  int n = 0;
  for (const Rule& r : rules) n += std::regex_search(Patterns(r), pattern);
  return n;
}

TEST(GeneratorTest, FindsMatmulAssociativity) {
  std::vector<Rule> rules = Generate({"matmul"}, 2);
  EXPECT_GE(CountMatching(rules,
                          R"(\(source \(matmul \(matmul (\w+) (\w+)\) (\w+)\)\)\n)"
                          R"(  \(target \(matmul \1 \(matmul \2 \3\)\)\))"),
            1);
}

TEST(GeneratorTest, FindsDistributivityOfMatmulOverAdd) {
  std::vector<Rule> rules = Generate({"matmul", "add"}, 3);
  EXPECT_GE(CountMatching(
                rules,
                R"(\(source \(add \(matmul (\w+) (\w+)\) \(matmul \1 (\w+)\)\)\)\n)"
                R"(  \(target \(matmul \1 \(add (\2 \3|\3 \2)\)\)\))"),
            1);
}

TEST(GeneratorTest, FindsReluTransposeCommute) {
  std::vector<Rule> rules = Generate({"relu", "transpose"}, 2);
  EXPECT_GE(CountMatching(rules,
                          R"(\(source \(relu \(transpose :perm \[1 0\] (\w+)\)\)\)\n)"
                          R"(  \(target \(transpose :perm \[1 0\] \(relu \1\)\)\))"),
            1);
}

TEST(GeneratorTest, FindsConvReluFusion) {
  std::vector<Rule> rules = Generate({"conv2d", "relu"}, 2);
  EXPECT_GE(CountMatching(rules,
                          R"(\(source \(relu \(conv2d (\w+) (\w+)\)\)\)\n)"
                          R"(  \(target \(conv2d :activation relu \1 \2\)\))"),
            1);
}

TEST(GeneratorTest, FindsMultiOutputConvConcat) {
  std::vector<Rule> rules = Generate({"conv2d", "concat", "split"}, 3);
  // Two convs of one input = one conv over concatenated kernels, split.
  EXPECT_GE(
      CountMatching(
          rules,
          R"(\(source \(conv2d ((?::activation relu )?)(\w+) (\w+)\) )"
          R"(\(conv2d \1\2 (\w+)\)\)\n)"
          R"(  \(target \(let (\w+) \(split :axis 1 )"
          R"(:sizes \[\(dim \w+ 0\) \(dim \w+ 0\)\] )"
          R"(\(conv2d \1\2 \(concat (\3 \4|\4 \3)\)\)\)\) \5\.[01] \5\.[01]\))"),
      1);
}

// Every emitted rule holds in float32 on fresh random inputs.
void ExpectAllRulesHold(const std::vector<Rule>& rules) {
  for (const Rule& r : rules) {
    std::vector<Tensor> inputs;
    uint64_t seed = 99;
    for (NodeId id : r.source.graph.InputNodes()) {
      inputs.push_back(Tensor::Random(r.source.graph.node(id).output_shapes[0],
                                      ++seed));
    }
    absl::StatusOr<std::vector<Tensor>> a = Evaluate(r.source.graph, inputs);
    absl::StatusOr<std::vector<Tensor>> b = Evaluate(r.target.graph, inputs);
    ASSERT_TRUE(a.ok() && b.ok()) << r.name;
    ASSERT_EQ(a->size(), b->size());
    for (size_t i = 0; i < a->size(); ++i) {
      ASSERT_EQ((*a)[i].shape, (*b)[i].shape) << r.name;
      for (size_t k = 0; k < (*a)[i].data.size(); ++k) {
        float x = (*a)[i].data[k], y = (*b)[i].data[k];
        ASSERT_NEAR(x, y, 1e-3 * (1 + std::max(std::abs(x), std::abs(y))))
            << r.name;
      }
    }
  }
}

TEST(GeneratorTest, ImpliedReassociationsArePruned) {
  GeneratorStats stats;
  std::vector<Rule> rules = Generate({"matmul", "relu"}, 3, &stats);
  // Associativity itself stays ...
  EXPECT_GE(CountMatching(rules,
                          R"(\(source \(matmul \(matmul (\w+) (\w+)\) (\w+)\)\)\n)"
                          R"(  \(target \(matmul \1 \(matmul \2 \3\)\)\))"),
            1);
  // ... but the 4-matrix reassociations (3 plain matmuls a side) follow
  // from it applied twice, and relu over a reassociation from it and
  // congruence.
  int four_matrix = 0;
  for (const Rule& r : rules) {
    const std::string p = Patterns(r);
    int matmuls = 0;
    for (size_t k = p.find("(matmul"); k != std::string::npos;
         k = p.find("(matmul", k + 1)) {
      ++matmuls;
    }
    four_matrix += matmuls == 6 && p.find("relu") == std::string::npos &&
                   p.find("idm") == std::string::npos;
  }
  EXPECT_EQ(four_matrix, 0);
  EXPECT_EQ(CountMatching(rules,
                          R"(\(source \(relu \(matmul \(matmul \w+ \w+\) \w+\)\)\)\n)"
                          R"(  \(target \(relu \(matmul \w+ \(matmul)"),
            0);
  EXPECT_GT(stats.pruned_congruence, 0);
  EXPECT_GT(stats.pruned_common_subgraph, 0);
}

TEST(GeneratorTest, DetoursAreRulesButNotExtended) {
  GeneratorStats stats;
  std::vector<Rule> rules = Generate({"matmul", "transpose"}, 3, &stats);
  // matmul(a, idm) = a is found ...
  EXPECT_GE(CountMatching(rules, R"(\(source \(matmul (\w+) idm\)\)\n  \(target \1\))"),
            1);
  // ... and no rule builds on it or on transpose(transpose(a)) = a.
  EXPECT_EQ(CountMatching(rules, R"(\((?!source|target|let)\w+[^\n]*\(matmul \w+ idm\))"), 0);
  EXPECT_EQ(CountMatching(rules, R"(\((?!source|target|let)\w+[^\n]*)"
                                 R"(\(transpose :perm \[1 0\] )"
                                 R"(\(transpose :perm \[1 0\])"),
            0);
  EXPECT_GT(stats.redundant_not_extended, 0);
  EXPECT_GT(stats.pruned_detour + stats.pruned_output_wise, 0);
  ExpectAllRulesHold(rules);
}

TEST(GeneratorTest, FalseCandidatesNeverSurviveFloatConfirmation) {
  GeneratorOptions o;
  o.ops = {"matmul", "add", "relu", "transpose"};
  o.max_ops = 2;
  o.bucket_bits = 3;  // almost every graph collides with unrelated ones
  absl::StatusOr<GeneratorResult> r = GenerateRules(o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_GT(r->stats.refuted_by_float, 100);
  ExpectAllRulesHold(r->rules);
}

TEST(GeneratorTest, GeneratedRulesHoldOnFreshInputs) {
  ExpectAllRulesHold(Generate({"matmul", "add", "relu"}, 2));
}

TEST(GeneratorTest, ShardedRunsMergeToTheUnshardedResultByteForByte) {
  GeneratorOptions o;
  o.ops = {"matmul", "add", "relu", "transpose"};
  o.max_ops = 2;
  absl::StatusOr<GeneratorResult> whole = GenerateRules(o);
  ASSERT_TRUE(whole.ok()) << whole.status();
  const std::string expected = PrintRules(FinalizeRules(whole->rules));
  std::vector<Rule> union_of_shards;
  for (int k = 0; k < 3; ++k) {
    o.shard_index = k;
    o.shard_count = 3;
    absl::StatusOr<GeneratorResult> shard = GenerateRules(o);
    ASSERT_TRUE(shard.ok()) << shard.status();
    EXPECT_LT(shard->rules.size(), whole->rules.size());
    // Through the text format, as merge-rules reads shard files.
    absl::StatusOr<std::vector<Rule>> reread =
        ParseRules(PrintRules(shard->rules), "shard");
    ASSERT_TRUE(reread.ok()) << reread.status();
    for (Rule& rule : *reread) union_of_shards.push_back(std::move(rule));
  }
  EXPECT_EQ(PrintRules(FinalizeRules(std::move(union_of_shards))), expected);
}

TEST(GeneratorTest, DeterministicAcrossThreadCounts) {
  std::vector<Rule> one = Generate({"conv2d", "relu", "add"}, 2, nullptr, 1);
  std::vector<Rule> two = Generate({"conv2d", "relu", "add"}, 2, nullptr, 2);
  ASSERT_FALSE(one.empty());
  EXPECT_EQ(PrintRules(one), PrintRules(two));
}

TEST(GeneratorTest, ReportsCountsPerStep) {
  GeneratorStats stats;
  std::vector<Rule> rules = Generate({"matmul", "add"}, 2, &stats);
  EXPECT_GT(stats.graphs, 0);
  EXPECT_GT(stats.duplicate_graphs, 0);
  EXPECT_GT(stats.candidate_pairs, 0);
  EXPECT_EQ(stats.rules, static_cast<int64_t>(rules.size()));
  EXPECT_EQ(stats.rules_before_renaming - stats.pruned_renaming, stats.rules);
}

TEST(GeneratorTest, ReportsProgressOfBothPhases) {
  GeneratorOptions o;
  o.ops = {"matmul", "add", "relu"};
  o.max_ops = 3;
  o.progress_interval_seconds = 0;  // every unit
  std::vector<GeneratorProgress> reports;
  o.progress = [&](const GeneratorProgress& p) { reports.push_back(p); };
  absl::StatusOr<GeneratorResult> r = GenerateRules(o);
  ASSERT_TRUE(r.ok()) << r.status();
  using Phase = GeneratorProgress::Phase;
  int64_t last_done[2] = {0, 0};
  for (const GeneratorProgress& p : reports) {
    const int phase = p.phase == Phase::kEnumerate ? 0 : 1;
    EXPECT_EQ(p.done, last_done[phase] + 1) << "one report per unit, in order";
    EXPECT_LE(p.done, p.total);
    last_done[phase] = p.done;
    if (p.phase == Phase::kConfirm) {
      EXPECT_EQ(p.total, r->stats.buckets_shared);
      EXPECT_EQ(p.graphs, r->stats.graphs);
    }
  }
  ASSERT_FALSE(reports.empty());
  EXPECT_EQ(reports.front().phase, Phase::kEnumerate);
  EXPECT_EQ(last_done[0], reports.front().total) << "every branch reported";
  EXPECT_EQ(reports.back().phase, Phase::kConfirm);
  EXPECT_EQ(last_done[1], r->stats.buckets_shared);
}

TEST(GeneratorTest, ProvenanceNamesTheRun) {
  std::vector<Rule> rules = Generate({"relu", "transpose"}, 2);
  ASSERT_FALSE(rules.empty());
  const Provenance& p = rules[0].provenance;
  EXPECT_EQ(p.generator, kGeneratorVersion);
  EXPECT_THAT(p.ops, ::testing::ElementsAre("relu", "transpose"));
  EXPECT_EQ(p.max_ops, 2);
  EXPECT_EQ(p.seed, 1u);
  EXPECT_TRUE(RuleSet::Create(rules).ok());
}

}  // namespace
}  // namespace tsopt

// Incremental matching must find exactly what matching from scratch finds:
// on seeded random walks through the rewrites of the test models (test
// rules plus the shipped ones), for every rewrite on the way, the matches
// of the rewritten graph found with PlanRematch's reuse equal
// Matcher::FindAll's, in the same order, field by field; walks go several
// rewrites deep, each step reusing the previous step's incremental
// matches. Edge cases: a rewrite that replaces a graph output, one that
// drops nodes, one that flips the weight-only status of a node far below.
#include "tsopt/search/incremental_match.h"

#include <map>
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "tests/search/search_test_util.h"
#include "tsopt/models/models.h"
#include "tsopt/optimize.h"
#include "tsopt/search/rewrite.h"

namespace tsopt {
namespace {

using testing_util::GraphWithData;
using testing_util::kTestRules;
using testing_util::RulesFromText;

// The test rules plus the shipped ones (unverified included).
const RuleSet& AllRules() {
  static const RuleSet* rules = [] {
    absl::StatusOr<RuleSet> test = RulesFromText(kTestRules);
    std::vector<Rule> all(test->rules().begin(), test->rules().end());
    absl::StatusOr<std::string> dir = DefaultRulesDir();
    absl::StatusOr<RuleSet> shipped =
        LoadRulesForSearch(*dir, /*allow_unverified=*/true, nullptr);
    for (const Rule& r : shipped->rules()) {
      if (test->Find(r.name) == nullptr) all.push_back(r);
    }
    return new RuleSet(*RuleSet::Create(std::move(all)));
  }();
  return *rules;
}

void ExpectSameMatches(const RuleSet& rules, const std::vector<Match>& got,
                       const std::vector<Match>& want,
                       const std::string& where) {
  if (got.size() != want.size()) {
    std::map<std::string, int> diff;  // rule -> got minus want
    for (const Match& m : got) ++diff[rules.rules()[m.rule_index].name];
    for (const Match& m : want) --diff[rules.rules()[m.rule_index].name];
    std::string rules_off;
    for (const auto& [name, d] : diff) {
      if (d != 0) rules_off += " " + name + " " + std::to_string(d);
    }
    FAIL() << where << ": " << got.size() << " matches, want " << want.size()
           << ";" << rules_off;
  }
  for (size_t i = 0; i < got.size(); ++i) {
    const Match& a = got[i];
    const Match& b = want[i];
    std::string at = where + ", match " + std::to_string(i) + " (rule " +
                     rules.rules()[b.rule_index].name + ")";
    ASSERT_EQ(a.rule_index, b.rule_index) << at;
    EXPECT_EQ(a.nodes, b.nodes) << at;
    EXPECT_EQ(a.vars, b.vars) << at;
    EXPECT_EQ(a.outputs, b.outputs) << at;
    EXPECT_EQ(a.binding.shapes, b.binding.shapes) << at;
    EXPECT_TRUE(a.binding.attr_vars == b.binding.attr_vars) << at;
  }
}

struct Tally {
  int rewrites = 0;   // rewritten graphs whose matches were compared
  int reused = 0;     // matches carried over from the parent
  int rematched = 0;  // roots matched again
  int nodes = 0;      // nodes of the rewritten graphs
};

// Applies up to `limit` of `matches` (spread evenly) to `g`, comparing the
// incremental matches of each result with FindAll's; returns the results
// and their matches.
std::vector<std::pair<Graph, std::vector<Match>>> CheckRewrites(
    const Graph& g, const std::vector<Match>& matches, const Matcher& matcher,
    int limit, Tally* tally) {
  std::vector<std::pair<Graph, std::vector<Match>>> results;
  size_t step = std::max<size_t>(1, matches.size() / limit);
  for (size_t i = 0; i < matches.size(); i += step) {
    const Match& m = matches[i];
    const Rule& rule = matcher.rules().rules()[m.rule_index];
    std::vector<NodeId> kept;
    absl::StatusOr<Graph> built = ApplyMatch(g, rule, m, false, nullptr, &kept);
    if (!built.ok()) continue;
    EXPECT_EQ(kept.size(), static_cast<size_t>(g.num_nodes()));
    MatchContext ctx(*built);
    MatchReuse reuse = PlanRematch(matcher, ctx, g, matches, kept);
    std::vector<Match> incremental = matcher.FindAll(ctx, &reuse);
    ExpectSameMatches(matcher.rules(), incremental, matcher.FindAll(ctx),
                      "after " + rule.name + " at match " + std::to_string(i));
    ++tally->rewrites;
    tally->reused += static_cast<int>(reuse.reused.size());
    tally->rematched += static_cast<int>(reuse.roots.size());
    tally->nodes += built->num_nodes();
    results.emplace_back(*std::move(built), std::move(incremental));
  }
  return results;
}

Tally RandomWalk(const Graph& start, int steps, uint64_t seed) {
  const Matcher matcher(AllRules());
  std::mt19937_64 rng(seed);
  Graph g = start;
  std::vector<Match> matches = matcher.FindAll(MatchContext(g));
  Tally tally;
  for (int s = 0; s < steps; ++s) {
    auto next = CheckRewrites(g, matches, matcher, 40, &tally);
    if (next.empty()) break;
    auto& [graph, graph_matches] = next[rng() % next.size()];
    g = std::move(graph);
    matches = std::move(graph_matches);
  }
  return tally;
}

struct WalkCase {
  const char* model;
  ModelOptions options;
};

class IncrementalMatchModelTest : public ::testing::TestWithParam<WalkCase> {
};

TEST_P(IncrementalMatchModelTest, SameMatchesAsFromScratch) {
  absl::StatusOr<Graph> g = BuildModel(GetParam().model, GetParam().options);
  ASSERT_TRUE(g.ok()) << g.status();
  Tally total;
  for (uint64_t seed : {1, 2}) {
    Tally t = RandomWalk(*g, 5, seed);
    total.rewrites += t.rewrites;
    total.reused += t.reused;
    total.rematched += t.rematched;
    total.nodes += t.nodes;
  }
  EXPECT_GE(total.rewrites, 10);
  // The reuse does the work: most roots are not matched again.
  EXPECT_GT(total.reused, 0);
  EXPECT_LT(total.rematched, total.nodes);
}

INSTANTIATE_TEST_SUITE_P(
    Models, IncrementalMatchModelTest,
    ::testing::Values(WalkCase{"resnext_block", {.image_size = 8}},
                      WalkCase{"nasnet_cell", {.image_size = 8}},
                      WalkCase{"bert_layer", {.seq_len = 16}},
                      WalkCase{"inception_block", {.image_size = 8}},
                      WalkCase{"nasrnn", {.seq_len = 2}},
                      WalkCase{"squeezenet1_1", {.image_size = 32}},
                      WalkCase{"mobilenet_v2", {.image_size = 32}}),
    [](const ::testing::TestParamInfo<WalkCase>& info) {
      return std::string(info.param.model);
    });

// Every rewrite of `text`'s graph with `rules`, and every rewrite of
// those, keeps the incremental matches equal; returns the matches of the
// first step's results.
std::vector<Match> CheckAllRewrites(const std::string& text,
                                    const RuleSet& rules) {
  absl::StatusOr<Graph> g = GraphWithData(text);
  EXPECT_TRUE(g.ok()) << g.status();
  if (!g.ok()) return {};
  const Matcher matcher(rules);
  std::vector<Match> matches = matcher.FindAll(MatchContext(*g));
  EXPECT_FALSE(matches.empty());
  Tally tally;
  auto results = CheckRewrites(*g, matches, matcher, 1000, &tally);
  EXPECT_GT(tally.rewrites, 0);
  std::vector<Match> after;
  for (const auto& [graph, graph_matches] : results) {
    CheckRewrites(graph, graph_matches, matcher, 1000, &tally);
    after.insert(after.end(), graph_matches.begin(), graph_matches.end());
  }
  return after;
}

TEST(IncrementalMatchTest, RewriteOfAGraphOutput) {
  // The relu of the fused conv is the graph's output, and a second output
  // reads the conv's input.
  CheckAllRewrites(R"(
    %x = input {shape=[1,8,8,8], name="x"}
    %w = weight {shape=[8,8,3,3]}
    %c = conv2d(%x, %w) {pad=[1,1,1,1]}
    %r = relu(%c)
    %s = relu(%x)
    return %r, %s)", AllRules());
}

TEST(IncrementalMatchTest, RewriteThatDropsNodesAndMergesParallelOps) {
  // Two parallel matmuls of x and a split/concat pair that cancels.
  CheckAllRewrites(R"(
    %x = input {shape=[4,8], name="x"}
    %a = weight {shape=[8,8]}
    %b = weight {shape=[8,8]}
    %p = matmul(%x, %a)
    %q = matmul(%x, %b)
    %s:2 = split(%p) {axis=1, sizes=[4,4]}
    %c = concat(%s#0, %s#1) {axis=1}
    %y = add(%c, %q)
    %z = relu(%y)
    return %z)", AllRules());
}

TEST(IncrementalMatchTest, WeightOnlyStatusFlipsFarBelowTheRewrite) {
  // Matching rules only (not identities): the first drops x, so the
  // transpose eight relus below reads weights only and the second, whose
  // operand must be a weight, matches there; no other fact of it changed.
  absl::StatusOr<RuleSet> rules = RulesFromText(R"(
(rule test-drop-activation
  (provenance hand-written)
  (status unverified)
  (vars (x act [4 4]) (w weight [4 4]))
  (source (add x w))
  (target w))

(rule test-transpose-of-weight
  (provenance hand-written)
  (status unverified)
  (vars (w weight [4 4]))
  (source (transpose :perm [1 0] w))
  (target (transpose :perm [1 0] w)))
)");
  ASSERT_TRUE(rules.ok()) << rules.status();
  std::string text = R"(
    %x = input {shape=[4,4], name="x"}
    %w = weight {shape=[4,4]}
    %r0 = add(%x, %w)
)";
  for (int i = 1; i <= 8; ++i) {
    text += "    %r" + std::to_string(i) + " = relu(%r" +
            std::to_string(i - 1) + ")\n";
  }
  text += R"(
    %t = transpose(%r8) {perm=[1,0]}
    %m = matmul(%x, %t)
    return %m)";
  ASSERT_LT(Matcher(*rules).max_depth(), 8);
  std::vector<Match> after = CheckAllRewrites(text, *rules);
  bool transposed_weight = false;
  for (const Match& m : after) {
    transposed_weight = transposed_weight || m.rule_index == 1;
  }
  EXPECT_TRUE(transposed_weight);
}

}  // namespace
}  // namespace tsopt

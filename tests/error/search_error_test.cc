// Inputs the search and Optimize must refuse with a clear message: an empty
// graph, out-of-range options, missing or malformed rule files.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "tsopt/models/models.h"
#include "tsopt/optimize.h"

namespace tsopt {
namespace {

OptimizeOptions Analytic() {
  OptimizeOptions o;
  o.cost_kind = CostModelKind::kAnalytic;
  o.allow_unverified = true;
  o.search.budget = 5;
  return o;
}

Graph SmallGraph() {
  Graph g;
  ValueId x = *g.AddInput("x", {2, 3});
  ValueId r = *g.AddOp(OpKind::kRelu, NoAttrs{}, {x});
  (void)g.MarkOutput(r);
  return g;
}

void ExpectError(const absl::StatusOr<OptimizeResult>& r,
                 absl::StatusCode code, const std::string& text) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), code) << r.status();
  EXPECT_NE(r.status().message().find(text), std::string::npos)
      << r.status();
}

TEST(SearchErrorTest, EmptyGraph) {
  ExpectError(Optimize(Graph(), Analytic()),
              absl::StatusCode::kInvalidArgument, "empty graph");
}

TEST(SearchErrorTest, GraphWithoutOutputs) {
  Graph g;
  (void)g.AddInput("x", {2, 3});
  ExpectError(Optimize(g, Analytic()), absl::StatusCode::kInvalidArgument,
              "empty graph");
}

TEST(SearchErrorTest, AlphaBelowOne) {
  OptimizeOptions o = Analytic();
  o.search.alpha = 0.9;
  ExpectError(Optimize(SmallGraph(), o), absl::StatusCode::kInvalidArgument,
              "alpha");
  o.search.alpha = std::nan("");
  ExpectError(Optimize(SmallGraph(), o), absl::StatusCode::kInvalidArgument,
              "alpha");
}

TEST(SearchErrorTest, ZeroBudget) {
  OptimizeOptions o = Analytic();
  o.search.budget = 0;
  ExpectError(Optimize(SmallGraph(), o), absl::StatusCode::kInvalidArgument,
              "budget");
}

TEST(SearchErrorTest, NonPositiveTimeLimit) {
  OptimizeOptions o = Analytic();
  o.search.time_limit_s = 0;
  ExpectError(Optimize(SmallGraph(), o), absl::StatusCode::kInvalidArgument,
              "time limit");
}

TEST(SearchErrorTest, BadThreadsAndQueue) {
  OptimizeOptions o = Analytic();
  o.search.threads = 0;
  ExpectError(Optimize(SmallGraph(), o), absl::StatusCode::kInvalidArgument,
              "threads");
  o = Analytic();
  o.search.max_queue = 0;
  ExpectError(Optimize(SmallGraph(), o), absl::StatusCode::kInvalidArgument,
              "max_queue");
}

TEST(SearchErrorTest, MissingRulesFile) {
  OptimizeOptions o = Analytic();
  o.rules_file = "/nonexistent/tsopt/none.rules";
  ExpectError(Optimize(SmallGraph(), o), absl::StatusCode::kNotFound,
              "none.rules");
}

TEST(SearchErrorTest, MalformedRulesFile) {
  std::string path = ::testing::TempDir() + "/search_error_bad.rules";
  {
    std::ofstream f(path);
    f << "(rule broken (vars (x act [2 3])) (source (relu x))\n";
  }
  OptimizeOptions o = Analytic();
  o.rules_file = path;
  absl::StatusOr<OptimizeResult> r = Optimize(SmallGraph(), o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("search_error_bad.rules"),
            std::string::npos)
      << r.status();
  std::remove(path.c_str());
}

}  // namespace
}  // namespace tsopt

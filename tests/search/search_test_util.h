// Helpers for the search tests: graphs and rules from text, random weights
// for symbolic ones, and the numeric comparison every rewrite test makes
// (original vs rewritten on the reference evaluator, random inputs).
#ifndef TSOPT_TESTS_SEARCH_SEARCH_TEST_UTIL_H_
#define TSOPT_TESTS_SEARCH_SEARCH_TEST_UTIL_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "tsopt/cost/analytic_cost_model.h"
#include "tsopt/cost/cost_model.h"
#include "tsopt/ir/graph.h"
#include "tsopt/rules/rule.h"

namespace tsopt::testing_util {

// Parses graph text and gives every symbolic weight random data in [-1, 1).
absl::StatusOr<Graph> GraphWithData(const std::string& text,
                                    uint64_t seed = 1);

// Parses rules text (rules/README.md format) into a RuleSet.
absl::StatusOr<RuleSet> RulesFromText(const std::string& text);

// Largest |a - b| / (1 + |b|) over all outputs of `a` and `b` evaluated on
// the same random inputs; an error when either fails or the outputs differ
// in count or shape.
absl::StatusOr<double> MaxRelativeDifference(const Graph& a, const Graph& b,
                                             uint64_t seed = 7);

// The hand-written rules the search tests use (rules/README.md format):
// fuse-conv-relu, merge-convs, merge-matmuls, merge-conv1x1-conv3x3,
// fold-conv-batchnorm, concat-split-cancel, matmul-scalar-right,
// scalar-mul-transpose, scalar-mul-reshape, scalar-mul-add.
extern const char kTestRules[];

// Number of nodes of operator `op`.
int CountOp(const Graph& g, OpKind op);

// A cost model with blocked layouts (analytic costs): conv and matmul want
// and produce "blk", relu, add and batchnorm follow their input, everything
// else is plain. Counts its measurements.
class LayoutModel : public CostModel {
 public:
  std::string Name() const override { return "layout-test"; }
  std::string Environment() const override { return "test"; }
  absl::StatusOr<OpCost> Measure(const OpSignature& sig) override;
  int measured = 0;

 private:
  AnalyticCostModel analytic_;
};

}  // namespace tsopt::testing_util

#endif  // TSOPT_TESTS_SEARCH_SEARCH_TEST_UTIL_H_

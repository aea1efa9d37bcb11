// Applying a match: the rule's target replaces the matched source.
//
//   before:  x -> conv2d(w) -> relu -> ...       after:  x -> conv2d(w, relu) -> ...
//
// ApplyMatch instantiates the target at the bound shapes and attribute
// values (tsopt::Instantiate), checks that its output shapes equal the
// matched outputs, redirects every consumer (and graph output) of a matched
// output to the corresponding target output, and emits the result in
// topological order without the nodes no output depends on (Input nodes are
// always kept, in their order). With `fold_weights` (the default), target
// nodes that compute from weights only (a concatenated or enlarged kernel,
// conv+batchnorm's folded scale) are evaluated once on the reference
// evaluator and become new Weight nodes, so the rewritten graph does not pay
// for them at run time. The search instead leaves them in place while it
// explores (they cost nothing there, see IncrementalCost) and folds only
// the graph it returns, with FoldWeights. Symbolic weights (no data) are
// never folded.
//
// Fails (InvalidArgument) when the target does not type-check at the bound
// shapes, its output shapes differ, or the rewrite would create a cycle
// (e.g. merging two convs where one reads the other's output). A failed
// rewrite is an ordinary outcome for the search, not an error.
//
//   TSOPT_ASSIGN_OR_RETURN(Graph g2, ApplyMatch(g, rules.rules()[m.rule_index], m));
#ifndef TSOPT_SEARCH_REWRITE_H_
#define TSOPT_SEARCH_REWRITE_H_

#include <vector>

#include "absl/status/statusor.h"
#include "tsopt/ir/graph.h"
#include "tsopt/rules/rule.h"
#include "tsopt/search/constant_cache.h"
#include "tsopt/search/matcher.h"

namespace tsopt {

// `constants`, when given, makes the target's rule constants (shared).
// `kept`, when given, receives for each node id of `graph` the id of its
// copy in the result, or -1 when it was dropped (incremental_match.h).
absl::StatusOr<Graph> ApplyMatch(const Graph& graph, const Rule& rule,
                                 const Match& match, bool fold_weights = true,
                                 const ConstantCache* constants = nullptr,
                                 std::vector<NodeId>* kept = nullptr);

// Replaces every operator node that computes from Weight nodes with data
// only by a Weight holding its value (evaluated once on the reference
// evaluator), and drops the weights nothing reads any more.
absl::StatusOr<Graph> FoldWeights(const Graph& graph);

}  // namespace tsopt

#endif  // TSOPT_SEARCH_REWRITE_H_

// The cost-guided backtracking search (TASO's algorithm).
//
//   queue <- {input}; best <- input
//   while queue not empty and expanded < budget and time < limit:
//     g <- pop the cheapest (skipped when cost >= alpha * best)
//     for every rule, for every match of it in g:
//       g' <- the rewrite of g at the match
//       drop g' if cost(g') >= alpha * best   (before hashing it, as TASO)
//       skip g' if its StructuralHash was seen before
//       if cost(g') < best: best <- g'
//       push g'
// (A dropped graph is not remembered: best only falls, so the same graph
// met again is dropped again.)
//
// Candidates are rewrite deltas: a match is costed, and hashed when it is
// kept, without building g' (rewrite_delta.h: only the target's nodes are
// instantiated;
// the hash follows from g's per-node hashes and a re-hash of the nodes
// downstream of the rewrite, the cost from g's cost minus the removed
// nodes plus the new ones). A queued candidate is its parent graph (shared)
// plus the match; ApplyMatch builds g' only when it is popped for expansion
// (most generated graphs never are), and the rebuilt graph's hash and cost
// are checked against the delta's (an Internal error if they differ). A
// pattern whose outputs are interchangeable (two parallel matmuls) is
// matched in one order only (rule_symmetry.h).
//
// Memory stays bounded: the queue holds at most `max_queue` candidates (the
// most expensive is dropped past it), candidates at or above alpha * best
// are dropped as soon as a better best appears, a parent graph is freed
// when its last queued candidate goes, and the seen-set holds only 64-bit
// hashes (a hash collision would skip a graph; it never makes a result
// wrong). Graphs share their weight tensors.
//
// Costs come from IncrementalCost: each operator signature is measured once
// per search, in exact fixed-point sums (a graph's cost does not depend on
// how it was reached). Rewrites leave weight-only subgraphs (concatenated
// kernels, folded batchnorm scales) unevaluated while exploring (they cost
// nothing: they run once, ahead of time); the returned graph has them
// folded into weights (FoldWeights).
//
// Deterministic: with the same input, rules, cost numbers and seed the
// search returns the same graph for ANY thread count — threads only hash
// and cost the matches of one expanded graph in parallel; the results are
// merged in match order. The seed breaks ties between candidates of equal
// cost (a different seed may explore them in another order). With a
// measured cost model (oneDNN) the numbers themselves vary from run to run
// unless they come from the cost cache, and threads > 1 measure new
// signatures concurrently, which disturbs the timings: search with one
// thread until the cache holds the model's signatures.
#ifndef TSOPT_SEARCH_SEARCH_H_
#define TSOPT_SEARCH_SEARCH_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tsopt/ir/graph.h"
#include "tsopt/rules/rule.h"
#include "tsopt/search/incremental_cost.h"

namespace tsopt {

struct SearchOptions {
  int64_t budget = 1000;       // graphs expanded at most (>= 1)
  double alpha = 1.05;         // keep candidates cheaper than alpha * best
  double time_limit_s = 60;    // wall clock (> 0)
  int threads = 1;             // >= 1
  uint64_t seed = 1;           // tie-breaks between equal costs
  int64_t max_queue = 1000;    // candidates kept at most (>= 1)
  bool progress = false;       // a status line on stderr every second
  // Match an expanded graph around the rewrite that made it, reusing its
  // parent's matches elsewhere (incremental_match.h); false matches every
  // graph from scratch (the same matches, slower; for comparison).
  bool incremental_matching = true;
};

// OK when every field is in range; InvalidArgument naming the field.
absl::Status ValidateSearchOptions(const SearchOptions& options);

enum class StopReason { kBudget, kTimeLimit, kQueueEmpty };
// "budget", "time-limit", "queue-empty".
absl::string_view StopReasonName(StopReason reason);

struct SearchReport {
  double cost_before_ms = 0;
  double cost_after_ms = 0;
  int nodes_before = 0;
  int nodes_after = 0;
  int64_t graphs_expanded = 0;
  int64_t graphs_generated = 0;     // new graphs below alpha * best (not
                                    // seen before; pushed on the queue)
                                    // (a mirror match is never generated)
  int64_t graphs_deduplicated = 0;  // rewrites below alpha * best that gave
                                    // a graph seen before
  int64_t graphs_pruned = 0;        // rewrites >= alpha * best (not hashed),
                                    // plus queued graphs dropped when the
                                    // best improved
  int64_t matches = 0;              // occurrences found over all expansions
  int64_t rewrites_rejected = 0;    // matches whose target did not fit
  int64_t peak_queue = 0;
  int64_t cost_queries = 0;         // signatures the cost model was asked
  StopReason stop_reason = StopReason::kQueueEmpty;
  // Rules applied on the way from the input to the best graph.
  std::map<std::string, int64_t> rules_applied;
  // Wall-clock seconds; the split sums per-thread time.
  double seconds = 0;
  double seconds_matching = 0;
  // Rewrite deltas and hashing, rebuilding popped graphs, final folding.
  double seconds_applying = 0;
  double seconds_costing = 0;
};

struct SearchResult {
  Graph best;
  SearchReport report;
};

// Runs the search; `rules` and `cost` must outlive the call. Errors: bad
// options, an empty graph, a cost model failure on the input graph.
absl::StatusOr<SearchResult> Search(const Graph& graph, const RuleSet& rules,
                                    IncrementalCost& cost,
                                    const SearchOptions& options);

}  // namespace tsopt

#endif  // TSOPT_SEARCH_SEARCH_H_

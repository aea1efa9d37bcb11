// The search as it was before rewrite deltas, kept as a test oracle: every
// match is materialized with ApplyMatch, hashed with StructuralHash and
// costed with IncrementalCost::Of; the queue, pruning, tie-breaks and
// report counters are those of tsopt::Search (single-threaded). The delta
// search must give the same best graph and the same counters.
#ifndef TSOPT_TESTS_SEARCH_REFERENCE_SEARCH_UTIL_H_
#define TSOPT_TESTS_SEARCH_REFERENCE_SEARCH_UTIL_H_

#include "absl/status/statusor.h"
#include "tsopt/search/search.h"

namespace tsopt::testing_util {

absl::StatusOr<SearchResult> ReferenceSearch(const Graph& graph,
                                             const RuleSet& rules,
                                             IncrementalCost& cost,
                                             const SearchOptions& options);

}  // namespace tsopt::testing_util

#endif  // TSOPT_TESTS_SEARCH_REFERENCE_SEARCH_UTIL_H_

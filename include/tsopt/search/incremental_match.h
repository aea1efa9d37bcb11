// Incremental matching: the matches of a rewritten graph from those of the
// graph it was rewritten from (TASO matches every expanded graph from
// scratch, though a rewrite changes a handful of its hundreds of nodes).
//
// The matches of a one-output rule at a root node depend only on the nodes
// at most the pattern's depth above the root: their operators, attributes
// and shapes, their input edges, their consumers (an intermediate must not
// escape), whether they are graph outputs and whether they compute from
// weights only. A rewrite changes those facts only at the nodes it
// "touches": the nodes it adds, the nodes whose inputs it redirects, the
// nodes that gain or lose a consumer or a graph-output entry, and the
// nodes whose weight-only status flips. So at every root farther than
// Matcher::max_single_output_depth() consumer hops below all touched nodes
// the matches are the earlier graph's, renumbered; only the roots within
// that distance are matched again. Rules with several outputs (a further
// output may be anywhere) are matched from scratch.
//
//   Matcher matcher(rules);
//   std::vector<Match> before_matches = matcher.FindAll(MatchContext(g));
//   std::vector<NodeId> kept;
//   TSOPT_ASSIGN_OR_RETURN(Graph g2, ApplyMatch(g, rule, m, false, nullptr, &kept));
//   MatchContext ctx2(g2);
//   MatchReuse reuse = PlanRematch(matcher, ctx2, g, before_matches, kept);
//   matcher.FindAll(ctx2, &reuse) == matcher.FindAll(ctx2)
#ifndef TSOPT_SEARCH_INCREMENTAL_MATCH_H_
#define TSOPT_SEARCH_INCREMENTAL_MATCH_H_

#include <vector>

#include "absl/types/span.h"
#include "tsopt/ir/graph.h"
#include "tsopt/search/matcher.h"

namespace tsopt {

// `after` is the context of the rewrite of `before`; kept[id] is the node
// of `after` that `before`'s node id became (-1: dropped), as ApplyMatch
// reports it; `before_matches` is matcher.FindAll of `before`.
MatchReuse PlanRematch(const Matcher& matcher, const MatchContext& after,
                       const Graph& before,
                       absl::Span<const Match> before_matches,
                       absl::Span<const NodeId> kept);

}  // namespace tsopt

#endif  // TSOPT_SEARCH_INCREMENTAL_MATCH_H_

// From fingerprint buckets to rules: every pair of graphs in a bucket is
// checked for shared subexpressions (pruned: implied by a smaller rule),
// confirmed by float32 evaluation on random inputs, and turned into a rule
// in each direction whose target reads only variables the source binds.
#ifndef TSOPT_SRC_RULEGEN_PAIRS_H_
#define TSOPT_SRC_RULEGEN_PAIRS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "src/rulegen/graph_record.h"
#include "src/rulegen/universe.h"
#include "tsopt/rulegen/generator.h"

namespace tsopt::rulegen {

// `records` sorted by bucket. Fills the pair counters of `stats`.
absl::StatusOr<std::vector<Rule>> RulesFromBuckets(
    const std::vector<GraphRecord>& records, const Universe& u,
    const GeneratorOptions& options, GeneratorStats* stats);

}  // namespace tsopt::rulegen

#endif  // TSOPT_SRC_RULEGEN_PAIRS_H_

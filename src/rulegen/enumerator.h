// Enumeration of all graphs of up to N operator nodes over a Universe, with
// fingerprints: a depth-first search that adds one operator application at
// a time, skips graphs already seen (in any node order, operand order of
// commutative operators, or renaming of interchangeable leaves), evaluates
// each new node once in modular arithmetic, and records every graph with at
// most `max_outputs` outputs whose nodes are connected, under the renaming
// of interchangeable leaves whose output fingerprints hash smallest (so
// equal graphs share a bucket and variable names). A graph whose newest
// node is a detour (its values are a leaf, another value of the graph, or
// computable with fewer operators) is recorded but not extended (see
// Redundant in enumerator.cc for why no rule is lost that is not implied by
// smaller ones).
#ifndef TSOPT_SRC_RULEGEN_ENUMERATOR_H_
#define TSOPT_SRC_RULEGEN_ENUMERATOR_H_

#include <functional>
#include <vector>

#include "absl/status/statusor.h"
#include "src/rulegen/graph_record.h"
#include "src/rulegen/universe.h"
#include "tsopt/rulegen/generator.h"

namespace tsopt::rulegen {

struct EnumerationResult {
  std::vector<GraphRecord> records;  // sorted by (bucket, canon)
  int64_t duplicates = 0;
  int64_t ill_typed = 0;
  int64_t redundant = 0;  // graphs not extended (Worker::Redundant)
};

// Enumerates graphs with 1..max_ops nodes plus one 0-node graph per
// non-constant leaf. Records are kept only for buckets with
// bucket % shard_count == shard_index. Deterministic for any thread count.
absl::StatusOr<EnumerationResult> Enumerate(const Universe& u,
                                            const GeneratorOptions& options);

}  // namespace tsopt::rulegen

#endif  // TSOPT_SRC_RULEGEN_ENUMERATOR_H_

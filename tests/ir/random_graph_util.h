// Random valid graphs for property tests: random DAGs over most operators of
// ops.def (with random attributes), rebuilt in another topological order,
// and single-point mutations of them. Deterministic for a seed.
#ifndef TSOPT_TESTS_IR_RANDOM_GRAPH_UTIL_H_
#define TSOPT_TESTS_IR_RANDOM_GRAPH_UTIL_H_

#include <cstdint>
#include <optional>

#include "tsopt/ir/graph.h"

namespace tsopt::testing {

// A graph with two inputs and about `num_ops` operator nodes (plus the
// weights they read), each reading earlier values chosen at random, and one
// to three outputs. Some nodes may be dead (no output depends on them).
Graph RandomGraph(uint64_t seed, int num_ops = 16);

// The same graph with its nodes added in another random topological order;
// with `swap_commutative`, the operands of commutative ops are also swapped
// at random. Names and weight data are kept.
Graph Reordered(const Graph& graph, uint64_t seed, bool swap_commutative);

// Valid graphs that differ from `graph` in exactly one place, or nullopt if
// no such change was found:
// one attribute field of one node (op and shapes unchanged),
std::optional<Graph> WithOneAttributeChanged(const Graph& graph,
                                             uint64_t seed);
// the two operands of one non-commutative node swapped (they differ),
std::optional<Graph> WithOperandsSwapped(const Graph& graph, uint64_t seed);
// one value of one weight changed.
std::optional<Graph> WithWeightValueChanged(const Graph& graph, uint64_t seed);

}  // namespace tsopt::testing

#endif  // TSOPT_TESTS_IR_RANDOM_GRAPH_UTIL_H_

// Graphviz output of a graph, with a set of nodes highlighted (the region a
// search rewrote), and the diff that finds that region.
//
//   std::vector<bool> changed = ChangedNodes(optimized, original);
//   std::string dot = GraphToDot(optimized, changed, "optimized");
//   // dot -Tsvg out.dot > out.svg
#ifndef TSOPT_SEARCH_DOT_H_
#define TSOPT_SEARCH_DOT_H_

#include <string>
#include <vector>

#include "tsopt/ir/graph.h"

namespace tsopt {

// For each node of `graph`: true when no node of `other` has the same
// structural node hash (operator, attributes, shapes, weight data and the
// whole input cone), i.e. the node is new or computes something new.
std::vector<bool> ChangedNodes(const Graph& graph, const Graph& other);

// A `digraph` with one box per operator node (mnemonic, non-default
// attributes, output shape), ellipses for inputs, small boxes for weights;
// `highlight[id]` nodes are filled orange. `highlight` may be empty.
std::string GraphToDot(const Graph& graph, const std::vector<bool>& highlight,
                       const std::string& title);

}  // namespace tsopt

#endif  // TSOPT_SEARCH_DOT_H_

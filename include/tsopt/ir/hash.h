// Canonical structural hashing and exact structural equality of graphs.
//
// The hash of a graph does not depend on the order in which its nodes were
// added: two isomorphic graphs (same operators, attributes, shapes, weight
// contents and edges; node names ignored) hash equal. The search uses it to
// deduplicate candidate graphs and StructurallyEqual to confirm a hit.
//
// Every value here is stable across processes and machines (no per-process
// seed), so hashes may be printed, stored and compared between runs.
//
//   std::vector<uint64_t> h = NodeHashes(g);   // reusable per-node hashes
//   uint64_t gh = GraphHashFromNodeHashes(g, h);
//   gh == StructuralHash(g)
//   if (StructuralHash(a) == StructuralHash(b)) assert(StructurallyEqual(a, b));
//
// What a node hash covers: its op, its attributes (every field of the
// attribute struct, floats by bit pattern), its output shapes, for a weight
// the content hash of its data (a symbolic weight hashes by shape only), and
// the hashes of the values it reads. Commutative ops (OpInfo::commutative)
// combine their two input hashes order-independently. Input nodes hash by
// their InputAttrs (name and shape). Node::name is never part of the hash.
#ifndef TSOPT_IR_HASH_H_
#define TSOPT_IR_HASH_H_

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/types/span.h"
#include "tsopt/ir/attrs.h"
#include "tsopt/ir/graph.h"

namespace tsopt {

// A stable 64-bit hash of raw bytes (used for weight contents).
uint64_t HashBytes(const void* data, size_t size);

namespace hash_internal {

inline constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ull;
inline constexpr uint64_t kOffset = 0x632BE59BD9B4E019ull;

// The splitmix64 finalizer: a bijective mix with full avalanche.
inline uint64_t Mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBull;
  x ^= x >> 31;
  return x;
}

}  // namespace hash_internal

// Combines two 64-bit hashes (order-dependent). Inline: the search
// re-hashes millions of nodes with it.
inline uint64_t HashCombine(uint64_t seed, uint64_t value) {
  return hash_internal::Mix(seed + hash_internal::kOffset +
                            value * hash_internal::kGolden);
}

// Hash of an attribute struct (which alternative it holds and every field).
uint64_t HashAttrs(const Attrs& attrs);

// Hash of node `id` given the hashes of all nodes before it
// (`node_hashes[i]` for every i < id). Lets a caller that edited part of a
// graph recompute only the affected nodes.
uint64_t HashNode(const Graph& graph, NodeId id,
                  absl::Span<const uint64_t> node_hashes);

// The hash of every node, in id order.
std::vector<uint64_t> NodeHashes(const Graph& graph);

// HashNode in two steps, for callers that re-hash a node whose inputs
// changed (the search's rewrite deltas): NodeLocalHash covers what depends
// on the node alone (op, attributes, output shapes, weight content, input
// count); CombineNodeHash adds the hashes of the values it reads
// (ValueHash, in input order). HashNode(g, id, h) ==
// CombineNodeHash(n, NodeLocalHash(n), {ValueHash(h[in.node], in.output)...}).
uint64_t NodeLocalHash(const Node& node);
uint64_t CombineNodeHash(const Node& node, uint64_t local_hash,
                         absl::Span<const uint64_t> input_value_hashes);
// CombineNodeHash given whether the node's operator is commutative
// (GetOpInfo(op).commutative): the two inputs of a commutative operator
// are combined in sorted order.
inline uint64_t CombineInputHashes(
    bool commutative, uint64_t h,
    absl::Span<const uint64_t> input_value_hashes) {
  if (commutative && input_value_hashes.size() == 2) {
    uint64_t x = input_value_hashes[0];
    uint64_t y = input_value_hashes[1];
    if (x > y) std::swap(x, y);
    return HashCombine(HashCombine(h, x), y);
  }
  for (uint64_t v : input_value_hashes) h = HashCombine(h, v);
  return h;
}
// The hash of output `output` of a node whose hash is `node_hash`.
inline uint64_t ValueHash(uint64_t node_hash, int output) {
  return HashCombine(node_hash, static_cast<uint64_t>(output));
}

// The graph hash from its node hashes: the outputs' value hashes in order
// and the multiset of all node hashes (dead nodes included).
uint64_t GraphHashFromNodeHashes(const Graph& graph,
                                 absl::Span<const uint64_t> node_hashes);

// GraphHashFromNodeHashes in parts, for callers that update a graph hash
// without the graph: the node multiset is the sum of NodeHashTerm over all
// nodes (add a node's term, subtract it to remove the node), and the
// outputs are given by their value hashes (ValueHash) in order.
inline uint64_t NodeHashTerm(uint64_t node_hash) {
  return hash_internal::Mix(node_hash);
}
uint64_t GraphHashFromParts(int64_t num_nodes, uint64_t node_multiset,
                            absl::Span<const uint64_t> output_value_hashes);

// GraphHashFromNodeHashes(graph, NodeHashes(graph)).
uint64_t StructuralHash(const Graph& graph);

// Exact: true when a bijection between the nodes of `a` and `b` maps ops,
// attributes (floats compared by bits), output shapes, weight data (values
// compared by bits; symbolic weights match symbolic weights of the same
// shape), every input edge (either order for commutative ops) and the
// output list onto each other. Node names are ignored.
bool StructurallyEqual(const Graph& a, const Graph& b);

// Attribute equality consistent with HashAttrs (floats compared by bits,
// so 0.0 and -0.0 differ).
bool AttrsBitwiseEqual(const Attrs& a, const Attrs& b);

}  // namespace tsopt

#endif  // TSOPT_IR_HASH_H_

// Compact records of enumerated graphs (at most 4 operator nodes) and the
// helpers shared by enumeration and confirmation: structural hashing and
// conversion to a tsopt::Graph.
#ifndef TSOPT_SRC_RULEGEN_GRAPH_RECORD_H_
#define TSOPT_SRC_RULEGEN_GRAPH_RECORD_H_

#include <array>
#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "src/rulegen/universe.h"
#include "tsopt/ir/graph.h"
#include "tsopt/ir/tensor.h"
#include "tsopt/rulegen/generator.h"

namespace tsopt::rulegen {

inline constexpr int kMaxNodes = 4;
inline constexpr int kMaxOutputs = 4;

// A value of a record: leaf `index` (node < 0) or output `index` of `node`.
struct Ref {
  int8_t node = -1;
  int8_t index = 0;
  friend bool operator==(Ref a, Ref b) {
    return a.node == b.node && a.index == b.index;
  }
};

struct RecNode {
  int16_t choice = 0;
  int8_t arity = 0;
  std::array<Ref, 2> in;
};

// One graph in canonical form: leaves renamed to the canonical labeling,
// nodes in a canonical topological order, outputs sorted by fingerprint.
struct GraphRecord {
  uint64_t bucket = 0;  // hash of the sorted output fingerprints
  uint64_t canon = 0;   // structural hash, minimal over leaf renamings
  // Hash of what produces each output at the level of fingerprints: the
  // operator choice, the output index and the fingerprints of the operands,
  // associative operators flattened (0 for a 0-node graph). Two graphs of a
  // bucket with equal signatures are equal by smaller rules (congruence).
  uint64_t congruence = 0;
  // Two or more outputs whose cones (ancestor nodes) are disjoint: each
  // output is its own smaller graph.
  bool decomposable = false;
  // Holds a detour (a node whose values equal shorter ones, enumerator.cc)
  // and outputs beside the detour's.
  bool detoured = false;
  int8_t num_nodes = 0;
  int8_t num_outputs = 0;
  std::array<RecNode, kMaxNodes> nodes;
  std::array<Ref, kMaxOutputs> outputs;
};

// Mixes two 64-bit hashes (order-dependent).
inline uint64_t Mix(uint64_t a, uint64_t b) {
  uint64_t x = a ^ (b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2));
  x ^= x >> 31;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 29;
  return x;
}

// Float confirmation: equal shapes and, on every element, finite values with
// |a - b| <= atol + rtol * max(|a|, |b|) (the options' tolerances).
bool FloatClose(const Tensor& a, const Tensor& b, const GeneratorOptions& o);

// Hash of a fingerprint tensor (shape and residues).
uint64_t FingerprintHash(const ModTensor& t);

// The graph of a record: an Input node per non-constant leaf in `leaf_ids`
// order, constants as Weight nodes with data, the nodes (attributes resolved
// against the operand shapes) and the outputs in record order.
absl::StatusOr<Graph> RecordToGraph(const GraphRecord& r, const Universe& u,
                                    const std::vector<int>& leaf_ids);

// Non-constant leaves a record reads, ascending; and whether it reads each
// constant (appended after them, ascending, when `with_constants`).
std::vector<int> LeavesUsed(const GraphRecord& r, const Universe& u,
                            bool with_constants);

// Structural hashes of a record's nodes (identity labeling).
std::vector<uint64_t> NodeHashes(const GraphRecord& r, const Universe& u);

}  // namespace tsopt::rulegen

#endif  // TSOPT_SRC_RULEGEN_GRAPH_RECORD_H_

// Rewrite deltas: the structural hash and the cost of
// ApplyMatch(parent, rule, match, /*fold_weights=*/false) without building
// the rewritten graph.
//
// Only the target's few nodes are instantiated (tsopt::Instantiate, with
// shape inference). The rewritten graph is then seen as the parent's nodes
// plus the target's, edges resolved through the replacement (matched output
// -> target output, target variable -> bound value):
//   - dead nodes: use counts (ExpandedGraph::uses) drop as references move
//     to the target; nodes whose count reaches 0 die and release their
//     inputs (exact on an acyclic graph, as ApplyMatch's walk from the
//     outputs);
//   - cost: parent total - charges of dead nodes + charges of the target's
//     nodes (IncrementalCost::NodeStep, memoized by signature) + re-charged
//     downstream nodes whose input layouts changed (only those: a frontier
//     that stops where output layouts stay the same), in exact CostUnits;
//   - hash (only when asked: the search hashes the rewrites it keeps): the
//     nodes downstream of a replaced value (the cone) are re-hashed from
//     their local hashes (ir/hash.h) in one pass in id order; the graph
//     hash follows from the parent's node multiset minus dead and old
//     terms plus new ones. The target's rule constants (an identity kernel
//     can hold millions of values) are made and hashed only then.
// Both equal StructuralHash and IncrementalCost::Of of the materialized
// graph, bit for bit (tests/search/rewrite_delta_test.cc checks this on
// random rewrites of every test model).
//
// A target node that reads the cone (or a later target node) may close a
// cycle, e.g. merging two convs where one reads the other's output: a walk
// from the outputs like ApplyMatch's decides; a cycle it meets rejects the
// rewrite. Rare cases fall back to materializing (ApplyMatch, then hashing
// and costing the graph): a parent with dead nodes, a cycle no output
// reaches, a replacement chain that loops, an unbound target variable.
// materialized() tells.
//
//   RewriteDelta delta(&cost);
//   if (delta.Prepare(parent, rule, match) == RewriteDelta::kReady) {
//     TSOPT_ASSIGN_OR_RETURN(CostUnits c, delta.Cost());
//     if (keep(c) && delta.Hash() == RewriteDelta::kReady) {
//       uint64_t h = delta.hash();
//     }
//   }
#ifndef TSOPT_SEARCH_REWRITE_DELTA_H_
#define TSOPT_SEARCH_REWRITE_DELTA_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "tsopt/ir/graph.h"
#include "tsopt/rules/rule.h"
#include "tsopt/search/constant_cache.h"
#include "tsopt/search/expanded_graph.h"
#include "tsopt/search/incremental_cost.h"
#include "tsopt/search/matcher.h"

namespace tsopt {

// Scratch space for evaluating one match at a time (one per thread).
class RewriteDelta {
 public:
  enum Outcome {
    kRejected,  // ApplyMatch would fail: the target does not fit
    kReady,     // hash() and Cost() are available
  };

  // `cost` (and `constants`, when given: the rule constants targets are
  // instantiated with) must outlive this object.
  explicit RewriteDelta(IncrementalCost* cost,
                        const ConstantCache* constants = nullptr)
      : cost_(cost), constants_(constants) {}

  // Evaluates `match` of `rule` in `parent` up to its cost: the target,
  // the references that move, the dead nodes. `parent`, `rule` and `match`
  // must stay alive until the next Prepare.
  Outcome Prepare(const ExpandedGraph& parent, const Rule& rule,
                  const Match& match);
  // After kReady: IncrementalCost::Of of the rewritten graph (an error only
  // when the cost model fails).
  absl::StatusOr<CostUnits> Cost();
  // After kReady: the structural hash (the cone re-hashed, the target's
  // constants made). kRejected only where materializing shows that
  // ApplyMatch fails (not expected after Prepare's checks).
  Outcome Hash();
  // After Hash() gave kReady: StructuralHash of the rewritten graph.
  uint64_t hash() const { return hash_; }
  // After kReady: true when this match was materialized (see above).
  bool materialized() const { return materialized_.has_value(); }

 private:
  // A value of the rewritten graph: a parent value (node < n) or output
  // `output` of target node `node - n`.
  struct VValue {
    int node = -1;
    int output = 0;
  };

  Outcome Fallback();
  // True when ApplyMatch's walk from the outputs meets a cycle (it would
  // reject the rewrite).
  bool CycleReachable();
  // Marks the cone (every parent node downstream of a replaced value) by a
  // walk over consumers; the hash pass marks the live cone otherwise.
  void MarkCone();
  // The value a parent value reads after the rewrite; false on a loop.
  bool ResolveParent(ValueId v, VValue* out) const;
  bool ResolveTarget(ValueId tv, VValue* out) const;
  bool Resolve(int vnode, ValueId in, VValue* out) const;
  bool InCone(NodeId id) const { return cone_stamp_[id] == epoch_; }
  bool Dead(NodeId id) const { return dead_stamp_[id] == epoch_; }
  int& Uses(NodeId id);
  uint64_t HashOf(VValue v) const;
  int LayoutOf(VValue v) const;

  IncrementalCost* cost_;
  const ConstantCache* constants_;
  const ExpandedGraph* parent_ = nullptr;
  const Rule* rule_ = nullptr;
  const Match* match_ = nullptr;
  int n_ = 0;
  uint64_t hash_ = 0;
  bool hashed_ = false;  // Hash() ran since Prepare
  std::optional<Graph> materialized_;

  // A rule's target instantiated at one binding, with what depends on it
  // alone: per target node the source variable of an Input node (-1
  // otherwise), the local hash, the first value's index and the memo
  // entry (found on first use).
  struct Target {
    // A rule constant, symbolic in `graph` until ConstantsReady.
    struct Constant {
      NodeId node = -1;
      ConstKind kind = ConstKind::kOnes;
      Shape shape;
      float fill = 0;
    };
    bool ok = false;  // false: Instantiate failed
    Graph graph;
    std::vector<Constant> constants;
    bool constants_ready = false;  // data and local hashes in place
    std::vector<NodeId> var;
    std::vector<uint64_t> local_hash;
    std::vector<int> value_offset;
    std::vector<const IncrementalCost::Entry*> entries;
  };
  // The target of `rule` at `match`'s binding, instantiated once per
  // distinct binding (most matches of a graph share their shapes).
  Target& TargetFor(const Rule& rule, const Match& match);
  // Gives target_'s constants their data and local hashes; false when
  // one cannot be made.
  bool ConstantsReady();

  absl::flat_hash_map<std::string, std::unique_ptr<Target>> targets_;
  std::string key_;
  Target* target_ = nullptr;
  // Per target node: uses, hash; per target value: layout.
  std::vector<int> target_uses_;
  std::vector<uint64_t> target_hash_;
  std::vector<int> target_layouts_;

  // Per parent node, valid where the stamp equals epoch_.
  uint32_t epoch_ = 0;
  std::vector<uint32_t> uses_stamp_;
  std::vector<int> uses_;
  std::vector<uint32_t> dead_stamp_;
  std::vector<uint32_t> cone_stamp_;  // downstream of a replaced value
  bool cone_marked_ = false;          // MarkCone ran for this epoch
  NodeId first_out_ = 0;              // the smallest replaced node
  std::vector<uint64_t> new_hash_;    // valid for cone nodes
  std::vector<uint32_t> layout_stamp_;    // output layouts changed
  std::vector<int> new_layouts_;          // by parent value index
  std::vector<uint32_t> frontier_stamp_;  // queued by Cost
  std::vector<uint32_t> reader_stamp_;    // reads a replaced node
  std::vector<NodeId> frontier_;          // Cost's min-heap
  std::vector<NodeId> dead_;              // dead parent nodes
  std::vector<NodeId> work_;
  std::vector<uint64_t> output_hashes_;
  std::vector<uint8_t> walk_state_;  // CycleReachable, by node
};

}  // namespace tsopt

#endif  // TSOPT_SEARCH_REWRITE_DELTA_H_

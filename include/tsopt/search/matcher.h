// The matcher: every occurrence of a rule's source pattern in a graph.
//
// A match maps each operator node of the source pattern to a distinct graph
// node and each pattern variable to a graph value, such that
//   - operator kinds, output indices and input edges agree (a commutative
//     operator may match its two inputs in either order);
//   - concrete attribute fields equal the graph node's; a field bound to an
//     attribute variable (`?s`) binds it on first use and must equal it on
//     every later use; a field computed from dims must equal its value;
//   - a variable used twice binds the same value (shared inputs);
//   - roles hold: `weight` = a value computed from Weight nodes only,
//     `scalar` = a rank-0 value, `const` = a Weight node whose data equals
//     the constant at its shape (bit for bit);
//   - the rule's `where` shape constraints hold at the bound shapes;
//   - no intermediate result escapes: a value produced by a matched node
//     that is not one of the pattern's outputs may be read only by other
//     matched nodes, and may not be a graph output. Such an occurrence is
//     NOT reported (rewriting it would have to keep the intermediate alive,
//     which never pays).
// Multi-output patterns (e.g. two convs of the same x): the first output is
// matched from its root node; each further output's root is searched among
// the consumers of values already bound (a shared input), or among all
// nodes of its operator when it shares nothing with what is bound.
//
// An occurrence of a pattern with interchangeable outputs (two parallel
// matmuls of merge-matmuls) is reported once, in the order whose output
// list is smallest, not once per order (rule_symmetry.h): the mirror match
// would give the same rewrite up to the order of the merged operands.
//
// The matcher never copies the graph; rules are looked up by root operator
// (RuleSet::RulesWithRoot), and a rule whose non-commutative root reads an
// operator tries only the graph nodes whose input there comes from that
// operator (MatchContext::nodes_with_input_op). Rules whose source root is
// a bare variable are skipped (they would match every value).
//
//   Matcher matcher(rules);       // once per rule set
//   MatchContext ctx(graph);      // once per graph
//   for (const Match& m : matcher.FindAll(ctx)) ...
#ifndef TSOPT_SEARCH_MATCHER_H_
#define TSOPT_SEARCH_MATCHER_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/types/span.h"
#include "tsopt/ir/graph.h"
#include "tsopt/rules/rule.h"
#include "tsopt/search/constant_cache.h"

namespace tsopt {

// Per-graph facts the matcher needs, computed once per graph in O(nodes).
class MatchContext {
 public:
  explicit MatchContext(const Graph& graph);

  const Graph& graph() const { return *graph_; }
  // Nodes reading any output of `id` (ascending, once per input edge).
  absl::Span<const NodeId> consumers(NodeId id) const {
    return absl::MakeConstSpan(consumer_ids_.data() + consumer_offsets_[id],
                               consumer_offsets_[id + 1] -
                                   consumer_offsets_[id]);
  }
  // True when the node's values are computed from Weight nodes only.
  bool weight_only(NodeId id) const { return weight_only_[id]; }
  // True when some output of `id` is a graph output.
  bool is_output(NodeId id) const { return is_output_[id]; }
  // Nodes of operator `op`, ascending.
  const std::vector<NodeId>& nodes_with_op(OpKind op) const {
    return by_op_[static_cast<int>(op)];
  }
  // Inputs indexed by the operator that produces them (below).
  static constexpr int kIndexedInputs = 4;
  // Nodes of operator `op` whose input `input` (< kIndexedInputs) comes
  // from a node of operator `child`, ascending: the candidate roots of a
  // pattern whose root reads a `child` operator there.
  absl::Span<const NodeId> nodes_with_input_op(OpKind op, int input,
                                               OpKind child) const;

 private:
  static uint32_t InputOpKey(OpKind op, int input, OpKind child) {
    return (static_cast<uint32_t>(op) * kIndexedInputs + input) * kNumOps +
           static_cast<uint32_t>(child);
  }

  const Graph* graph_;
  // consumers(id) = consumer_ids_[consumer_offsets_[id], [id + 1]).
  std::vector<int> consumer_offsets_;
  std::vector<NodeId> consumer_ids_;
  std::vector<bool> weight_only_;
  std::vector<bool> is_output_;
  std::vector<std::vector<NodeId>> by_op_;
  absl::flat_hash_map<uint32_t, std::vector<NodeId>> by_input_op_;
};

// One occurrence of a rule's source pattern.
struct Match {
  int rule_index = -1;  // into RuleSet::rules()
  // Per source pattern node: the graph node of an operator node, -1 for
  // variables.
  std::vector<NodeId> nodes;
  // Per source pattern node: the graph value of a variable (Input or
  // constant Weight node), {-1, 0} for operator nodes.
  std::vector<ValueId> vars;
  // The graph values of the pattern outputs, in output order.
  std::vector<ValueId> outputs;
  // Variable shapes and attribute variables, for Instantiate.
  RuleBinding binding;
};

// Matches carried over from the graph a rewrite came from (built by
// PlanRematch, incremental_match.h).
struct MatchReuse {
  // One-output rules: the roots matched again, ascending.
  std::vector<NodeId> roots;
  // Rules with several outputs (connected patterns): the first roots
  // matched again, ascending.
  std::vector<NodeId> first_roots;
  // The earlier graph's matches at every other (first) root, renumbered,
  // in rule index order.
  std::vector<Match> reused;
};

// A rule set prepared for matching (attribute bindings by pattern node,
// output symmetries), reusable across graphs and threads.
class Matcher {
 public:
  // `rules` must outlive the matcher.
  explicit Matcher(const RuleSet& rules);

  // Every match of rule `rule_index` in the context's graph, in a
  // deterministic order (by root node id, then by pattern order).
  std::vector<Match> FindRule(const MatchContext& ctx, int rule_index) const;

  // Every match of every rule, rules found through their root operator, in
  // rule index order; a rule's matches are ordered by their graph outputs
  // (by root node for one-output rules). With `reuse`
  // (incremental_match.h), a rule's matches at a (first) root that is not
  // matched again are reuse->reused's (moved out); the result is the same.
  std::vector<Match> FindAll(const MatchContext& ctx,
                             MatchReuse* reuse = nullptr) const;

  // How FindAll may reuse a rule's earlier matches.
  enum class Reuse {
    kNone,         // matched from scratch (a pattern in pieces)
    kByRoot,       // one output: MatchReuse::roots
    kByFirstRoot,  // several outputs, connected: MatchReuse::first_roots
  };
  Reuse reuse(int rule_index) const { return prepared_[rule_index].reuse; }
  const std::vector<std::vector<int>>& symmetries(int rule_index) const {
    return prepared_[rule_index].symmetries;
  }
  // Over kByRoot rules: the longest path, in edges, from the root up to
  // any pattern node (the farthest below a node its matches depend on a
  // root can be).
  int max_depth() const { return max_depth_; }
  // Over kByFirstRoot rules: the most edges, followed either way, from the
  // first root to any pattern node.
  int max_reach() const { return max_reach_; }

  // A source attribute field that is not concrete: bound to attribute
  // variable `attr_var` (an index into Rule::attr_vars), or computed from
  // dims (attr_var -1).
  struct BoundField {
    std::string field;
    int attr_var = -1;
  };
  struct PreparedRule {
    std::vector<std::vector<BoundField>> bound;  // by source node
    std::vector<std::vector<int>> symmetries;    // OutputSymmetries
    // The first input of a non-commutative root that an operator produces
    // (-1: none), and that operator: roots are looked up by it.
    int root_input = -1;
    OpKind root_input_op = OpKind::kInput;
    Reuse reuse = Reuse::kNone;
    int root_op = -1;  // the source root's OpKind; -1: a bare variable
  };

  // The rule constants `const` variables are compared with, made once;
  // shared with whoever instantiates these rules' targets.
  const ConstantCache& constants() const { return constants_; }
  const RuleSet& rules() const { return rules_; }

 private:
  const RuleSet& rules_;
  std::vector<PreparedRule> prepared_;
  ConstantCache constants_;
  int max_depth_ = 0;
  int max_reach_ = 0;
};

// Matcher(rules).FindRule(ctx, rule_index).
std::vector<Match> FindRuleMatches(const MatchContext& ctx,
                                   const RuleSet& rules, int rule_index);

// Matcher(rules).FindAll(ctx).
std::vector<Match> FindMatches(const MatchContext& ctx, const RuleSet& rules);

}  // namespace tsopt

#endif  // TSOPT_SEARCH_MATCHER_H_

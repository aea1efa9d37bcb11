// The materializing reference search (see reference_search_util.h).
#include "tests/search/reference_search_util.h"

#include <map>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "tsopt/ir/hash.h"
#include "tsopt/search/matcher.h"
#include "tsopt/search/rewrite.h"
#include "tsopt/util/status_macros.h"

namespace tsopt::testing_util {
namespace {

struct Candidate {
  Graph graph;
  double cost = 0;
  std::vector<int> path;
};

using QueueKey = std::tuple<double, uint64_t, int64_t>;

class Reference {
 public:
  Reference(const RuleSet& rules, IncrementalCost& cost,
            const SearchOptions& options)
      : rules_(rules), cost_(cost), options_(options) {}

  absl::StatusOr<SearchResult> Run(const Graph& input) {
    TSOPT_ASSIGN_OR_RETURN(double c0, cost_.Of(input));
    report_.cost_before_ms = c0;
    report_.nodes_before = input.num_nodes();
    best_ = Candidate{input, c0, {}};
    seen_.insert(StructuralHash(input));
    Push(Candidate{input, c0, {}}, StructuralHash(input));
    report_.stop_reason = StopReason::kQueueEmpty;
    while (!queue_.empty()) {
      if (report_.graphs_expanded >= options_.budget) {
        report_.stop_reason = StopReason::kBudget;
        break;
      }
      auto it = queue_.begin();
      Candidate current = std::move(it->second);
      queue_.erase(it);
      if (AboveBound(current.cost)) continue;
      ++report_.graphs_expanded;
      TSOPT_RETURN_IF_ERROR(Expand(current));
    }
    TSOPT_ASSIGN_OR_RETURN(Graph folded, FoldWeights(best_.graph));
    report_.cost_after_ms = best_.cost;
    report_.nodes_after = folded.num_nodes();
    for (int r : best_.path) ++report_.rules_applied[rules_.rules()[r].name];
    return SearchResult{std::move(folded), std::move(report_)};
  }

 private:
  absl::Status Expand(const Candidate& current) {
    MatchContext ctx(current.graph);
    std::vector<Match> matches = FindMatches(ctx, rules_);
    report_.matches += static_cast<int64_t>(matches.size());
    for (const Match& m : matches) {
      absl::StatusOr<Graph> g = ApplyMatch(
          current.graph, rules_.rules()[m.rule_index], m, false);
      if (!g.ok()) {
        ++report_.rewrites_rejected;
        continue;
      }
      // As in TASO: the bound first, then the hash.
      TSOPT_ASSIGN_OR_RETURN(double cost, cost_.Of(*g));
      if (!(cost < options_.alpha * best_.cost)) {
        ++report_.graphs_pruned;
        continue;
      }
      uint64_t hash = StructuralHash(*g);
      if (!seen_.insert(hash).second) {
        ++report_.graphs_deduplicated;
        continue;
      }
      ++report_.graphs_generated;
      std::vector<int> path = current.path;
      path.push_back(m.rule_index);
      if (cost < best_.cost) {
        best_ = Candidate{*g, cost, path};
        DropAboveBound();
      }
      Push(Candidate{*std::move(g), cost, std::move(path)}, hash);
    }
    return absl::OkStatus();
  }

  void Push(Candidate c, uint64_t hash) {
    QueueKey key{c.cost, HashCombine(options_.seed, hash), next_seq_++};
    queue_.emplace(key, std::move(c));
    while (static_cast<int64_t>(queue_.size()) > options_.max_queue) {
      queue_.erase(std::prev(queue_.end()));
    }
    report_.peak_queue = std::max<int64_t>(report_.peak_queue, queue_.size());
  }

  bool AboveBound(double cost) const {
    return cost > best_.cost && cost >= options_.alpha * best_.cost;
  }

  void DropAboveBound() {
    while (!queue_.empty() &&
           AboveBound(std::get<0>(std::prev(queue_.end())->first))) {
      queue_.erase(std::prev(queue_.end()));
      ++report_.graphs_pruned;
    }
  }

  const RuleSet& rules_;
  IncrementalCost& cost_;
  const SearchOptions& options_;
  SearchReport report_;
  Candidate best_;
  std::map<QueueKey, Candidate> queue_;
  absl::flat_hash_set<uint64_t> seen_;
  int64_t next_seq_ = 0;
};

}  // namespace

absl::StatusOr<SearchResult> ReferenceSearch(const Graph& graph,
                                             const RuleSet& rules,
                                             IncrementalCost& cost,
                                             const SearchOptions& options) {
  return Reference(rules, cost, options).Run(graph);
}

}  // namespace tsopt::testing_util

// The cost-guided backtracking search (see tsopt/search/search.h).
#include "tsopt/search/search.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "tsopt/ir/hash.h"
#include "tsopt/search/expanded_graph.h"
#include "tsopt/search/incremental_match.h"
#include "tsopt/search/matcher.h"
#include "tsopt/search/rewrite.h"
#include "tsopt/search/rewrite_delta.h"
#include "tsopt/util/status_macros.h"

namespace tsopt {
namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// A graph that was expanded (or is the input): candidates derived from it
// keep it alive until they are expanded or dropped.
struct Parent {
  Graph graph;
  std::vector<int> path;  // rule indices applied from the input
  // Every match in `graph` (Matcher::FindAll), found when it is expanded;
  // its candidates name theirs by index, its children reuse them.
  std::vector<Match> matches;
};

// A generated graph, stored as the rewrite that makes it from its parent;
// it is built (materialized) only when it is popped for expansion.
struct Candidate {
  std::shared_ptr<const Parent> parent;  // null: the input graph itself
  int match = -1;                         // into parent->matches
  double cost = 0;
  CostUnits units = 0;
  uint64_t hash = 0;
};

// Queue order: cost, then a seeded tie-break, then insertion order.
using QueueKey = std::tuple<double, uint64_t, int64_t>;

// What evaluating one match gave.
struct Outcome {
  // kPruned: at or above the bound (alpha * best) when the expansion
  // started, so never kept: its hash is not computed.
  enum Kind { kRejected, kPruned, kDuplicate, kNew } kind = kRejected;
  uint64_t hash = 0;
  CostUnits units = 0;
  absl::Status error;  // a cost model failure (fatal)
};

struct Timers {
  double applying = 0;
  double costing = 0;
};

class Searcher {
 public:
  Searcher(const RuleSet& rules, IncrementalCost& cost,
           const SearchOptions& options)
      : rules_(rules), matcher_(rules), cost_(cost), options_(options) {
    for (int k = 0; k < options.threads; ++k) {
      deltas_.emplace_back(&cost, &matcher_.constants());
    }
  }

  absl::StatusOr<SearchResult> Run(const Graph& input) {
    start_ = Clock::now();
    input_ = std::make_shared<Parent>(Parent{input, {}, {}});
    TSOPT_ASSIGN_OR_RETURN(std::unique_ptr<const ExpandedGraph> e0,
                           Index(input_));
    Candidate first;
    first.units = e0->cost();
    first.cost = ToMilliseconds(first.units);
    first.hash = e0->hash();
    report_.cost_before_ms = first.cost;
    report_.nodes_before = input.num_nodes();
    best_ = first;
    seen_.insert(first.hash);
    Push(std::move(first));
    report_.stop_reason = StopReason::kQueueEmpty;
    while (!queue_.empty()) {
      if (report_.graphs_expanded >= options_.budget) {
        report_.stop_reason = StopReason::kBudget;
        break;
      }
      if (Since(start_) >= options_.time_limit_s) {
        report_.stop_reason = StopReason::kTimeLimit;
        break;
      }
      auto it = queue_.begin();
      Candidate current = std::move(it->second);
      queue_.erase(it);
      if (AboveBound(current.cost)) continue;
      ++report_.graphs_expanded;
      Clock::time_point t = Clock::now();
      std::vector<NodeId> kept;
      TSOPT_ASSIGN_OR_RETURN(std::shared_ptr<Parent> parent,
                             Materialize(current, &kept));
      std::unique_ptr<const ExpandedGraph> expanded;
      if (parent == input_) {
        expanded = std::move(e0);
      } else {
        TSOPT_ASSIGN_OR_RETURN(expanded, Index(parent));
      }
      report_.seconds_applying += Since(t);
      if (expanded->hash() != current.hash ||
          expanded->cost() != current.units) {
        return absl::InternalError(absl::StrCat(
            "search: the rewrite delta of rule '", RuleName(current),
            "' disagrees with the rebuilt graph"));
      }
      t = Clock::now();
      parent->matches = FindMatches(current, *expanded, kept);
      report_.seconds_matching += Since(t);
      TSOPT_RETURN_IF_ERROR(Expand(parent, *expanded));
      Progress(false);
    }
    Progress(true);
    // Weight-only subgraphs the rewrites created are folded once, here.
    Clock::time_point t = Clock::now();
    TSOPT_ASSIGN_OR_RETURN(std::shared_ptr<const Parent> best,
                           Materialize(best_, nullptr));
    TSOPT_ASSIGN_OR_RETURN(Graph folded, FoldWeights(best->graph));
    report_.seconds_applying += Since(t);
    report_.cost_after_ms = best_.cost;
    report_.nodes_after = folded.num_nodes();
    for (int r : best->path) {
      ++report_.rules_applied[rules_.rules()[r].name];
    }
    report_.cost_queries = cost_.model_queries();
    report_.seconds = Since(start_);
    return SearchResult{std::move(folded), std::move(report_)};
  }

 private:
  std::string RuleName(const Candidate& c) const {
    return c.parent ? rules_.rules()[MatchOf(c).rule_index].name
                    : "(input)";
  }

  static const Match& MatchOf(const Candidate& c) {
    return c.parent->matches[c.match];
  }

  absl::StatusOr<std::unique_ptr<const ExpandedGraph>> Index(
      const std::shared_ptr<const Parent>& p) {
    return ExpandedGraph::Create(
        std::shared_ptr<const Graph>(p, &p->graph), cost_);
  }

  // The candidate's graph, built from its parent; `kept` (optional) maps
  // the parent's nodes to it (ApplyMatch).
  absl::StatusOr<std::shared_ptr<Parent>> Materialize(
      const Candidate& c, std::vector<NodeId>* kept) const {
    if (c.parent == nullptr) return input_;
    const Match& match = MatchOf(c);
    const Rule& rule = rules_.rules()[match.rule_index];
    absl::StatusOr<Graph> g =
        ApplyMatch(c.parent->graph, rule, match, /*fold_weights=*/false,
                   &matcher_.constants(), kept);
    if (!g.ok()) {
      return absl::InternalError(absl::StrCat(
          "search: rule '", rule.name, "' no longer applies: ",
          g.status().message()));
    }
    auto p = std::make_shared<Parent>();
    p->graph = *std::move(g);
    p->path = c.parent->path;
    p->path.push_back(match.rule_index);
    return p;
  }

  // The matches of a popped candidate's graph: those of its parent where
  // the rewrite left the graph as it was, and a new search around the
  // rewrite (incremental_match.h).
  std::vector<Match> FindMatches(const Candidate& c, const ExpandedGraph& g,
                                 absl::Span<const NodeId> kept) const {
    if (c.parent == nullptr || !options_.incremental_matching) {
      return matcher_.FindAll(g.context());
    }
    MatchReuse reuse = PlanRematch(matcher_, g.context(), c.parent->graph,
                                   c.parent->matches, kept);
    return matcher_.FindAll(g.context(), &reuse);
  }

  absl::Status Expand(const std::shared_ptr<const Parent>& parent,
                      const ExpandedGraph& current) {
    const std::vector<Match>& matches = parent->matches;
    report_.matches += static_cast<int64_t>(matches.size());
    std::vector<Outcome> outcomes(matches.size());
    int threads = std::min<int>(options_.threads,
                                static_cast<int>(matches.size()));
    const double bound = options_.alpha * best_.cost;
    if (threads <= 1) {
      Timers timers;
      for (size_t i = 0; i < matches.size(); ++i) {
        outcomes[i] =
            Evaluate(current, matches[i], bound, deltas_[0], &timers);
      }
      report_.seconds_applying += timers.applying;
      report_.seconds_costing += timers.costing;
    } else {
      std::vector<Timers> timers(threads);
      std::vector<std::thread> workers;
      for (int k = 0; k < threads; ++k) {
        workers.emplace_back([&, k] {
          for (size_t i = k; i < matches.size(); i += threads) {
            outcomes[i] = Evaluate(current, matches[i], bound, deltas_[k],
                                   &timers[k]);
          }
        });
      }
      for (std::thread& w : workers) w.join();
      for (const Timers& tm : timers) {
        report_.seconds_applying += tm.applying;
        report_.seconds_costing += tm.costing;
      }
    }
    // Merge in match order: the same result for any thread count. As in
    // TASO, a rewrite at or above alpha * best is dropped before it is
    // hashed: the bound only falls, so the same graph met again is dropped
    // again, and seen_ need not hold it.
    for (size_t i = 0; i < matches.size(); ++i) {
      Outcome& o = outcomes[i];
      if (!o.error.ok()) return o.error;
      if (o.kind == Outcome::kRejected) {
        ++report_.rewrites_rejected;
        continue;
      }
      double cost = ToMilliseconds(o.units);
      if (!(cost < options_.alpha * best_.cost)) {
        ++report_.graphs_pruned;
        continue;
      }
      if (o.kind == Outcome::kPruned) {  // the bound only falls
        return absl::InternalError("search: a pruned rewrite came back");
      }
      if (o.kind == Outcome::kDuplicate || !seen_.insert(o.hash).second) {
        ++report_.graphs_deduplicated;
        continue;
      }
      ++report_.graphs_generated;
      Candidate c;
      c.parent = parent;
      c.match = static_cast<int>(i);
      c.units = o.units;
      c.cost = cost;
      c.hash = o.hash;
      if (c.cost < best_.cost) {
        best_ = c;
        DropAboveBound();
      }
      Push(std::move(c));
    }
    return absl::OkStatus();
  }

  // Costs one match as a rewrite delta, and hashes it when it is below
  // `bound`. Reads seen_ only (no writes run concurrently with this).
  Outcome Evaluate(const ExpandedGraph& g, const Match& m, double bound,
                   RewriteDelta& delta, Timers* timers) {
    Outcome o;
    Clock::time_point t = Clock::now();
    RewriteDelta::Outcome prepared =
        delta.Prepare(g, rules_.rules()[m.rule_index], m);
    timers->applying += Since(t);
    if (prepared == RewriteDelta::kRejected) return o;
    t = Clock::now();
    absl::StatusOr<CostUnits> units = delta.Cost();
    timers->costing += Since(t);
    if (!units.ok()) {
      o.error = units.status();
      return o;
    }
    o.units = *units;
    if (!(ToMilliseconds(o.units) < bound)) {
      o.kind = Outcome::kPruned;
      return o;
    }
    t = Clock::now();
    bool was_materialized = delta.materialized();
    RewriteDelta::Outcome hashed = delta.Hash();
    timers->applying += Since(t);
    if (hashed == RewriteDelta::kRejected) {
      o.kind = Outcome::kRejected;
      return o;
    }
    if (delta.materialized() && !was_materialized) {  // re-cost exactly
      units = delta.Cost();
      if (!units.ok()) {
        o.error = units.status();
        return o;
      }
      o.units = *units;
    }
    o.hash = delta.hash();
    o.kind = seen_.contains(o.hash) ? Outcome::kDuplicate : Outcome::kNew;
    return o;
  }

  void Push(Candidate c) {
    QueueKey key{c.cost, HashCombine(options_.seed, c.hash), next_seq_++};
    // A full queue would drop the new candidate at once when it sorts last
    // (keys are unique): skip the insertion.
    if (static_cast<int64_t>(queue_.size()) >= options_.max_queue &&
        !queue_.empty() && std::prev(queue_.end())->first < key) {
      return;
    }
    queue_.emplace(key, std::move(c));
    while (static_cast<int64_t>(queue_.size()) > options_.max_queue) {
      queue_.erase(std::prev(queue_.end()));
    }
    report_.peak_queue = std::max<int64_t>(report_.peak_queue, queue_.size());
  }

  // True for a graph that may no longer be expanded: costlier than the
  // best and not below alpha * best.
  bool AboveBound(double cost) const {
    return cost > best_.cost && cost >= options_.alpha * best_.cost;
  }

  // Drops queued graphs that can no longer be expanded.
  void DropAboveBound() {
    while (!queue_.empty() &&
           AboveBound(std::get<0>(std::prev(queue_.end())->first))) {
      queue_.erase(std::prev(queue_.end()));
      ++report_.graphs_pruned;
    }
  }

  void Progress(bool last) {
    if (!options_.progress) return;
    double now = Since(start_);
    if (!last && now - last_progress_ < 1.0) return;
    last_progress_ = now;
    std::fprintf(stderr,
                 "search: %6.1fs expanded %lld, queue %zu, best %.4f ms "
                 "(from %.4f)%s",
                 now, static_cast<long long>(report_.graphs_expanded),
                 queue_.size(), best_.cost, report_.cost_before_ms,
                 last ? "\n" : "\r");
  }

  const RuleSet& rules_;
  const Matcher matcher_;
  IncrementalCost& cost_;
  const SearchOptions& options_;
  std::vector<RewriteDelta> deltas_;  // scratch, one per thread
  Clock::time_point start_;
  double last_progress_ = 0;
  SearchReport report_;
  std::shared_ptr<Parent> input_;
  Candidate best_;
  std::map<QueueKey, Candidate> queue_;
  absl::flat_hash_set<uint64_t> seen_;
  int64_t next_seq_ = 0;
};

}  // namespace

absl::Status ValidateSearchOptions(const SearchOptions& o) {
  if (o.budget < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("budget must be >= 1, got ", o.budget));
  }
  if (!(o.alpha >= 1.0) || !std::isfinite(o.alpha)) {
    return absl::InvalidArgumentError(
        absl::StrCat("alpha must be a finite number >= 1, got ", o.alpha));
  }
  if (!(o.time_limit_s > 0) || !std::isfinite(o.time_limit_s)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "time limit must be a finite number of seconds > 0, got ",
        o.time_limit_s));
  }
  if (o.threads < 1 || o.threads > 256) {
    return absl::InvalidArgumentError(
        absl::StrCat("threads must be in [1, 256], got ", o.threads));
  }
  if (o.max_queue < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_queue must be >= 1, got ", o.max_queue));
  }
  return absl::OkStatus();
}

absl::string_view StopReasonName(StopReason reason) {
  switch (reason) {
    case StopReason::kBudget:
      return "budget";
    case StopReason::kTimeLimit:
      return "time-limit";
    case StopReason::kQueueEmpty:
      return "queue-empty";
  }
  return "?";
}

absl::StatusOr<SearchResult> Search(const Graph& graph, const RuleSet& rules,
                                    IncrementalCost& cost,
                                    const SearchOptions& options) {
  TSOPT_RETURN_IF_ERROR(ValidateSearchOptions(options));
  if (graph.num_nodes() == 0 || graph.outputs().empty()) {
    return absl::InvalidArgumentError(
        "cannot optimize an empty graph (no nodes or no outputs)");
  }
  TSOPT_RETURN_IF_ERROR(graph.Validate());
  return Searcher(rules, cost, options).Run(graph);
}

}  // namespace tsopt

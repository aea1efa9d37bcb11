// The one-call entry point: a faster graph computing the same values.
//
//   #include <tsopt/optimize.h>
//   tsopt::OptimizeOptions options;             // shipped rules, oneDNN costs
//   options.search.budget = 300;
//   TSOPT_ASSIGN_OR_RETURN(tsopt::OptimizeResult r,
//                          tsopt::Optimize(graph, options));
//   r.graph;                                     // the best graph found
//   r.report.cost_before_ms, r.report.cost_after_ms, r.report.rules_applied
//
// Rules: by default every `*.rules` file of the shipped rule folder, found
// without environment variables: the source tree's rules/ (compiled in as
// TSOPT_RULES_DIR), else the installed share/tsopt/rules
// (TSOPT_INSTALL_RULES_DIR). Only rules whose status is `proved` (by
// `tsopt verify`) are used unless allow_unverified is set;
// OptimizeResult::rules_skipped says how many were left out. Pass `rules`
// or `rules_file` to choose the set explicitly.
//
// Cost model: by default oneDNN, measured on this machine and cached on disk
// (cost/cost_cache.h: the first run on a model measures, later runs read the
// cache); CostModelKind::kAnalytic is deterministic and instant; or pass
// your own `cost_model`.
//
// The search itself (budget, alpha, time limit, threads, seed, progress) is
// tsopt/search/search.h.
#ifndef TSOPT_OPTIMIZE_H_
#define TSOPT_OPTIMIZE_H_

#include <string>

#include "absl/status/statusor.h"
#include "tsopt/cost/cost_model.h"
#include "tsopt/ir/graph.h"
#include "tsopt/rules/rule.h"
#include "tsopt/search/search.h"

namespace tsopt {

enum class CostModelKind { kOneDnn, kAnalytic };

struct OptimizeOptions {
  // The rule set, in order of precedence: `rules` (not owned), then
  // `rules_file`, then the shipped rule folder.
  const RuleSet* rules = nullptr;
  std::string rules_file;
  // Also load rules not marked `proved` (from rules_file or the folder).
  bool allow_unverified = false;

  // The cost model: `cost_model` (not owned) if set, else `cost_kind`.
  CostModel* cost_model = nullptr;
  CostModelKind cost_kind = CostModelKind::kOneDnn;
  // kOneDnn's cost cache file; "" = DefaultCostCachePath().
  std::string cost_cache_path;

  SearchOptions search;
};

struct OptimizeResult {
  Graph graph;
  SearchReport report;
  std::string cost_model;      // "onednn", "analytic", or the model's Name()
  int rules_used = 0;
  int rules_skipped = 0;       // not proved and !allow_unverified
};

// The shipped rule folder (see the file comment), or NotFound.
absl::StatusOr<std::string> DefaultRulesDir();

// Loads every rule of `path` (a file, or a folder's *.rules files in name
// order), keeping only proved ones unless allow_unverified; `skipped`
// receives how many were left out. NotFound for a missing path.
absl::StatusOr<RuleSet> LoadRulesForSearch(const std::string& path,
                                           bool allow_unverified,
                                           int* skipped);

// Errors: an empty graph, bad options, missing or malformed rule files, a
// cost model failure. The result's graph is numerically equal to `graph`
// (every rewrite is a rule instance) and never costs more.
absl::StatusOr<OptimizeResult> Optimize(const Graph& graph,
                                        const OptimizeOptions& options = {});

}  // namespace tsopt

#endif  // TSOPT_OPTIMIZE_H_

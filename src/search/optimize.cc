// Optimize: default rules and cost model around Search (tsopt/optimize.h).
#include "tsopt/optimize.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "tsopt/cost/analytic_cost_model.h"
#include "tsopt/cost/cost_cache.h"
#include "tsopt/cost/onednn_cost_model.h"
#include "tsopt/rules/rule_text.h"
#include "tsopt/search/incremental_cost.h"
#include "tsopt/util/status_macros.h"

namespace tsopt {

absl::StatusOr<std::string> DefaultRulesDir() {
  std::error_code ec;
  for (const char* dir : {TSOPT_RULES_DIR, TSOPT_INSTALL_RULES_DIR}) {
    if (std::filesystem::is_directory(dir, ec)) return std::string(dir);
  }
  return absl::NotFoundError(absl::StrCat(
      "no shipped rule folder (looked in ", TSOPT_RULES_DIR, " and ",
      TSOPT_INSTALL_RULES_DIR, "); pass a rules file"));
}

absl::StatusOr<RuleSet> LoadRulesForSearch(const std::string& path,
                                           bool allow_unverified,
                                           int* skipped) {
  std::error_code ec;
  std::vector<std::string> files;
  if (std::filesystem::is_directory(path, ec)) {
    for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
      if (entry.path().extension() == ".rules") {
        files.push_back(entry.path().string());
      }
    }
    std::sort(files.begin(), files.end());
  } else if (std::filesystem::exists(path, ec)) {
    files.push_back(path);
  } else {
    return absl::NotFoundError(absl::StrCat("rules: no such file: ", path));
  }
  std::vector<Rule> kept;
  int left_out = 0;
  for (const std::string& file : files) {
    TSOPT_ASSIGN_OR_RETURN(std::vector<Rule> rules, LoadRuleFile(file));
    for (Rule& r : rules) {
      if (allow_unverified || r.status == VerificationStatus::kProved) {
        if (r.status == VerificationStatus::kRefuted) {
          ++left_out;  // never use a rule shown wrong
          continue;
        }
        kept.push_back(std::move(r));
      } else {
        ++left_out;
      }
    }
  }
  if (skipped != nullptr) *skipped = left_out;
  return RuleSet::Create(std::move(kept));
}

absl::StatusOr<OptimizeResult> Optimize(const Graph& graph,
                                        const OptimizeOptions& options) {
  TSOPT_RETURN_IF_ERROR(ValidateSearchOptions(options.search));
  if (graph.num_nodes() == 0 || graph.outputs().empty()) {
    return absl::InvalidArgumentError(
        "cannot optimize an empty graph (no nodes or no outputs)");
  }
  OptimizeResult result;
  RuleSet loaded;
  const RuleSet* rules = options.rules;
  if (rules == nullptr) {
    std::string path = options.rules_file;
    if (path.empty()) {
      TSOPT_ASSIGN_OR_RETURN(path, DefaultRulesDir());
    }
    TSOPT_ASSIGN_OR_RETURN(loaded,
                           LoadRulesForSearch(path, options.allow_unverified,
                                              &result.rules_skipped));
    rules = &loaded;
  }
  result.rules_used = rules->size();

  std::unique_ptr<CostModel> base;
  std::unique_ptr<CachingCostModel> cached;
  CostModel* model = options.cost_model;
  if (model == nullptr) {
    if (options.cost_kind == CostModelKind::kAnalytic) {
      base = std::make_unique<AnalyticCostModel>();
      model = base.get();
    } else {
      base = std::make_unique<OneDnnCostModel>();
      CostCacheOptions cache;
      cache.path = options.cost_cache_path;
      cached = std::make_unique<CachingCostModel>(base.get(), cache);
      model = cached.get();
    }
  }
  result.cost_model = model->Name();
  IncrementalCost cost(model);
  TSOPT_ASSIGN_OR_RETURN(SearchResult found,
                         Search(graph, *rules, cost, options.search));
  if (cached != nullptr) TSOPT_RETURN_IF_ERROR(cached->Flush());
  result.graph = std::move(found.best);
  result.report = std::move(found.report);
  return result;
}

}  // namespace tsopt

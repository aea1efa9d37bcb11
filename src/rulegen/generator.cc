// The rule generator's pipeline: universe -> enumeration and fingerprints
// -> buckets -> confirmed, pruned rules (generator.h).
#include "tsopt/rulegen/generator.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/rulegen/enumerator.h"
#include "src/rulegen/pairs.h"
#include "src/rulegen/universe.h"
#include "tsopt/rules/rule_text.h"
#include "tsopt/util/status_macros.h"

namespace tsopt {
namespace {

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t)
      .count();
}

// The patterns' text with variables renamed by `names` (Input node names).
std::string PatternKey(const Rule& rule, const std::map<std::string, std::string>& rename) {
  Rule copy;
  copy.name = "k";
  copy.vars = rule.vars;
  copy.source = rule.source;
  copy.target = rule.target;
  for (Pattern* p : {&copy.source, &copy.target}) {
    for (NodeId i = 0; i < p->graph.num_nodes(); ++i) {
      Node& n = p->graph.MutableNode(i);
      auto it = rename.find(n.name);
      if (it != rename.end()) n.name = it->second;
    }
  }
  std::string text = PrintRule(copy);
  // Only the source and target lines.
  return text.substr(text.find("  (source"));
}

// The pattern text with variables renamed by role and order of first use
// (act0, act1, weight0, ...): rules that differ only in which variables of
// a role they use (or the example shapes) get the same key.
std::string RenamingKey(const Rule& rule) {
  std::map<std::string, std::string> rename;
  std::map<VarRole, int> next;
  for (const Pattern* p : {&rule.source, &rule.target}) {
    const Graph& g = p->graph;
    // First use in node order (reads), then outputs.
    for (const Node& n : g.nodes()) {
      for (ValueId in : n.inputs) {
        const Node& leaf = g.node(in.node);
        if (leaf.op != OpKind::kInput || rename.count(leaf.name)) continue;
        const PatternVar* v = rule.FindVar(leaf.name);
        int k = next[v->role]++;
        rename[leaf.name] = absl::StrCat(VarRoleName(v->role), k);
      }
    }
    for (ValueId out : g.outputs()) {
      const Node& leaf = g.node(out.node);
      if (leaf.op != OpKind::kInput || rename.count(leaf.name)) continue;
      const PatternVar* v = rule.FindVar(leaf.name);
      int k = next[v->role]++;
      rename[leaf.name] = absl::StrCat(VarRoleName(v->role), k);
    }
  }
  return PatternKey(rule, rename);
}

}  // namespace

std::vector<std::string> DefaultGeneratorOps() { return rulegen::DefaultOps(); }
std::vector<std::string> SupportedGeneratorOps() {
  return rulegen::SupportedOps();
}

absl::StatusOr<GeneratorResult> GenerateRules(const GeneratorOptions& options) {
  if (options.max_ops < 1 || options.max_ops > 4) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_ops must be 1..4, got ", options.max_ops));
  }
  if (options.shard_count < 1 || options.shard_index < 0 ||
      options.shard_index >= options.shard_count) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bad shard ", options.shard_index, "/", options.shard_count));
  }
  if (options.bucket_bits < 1 || options.bucket_bits > 64) {
    return absl::InvalidArgumentError("bucket_bits must be 1..64");
  }
  if (options.max_outputs < 1 || options.max_outputs > rulegen::kMaxOutputs) {
    return absl::InvalidArgumentError("max_outputs must be 1..4");
  }
  GeneratorOptions o = options;
  if (o.ops.empty()) o.ops = DefaultGeneratorOps();
  TSOPT_ASSIGN_OR_RETURN(rulegen::Universe u, rulegen::BuildUniverse(o.ops));
  GeneratorResult result;
  auto t0 = std::chrono::steady_clock::now();
  TSOPT_ASSIGN_OR_RETURN(rulegen::EnumerationResult e, rulegen::Enumerate(u, o));
  result.stats.enumerate_seconds = Since(t0);
  result.stats.graphs = static_cast<int64_t>(e.records.size());
  result.stats.duplicate_graphs = e.duplicates;
  result.stats.ill_typed = e.ill_typed;
  result.stats.redundant_not_extended = e.redundant;
  auto t1 = std::chrono::steady_clock::now();
  TSOPT_ASSIGN_OR_RETURN(result.rules, rulegen::RulesFromBuckets(
                                           e.records, u, o, &result.stats));
  result.stats.confirm_seconds = Since(t1);
  result.stats.rules = static_cast<int64_t>(result.rules.size());
  return result;
}

std::vector<Rule> FinalizeRules(std::vector<Rule> rules, GeneratorStats* stats) {
  std::sort(rules.begin(), rules.end(),
            [](const Rule& a, const Rule& b) { return a.name < b.name; });
  std::set<std::string> keys;
  std::vector<Rule> kept;
  for (Rule& r : rules) {
    if (!kept.empty() && kept.back().name == r.name) continue;  // same rule twice
    if (!keys.insert(RenamingKey(r)).second) continue;
    kept.push_back(std::move(r));
  }
  if (stats != nullptr) {
    stats->rules_before_renaming = static_cast<int64_t>(rules.size());
    stats->pruned_renaming = static_cast<int64_t>(rules.size() - kept.size());
    stats->rules = static_cast<int64_t>(kept.size());
  }
  return kept;
}

std::vector<std::string> GeneratedFileHeader(const Provenance& p,
                                             size_t num_rules) {
  return {
      absl::StrCat("Generated by ", p.generator, "; regenerate with:"),
      absl::StrCat("  tsopt generate --max-ops ", p.max_ops, " --ops ",
                   absl::StrJoin(p.ops, ","), " --seed ", p.seed,
                   " --out FILE"),
      absl::StrCat(num_rules, " rules. Format: rules/README.md."),
  };
}

}  // namespace tsopt

// Candidate pairs -> confirmed rules (pairs.h).
#include "src/rulegen/pairs.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "src/rulegen/generalize.h"
#include "src/rulegen/progress.h"
#include "tsopt/reference/evaluator.h"
#include "tsopt/rules/rule_text.h"
#include "tsopt/util/status_macros.h"

namespace tsopt::rulegen {
namespace {

struct PairCounts {
  int64_t pairs = 0;
  int64_t refuted = 0;
  int64_t common = 0;
  int64_t congruence = 0;
  int64_t output_wise = 0;
  int64_t detour = 0;
  int64_t unbound = 0;
};

std::vector<int> Union(std::vector<int> a, const std::vector<int>& b) {
  a.insert(a.end(), b.begin(), b.end());
  std::sort(a.begin(), a.end());
  a.erase(std::unique(a.begin(), a.end()), a.end());
  return a;
}

bool Subset(const std::vector<int>& small, const std::vector<int>& big) {
  return std::includes(big.begin(), big.end(), small.begin(), small.end());
}

// Float32 confirmation of a pair over the union of their variables.
absl::StatusOr<bool> FloatEqual(const GraphRecord& a, const GraphRecord& b,
                                const Universe& u, const GeneratorOptions& o) {
  std::vector<int> vars =
      Union(LeavesUsed(a, u, false), LeavesUsed(b, u, false));
  TSOPT_ASSIGN_OR_RETURN(Graph ga, RecordToGraph(a, u, vars));
  TSOPT_ASSIGN_OR_RETURN(Graph gb, RecordToGraph(b, u, vars));
  for (int trial = 0; trial < o.float_trials; ++trial) {
    std::vector<Tensor> inputs;
    for (int l : vars) {
      TSOPT_ASSIGN_OR_RETURN(
          Tensor t, LeafFloats(u.leaves[l], Mix(o.seed, 7000 + 100 * trial + l)));
      inputs.push_back(std::move(t));
    }
    TSOPT_ASSIGN_OR_RETURN(std::vector<Tensor> ra, Evaluate(ga, inputs));
    TSOPT_ASSIGN_OR_RETURN(std::vector<Tensor> rb, Evaluate(gb, inputs));
    if (ra.size() != rb.size()) return false;
    for (size_t i = 0; i < ra.size(); ++i) {
      if (!FloatClose(ra[i], rb[i], o)) return false;
    }
  }
  return true;
}

std::string OpsName(const GraphRecord& r, const Universe& u) {
  if (r.num_nodes == 0) return "var";
  std::vector<std::string> ops;
  for (int i = 0; i < r.num_nodes; ++i) {
    ops.push_back(absl::StrReplaceAll(
        OpMnemonic(u.choices[r.nodes[i].choice].op), {{"_", "-"}}));
  }
  return absl::StrJoin(ops, "-");
}

// The rule source -> target, normalized through its canonical text.
absl::StatusOr<Rule> MakeRule(const GraphRecord& src, const GraphRecord& tgt,
                              const Universe& u, const GeneratorOptions& o,
                              const std::vector<std::string>& ops) {
  Rule rule;
  rule.name = "r";
  rule.provenance.generator = kGeneratorVersion;
  rule.provenance.ops = ops;
  rule.provenance.max_ops = o.max_ops;
  rule.provenance.seed = o.seed;
  std::vector<int> vars = LeavesUsed(src, u, false);
  std::vector<int> all = Union(LeavesUsed(src, u, true), LeavesUsed(tgt, u, true));
  for (int l : vars) {
    const Leaf& leaf = u.leaves[l];
    PatternVar v;
    v.name = leaf.name;
    v.role = leaf.role;
    v.example_shape = leaf.shape.dims();
    rule.vars.push_back(v);
  }
  for (int l : all) {
    const Leaf& leaf = u.leaves[l];
    if (!leaf.constant) continue;
    PatternVar v;
    v.name = leaf.name;
    v.role = VarRole::kConstant;
    v.const_kind = *leaf.constant;
    for (int64_t d : leaf.shape.dims()) v.const_shape.push_back(DimExpr::Literal(d));
    rule.vars.push_back(v);
  }
  TSOPT_ASSIGN_OR_RETURN(rule.source.graph, RecordToGraph(src, u, vars));
  TSOPT_ASSIGN_OR_RETURN(rule.target.graph, RecordToGraph(tgt, u, vars));
  GeneralizeDims(&rule, o);
  std::string text = PrintRule(rule);
  const std::string body = text.substr(text.find('\n'));
  uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a: stable across platforms
  for (unsigned char c : body) h = (h ^ c) * 0x100000001b3ULL;
  std::string name = absl::StrCat(OpsName(src, u), "-to-", OpsName(tgt, u), "-",
                                  absl::StrFormat("%012x", h & 0xffffffffffffULL));
  text = absl::StrCat("(rule ", name, body);
  TSOPT_ASSIGN_OR_RETURN(std::vector<Rule> parsed, ParseRules(text, "<generated>"));
  return std::move(parsed[0]);
}

// All rules of the bucket records[begin, end).
absl::Status BucketRules(const std::vector<GraphRecord>& records, size_t begin,
                         size_t end, const Universe& u,
                         const GeneratorOptions& o,
                         const std::vector<std::string>& ops,
                         std::vector<Rule>* out, PairCounts* counts) {
  // Star, not clique: each graph is paired with the bucket's representative
  // (without a detour if any, then fewest nodes, then smallest canonical
  // hash); any other equivalence in the bucket follows from two of these
  // rules.
  auto rank = [&](size_t i) {
    return std::make_pair(records[i].detoured, records[i].num_nodes);
  };
  size_t rep = begin;
  for (size_t i = begin + 1; i < end; ++i) {
    if (rank(i) < rank(rep)) rep = i;
  }
  // Congruence: graphs whose outputs come from the same operators applied
  // to operands of equal fingerprints are equal by the (smaller) rules
  // between their operands; of each such class only the first graph is
  // paired with the representative, and none when the representative is
  // in the class. Both sides rewrite, by those smaller rules, to one form.
  std::vector<uint64_t> classes;
  if (records[rep].congruence != 0) classes.push_back(records[rep].congruence);
  for (size_t i = rep; i == rep; ++i) {
    for (size_t j = begin; j < end; ++j) {
      if (j == rep) continue;
      const GraphRecord& a = records[i];
      const GraphRecord& b = records[j];
      if (a.num_outputs != b.num_outputs) continue;
      ++counts->pairs;
      // A side with a detour beside its other outputs: as a source it is
      // first simplified by the detour's own (smaller) rule; as a target
      // it would compute a value twice.
      if (a.detoured || b.detoured) {
        ++counts->detour;
        continue;
      }
      // Both sides are unions of disjoint single-output graphs: the pair
      // is one smaller rule per output, applied independently.
      if (a.decomposable && b.decomposable) {
        ++counts->output_wise;
        continue;
      }
      if (b.congruence != 0) {
        if (std::find(classes.begin(), classes.end(), b.congruence) !=
            classes.end()) {
          ++counts->congruence;
          continue;
        }
        classes.push_back(b.congruence);
      }
      std::vector<uint64_t> ha = NodeHashes(a, u), hb = NodeHashes(b, u);
      bool common = false;
      for (uint64_t x : ha) {
        common = common || std::find(hb.begin(), hb.end(), x) != hb.end();
      }
      if (common) {
        ++counts->common;
        continue;
      }
      absl::StatusOr<bool> equal = FloatEqual(a, b, u, o);
      if (!equal.ok() || !*equal) {
        ++counts->refuted;
        continue;
      }
      std::vector<int> la = LeavesUsed(a, u, false), lb = LeavesUsed(b, u, false);
      for (int dir = 0; dir < 2; ++dir) {
        const GraphRecord& s = dir == 0 ? a : b;
        const GraphRecord& t = dir == 0 ? b : a;
        if (s.num_nodes == 0) continue;
        if (!Subset(dir == 0 ? lb : la, dir == 0 ? la : lb)) {
          ++counts->unbound;
          continue;
        }
        TSOPT_ASSIGN_OR_RETURN(Rule r, MakeRule(s, t, u, o, ops));
        out->push_back(std::move(r));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<Rule>> RulesFromBuckets(
    const std::vector<GraphRecord>& records, const Universe& u,
    const GeneratorOptions& o, GeneratorStats* stats) {
  std::vector<std::pair<size_t, size_t>> buckets;
  for (size_t i = 0; i < records.size();) {
    size_t j = i + 1;
    while (j < records.size() && records[j].bucket == records[i].bucket) ++j;
    if (j - i >= 2) buckets.push_back({i, j});
    i = j;
  }
  stats->buckets_shared = static_cast<int64_t>(buckets.size());
  const std::vector<std::string> ops =
      o.ops.empty() ? DefaultGeneratorOps() : o.ops;
  std::vector<std::vector<Rule>> per_bucket(buckets.size());
  std::vector<PairCounts> counts(buckets.size());
  std::vector<absl::Status> errors(buckets.size());
  std::atomic<size_t> next{0};
  PhaseProgress progress(o, GeneratorProgress::Phase::kConfirm,
                         static_cast<int64_t>(buckets.size()));
  auto work = [&] {
    while (true) {
      size_t b = next.fetch_add(1);
      if (b >= buckets.size()) return;
      errors[b] = BucketRules(records, buckets[b].first, buckets[b].second, u,
                              o, ops, &per_bucket[b], &counts[b]);
      progress.Done(static_cast<int64_t>(records.size()));
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < std::max(1, o.threads); ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  std::vector<Rule> rules;
  for (size_t b = 0; b < buckets.size(); ++b) {
    TSOPT_RETURN_IF_ERROR(errors[b]);
    stats->candidate_pairs += counts[b].pairs;
    stats->refuted_by_float += counts[b].refuted;
    stats->pruned_common_subgraph += counts[b].common;
    stats->pruned_congruence += counts[b].congruence;
    stats->pruned_output_wise += counts[b].output_wise;
    stats->pruned_detour += counts[b].detour;
    stats->unbound_direction += counts[b].unbound;
    for (Rule& r : per_bucket[b]) rules.push_back(std::move(r));
  }
  return rules;
}

}  // namespace tsopt::rulegen

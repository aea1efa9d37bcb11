// tsopt generate: run the rule generator and write a rule file.
//   tsopt generate --max-ops 3 --ops conv2d,matmul,add,relu --out r.rules
//                  [--threads T] [--shard K/M] [--seed S]
// Progress (graphs, rate, ETA) goes to stderr; counts per pruning step at
// the end. The output is written atomically (FILE.tmp, then renamed).
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "src/cli/args.h"
#include "src/cli/commands.h"
#include "tsopt/rulegen/generator.h"
#include "tsopt/rules/rule_text.h"

namespace tsopt::cli {
namespace {

int Usage(const std::string& why) { return UsageError("generate", why); }

void PrintStats(const GeneratorStats& s) {
  std::fprintf(stderr,
               "graphs %lld (duplicates skipped %lld, ill-typed %lld, "
               "redundant not extended %lld) in %.2f s\n"
               "buckets with >= 2 graphs %lld, candidate pairs %lld\n"
               "  pruned: detour %lld, output-wise %lld, common subgraph %lld, "
               "congruence %lld\n"
               "  refuted by float %lld, unbound direction %lld\n"
               "rules %lld (renaming duplicates pruned %lld) confirm %.2f s\n",
               (long long)s.graphs, (long long)s.duplicate_graphs,
               (long long)s.ill_typed, (long long)s.redundant_not_extended,
               s.enumerate_seconds,
               (long long)s.buckets_shared, (long long)s.candidate_pairs,
               (long long)s.pruned_detour, (long long)s.pruned_output_wise,
               (long long)s.pruned_common_subgraph,
               (long long)s.pruned_congruence,
               (long long)s.refuted_by_float, (long long)s.unbound_direction,
               (long long)s.rules, (long long)s.pruned_renaming,
               s.confirm_seconds);
}

}  // namespace

int RunGenerate(int argc, char** argv) {
  absl::StatusOr<Args> args = Args::Parse(
      argc, argv, {"max-ops", "ops", "out", "threads", "shard", "seed"}, {});
  if (!args.ok()) return Usage(std::string(args.status().message()));
  if (!args->positional().empty()) return Usage("unexpected arguments");
  GeneratorOptions o;
  auto out = args->Get("out");
  if (!out) return Usage("--out is required");
  absl::StatusOr<int64_t> n = args->GetInt("max-ops", 3);
  absl::StatusOr<int64_t> threads = args->GetInt("threads", 1);
  absl::StatusOr<int64_t> seed = args->GetInt("seed", 1);
  if (!n.ok()) return Usage(std::string(n.status().message()));
  if (!threads.ok()) return Usage(std::string(threads.status().message()));
  if (!seed.ok() || *seed < 0) return Usage("--seed expects an integer >= 0");
  if (*n < 1 || *n > 4) return Usage("--max-ops must be 1..4");
  if (*threads < 1 || *threads > 256) return Usage("--threads must be 1..256");
  o.max_ops = static_cast<int>(*n);
  o.threads = static_cast<int>(*threads);
  o.seed = static_cast<uint64_t>(*seed);
  if (auto ops = args->Get("ops")) {
    o.ops = absl::StrSplit(*ops, ',', absl::SkipEmpty());
  }
  if (auto shard = args->Get("shard")) {
    std::vector<std::string> km = absl::StrSplit(*shard, '/');
    int k, m;
    if (km.size() != 2 || !absl::SimpleAtoi(km[0], &k) ||
        !absl::SimpleAtoi(km[1], &m) || m < 1 || k < 0 || k >= m) {
      return Usage("--shard expects K/M with 0 <= K < M");
    }
    o.shard_index = k;
    o.shard_count = m;
  }
  o.progress = [](const GeneratorProgress& p) {
    double frac = p.total ? double(p.done) / p.total : 0;
    double eta = frac > 0 ? p.seconds * (1 - frac) / frac : 0;
    if (p.phase == GeneratorProgress::Phase::kEnumerate) {
      double rate = p.seconds > 0 ? p.graphs / p.seconds : 0;
      std::fprintf(stderr,
                   "\rgenerate: enumerating: %lld graphs, %.0f graphs/s, "
                   "branch %lld/%lld, ETA %.0f s   ",
                   (long long)p.graphs, rate, (long long)p.done,
                   (long long)p.total, eta);
    } else {
      double rate = p.seconds > 0 ? p.done / p.seconds : 0;
      std::fprintf(stderr,
                   "\rgenerate: confirming: bucket %lld/%lld, %.0f buckets/s, "
                   "ETA %.0f s                 ",
                   (long long)p.done, (long long)p.total, rate, eta);
    }
  };
  absl::StatusOr<GeneratorResult> r = GenerateRules(o);
  std::fprintf(stderr, "\n");
  if (!r.ok()) {
    std::fprintf(stderr, "tsopt generate: %s\n",
                 std::string(r.status().message()).c_str());
    return r.status().code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
  }
  GeneratorStats stats = r->stats;
  std::vector<Rule> rules = std::move(r->rules);
  std::vector<std::string> header;
  Provenance p;
  p.generator = kGeneratorVersion;
  p.ops = o.ops.empty() ? DefaultGeneratorOps() : o.ops;
  p.max_ops = o.max_ops;
  p.seed = o.seed;
  if (o.shard_count == 1) {
    rules = FinalizeRules(std::move(rules), &stats);
    header = GeneratedFileHeader(p, rules.size());
  } else {
    // A shard's rules are finalized by merge-rules over all shards.
    std::sort(rules.begin(), rules.end(),
              [](const Rule& a, const Rule& b) { return a.name < b.name; });
    header = {"Shard " + std::to_string(o.shard_index) + "/" +
              std::to_string(o.shard_count) +
              " of a generator run; combine with tsopt merge-rules."};
  }
  PrintStats(stats);
  absl::Status st = WriteRuleFile(*out, rules, header);
  if (!st.ok()) {
    std::fprintf(stderr, "tsopt generate: %s\n",
                 std::string(st.message()).c_str());
    return 1;
  }
  std::fprintf(stderr, "wrote %zu rules to %s\n", rules.size(), out->c_str());
  return 0;
}

}  // namespace tsopt::cli

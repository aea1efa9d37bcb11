// tsopt merge-rules: combine rule files (typically the shards of one
// `tsopt generate` run) into one finalized file: duplicates up to variable
// renaming removed, sorted by name. Shards of a run merge to the same bytes
// as the unsharded run.
//   tsopt merge-rules --out all.rules shard0.rules shard1.rules ...
#include <cstdio>
#include <string>
#include <vector>

#include "src/cli/args.h"
#include "src/cli/commands.h"
#include "tsopt/rulegen/generator.h"
#include "tsopt/rules/rule_text.h"

namespace tsopt::cli {

int RunMergeRules(int argc, char** argv) {
  absl::StatusOr<Args> args = Args::Parse(argc, argv, {"out"}, {});
  auto fail = [](const std::string& why, int code) {
    if (code == 2) return UsageError("merge-rules", why);
    std::fprintf(stderr, "tsopt merge-rules: %s\n", why.c_str());
    return code;
  };
  if (!args.ok()) return fail(std::string(args.status().message()), 2);
  auto out = args->Get("out");
  if (!out) return fail("--out is required", 2);
  if (args->positional().empty()) return fail("no input files", 2);
  std::vector<Rule> all;
  for (const std::string& path : args->positional()) {
    absl::StatusOr<std::vector<Rule>> rules = LoadRuleFile(path);
    if (!rules.ok()) return fail(std::string(rules.status().message()), 2);
    for (Rule& r : *rules) all.push_back(std::move(r));
  }
  // Generated inputs must come from one run (same provenance).
  const Rule* first_generated = nullptr;
  for (const Rule& r : all) {
    if (r.provenance.hand_written) continue;
    if (first_generated == nullptr) {
      first_generated = &r;
    } else if (r.provenance.ops != first_generated->provenance.ops ||
               r.provenance.max_ops != first_generated->provenance.max_ops ||
               r.provenance.seed != first_generated->provenance.seed ||
               r.provenance.generator != first_generated->provenance.generator) {
      return fail("rule '" + r.name + "' comes from a different generator "
                  "run than '" + first_generated->name + "'", 2);
    }
  }
  Provenance p = first_generated ? first_generated->provenance : Provenance{};
  GeneratorStats stats;
  std::vector<Rule> merged = FinalizeRules(std::move(all), &stats);
  std::vector<std::string> header;
  if (first_generated != nullptr) header = GeneratedFileHeader(p, merged.size());
  absl::Status st = WriteRuleFile(*out, merged, header);
  if (!st.ok()) return fail(std::string(st.message()), 1);
  std::fprintf(stderr, "merged %lld rules (%lld renaming duplicates) into %s\n",
               (long long)merged.size(), (long long)stats.pruned_renaming,
               out->c_str());
  return 0;
}

}  // namespace tsopt::cli

// The rule generator (TASO's superoptimization step): enumerates every graph
// of up to N operators over a configurable operator set and a small universe
// of input tensors, fingerprints each graph by evaluating it modulo a prime
// on random inputs (reference evaluator, modular mode), buckets graphs by
// fingerprint, confirms candidate pairs in float32, prunes redundant rules,
// and returns the survivors as Rules.
//
//   GeneratorOptions o;
//   o.max_ops = 3;
//   o.ops = {"conv2d", "matmul", "add", "relu"};
//   TSOPT_ASSIGN_OR_RETURN(GeneratorResult r, GenerateRules(o));
//   std::vector<Rule> rules = FinalizeRules(std::move(r.rules), &stats);
//
// Determinism: for given options the result is the same for any thread
// count. Sharding (--shard K/M): every shard enumerates all graphs (the
// cheap part) but only fingerprint buckets with hash % M == K go on to pair
// confirmation and pruning; FinalizeRules over the union of the shards'
// rules equals FinalizeRules over an unsharded run's rules.
#ifndef TSOPT_RULEGEN_GENERATOR_H_
#define TSOPT_RULEGEN_GENERATOR_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tsopt/rules/rule.h"

namespace tsopt {

inline constexpr char kGeneratorVersion[] = "tsopt-rulegen 2";

struct GeneratorProgress {
  // Enumeration (units: top-level branches) or confirmation of candidate
  // pairs (units: fingerprint buckets holding two or more graphs).
  enum class Phase { kEnumerate, kConfirm };
  Phase phase = Phase::kEnumerate;
  int64_t graphs = 0;  // unique graphs so far (all of them when confirming)
  int64_t done = 0;    // units finished
  int64_t total = 0;
  double seconds = 0;  // since the phase started
};

struct GeneratorOptions {
  int max_ops = 3;                 // 1..4
  std::vector<std::string> ops;    // mnemonics; empty: DefaultGeneratorOps()
  uint64_t seed = 1;
  int threads = 1;
  int shard_index = 0;             // K of K/M
  int shard_count = 1;             // M
  int max_outputs = 2;             // outputs of one enumerated graph
  // Float confirmation: |a - b| <= atol + rtol * max(|a|, |b|) on every
  // element, for `float_trials` random input sets in [-1, 1).
  double atol = 1e-4;
  double rtol = 1e-3;
  int float_trials = 2;
  // The fingerprint bucket key keeps this many low bits (64: all). Fewer
  // bits force unrelated graphs into shared buckets: a test of the float
  // confirmation.
  int bucket_bits = 64;
  // Called about once a second from the enumerating threads (serialized).
  std::function<void(const GeneratorProgress&)> progress;
  double progress_interval_seconds = 1.0;  // at most one report per interval
};

// How many candidates each step produced or removed.
struct GeneratorStats {
  int64_t graphs = 0;               // unique graphs fingerprinted
  int64_t duplicate_graphs = 0;     // reached again (order / renaming / commutativity)
  int64_t ill_typed = 0;            // operator applications refused by shape inference
  int64_t redundant_not_extended = 0;  // graphs with a value computable by fewer ops
  int64_t buckets_shared = 0;       // fingerprint buckets with >= 2 graphs (this shard)
  int64_t candidate_pairs = 0;      // pairs within those buckets
  int64_t refuted_by_float = 0;     // pairs whose float evaluation differs
  int64_t pruned_common_subgraph = 0;
  int64_t pruned_congruence = 0;    // same operators on equal operands: implied
  int64_t pruned_output_wise = 0;   // multi-output pairs that are per-output rules
  int64_t pruned_detour = 0;        // a side computes a value twice or a detour
  int64_t unbound_direction = 0;    // directions whose target reads a variable the source lacks
  int64_t rules_before_renaming = 0;
  int64_t pruned_renaming = 0;      // FinalizeRules: duplicates up to variable renaming
  int64_t rules = 0;                // final
  double enumerate_seconds = 0;
  double confirm_seconds = 0;
};

struct GeneratorResult {
  std::vector<Rule> rules;  // not yet finalized
  GeneratorStats stats;
};

// The default operator set of `tsopt generate`.
std::vector<std::string> DefaultGeneratorOps();
// Every operator mnemonic the generator can enumerate.
std::vector<std::string> SupportedGeneratorOps();

absl::StatusOr<GeneratorResult> GenerateRules(const GeneratorOptions& options);

// Removes duplicates up to renaming of interchangeable variables (same role
// and example shape) and sorts by name; updates stats->pruned_renaming,
// rules_before_renaming and rules when `stats` is not null.
std::vector<Rule> FinalizeRules(std::vector<Rule> rules,
                                GeneratorStats* stats = nullptr);

// The comment header of a generated rule file (the command to regenerate it
// and the rule count); `provenance` is that of the rules.
std::vector<std::string> GeneratedFileHeader(const Provenance& provenance,
                                             size_t num_rules);

}  // namespace tsopt

#endif  // TSOPT_RULEGEN_GENERATOR_H_

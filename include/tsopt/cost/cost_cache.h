// CachingCostModel: memoizes another CostModel's measurements in memory and
// in a persistent cost-cache file, so a second run on the same graph
// measures nothing.
//
// The file (text, one entry a line) keys each entry by the base model's
// Environment() (library version, CPU ISA, thread count) plus the
// OpSignature key; entries of other environments are kept but never used.
// It ends with a footer holding the entry count and an FNV-1a checksum, so
// a truncated or edited file is detected. A file that is unreadable,
// corrupt, truncated or of another format version is reported (load_status()
// and a warning on stderr), ignored, and rewritten by the next Flush().
//
// A signature the base model anchors (CostModel::AnchorOf: a conv or
// matmul with a fused bias or activation) is priced as the cached cost of
// its anchor times max(1, the ratio the base timed side by side), so a
// fusion and its unfused alternative are compared on one measured number.
//
// Writes are atomic (temp file + rename) and serialized between processes
// by flock() on "<path>.lock"; Flush() re-reads the file under the lock and
// merges, so concurrent processes sharing a file lose no entries.
//
//   OneDnnCostModel onednn;
//   CachingCostModel model(&onednn, {});  // default path
//   ... model.Cost(sig) ...
//   model.Flush();  // also done by the destructor
//   model.measured(); model.served_from_cache();
#ifndef TSOPT_COST_COST_CACHE_H_
#define TSOPT_COST_COST_CACHE_H_

#include <cstdint>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "tsopt/cost/cost_model.h"

namespace tsopt {

// $XDG_CACHE_HOME/tsopt/costs.txt, else $HOME/.cache/tsopt/costs.txt, else
// "" (no persistent cache).
std::string DefaultCostCachePath();

struct CostCacheOptions {
  // The cache file; "" with persist = true: DefaultCostCachePath().
  std::string path;
  // false: memoize in memory only.
  bool persist = true;
};

class CachingCostModel : public CostModel {
 public:
  // `base` must outlive this object. Loads the cache file (see load_status).
  CachingCostModel(CostModel* base, CostCacheOptions options);
  // Flushes; a failure is reported on stderr.
  ~CachingCostModel() override;

  std::string Name() const override { return base_->Name(); }
  std::string Environment() const override { return environment_; }
  absl::StatusOr<OpCost> Measure(const OpSignature& sig) override;
  absl::StatusOr<double> Cost(const OpSignature& sig) override;

  // Writes new entries to the file (no-op when nothing changed).
  absl::Status Flush();

  // OK, or why the file was ignored (NotFound for a missing file is OK).
  const absl::Status& load_status() const { return load_status_; }
  const std::string& path() const { return path_; }
  int64_t measured() const;           // signatures measured by the base
  int64_t served_from_cache() const;  // answered from memory or the file
  int64_t loaded_entries() const;     // usable entries read from the file

 private:
  absl::StatusOr<OpCost> Lookup(const OpSignature& sig)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<OpCost> MeasureOnMiss(const OpSignature& sig)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  CostModel* base_;
  std::string path_;
  std::string environment_;
  absl::Status load_status_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<OpSignature, OpCost> memo_ ABSL_GUARDED_BY(mu_);
  // File entries of this environment by signature key, and every line of
  // the file ("environment\tkey" -> the rest) for merging.
  absl::flat_hash_map<std::string, OpCost> from_file_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, std::string> new_lines_
      ABSL_GUARDED_BY(mu_);
  bool rewrite_ ABSL_GUARDED_BY(mu_) = false;  // the file must be rebuilt
  int64_t measured_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t served_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t loaded_ = 0;
};

}  // namespace tsopt

#endif  // TSOPT_COST_COST_CACHE_H_

// CachingCostModel: memo by signature, backed by the cost-cache file.
#include "tsopt/cost/cost_cache.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "src/cost/cost_cache_file.h"
#include "tsopt/util/status_macros.h"

namespace tsopt {

std::string DefaultCostCachePath() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg != nullptr && xdg[0] == '/') {
    return absl::StrCat(xdg, "/tsopt/costs.txt");
  }
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] != '\0') {
    return absl::StrCat(home, "/.cache/tsopt/costs.txt");
  }
  return "";
}

namespace {

// Keys that cannot be written on one line are memoized but not persisted.
bool Persistable(absl::string_view key) {
  return !absl::StrContains(key, '\t') && !absl::StrContains(key, '\n');
}

}  // namespace

CachingCostModel::CachingCostModel(CostModel* base, CostCacheOptions options)
    : base_(base), environment_(base->Environment()) {
  if (!options.persist) return;
  path_ = options.path.empty() ? DefaultCostCachePath() : options.path;
  if (path_.empty()) return;
  absl::StatusOr<cost_cache::FileLock> lock =
      cost_cache::FileLock::Acquire(path_, /*exclusive=*/false);
  absl::StatusOr<std::string> text =
      lock.ok() ? cost_cache::ReadFile(path_)
                : absl::StatusOr<std::string>(lock.status());
  if (absl::IsNotFound(text.status())) return;
  absl::StatusOr<cost_cache::Entries> entries =
      text.ok() ? cost_cache::Parse(*text)
                : absl::StatusOr<cost_cache::Entries>(text.status());
  if (!entries.ok()) {
    load_status_ = absl::Status(
        entries.status().code(),
        absl::StrCat("cost cache ", path_, " ignored: ",
                     entries.status().message(), "; it will be rebuilt"));
    std::fprintf(stderr, "tsopt: warning: %s\n",
                 std::string(load_status_.message()).c_str());
    absl::MutexLock l(&mu_);
    rewrite_ = true;
    return;
  }
  std::string prefix = cost_cache::EntryKey(environment_, "");
  absl::MutexLock l(&mu_);
  for (const auto& [key, value] : *entries) {
    if (key.rfind(prefix, 0) != 0) continue;  // another environment
    from_file_[key.substr(prefix.size())] = *cost_cache::DecodeCost(value);
  }
  loaded_ = static_cast<int64_t>(from_file_.size());
}

CachingCostModel::~CachingCostModel() {
  absl::Status s = Flush();
  if (!s.ok()) {
    std::fprintf(stderr, "tsopt: warning: cost cache not saved: %s\n",
                 std::string(s.message()).c_str());
  }
}

absl::StatusOr<OpCost> CachingCostModel::Lookup(const OpSignature& sig) {
  auto it = memo_.find(sig);
  if (it != memo_.end()) {
    ++served_;
    return it->second;
  }
  std::string key = sig.Key();
  auto file_it = from_file_.find(key);
  if (file_it != from_file_.end()) {
    ++served_;
    memo_.emplace(sig, file_it->second);
    return file_it->second;
  }
  TSOPT_ASSIGN_OR_RETURN(OpCost cost, MeasureOnMiss(sig));
  ++measured_;
  memo_.emplace(sig, cost);
  if (!path_.empty() && Persistable(key)) {
    new_lines_[cost_cache::EntryKey(environment_, key)] =
        cost_cache::EncodeCost(cost);
  }
  return cost;
}

// A fused variant is priced as its anchor's cost (from this cache, the
// number its unfused alternative is priced with) times the ratio of the two
// timed side by side (CostModel::AnchorOf); a ratio below 1 is noise (the
// epilogue only adds work) and counts as 1. A base model that cannot time
// the pair measures the signature on its own.
absl::StatusOr<OpCost> CachingCostModel::MeasureOnMiss(
    const OpSignature& sig) {
  std::optional<OpSignature> anchor = base_->AnchorOf(sig);
  if (!anchor.has_value() || *anchor == sig) return base_->Measure(sig);
  TSOPT_ASSIGN_OR_RETURN(OpCost anchor_cost, Lookup(*anchor));
  absl::StatusOr<RelativeCost> relative = base_->MeasureRelative(sig, *anchor);
  if (absl::IsUnimplemented(relative.status())) return base_->Measure(sig);
  if (!relative.ok()) return relative.status();
  OpCost cost = relative->cost;
  cost.ms = anchor_cost.ms * std::max(1.0, relative->ratio);
  return cost;
}

absl::StatusOr<OpCost> CachingCostModel::Measure(const OpSignature& sig) {
  absl::MutexLock l(&mu_);
  return Lookup(sig);
}

absl::StatusOr<double> CachingCostModel::Cost(const OpSignature& sig) {
  absl::MutexLock l(&mu_);
  auto it = memo_.find(sig);
  if (it != memo_.end()) {
    ++served_;
    return it->second.ms;
  }
  TSOPT_ASSIGN_OR_RETURN(OpCost cost, Lookup(sig));
  return cost.ms;
}

absl::Status CachingCostModel::Flush() {
  absl::MutexLock l(&mu_);
  if (path_.empty() || (new_lines_.empty() && !rewrite_)) {
    return absl::OkStatus();
  }
  TSOPT_ASSIGN_OR_RETURN(cost_cache::FileLock lock,
                         cost_cache::FileLock::Acquire(path_, true));
  // Merge with what other processes wrote since we loaded; a file that is
  // (still) unreadable or corrupt is replaced.
  cost_cache::Entries entries;
  absl::StatusOr<std::string> text = cost_cache::ReadFile(path_);
  if (text.ok()) {
    absl::StatusOr<cost_cache::Entries> on_disk = cost_cache::Parse(*text);
    if (on_disk.ok()) entries = *std::move(on_disk);
  }
  for (const auto& [key, value] : new_lines_) entries[key] = value;
  TSOPT_RETURN_IF_ERROR(
      cost_cache::WriteFileAtomically(path_, cost_cache::Serialize(entries)));
  new_lines_.clear();
  rewrite_ = false;
  return absl::OkStatus();
}

int64_t CachingCostModel::measured() const {
  absl::MutexLock l(&mu_);
  return measured_;
}

int64_t CachingCostModel::served_from_cache() const {
  absl::MutexLock l(&mu_);
  return served_;
}

int64_t CachingCostModel::loaded_entries() const {
  absl::MutexLock l(&mu_);
  return loaded_;
}

}  // namespace tsopt

// The cost-cache file format and its safe file I/O. Internal to the
// library; CachingCostModel (tsopt/cost/cost_cache.h) is the user.
//
//   # tsopt cost cache v1
//   <environment>\t<signature key>\t<ms>\t<spread>\t<source>\t<in>\t<out>
//   ...
//   # end <entries> <fnv1a-64 of every preceding byte, hex>
// <in>/<out> are layout lists written "N|l1;l2;..." (N = count).
#ifndef TSOPT_COST_COST_CACHE_FILE_H_
#define TSOPT_COST_COST_CACHE_FILE_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tsopt/cost/cost_model.h"

namespace tsopt::cost_cache {

inline constexpr char kHeader[] = "# tsopt cost cache v1";

// "environment\tkey" -> the encoded OpCost.
using Entries = std::map<std::string, std::string>;

std::string EntryKey(absl::string_view environment, absl::string_view key);
std::string EncodeCost(const OpCost& cost);
absl::StatusOr<OpCost> DecodeCost(absl::string_view text);

// FailedPrecondition for another format version, DataLoss for a corrupt or
// truncated file.
absl::StatusOr<Entries> Parse(absl::string_view text);
std::string Serialize(const Entries& entries);

// NotFound when the file does not exist.
absl::StatusOr<std::string> ReadFile(const std::string& path);
// Writes "<path>.tmp.<pid>", fsyncs it and renames it over `path`; creates
// the parent directory.
absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents);

// An flock() on "<path>.lock", released by the destructor.
class FileLock {
 public:
  static absl::StatusOr<FileLock> Acquire(const std::string& path,
                                          bool exclusive);
  FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileLock& operator=(FileLock&&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace tsopt::cost_cache

#endif  // TSOPT_COST_COST_CACHE_FILE_H_

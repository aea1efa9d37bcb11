// The cost-cache file: parse/serialize with checksum, atomic write, flock.
#include "src/cost/cost_cache_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "tsopt/util/status_macros.h"

namespace tsopt::cost_cache {
namespace {

uint64_t Fnv1a(absl::string_view text) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string EncodeLayouts(const std::vector<std::string>& layouts) {
  return absl::StrCat(layouts.size(), "|", absl::StrJoin(layouts, ";"));
}

bool DecodeLayouts(absl::string_view text, std::vector<std::string>* out) {
  size_t bar = text.find('|');
  size_t n;
  if (bar == absl::string_view::npos ||
      !absl::SimpleAtoi(text.substr(0, bar), &n)) {
    return false;
  }
  out->clear();
  if (n == 0) return text.size() == bar + 1;
  for (absl::string_view l : absl::StrSplit(text.substr(bar + 1), ';')) {
    out->emplace_back(l);
  }
  return out->size() == n;
}

absl::Status Errno(absl::string_view what, const std::string& path) {
  return absl::UnavailableError(
      absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

absl::Status MakeParentDirs(const std::string& path) {
  for (size_t pos = path.find('/', 1); pos != std::string::npos;
       pos = path.find('/', pos + 1)) {
    std::string dir = path.substr(0, pos);
    if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
      return Errno("cannot create directory", dir);
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::string EntryKey(absl::string_view environment, absl::string_view key) {
  return absl::StrCat(environment, "\t", key);
}

std::string EncodeCost(const OpCost& cost) {
  return absl::StrFormat("%.9g\t%.6g\t%s\t%s\t%s", cost.ms, cost.spread,
                         cost.source, EncodeLayouts(cost.input_layouts),
                         EncodeLayouts(cost.output_layouts));
}

absl::StatusOr<OpCost> DecodeCost(absl::string_view text) {
  std::vector<absl::string_view> f = absl::StrSplit(text, '\t');
  OpCost cost;
  if (f.size() != 5 || !absl::SimpleAtod(f[0], &cost.ms) ||
      !absl::SimpleAtod(f[1], &cost.spread) || !std::isfinite(cost.ms) ||
      cost.ms < 0 || !std::isfinite(cost.spread) || f[2].empty() ||
      !DecodeLayouts(f[3], &cost.input_layouts) ||
      !DecodeLayouts(f[4], &cost.output_layouts)) {
    return absl::DataLossError(absl::StrCat("bad cost entry '", text, "'"));
  }
  cost.source = std::string(f[2]);
  return cost;
}

absl::StatusOr<Entries> Parse(absl::string_view text) {
  size_t first_nl = text.find('\n');
  absl::string_view header = text.substr(0, first_nl);
  if (header != kHeader) {
    if (header.rfind("# tsopt cost cache", 0) == 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "written by another format version ('", header, "', expected '",
          kHeader, "')"));
    }
    return absl::DataLossError("not a tsopt cost cache (bad header)");
  }
  // The footer is the last line; it checksums everything before it.
  if (text.empty() || text.back() != '\n') {
    return absl::DataLossError("truncated (no final newline)");
  }
  size_t footer_start = text.rfind('\n', text.size() - 2) + 1;
  absl::string_view footer =
      text.substr(footer_start, text.size() - 1 - footer_start);
  absl::string_view body = text.substr(0, footer_start);
  std::vector<absl::string_view> parts = absl::StrSplit(footer, ' ');
  size_t count;
  uint64_t checksum;
  if (footer_start <= first_nl || parts.size() != 4 || parts[0] != "#" ||
      parts[1] != "end" || !absl::SimpleAtoi(parts[2], &count) ||
      !absl::SimpleHexAtoi(parts[3], &checksum)) {
    return absl::DataLossError("truncated (no end line)");
  }
  if (checksum != Fnv1a(body)) {
    return absl::DataLossError("checksum mismatch (corrupt or edited)");
  }
  Entries entries;
  for (absl::string_view line :
       absl::StrSplit(body.substr(first_nl + 1), '\n', absl::SkipEmpty())) {
    std::vector<absl::string_view> f = absl::StrSplit(line, absl::MaxSplits('\t', 2));
    if (f.size() != 3) {
      return absl::DataLossError(absl::StrCat("bad line '", line, "'"));
    }
    TSOPT_RETURN_IF_ERROR(DecodeCost(f[2]).status());
    entries[EntryKey(f[0], f[1])] = std::string(f[2]);
  }
  if (entries.size() != count) {
    return absl::DataLossError(absl::StrCat("has ", entries.size(),
                                            " entries, the end line says ",
                                            count));
  }
  return entries;
}

std::string Serialize(const Entries& entries) {
  std::string body = absl::StrCat(kHeader, "\n");
  for (const auto& [key, value] : entries) {
    absl::StrAppend(&body, key, "\t", value, "\n");
  }
  return absl::StrCat(body, "# end ", entries.size(), " ",
                      absl::StrFormat("%016x", Fnv1a(body)), "\n");
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, " is not a regular file"));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) {
      return absl::NotFoundError(absl::StrCat("no file ", path));
    }
    return Errno("cannot read", path);
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Errno("cannot read", path);
  return text.str();
}

absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents) {
  TSOPT_RETURN_IF_ERROR(MakeParentDirs(path));
  std::string tmp = absl::StrCat(path, ".tmp.", getpid());
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return Errno("cannot create", tmp);
  size_t done = 0;
  while (done < contents.size()) {
    ssize_t n = write(fd, contents.data() + done, contents.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      absl::Status s = Errno("cannot write", tmp);
      close(fd);
      unlink(tmp.c_str());
      return s;
    }
    done += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0 || close(fd) != 0) {
    unlink(tmp.c_str());
    return Errno("cannot sync", tmp);
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    absl::Status s = Errno("cannot rename onto", path);
    unlink(tmp.c_str());
    return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<FileLock> FileLock::Acquire(const std::string& path,
                                           bool exclusive) {
  TSOPT_RETURN_IF_ERROR(MakeParentDirs(path));
  std::string lock_path = absl::StrCat(path, ".lock");
  int fd = open(lock_path.c_str(), O_RDWR | O_CREAT, 0644);
  if (fd < 0) return Errno("cannot open lock file", lock_path);
  while (flock(fd, exclusive ? LOCK_EX : LOCK_SH) != 0) {
    if (errno == EINTR) continue;
    absl::Status s = Errno("cannot lock", lock_path);
    close(fd);
    return s;
  }
  return FileLock(fd);
}

FileLock::~FileLock() {
  if (fd_ >= 0) {
    flock(fd_, LOCK_UN);
    close(fd_);
  }
}

}  // namespace tsopt::cost_cache

// Stride arithmetic of row-major views (see tsopt/ir/strided_view.h).
#include "tsopt/ir/strided_view.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace tsopt {
namespace {

constexpr char kViewPrefix[] = "view:";

}  // namespace

std::vector<int64_t> RowMajorStrides(const std::vector<int64_t>& dims) {
  std::vector<int64_t> strides(dims.size(), 1);
  for (int i = static_cast<int>(dims.size()) - 2; i >= 0; --i) {
    strides[i] = strides[i + 1] * dims[i + 1];
  }
  return strides;
}

bool IsRowMajorContiguous(const std::vector<int64_t>& dims,
                          const std::vector<int64_t>& strides) {
  int64_t expected = 1;
  for (int i = static_cast<int>(dims.size()) - 1; i >= 0; --i) {
    if (dims[i] == 1) continue;
    if (strides[i] != expected) return false;
    expected *= dims[i];
  }
  return true;
}

// numpy's _attempt_nocopy_reshape (C order), on dims without the 1s.
std::optional<std::vector<int64_t>> ReshapeStrides(
    const std::vector<int64_t>& dims, const std::vector<int64_t>& strides,
    const std::vector<int64_t>& new_dims) {
  std::vector<int64_t> old_dims, old_strides;
  int64_t count = 1, new_count = 1;
  for (size_t i = 0; i < dims.size(); ++i) {
    count *= dims[i];
    if (dims[i] == 1) continue;
    old_dims.push_back(dims[i]);
    old_strides.push_back(strides[i]);
  }
  for (int64_t d : new_dims) new_count *= d;
  if (count != new_count) return std::nullopt;
  const size_t old_n = old_dims.size(), new_n = new_dims.size();
  std::vector<int64_t> out(new_n, 1);
  size_t oi = 0, oj = 1, ni = 0, nj = 1;
  while (ni < new_n && oi < old_n) {
    int64_t np = new_dims[ni], op = old_dims[oi];
    while (np != op) {
      if (np < op) {
        np *= new_dims[nj++];
      } else {
        op *= old_dims[oj++];
      }
    }
    for (size_t ok = oi; ok + 1 < oj; ++ok) {
      if (old_strides[ok] != old_dims[ok + 1] * old_strides[ok + 1]) {
        return std::nullopt;
      }
    }
    out[nj - 1] = old_strides[oj - 1];
    for (size_t nk = nj - 1; nk > ni; --nk) {
      out[nk - 1] = out[nk] * new_dims[nk];
    }
    ni = nj++;
    oi = oj++;
  }
  int64_t last = ni >= 1 ? out[ni - 1] : 1;
  for (size_t nk = ni; nk < new_n; ++nk) out[nk] = last;
  return out;
}

std::string ViewLayoutName(const std::vector<int64_t>& dims,
                           const std::vector<int64_t>& strides) {
  if (IsRowMajorContiguous(dims, strides)) return "plain";
  return absl::StrCat(kViewPrefix, absl::StrJoin(strides, ","));
}

bool IsViewLayout(const std::string& layout) {
  return layout.rfind(kViewPrefix, 0) == 0;
}

std::optional<std::vector<int64_t>> ParseViewLayout(const std::string& layout,
                                                    int rank) {
  if (!IsViewLayout(layout)) return std::nullopt;
  std::vector<std::string> parts =
      absl::StrSplit(layout.substr(sizeof(kViewPrefix) - 1), ',');
  if (static_cast<int>(parts.size()) != rank) return std::nullopt;
  std::vector<int64_t> strides;
  for (const std::string& p : parts) {
    int64_t s;
    if (!absl::SimpleAtoi(p, &s) || s < 0 || s > (int64_t{1} << 40)) {
      return std::nullopt;
    }
    strides.push_back(s);
  }
  return strides;
}

}  // namespace tsopt

// ConstantCache: rule constants made once (see
// tsopt/search/constant_cache.h).
#include "tsopt/search/constant_cache.h"

#include <cstring>

#include "tsopt/rules/constants.h"

namespace tsopt {

absl::StatusOr<std::shared_ptr<const WeightData>> ConstantCache::Get(
    ConstKind kind, const Shape& shape, float fill) const {
  std::string key;
  auto add = [&key](int64_t v) {
    key.append(reinterpret_cast<const char*>(&v), sizeof(v));
  };
  uint32_t fill_bits;
  std::memcpy(&fill_bits, &fill, sizeof(fill_bits));
  add(static_cast<int64_t>(kind));
  add(fill_bits);
  for (int64_t d : shape.dims()) add(d);
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(key);
  if (it != entries_.end()) return it->second;
  if (entries_.size() >= kMaxEntries) entries_.clear();  // bounded memory
  return entries_.emplace(key, MakeConstant(kind, shape, fill)).first->second;
}

ConstantMaker ConstantCache::Maker() const {
  return [this](ConstKind kind, const Shape& shape, float fill) {
    return Get(kind, shape, fill);
  };
}

}  // namespace tsopt

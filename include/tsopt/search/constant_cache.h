// ConstantCache: the rule constants (MakeConstant) the search needs, made
// once per (kind, shape, fill value) and shared.
//
// A rule constant is compared with graph weights at every match of its rule
// (the matcher's `const` variables) and placed in every instantiated target
// (a new binding per layer shape); making it costs O(elements) allocation
// and content hashing each time (an identity matrix of BERT's width is
// 590k floats), which dominated the search on such graphs. The cache keeps
// at most kMaxEntries constants (then starts over). Thread-safe.
//
//   ConstantCache constants;
//   TSOPT_ASSIGN_OR_RETURN(auto data, constants.Get(kind, shape, fill));
//   Instantiate(rule, rule.target, binding, constants.Maker());
#ifndef TSOPT_SEARCH_CONSTANT_CACHE_H_
#define TSOPT_SEARCH_CONSTANT_CACHE_H_

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "tsopt/ir/graph.h"
#include "tsopt/rules/rule.h"

namespace tsopt {

class ConstantCache {
 public:
  static constexpr size_t kMaxEntries = 1024;

  // MakeConstant(kind, shape, fill), from the cache when made before
  // (errors are cached too).
  absl::StatusOr<std::shared_ptr<const WeightData>> Get(ConstKind kind,
                                                        const Shape& shape,
                                                        float fill) const;

  // Get as a ConstantMaker for Instantiate; valid while this object lives.
  ConstantMaker Maker() const;

 private:
  mutable absl::Mutex mu_;
  mutable absl::flat_hash_map<
      std::string, absl::StatusOr<std::shared_ptr<const WeightData>>>
      entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tsopt

#endif  // TSOPT_SEARCH_CONSTANT_CACHE_H_

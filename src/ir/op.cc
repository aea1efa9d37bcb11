#include "tsopt/ir/op.h"

#include <array>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

namespace tsopt {
namespace {

constexpr std::array<OpInfo, kNumOps> kOpInfos = {{
#define TSOPT_OP(Name, mnemonic, min_in, max_in, outs, AttrsT, comm) \
  {#Name, mnemonic, min_in, max_in, outs, comm},
#include "tsopt/ir/ops.def"
#undef TSOPT_OP
}};

}  // namespace

const OpInfo& GetOpInfo(OpKind op) {
  return kOpInfos[static_cast<int>(op)];
}

std::optional<OpKind> OpFromName(absl::string_view name) {
  static const auto* by_name = [] {
    auto* m = new absl::flat_hash_map<std::string, OpKind>();
    for (OpKind op : AllOps()) {
      (*m)[std::string(OpName(op))] = op;
      (*m)[std::string(OpMnemonic(op))] = op;
    }
    return m;
  }();
  auto it = by_name->find(name);
  if (it == by_name->end()) return std::nullopt;
  return it->second;
}

Attrs DefaultAttrs(OpKind op) {
  switch (op) {
#define TSOPT_OP(Name, mnemonic, min_in, max_in, outs, AttrsT, comm) \
  case OpKind::k##Name:                                              \
    return AttrsT{};
#include "tsopt/ir/ops.def"
#undef TSOPT_OP
  }
  return NoAttrs{};
}

absl::Status CheckAttrsType(OpKind op, const Attrs& attrs) {
  if (attrs.index() != DefaultAttrs(op).index()) {
    return absl::InvalidArgumentError(
        absl::StrCat(OpName(op), " was given the attributes of another op"));
  }
  return absl::OkStatus();
}

const std::vector<OpKind>& AllOps() {
  static const auto* ops = [] {
    auto* v = new std::vector<OpKind>();
    for (int i = 0; i < kNumOps; ++i) v->push_back(static_cast<OpKind>(i));
    return v;
  }();
  return *ops;
}

}  // namespace tsopt

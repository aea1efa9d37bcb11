// Attribute fields by name (see attr_fields.h).
#include "src/rules/attr_fields.h"

#include <type_traits>

#include "absl/strings/str_cat.h"

namespace tsopt::rules_internal {

std::optional<AttrValue> GetField(const Attrs& attrs,
                                  absl::string_view field) {
  std::optional<AttrValue> out;
  std::visit(
      [&](const auto& a) {
        using A = std::decay_t<decltype(a)>;
        A::Fields(
            [&](absl::string_view name, const auto& x) {
              if (name == field) out.emplace(x);
            },
            a);
      },
      attrs);
  return out;
}

absl::Status SetField(Attrs& attrs, absl::string_view field,
                      const AttrValue& value) {
  absl::Status status = absl::NotFoundError(
      absl::StrCat("no attribute '", field, "'"));
  std::visit(
      [&](auto& a) {
        using A = std::decay_t<decltype(a)>;
        A::Fields(
            [&](absl::string_view name, auto& x) {
              if (name != field) return;
              using F = std::decay_t<decltype(x)>;
              if (const F* v = std::get_if<F>(&value)) {
                x = *v;
                status = absl::OkStatus();
                return;
              }
              if constexpr (std::is_same_v<F, float>) {
                if (const int64_t* i = std::get_if<int64_t>(&value)) {
                  x = static_cast<float>(*i);
                  status = absl::OkStatus();
                  return;
                }
              }
              status = absl::InvalidArgumentError(absl::StrCat(
                  "attribute '", field, "' takes ",
                  AttrValueTypeName(AttrValue(F{})), ", got ",
                  AttrValueTypeName(value)));
            },
            a);
      },
      attrs);
  return status;
}

std::vector<std::string> FieldNames(const Attrs& attrs) {
  std::vector<std::string> names;
  std::visit(
      [&](const auto& a) {
        using A = std::decay_t<decltype(a)>;
        A::Fields([&](absl::string_view name,
                      const auto&) { names.emplace_back(name); },
                  a);
      },
      attrs);
  return names;
}

absl::string_view AttrValueTypeName(const AttrValue& v) {
  switch (v.index()) {
    case 0:
      return "an int";
    case 1:
      return "a float";
    case 2:
      return "an int list";
    case 3:
      return "an activation";
    default:
      return "a string";
  }
}

}  // namespace tsopt::rules_internal

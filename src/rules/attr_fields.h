// Generic access to one attribute field by name, through the `Fields` list
// of the attribute structs (attrs.h). Used by the rule parser, printer and
// pattern instantiation.
#ifndef TSOPT_SRC_RULES_ATTR_FIELDS_H_
#define TSOPT_SRC_RULES_ATTR_FIELDS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tsopt/ir/attrs.h"
#include "tsopt/rules/rule.h"

namespace tsopt::rules_internal {

// The field's current value, or nullopt when `attrs` has no such field.
std::optional<AttrValue> GetField(const Attrs& attrs, absl::string_view field);

// Sets the field; an int64 value is accepted for a float field. Errors name
// the field and the expected type.
absl::Status SetField(Attrs& attrs, absl::string_view field,
                      const AttrValue& value);

// The names of the fields of `attrs`, in declaration order.
std::vector<std::string> FieldNames(const Attrs& attrs);

// "int", "float", "int list", "activation", "string".
absl::string_view AttrValueTypeName(const AttrValue& v);

}  // namespace tsopt::rules_internal

#endif  // TSOPT_SRC_RULES_ATTR_FIELDS_H_

// A minimal s-expression reader for the rule text format: `( ... )` lists,
// `[ ... ]` brackets (attribute lists and shapes), atoms, "strings" and `;`
// comments to the end of the line. Every node records its line and column
// so errors can point at it.
#ifndef TSOPT_SRC_RULES_SEXPR_H_
#define TSOPT_SRC_RULES_SEXPR_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tsopt::rules_internal {

struct SExpr {
  enum class Kind { kList, kBracket, kAtom, kString };
  Kind kind = Kind::kAtom;
  std::string text;            // atoms and strings
  std::vector<SExpr> items;    // lists and brackets
  int line = 1;
  int col = 1;

  bool is_atom() const { return kind == Kind::kAtom; }
  bool is_list() const { return kind == Kind::kList; }
  // A list whose first item is the atom `head`.
  bool IsForm(absl::string_view head) const {
    return is_list() && !items.empty() && items[0].is_atom() &&
           items[0].text == head;
  }
};

// Reads every top-level expression of `text`.
absl::StatusOr<std::vector<SExpr>> ReadSExprs(absl::string_view text,
                                              absl::string_view filename);

// "FILE:LINE:COL: message" as InvalidArgument.
absl::Status ErrorAt(absl::string_view filename, const SExpr& at,
                     absl::string_view message);

}  // namespace tsopt::rules_internal

#endif  // TSOPT_SRC_RULES_SEXPR_H_

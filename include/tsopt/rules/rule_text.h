// The rule text format (rules/README.md): s-expressions, one `(rule ...)`
// stanza per rule, `;` comments. The loader validates every rule against
// the operator table and refuses a malformed file with
// "FILE:LINE:COL: reason"; the printer writes the canonical form, which the
// loader reads back to the same text.
//
//   TSOPT_ASSIGN_OR_RETURN(std::vector<Rule> rules,
//                          LoadRuleFile("rules/default.rules"));
//   std::string text = PrintRules(rules);
#ifndef TSOPT_RULES_RULE_TEXT_H_
#define TSOPT_RULES_RULE_TEXT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tsopt/rules/rule.h"

namespace tsopt {

// Parses and validates every rule of `text`; `filename` prefixes errors.
// Rule names must be unique within the text.
absl::StatusOr<std::vector<Rule>> ParseRules(absl::string_view text,
                                             absl::string_view filename);

// Reads and parses a file (NotFound when it cannot be read).
absl::StatusOr<std::vector<Rule>> LoadRuleFile(const std::string& path);

// Loads a file and freezes it into a RuleSet.
absl::StatusOr<RuleSet> LoadRuleSet(const std::string& path);

// The canonical text of one rule (a stanza, ending in a newline).
std::string PrintRule(const Rule& rule);

// `header` lines (without ';') become comments at the top, then one stanza
// per rule separated by blank lines.
std::string PrintRules(absl::Span<const Rule> rules,
                       absl::Span<const std::string> header = {});

// Writes PrintRules(rules, header) to `path` atomically: the text goes to
// "PATH.tmp" first and is renamed over `path` only when complete, so an
// interrupted run never leaves a file that looks finished.
absl::Status WriteRuleFile(const std::string& path,
                           absl::Span<const Rule> rules,
                           absl::Span<const std::string> header = {});

}  // namespace tsopt

#endif  // TSOPT_RULES_RULE_TEXT_H_

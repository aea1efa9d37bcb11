// tsopt verify: prove rules from the operator axioms with Z3 and check them
// numerically; or check the axioms themselves.
//   tsopt verify FILE.rules [--timeout-ms T] [--threads N] [--report R.json]
//                           [--write OUT.rules [--keep-proved]] [--no-numeric]
// --keep-proved writes only the proved rules (how rules/default.rules is
// made from the generator's candidates) and then exits 0: the written file
// is fully proved.
//   tsopt verify --check-axioms
// Progress goes to stderr; the per-rule table and the summary to stdout.
// Exit code: 0 when every rule is proved (or every axiom holds), 1 when not,
// 2 on bad input.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/cli/args.h"
#include "src/cli/commands.h"
#include "tsopt/rules/rule_text.h"
#include "tsopt/util/status_macros.h"
#include "tsopt/verifier/axioms.h"
#include "tsopt/verifier/verify.h"

namespace tsopt::cli {
namespace {

absl::Status WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return absl::UnavailableError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

// The leading "; ..." comment lines of a rule file (its provenance and
// regeneration command), without the "; ".
std::vector<std::string> HeaderComments(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line) && line.rfind(";", 0) == 0) {
    lines.push_back(line.substr(std::min<size_t>(line.size(), 2)));
  }
  return lines;
}

absl::StatusOr<int> CheckAxiomsCommand() {
  TSOPT_ASSIGN_OR_RETURN(std::vector<Rule> axioms, OperatorAxioms());
  TSOPT_ASSIGN_OR_RETURN(AxiomCheckReport report, CheckAxioms(axioms));
  for (const std::string& f : report.failures) {
    std::printf("WRONG AXIOM %s\n", f.c_str());
  }
  std::printf("axioms: %d, concrete instances: %d, failures: %zu\n",
              report.axioms, report.instances, report.failures.size());
  return report.failures.empty() ? 0 : 1;
}

absl::StatusOr<int> Verify(const Args& args) {
  if (args.Has("check-axioms")) {
    if (!args.positional().empty()) {
      return absl::InvalidArgumentError("--check-axioms takes no rule file");
    }
    return CheckAxiomsCommand();
  }
  if (args.positional().size() != 1) {
    return absl::InvalidArgumentError(
        "need exactly one FILE.rules (or --check-axioms); tsopt verify --help "
        "shows the flags");
  }
  VerifyOptions options;
  TSOPT_ASSIGN_OR_RETURN(int64_t timeout, args.GetInt("timeout-ms", 10000));
  TSOPT_ASSIGN_OR_RETURN(int64_t threads, args.GetInt("threads", 1));
  if (timeout < 1 || threads < 1) {
    return absl::InvalidArgumentError(
        "--timeout-ms and --threads must be >= 1");
  }
  options.timeout_ms = static_cast<int>(timeout);
  options.threads = static_cast<int>(threads);
  options.numeric_check = !args.Has("no-numeric");
  options.on_progress = [](int done, int total, const RuleVerdict& v) {
    std::fprintf(stderr, "[%d/%d] %-40s %-8s %.3fs%s%s\n", done, total,
                 v.rule.c_str(),
                 std::string(VerificationStatusName(v.status)).c_str(),
                 v.seconds, v.detail.empty() ? "" : "  ", v.detail.c_str());
  };
  TSOPT_ASSIGN_OR_RETURN(std::vector<Rule> rules,
                         LoadRuleFile(args.positional()[0]));
  const auto start = std::chrono::steady_clock::now();
  TSOPT_ASSIGN_OR_RETURN(std::vector<RuleVerdict> verdicts,
                         MarkVerified(rules, options));
  const double wall = std::chrono::duration<double>(
                          std::chrono::steady_clock::now() - start)
                          .count();
  int proved = 0, refuted = 0, unknown = 0, bugs = 0;
  for (const RuleVerdict& v : verdicts) {
    std::printf("%-8s %-40s %.3fs %s\n",
                std::string(VerificationStatusName(v.status)).c_str(),
                v.rule.c_str(), v.seconds, v.detail.c_str());
    proved += v.status == VerificationStatus::kProved;
    refuted += v.status == VerificationStatus::kRefuted;
    unknown += v.status == VerificationStatus::kUnknown;
    bugs += v.axiom_bug;
  }
  std::printf("rules: %zu, proved: %d, refuted: %d, unknown: %d, "
              "wall: %.2f s (%d threads)\n",
              verdicts.size(), proved, refuted, unknown, wall,
              options.threads);
  if (bugs > 0) {
    std::fprintf(stderr,
                 "tsopt verify: %d rule(s) proved by Z3 but refuted "
                 "numerically: an operator axiom is wrong "
                 "(run tsopt verify --check-axioms)\n",
                 bugs);
  }
  if (std::optional<std::string> report = args.Get("report")) {
    TSOPT_RETURN_IF_ERROR(WriteFile(*report, VerdictsToJson(verdicts, wall)));
  }
  const bool keep_proved = args.Has("keep-proved");
  if (keep_proved && !args.Has("write")) {
    return absl::InvalidArgumentError("--keep-proved needs --write");
  }
  if (std::optional<std::string> out = args.Get("write")) {
    std::vector<std::string> header = HeaderComments(args.positional()[0]);
    header.push_back(absl::StrCat("Statuses from tsopt verify (",
                                  proved, " of ", verdicts.size(),
                                  " proved)."));
    if (keep_proved) {
      header.push_back("Only the proved rules are kept (--keep-proved).");
      rules.erase(std::remove_if(rules.begin(), rules.end(),
                                 [](const Rule& r) {
                                   return r.status !=
                                          VerificationStatus::kProved;
                                 }),
                  rules.end());
    }
    TSOPT_RETURN_IF_ERROR(WriteFile(*out, PrintRules(rules, header)));
    if (keep_proved) return 0;
  }
  return proved == static_cast<int>(verdicts.size()) ? 0 : 1;
}

}  // namespace

int RunVerify(int argc, char** argv) {
  absl::StatusOr<Args> args =
      Args::Parse(argc, argv, {"timeout-ms", "threads", "report", "write"},
                  {"check-axioms", "no-numeric", "keep-proved"});
  absl::StatusOr<int> code =
      args.ok() ? Verify(*args) : absl::StatusOr<int>(args.status());
  if (!code.ok()) {
    std::fprintf(stderr, "tsopt verify: %s\n",
                 std::string(code.status().message()).c_str());
    return 2;
  }
  return *code;
}

}  // namespace tsopt::cli

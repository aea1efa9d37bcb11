// The tsopt subcommands. Each lives in its own file (src/cli/<name>.cc) and
// returns the process exit code: 0 success, 1 failure of the work itself
// (e.g. a rule refuted), 2 bad input or usage. The table (commands.cc) holds
// each command's one-line summary and its usage, which `tsopt CMD --help`
// prints and UsageError repeats after a usage mistake.
#ifndef TSOPT_CLI_COMMANDS_H_
#define TSOPT_CLI_COMMANDS_H_

#include <string>

#include "absl/types/span.h"

namespace tsopt::cli {

// argv excludes the program and subcommand names.
using CommandFn = int (*)(int argc, char** argv);

struct Command {
  const char* name;
  const char* summary;
  const char* usage;  // flags after "tsopt NAME"
  CommandFn run;
};

absl::Span<const Command> Commands();

// Prints "tsopt NAME: WHY" and the command's usage to stderr; returns 2.
int UsageError(const char* name, const std::string& why);

int RunPrint(int argc, char** argv);
int RunRun(int argc, char** argv);
int RunCost(int argc, char** argv);
int RunGenerate(int argc, char** argv);
int RunMergeRules(int argc, char** argv);
int RunConvert(int argc, char** argv);
int RunOptimize(int argc, char** argv);
int RunVerify(int argc, char** argv);

}  // namespace tsopt::cli

#endif  // TSOPT_CLI_COMMANDS_H_

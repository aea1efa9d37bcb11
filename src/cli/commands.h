// The tsopt subcommands. Each lives in its own file (src/cli/<name>.cc) and
// returns the process exit code: 0 success, 1 failure of the work itself
// (e.g. a rule refuted), 2 bad input or usage.
#ifndef TSOPT_CLI_COMMANDS_H_
#define TSOPT_CLI_COMMANDS_H_

namespace tsopt::cli {

// argv excludes the program and subcommand names.
using CommandFn = int (*)(int argc, char** argv);

struct Command {
  const char* name;
  const char* summary;
  CommandFn run;
};

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

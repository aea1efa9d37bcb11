// tsopt: the command-line tool, a thin layer over the library.
//   tsopt <command> [flags]     tsopt help
#include <cstdio>
#include <cstring>

#include "src/cli/commands.h"

namespace tsopt::cli {
namespace {

// One row per subcommand.
constexpr Command kCommands[] = {
    {"print", "parse a graph in the text format and print it back", RunPrint},
    {"run", "run a graph on oneDNN, cuDNN or the reference; time it, --check it",
     RunRun},
    {"cost", "per-node and total cost of a graph (onednn, cudnn or analytic)",
     RunCost},
    {"generate", "enumerate graphs and write candidate rules", RunGenerate},
    {"merge-rules", "combine rule files (e.g. generate shards) into one",
     RunMergeRules},
    {"convert", "import an ONNX model and export it again (-o OUT.onnx)",
     RunConvert},
    {"optimize", "search for a faster equivalent graph; report before/after",
     RunOptimize},
    {"verify", "prove rules from the operator axioms (Z3) and check them",
     RunVerify},
};

void PrintUsage() {
  std::fprintf(stderr, "usage: tsopt <command> [flags]\n\ncommands:\n");
  for (const Command& c : kCommands) {
    std::fprintf(stderr, "  %-14s %s\n", c.name, c.summary);
  }
}

}  // namespace
}  // namespace tsopt::cli

int main(int argc, char** argv) {
  using tsopt::cli::kCommands;
  if (argc < 2 || !std::strcmp(argv[1], "help") ||
      !std::strcmp(argv[1], "--help")) {
    tsopt::cli::PrintUsage();
    return argc < 2 ? 2 : 0;
  }
  for (const auto& c : kCommands) {
    if (!std::strcmp(argv[1], c.name)) return c.run(argc - 2, argv + 2);
  }
  std::fprintf(stderr, "tsopt: unknown command '%s'\n", argv[1]);
  tsopt::cli::PrintUsage();
  return 2;
}

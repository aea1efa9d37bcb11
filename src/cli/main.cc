// tsopt: the command-line tool, a thin layer over the library.
//   tsopt <command> [flags]     tsopt help     tsopt <command> --help
#include <cstdio>
#include <cstring>

#include "src/cli/commands.h"

namespace tsopt::cli {
namespace {

void PrintUsage(FILE* to) {
  std::fprintf(to,
               "usage: tsopt <command> [flags]   (tsopt <command> --help "
               "for its flags)\n\ncommands:\n");
  for (const Command& c : Commands()) {
    std::fprintf(to, "  %-14s %s\n", c.name, c.summary);
  }
}

bool IsHelpFlag(const char* arg) {
  return !std::strcmp(arg, "--help") || !std::strcmp(arg, "-h");
}

bool AsksForHelp(int argc, char** argv) {
  for (int i = 0; i < argc; ++i) {
    if (IsHelpFlag(argv[i])) return true;
  }
  return false;
}

}  // namespace
}  // namespace tsopt::cli

int main(int argc, char** argv) {
  using namespace tsopt::cli;
  if (argc < 2 || IsHelpFlag(argv[1]) || !std::strcmp(argv[1], "help")) {
    PrintUsage(argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  for (const Command& c : Commands()) {
    if (std::strcmp(argv[1], c.name)) continue;
    if (AsksForHelp(argc - 2, argv + 2)) {
      std::printf("tsopt %s: %s\nusage: tsopt %s %s\n", c.name, c.summary,
                  c.name, c.usage);
      return 0;
    }
    return c.run(argc - 2, argv + 2);
  }
  std::fprintf(stderr, "tsopt: unknown command '%s'\n", argv[1]);
  PrintUsage(stderr);
  return 2;
}

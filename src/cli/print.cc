// tsopt print: placeholder until the text format and builtin models land.
#include <cstdio>

#include "src/cli/commands.h"

namespace tsopt::cli {

int RunPrint(int argc, char** argv) {
  std::fprintf(stderr, "tsopt print: not available yet\n");
  return 2;
}

}  // namespace tsopt::cli

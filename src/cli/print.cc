// tsopt print FILE: parses a graph in the text format and prints it back in
// canonical form (with output shapes), or the parse error with its line and
// column (exit 2).
//
//   tsopt print model.tsg [--no-shapes] [--elide-data]
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "src/cli/args.h"
#include "src/cli/commands.h"
#include "tsopt/ir/text.h"

namespace tsopt::cli {

int RunPrint(int argc, char** argv) {
  absl::StatusOr<Args> args =
      Args::Parse(argc, argv, {}, {"no-shapes", "elide-data"});
  if (!args.ok() || args->positional().size() != 1) {
    return UsageError("print", args.ok() ? "need exactly one FILE"
                                         : std::string(args.status().message()));
  }
  const std::string& path = args->positional()[0];
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    std::fprintf(stderr, "tsopt print: cannot read %s\n", path.c_str());
    return 2;
  }
  std::stringstream text;
  text << file.rdbuf();
  absl::StatusOr<Graph> graph = ParseGraph(text.str());
  if (!graph.ok()) {
    std::fprintf(stderr, "tsopt print: %s:%s\n", path.c_str(),
                 std::string(graph.status().message()).c_str());
    return 2;
  }
  PrintOptions options;
  options.shapes = !args->Has("no-shapes");
  options.weight_data = !args->Has("elide-data");
  std::fputs(PrintGraph(*graph, options).c_str(), stdout);
  return 0;
}

}  // namespace tsopt::cli

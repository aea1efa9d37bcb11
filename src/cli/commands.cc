// The table of tsopt subcommands: name, summary, usage, entry point.
#include "src/cli/commands.h"

#include <cstdio>
#include <cstring>

namespace tsopt::cli {
namespace {

constexpr Command kCommands[] = {
    {"print", "parse a graph in the text format and print it back",
     "FILE [--no-shapes] [--elide-data]", RunPrint},
    {"run",
     "run a graph on oneDNN, cuDNN or the reference; time it, --check it",
     "--model MODEL [--backend onednn|cudnn|reference] [--check] [--repeat N]\n"
     "    [--threads N] [--seed S] [--clock wall|cpu] [--stat median|min]\n"
     "    [--input-shape name=d0,d1,...;name2=...]\n"
     "MODEL: a zoo name, FILE.onnx or a graph file in the text format",
     RunRun},
    {"cost", "per-node and total cost of a graph (onednn, cudnn or analytic)",
     "--model MODEL [--cost onednn|cudnn|analytic] [--cache PATH] "
     "[--no-cache]\n"
     "    [--threads N] [--batches N] [--min-batch-ms X] [--clock wall|cpu]\n"
     "    [--stat median|min] [--input-shape name=d0,d1,...;name2=...]",
     RunCost},
    {"generate", "enumerate graphs and write candidate rules",
     "--out FILE [--max-ops N (1..4, default 3)] [--ops a,b,...] [--threads "
     "T]\n"
     "    [--shard K/M] [--seed S]",
     RunGenerate},
    {"merge-rules", "combine rule files (e.g. generate shards) into one",
     "--out FILE IN.rules...", RunMergeRules},
    {"convert", "import an ONNX model and export it again (-o OUT.onnx)",
     "IN.onnx -o OUT.onnx [--input-shape name=d0,d1,...;name2=...]\n"
     "    [--opset N] [--check]",
     RunConvert},
    {"optimize", "search for a faster equivalent graph; report before/after",
     "[MODEL | --builtin NAME] [-o OUT.onnx|OUT.txt] [--check]\n"
     "    [--cost onednn|analytic|cudnn] [--budget N] [--alpha A]\n"
     "    [--time-limit S] [--threads N] [--seed S] [--report R.json]\n"
     "    [--dot-before F] [--dot-after F] [--rules FILE] "
     "[--allow-unverified]\n"
     "    [--batch N] [--input-shape name=d0,d1,...] [--opset N] [--quiet]\n"
     "    [--cost-threads N] [--clock wall|cpu]\n"
     "MODEL: FILE.onnx, a graph file in the text format or a zoo name;\n"
     "no model: the bundled default model",
     RunOptimize},
    {"verify", "prove rules from the operator axioms (Z3) and check them",
     "FILE.rules [--timeout-ms T] [--threads N] [--report R.json]\n"
     "    [--write OUT.rules [--keep-proved]] [--no-numeric]\n"
     "  or: tsopt verify --check-axioms",
     RunVerify},
};

}  // namespace

absl::Span<const Command> Commands() { return kCommands; }

int UsageError(const char* name, const std::string& why) {
  for (const Command& c : kCommands) {
    if (!std::strcmp(c.name, name)) {
      std::fprintf(stderr, "tsopt %s: %s\nusage: tsopt %s %s\n", name,
                   why.c_str(), name, c.usage);
      return 2;
    }
  }
  std::fprintf(stderr, "tsopt %s: %s\n", name, why.c_str());
  return 2;
}

}  // namespace tsopt::cli

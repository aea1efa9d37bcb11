// Builds a ResNet basic block with the GraphBuilder API and prints its
// nodes and output shape. Copy this to start your own graph.
//
//   x -> conv3x3 -> bn -> relu -> conv3x3 -> bn -> (+ x) -> relu
#include <cstdio>

#include "tsopt/ir/builder.h"

namespace {

tsopt::ValueId ConvBn(tsopt::GraphBuilder& b, tsopt::ValueId x,
                      int64_t channels) {
  tsopt::ValueId w = b.Weight({channels, channels, 3, 3});
  tsopt::ValueId y = b.Conv2D(x, w, {.stride = {1, 1}, .pad = {1, 1, 1, 1}});
  return b.BatchNorm(y, b.Constant({channels}, 1.0f), b.Weight({channels}),
                     b.Weight({channels}), b.Constant({channels}, 1.0f));
}

}  // namespace

int main() {
  tsopt::GraphBuilder b(/*seed=*/42);
  tsopt::ValueId x = b.Input({1, 64, 56, 56}, "x");
  tsopt::ValueId y = b.Relu(ConvBn(b, x, 64));
  y = ConvBn(b, y, 64);
  b.Output(b.Relu(b.Add(y, x)));
  absl::StatusOr<tsopt::Graph> graph = std::move(b).Build();
  if (!graph.ok()) {
    std::fprintf(stderr, "error: %s\n", graph.status().ToString().c_str());
    return 2;
  }
  for (tsopt::NodeId id = 0; id < graph->num_nodes(); ++id) {
    const tsopt::Node& n = graph->node(id);
    std::printf("%%%d = %s %s\n", id, std::string(tsopt::OpMnemonic(n.op)).c_str(),
                n.output_shapes[0].ToString().c_str());
  }
  std::printf("output: %s\n",
              graph->shape(graph->outputs()[0]).ToString().c_str());
  return 0;
}

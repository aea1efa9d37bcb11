// Small, realistic graphs with random weights, built with Graph::AddOp: the
// executor and cost-model tests, the benchmarks and the CLI's builtin
// models use them. Deterministic for a seed; weights are scaled by
// 1/sqrt(fan-in) so activations stay O(1) through the graph.
//
//   TSOPT_ASSIGN_OR_RETURN(Graph g, ResNetBasicBlock({.channels = 16}));
#ifndef TSOPT_RUNTIME_SAMPLE_GRAPHS_H_
#define TSOPT_RUNTIME_SAMPLE_GRAPHS_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "tsopt/ir/graph.h"

namespace tsopt {

// x -> conv3x3 -> batchnorm -> relu -> conv3x3 -> batchnorm -> add(x') ->
// relu, where x' is x, or with `downsample` (stride 2, channels doubled) a
// 1x1 stride-2 conv + batchnorm of x.
struct ResNetBlockOptions {
  int64_t batch = 1;
  int64_t channels = 16;  // input channels
  int64_t size = 14;      // input height = width
  bool downsample = false;
  uint64_t seed = 1;
};
absl::StatusOr<Graph> ResNetBasicBlock(const ResNetBlockOptions& options);

// One BERT encoder layer on x [seq, hidden]: multi-head self-attention
// (matmul + bias for q, k, v; reshape/transpose into heads; scaled scores;
// softmax; context; output projection), residual add, layernorm, then the
// FFN (matmul + bias, gelu, matmul + bias), residual add, layernorm.
struct BertLayerOptions {
  int64_t seq = 16;
  int64_t hidden = 64;
  int64_t heads = 4;
  int64_t ffn = 256;
  uint64_t seed = 1;
};
absl::StatusOr<Graph> BertLayer(const BertLayerOptions& options);

// `depth` conv3x3 (+ fused relu) layers of `channels` channels on a
// [1, channels, size, size] input.
struct ConvStackOptions {
  int64_t depth = 4;
  int64_t channels = 32;
  int64_t size = 28;
  uint64_t seed = 1;
};
absl::StatusOr<Graph> ConvStack(const ConvStackOptions& options);

}  // namespace tsopt

#endif  // TSOPT_RUNTIME_SAMPLE_GRAPHS_H_

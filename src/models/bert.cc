// BERT-base encoder (Devlin et al.; the layer as Hugging Face's BertLayer
// computes it): 12 layers, hidden 768, 12 heads of 64, feed-forward 3072,
// GELU (erf), LayerNorm eps 1e-12 after each residual add, default sequence
// 128. The input is the embedded sequence, [batch * seq, 768] (the embedding
// lookup needs a gather, which ops.def does not have); no attention mask
// (every token attends to every token); no pooler. Output: [batch * seq, 768].
//
// One layer (h: [b*s, 768]):
//   q, k, v = h W_q + b_q, h W_k + b_k, h W_v + b_v
//   q -> reshape [b, s, 12, 64] -> transpose (0,2,1,3) -> [b, 12, s, 64]
//   k -> reshape [b, s, 12, 64] -> transpose (0,2,3,1) -> [b, 12, 64, s]
//   p = softmax((q k) * 1/8, axis -1);  a = p v  -> [b, 12, s, 64]
//   a -> transpose (0,2,1,3) -> reshape [b*s, 768] -> a W_o + b_o
//   h1 = layernorm(h + a);  h2 = layernorm(h1 + gelu(h1 W_1 + b_1) W_2 + b_2)
#include <cmath>

#include "src/models/builders.h"
#include "src/models/net.h"

namespace tsopt::models {
namespace {

constexpr int64_t kHidden = 768;
constexpr int64_t kHeads = 12;
constexpr int64_t kHeadDim = kHidden / kHeads;
constexpr int64_t kFeedForward = 3072;
constexpr int kLayers = 12;

ValueId BertLayer(Net& net, ValueId h, int64_t batch, int64_t seq) {
  GraphBuilder& b = net.b();
  auto heads = [&](ValueId x, std::vector<int64_t> perm) {
    return b.Transpose(b.Reshape(x, {batch, seq, kHeads, kHeadDim}),
                       std::move(perm));
  };
  ValueId q = heads(net.Linear(h, kHidden), {0, 2, 1, 3});
  ValueId k = heads(net.Linear(h, kHidden), {0, 2, 3, 1});
  ValueId v = heads(net.Linear(h, kHidden), {0, 2, 1, 3});
  ValueId scale =
      b.Constant({}, 1.0f / std::sqrt(static_cast<float>(kHeadDim)));
  ValueId probs = b.Softmax(b.ScalarMul(b.MatMul(q, k), scale), -1);
  ValueId context = b.Reshape(b.Transpose(b.MatMul(probs, v), {0, 2, 1, 3}),
                              {batch * seq, kHidden});
  ValueId h1 = net.LayerNorm(b.Add(h, net.Linear(context, kHidden)));
  ValueId ff = net.Linear(b.Gelu(net.Linear(h1, kFeedForward)), kHidden);
  return net.LayerNorm(b.Add(h1, ff));
}

}  // namespace

absl::StatusOr<Graph> BuildBertBase(const ModelConfig& c) {
  Net net(c.seed);
  ValueId h = net.b().Input({c.batch * c.size, kHidden}, "hidden");
  for (int i = 0; i < kLayers; ++i) h = BertLayer(net, h, c.batch, c.size);
  return std::move(net).Finish({h});
}

absl::StatusOr<Graph> BuildBertLayer(const ModelConfig& c) {
  Net net(c.seed);
  ValueId h = net.b().Input({c.batch * c.size, kHidden}, "hidden");
  return std::move(net).Finish({BertLayer(net, h, c.batch, c.size)});
}

}  // namespace tsopt::models

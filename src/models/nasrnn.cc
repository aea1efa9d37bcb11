// NasRNN: the recurrent cell found by neural architecture search (Zoph & Le,
// "Neural Architecture Search with Reinforcement Learning"), unrolled over
// the sequence as in TASO's examples/nasrnn.py: hidden size 512, default 5
// steps, inputs x0..x{n-1} of [batch, 512] and the initial state h0.
//
// One step, with t_i = x * W_i + h * U_i (i = 0..7, 16 matmuls):
//   m0 = relu(t0) + sigmoid(t3)      m1 = sigmoid(t1) + tanh(t2)
//   m2 = sigmoid(t4) * tanh(t5)      m3 = sigmoid(t6) * relu(t7)
//   m4 = sigmoid(m1) + tanh(m2)      m5 = tanh(m0) * tanh(m3)
//   h' = tanh(tanh(m4) * tanh(m5))
// Deviation: TASO makes the initial state a weight; here it is an input, so
// that no step folds into constants. The output is the last state.
#include <string>

#include "absl/strings/str_cat.h"
#include "src/models/builders.h"
#include "src/models/net.h"

namespace tsopt::models {
namespace {

constexpr int64_t kHidden = 512;

ValueId Combine(Net& net, ValueId x, ValueId h) {
  GraphBuilder& b = net.b();
  return b.Add(b.MatMul(x, net.Weight({kHidden, kHidden}, kHidden)),
               b.MatMul(h, net.Weight({kHidden, kHidden}, kHidden)));
}

ValueId NasStep(Net& net, ValueId h, ValueId x) {
  GraphBuilder& b = net.b();
  ValueId t[8];
  for (ValueId& ti : t) ti = Combine(net, x, h);
  ValueId m0 = b.Add(b.Relu(t[0]), b.Sigmoid(t[3]));
  ValueId m1 = b.Add(b.Sigmoid(t[1]), b.Tanh(t[2]));
  ValueId m2 = b.Mul(b.Sigmoid(t[4]), b.Tanh(t[5]));
  ValueId m3 = b.Mul(b.Sigmoid(t[6]), b.Relu(t[7]));
  ValueId m4 = b.Add(b.Sigmoid(m1), b.Tanh(m2));
  ValueId m5 = b.Mul(b.Tanh(m0), b.Tanh(m3));
  return b.Tanh(b.Mul(b.Tanh(m4), b.Tanh(m5)));
}

}  // namespace

absl::StatusOr<Graph> BuildNasRnn(const ModelConfig& c) {
  Net net(c.seed);
  GraphBuilder& b = net.b();
  std::vector<ValueId> xs;
  for (int64_t i = 0; i < c.size; ++i) {
    xs.push_back(b.Input({c.batch, kHidden}, absl::StrCat("x", i)));
  }
  ValueId h = b.Input({c.batch, kHidden}, "h0");
  for (ValueId x : xs) h = NasStep(net, h, x);
  return std::move(net).Finish({h});
}

}  // namespace tsopt::models

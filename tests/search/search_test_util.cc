// Helpers for the search tests (see search_test_util.h).
#include "tests/search/search_test_util.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tsopt/ir/tensor.h"
#include "tsopt/ir/text.h"
#include "tsopt/reference/evaluator.h"
#include "tsopt/rules/rule_text.h"
#include "tsopt/util/status_macros.h"

namespace tsopt::testing_util {

const char kTestRules[] = R"(
(rule fuse-conv-relu
  (provenance hand-written)
  (status unverified)
  (attr-vars (s [1 1]) (p [1 1 1 1]))
  (vars (x act [1 2 4 4]) (w weight [2 2 3 3]))
  (source (relu (conv2d :stride ?s :pad ?p x w)))
  (target (conv2d :stride ?s :pad ?p :activation relu x w)))

(rule merge-convs
  (provenance hand-written)
  (status unverified)
  (attr-vars (s [1 1]) (p [0 0 0 0]))
  (vars (x act [1 2 5 5]) (w1 weight [3 2 3 3]) (w2 weight [4 2 3 3]))
  (where (= (dim w1 2) (dim w2 2)) (= (dim w1 3) (dim w2 3)))
  (source (conv2d :stride ?s :pad ?p x w1) (conv2d :stride ?s :pad ?p x w2))
  (target (let y (split :axis 1 :sizes [(dim w1 0) (dim w2 0)]
                   (conv2d :stride ?s :pad ?p x (concat w1 w2))))
          y.0 y.1))

(rule merge-matmuls
  (provenance hand-written)
  (status unverified)
  (vars (x act [2 3]) (w1 weight [3 4]) (w2 weight [3 5]))
  (source (matmul x w1) (matmul x w2))
  (target (let y (split :axis -1 :sizes [(dim w1 1) (dim w2 1)]
                   (matmul x (concat :axis 1 w1 w2))))
          y.0 y.1))

(rule merge-conv1x1-conv3x3
  (provenance hand-written)
  (status unverified)
  (attr-vars (s [1 1]))
  (vars (x act [1 2 4 4]) (w1 weight [2 2 1 1]) (w3 weight [3 2 3 3]))
  (where (= (dim w1 2) 1) (= (dim w1 3) 1) (= (dim w3 2) 3) (= (dim w3 3) 3))
  (source (conv2d :stride ?s x w1) (conv2d :stride ?s :pad [1 1 1 1] x w3))
  (target (let y (split :axis 1 :sizes [(dim w1 0) (dim w3 0)]
                   (conv2d :stride ?s :pad [1 1 1 1] x
                           (concat (enlarge :kernel [3 3] w1) w3))))
          y.0 y.1))

(rule fold-conv-batchnorm
  (provenance hand-written)
  (status unverified)
  (attr-vars (s [1 1]) (p [1 1 1 1]) (eps 9.99999975e-06))
  (vars (x act [1 2 4 4]) (w weight [3 2 3 3]) (g weight [3]) (b weight [3])
        (m weight [3]) (v weight [3]) (e const (fill ?eps) (shape 1)))
  (source (batchnorm :epsilon ?eps (conv2d :stride ?s :pad ?p x w) g b m v))
  (target (let k (div g (sqrt (add v e))))
          (add (conv2d :stride ?s :pad ?p x
                       (mul w (reshape :shape [(dim w 0) 1 1 1] k)))
               (reshape :shape [1 (dim w 0) 1 1] (sub b (mul m k))))))

(rule concat-split-cancel
  (provenance hand-written)
  (status unverified)
  (attr-vars (a 1) (sz [2 2]))
  (vars (x act [1 4 2 2]))
  (source (let y (split :axis ?a :sizes ?sz x)) (concat :axis ?a y.0 y.1))
  (target x))

(rule matmul-scalar-right
  (provenance hand-written)
  (status unverified)
  (vars (a act [2 3]) (b act [3 4]) (s scalar))
  (source (scalar_mul (matmul a b) s))
  (target (matmul a (scalar_mul b s))))

(rule scalar-mul-transpose
  (provenance hand-written)
  (status unverified)
  (attr-vars (p [1 0]))
  (vars (x act [2 3]) (s scalar))
  (source (scalar_mul (transpose :perm ?p x) s))
  (target (transpose :perm ?p (scalar_mul x s))))

(rule scalar-mul-reshape
  (provenance hand-written)
  (status unverified)
  (attr-vars (sh [3 2]))
  (vars (x act [2 3]) (s scalar))
  (source (scalar_mul (reshape :shape ?sh x) s))
  (target (reshape :shape ?sh (scalar_mul x s))))

(rule scalar-mul-add
  (provenance hand-written)
  (status unverified)
  (vars (x act [2 3]) (b act [3]) (s scalar))
  (source (scalar_mul (add x b) s))
  (target (add (scalar_mul x s) (scalar_mul b s))))
)";

absl::StatusOr<Graph> GraphWithData(const std::string& text, uint64_t seed) {
  TSOPT_ASSIGN_OR_RETURN(Graph parsed, ParseGraph(text));
  Graph g;
  for (NodeId id = 0; id < parsed.num_nodes(); ++id) {
    const Node& n = parsed.node(id);
    if (n.op == OpKind::kInput) {
      TSOPT_RETURN_IF_ERROR(
          g.AddInput(n.attrs_as<InputAttrs>().name,
                     n.output_shapes[0].dims()).status());
    } else if (n.op == OpKind::kWeight) {
      auto data = n.weight;
      if (!data) {
        data = WeightData::Create(
            Tensor::Random(n.output_shapes[0], seed + id).data);
      }
      TSOPT_RETURN_IF_ERROR(
          g.AddWeight(n.output_shapes[0].dims(), data, n.name).status());
    } else {
      TSOPT_RETURN_IF_ERROR(
          g.AddNode(n.op, n.attrs, n.inputs, n.name).status());
    }
  }
  for (ValueId o : parsed.outputs()) TSOPT_RETURN_IF_ERROR(g.MarkOutput(o));
  return g;
}

absl::StatusOr<RuleSet> RulesFromText(const std::string& text) {
  TSOPT_ASSIGN_OR_RETURN(std::vector<Rule> rules, ParseRules(text, "test"));
  return RuleSet::Create(std::move(rules));
}

absl::StatusOr<double> MaxRelativeDifference(const Graph& a, const Graph& b,
                                             uint64_t seed) {
  std::vector<Tensor> inputs;
  for (NodeId id : a.InputNodes()) {
    inputs.push_back(Tensor::Random(a.node(id).output_shapes[0], seed + id));
  }
  TSOPT_ASSIGN_OR_RETURN(std::vector<Tensor> ya, Evaluate(a, inputs));
  TSOPT_ASSIGN_OR_RETURN(std::vector<Tensor> yb, Evaluate(b, inputs));
  if (ya.size() != yb.size()) {
    return absl::InvalidArgumentError("output counts differ");
  }
  double worst = 0;
  for (size_t i = 0; i < ya.size(); ++i) {
    if (ya[i].shape != yb[i].shape) {
      return absl::InvalidArgumentError(absl::StrCat("output ", i, " shapes ",
                                                     ya[i].shape.ToString(),
                                                     " vs ",
                                                     yb[i].shape.ToString()));
    }
    for (size_t j = 0; j < ya[i].data.size(); ++j) {
      double d = std::fabs(ya[i].data[j] - yb[i].data[j]) /
                 (1.0 + std::fabs(yb[i].data[j]));
      if (!(d <= worst)) worst = std::isnan(d) ? INFINITY : d;
    }
  }
  return worst;
}

absl::StatusOr<OpCost> LayoutModel::Measure(const OpSignature& sig) {
  ++measured;
  OpCost c;
  TSOPT_ASSIGN_OR_RETURN(c.ms, analytic_.Cost(sig));
  c.source = "test";
  if (sig.op == OpKind::kConv2D || sig.op == OpKind::kMatMul) {
    c.input_layouts.assign(sig.inputs.size(), kPlainLayout);
    c.input_layouts[0] = "blk";
    c.output_layouts = {"blk"};
  } else if (sig.op == OpKind::kRelu || sig.op == OpKind::kAdd ||
             sig.op == OpKind::kBatchNorm) {
    c.input_layouts.assign(sig.inputs.size(), kFollowLayout);
  }
  return c;
}

int CountOp(const Graph& g, OpKind op) {
  return static_cast<int>(std::count_if(
      g.nodes().begin(), g.nodes().end(),
      [op](const Node& n) { return n.op == op; }));
}

}  // namespace tsopt::testing_util

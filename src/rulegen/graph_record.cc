// Graph records of the generator (graph_record.h).
#include "src/rulegen/graph_record.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "tsopt/ir/shape_inference.h"
#include "tsopt/reference/evaluator.h"
#include "tsopt/rules/constants.h"
#include "tsopt/util/status_macros.h"

namespace tsopt::rulegen {

bool FloatClose(const Tensor& a, const Tensor& b, const GeneratorOptions& o) {
  if (a.shape != b.shape) return false;
  for (size_t i = 0; i < a.data.size(); ++i) {
    double x = a.data[i], y = b.data[i];
    if (!std::isfinite(x) || !std::isfinite(y)) return false;
    if (std::abs(x - y) > o.atol + o.rtol * std::max(std::abs(x), std::abs(y))) {
      return false;
    }
  }
  return true;
}

uint64_t FingerprintHash(const ModTensor& t) {
  uint64_t h = 0x1234567;
  for (int64_t d : t.shape.dims()) h = Mix(h, static_cast<uint64_t>(d));
  h = Mix(h, 0xfeed);
  for (int64_t v : t.data) h = Mix(h, static_cast<uint64_t>(v));
  return h;
}

std::vector<int> LeavesUsed(const GraphRecord& r, const Universe& u,
                            bool with_constants) {
  std::vector<bool> used(u.leaves.size(), false);
  for (int i = 0; i < r.num_nodes; ++i) {
    for (int k = 0; k < r.nodes[i].arity; ++k) {
      if (r.nodes[i].in[k].node < 0) used[r.nodes[i].in[k].index] = true;
    }
  }
  for (int i = 0; i < r.num_outputs; ++i) {
    if (r.outputs[i].node < 0) used[r.outputs[i].index] = true;
  }
  std::vector<int> ids;
  for (int pass = 0; pass < (with_constants ? 2 : 1); ++pass) {
    for (size_t l = 0; l < used.size(); ++l) {
      if (used[l] && u.leaves[l].constant.has_value() == (pass == 1)) {
        ids.push_back(static_cast<int>(l));
      }
    }
  }
  return ids;
}

absl::StatusOr<Graph> RecordToGraph(const GraphRecord& r, const Universe& u,
                                    const std::vector<int>& leaf_ids) {
  Graph g;
  std::vector<ValueId> leaf_value(u.leaves.size());
  for (int l : leaf_ids) {
    const Leaf& leaf = u.leaves[l];
    if (leaf.constant) continue;
    TSOPT_ASSIGN_OR_RETURN(leaf_value[l], g.AddInput(leaf.name, leaf.shape.dims()));
  }
  std::vector<bool> made(u.leaves.size(), false);
  std::vector<std::vector<ValueId>> node_outs;
  auto value = [&](Ref ref) -> absl::StatusOr<ValueId> {
    if (ref.node >= 0) return node_outs[ref.node][ref.index];
    const Leaf& leaf = u.leaves[ref.index];
    if (leaf.constant && !made[ref.index]) {
      TSOPT_ASSIGN_OR_RETURN(auto data, MakeConstant(*leaf.constant, leaf.shape));
      TSOPT_ASSIGN_OR_RETURN(leaf_value[ref.index],
                             g.AddWeight(leaf.shape.dims(), data, leaf.name));
      made[ref.index] = true;
    }
    return leaf_value[ref.index];
  };
  for (int i = 0; i < r.num_nodes; ++i) {
    const RecNode& n = r.nodes[i];
    const OpChoice& c = u.choices[n.choice];
    std::vector<ValueId> ins;
    std::vector<Shape> shapes;
    for (int k = 0; k < n.arity; ++k) {
      TSOPT_ASSIGN_OR_RETURN(ValueId v, value(n.in[k]));
      ins.push_back(v);
      shapes.push_back(g.shape(v));
    }
    std::optional<Attrs> attrs = ResolveAttrs(c, shapes);
    if (!attrs) return absl::InternalError("record with unresolvable attrs");
    TSOPT_ASSIGN_OR_RETURN(std::vector<ValueId> outs,
                           g.AddNode(c.op, *attrs, ins));
    node_outs.push_back(outs);
  }
  for (int i = 0; i < r.num_outputs; ++i) {
    TSOPT_ASSIGN_OR_RETURN(ValueId v, value(r.outputs[i]));
    TSOPT_RETURN_IF_ERROR(g.MarkOutput(v));
  }
  return g;
}

std::vector<uint64_t> NodeHashes(const GraphRecord& r, const Universe& u) {
  std::vector<uint64_t> h(r.num_nodes);
  auto ref_hash = [&](Ref ref) {
    return ref.node < 0 ? Mix(0x1eaf, static_cast<uint64_t>(ref.index))
                        : Mix(h[ref.node], static_cast<uint64_t>(ref.index));
  };
  for (int i = 0; i < r.num_nodes; ++i) {
    const RecNode& n = r.nodes[i];
    uint64_t a = ref_hash(n.in[0]);
    uint64_t b = n.arity > 1 ? ref_hash(n.in[1]) : 0;
    if (n.arity > 1 && GetOpInfo(u.choices[n.choice].op).commutative && b < a) {
      std::swap(a, b);
    }
    h[i] = Mix(Mix(Mix(0xc0de, static_cast<uint64_t>(n.choice)), a), b);
  }
  return h;
}

}  // namespace tsopt::rulegen

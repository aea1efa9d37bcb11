// ApplyMatch: splice an instantiated target into a graph, drop dead nodes
// and fold weight-only target nodes (see tsopt/search/rewrite.h).
//
// The new graph is built over "virtual nodes": ids [0, n) are the old
// graph's nodes, [n, n + t) the instantiated target's. Edges are resolved
// through the replacement map (matched output -> target output) and target
// Input nodes through the match's variable binding; a depth-first walk from
// the outputs then emits every live node after its inputs.
#include "tsopt/search/rewrite.h"

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "tsopt/reference/evaluator.h"
#include "tsopt/util/status_macros.h"

namespace tsopt {
namespace {

struct VValue {
  int node = -1;
  int output = 0;
};

class Splicer {
 public:
  Splicer(const Graph& g, const Graph& t, const Graph& source,
          const Match& m)
      : g_(g), t_(t), n_(g.num_nodes()) {
    for (NodeId pid = 0; pid < source.num_nodes(); ++pid) {
      if (source.node(pid).op == OpKind::kInput) {
        var_values_[source.node(pid).name] = m.vars[pid];
      }
    }
    for (size_t i = 0; i < m.outputs.size(); ++i) {
      replaced_[m.outputs[i]] = t.outputs()[i];
    }
    state_.assign(n_ + t.num_nodes(), 0);
    emitted_.assign(n_ + t.num_nodes(), {});
  }

  absl::StatusOr<Graph> Build() {
    for (NodeId id : g_.InputNodes()) {
      TSOPT_ASSIGN_OR_RETURN(ValueId v, out_.AddInput(
          g_.node(id).attrs_as<InputAttrs>().name,
          g_.node(id).output_shapes[0].dims()));
      out_.MutableNode(v.node).name = g_.node(id).name;
      emitted_[id] = {v};
      state_[id] = 2;
    }
    std::vector<ValueId> outputs;
    for (ValueId o : g_.outputs()) {
      TSOPT_ASSIGN_OR_RETURN(VValue v, ResolveGraph(o, 0));
      TSOPT_RETURN_IF_ERROR(Emit(v.node));
      outputs.push_back(emitted_[v.node][v.output]);
    }
    for (ValueId o : outputs) TSOPT_RETURN_IF_ERROR(out_.MarkOutput(o));
    return std::move(out_);
  }

 private:
  // The virtual value a graph value reads after the rewrite.
  absl::StatusOr<VValue> ResolveGraph(ValueId gv, int depth) {
    if (depth > 64) {
      return absl::InvalidArgumentError("rewrite: circular replacement");
    }
    auto it = replaced_.find(gv);
    if (it == replaced_.end()) return VValue{gv.node, gv.output};
    return ResolveTarget(it->second, depth + 1);
  }

  absl::StatusOr<VValue> ResolveTarget(ValueId tv, int depth) {
    const Node& tn = t_.node(tv.node);
    if (tn.op == OpKind::kInput) {
      auto it = var_values_.find(tn.name);
      if (it == var_values_.end() || it->second.node < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("rewrite: target variable ", tn.name, " unbound"));
      }
      return ResolveGraph(it->second, depth);
    }
    return VValue{n_ + tv.node, tv.output};
  }

  absl::Status Emit(int v) {
    if (state_[v] == 2) return absl::OkStatus();
    if (state_[v] == 1) {
      return absl::InvalidArgumentError("rewrite would create a cycle");
    }
    state_[v] = 1;
    const Node& node = v < n_ ? g_.node(v) : t_.node(v - n_);
    std::vector<ValueId> inputs;
    for (ValueId in : node.inputs) {
      VValue r;
      if (v < n_) {
        TSOPT_ASSIGN_OR_RETURN(r, ResolveGraph(in, 0));
      } else {
        TSOPT_ASSIGN_OR_RETURN(r, ResolveTarget(in, 0));
      }
      TSOPT_RETURN_IF_ERROR(Emit(r.node));
      inputs.push_back(emitted_[r.node][r.output]);
    }
    if (node.op == OpKind::kWeight) {
      TSOPT_ASSIGN_OR_RETURN(
          ValueId w, out_.AddWeight(node.output_shapes[0].dims(), node.weight,
                                    v < n_ ? node.name : ""));
      emitted_[v] = {w};
    } else if (v >= n_ && Foldable(inputs)) {
      TSOPT_RETURN_IF_ERROR(Fold(v, node, inputs));
    } else {
      TSOPT_ASSIGN_OR_RETURN(
          emitted_[v], out_.AddNode(node.op, node.attrs, std::move(inputs),
                                    v < n_ ? node.name : ""));
    }
    state_[v] = 2;
    return absl::OkStatus();
  }

  bool Foldable(const std::vector<ValueId>& inputs) const {
    if (inputs.empty()) return false;
    for (ValueId in : inputs) {
      const Node& n = out_.node(in.node);
      if (n.op != OpKind::kWeight || !n.weight) return false;
    }
    return true;
  }

  // Evaluates a target node whose inputs are all weights with data and
  // emits its outputs as new weights.
  absl::Status Fold(int v, const Node& node,
                    const std::vector<ValueId>& inputs) {
    Graph f;
    std::vector<ValueId> f_inputs;
    for (ValueId in : inputs) {
      const Node& w = out_.node(in.node);
      TSOPT_ASSIGN_OR_RETURN(
          ValueId fw, f.AddWeight(w.output_shapes[0].dims(), w.weight));
      f_inputs.push_back(fw);
    }
    TSOPT_ASSIGN_OR_RETURN(std::vector<ValueId> outs,
                           f.AddNode(node.op, node.attrs, f_inputs));
    for (ValueId o : outs) TSOPT_RETURN_IF_ERROR(f.MarkOutput(o));
    TSOPT_ASSIGN_OR_RETURN(std::vector<Tensor> values, Evaluate(f, {}));
    for (Tensor& value : values) {
      std::vector<int64_t> dims = value.shape.dims();
      TSOPT_ASSIGN_OR_RETURN(
          ValueId w,
          out_.AddWeight(dims, WeightData::Create(std::move(value.data))));
      emitted_[v].push_back(w);
    }
    return absl::OkStatus();
  }

  const Graph& g_;
  const Graph& t_;
  int n_;
  absl::flat_hash_map<std::string, ValueId> var_values_;
  absl::flat_hash_map<ValueId, ValueId> replaced_;
  std::vector<int> state_;  // 0 new, 1 on the walk, 2 emitted
  std::vector<std::vector<ValueId>> emitted_;
  Graph out_;
};

}  // namespace

absl::StatusOr<Graph> ApplyMatch(const Graph& graph, const Rule& rule,
                                 const Match& match) {
  TSOPT_ASSIGN_OR_RETURN(Graph target,
                         Instantiate(rule, rule.target, match.binding));
  if (target.outputs().size() != match.outputs.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("rule '", rule.name, "': output counts differ"));
  }
  for (size_t i = 0; i < match.outputs.size(); ++i) {
    if (target.shape(target.outputs()[i]) != graph.shape(match.outputs[i])) {
      return absl::InvalidArgumentError(absl::StrCat(
          "rule '", rule.name, "': target output ", i, " has shape ",
          target.shape(target.outputs()[i]).ToString(), ", the match ",
          graph.shape(match.outputs[i]).ToString()));
    }
  }
  return Splicer(graph, target, rule.source.graph, match).Build();
}

}  // namespace tsopt

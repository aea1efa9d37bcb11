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
#include "tsopt/ir/shape_inference.h"
#include "tsopt/reference/evaluator.h"
#include "tsopt/util/status_macros.h"

namespace tsopt {
namespace {

// Evaluates one operator on weights with data; its outputs as new data.
absl::StatusOr<std::vector<std::shared_ptr<const WeightData>>> FoldNode(
    const Node& node, const std::vector<const Node*>& weights) {
  Graph f;
  std::vector<ValueId> f_inputs;
  for (const Node* w : weights) {
    TSOPT_ASSIGN_OR_RETURN(
        ValueId fw, f.AddWeight(w->output_shapes[0].dims(), w->weight));
    f_inputs.push_back(fw);
  }
  TSOPT_ASSIGN_OR_RETURN(std::vector<ValueId> outs,
                         f.AddNode(node.op, node.attrs, f_inputs));
  for (ValueId o : outs) TSOPT_RETURN_IF_ERROR(f.MarkOutput(o));
  TSOPT_ASSIGN_OR_RETURN(std::vector<Tensor> values, Evaluate(f, {}));
  std::vector<std::shared_ptr<const WeightData>> data;
  for (Tensor& value : values) {
    // Hashed only if something hashes the folded graph (the search does
    // not: it folds the graph it returns).
    data.push_back(WeightData::CreateUnhashed(std::move(value.data)));
  }
  return data;
}

// The Weight nodes `inputs` name in `g` when all of them hold data, else
// an empty vector.
std::vector<const Node*> WeightInputs(const Graph& g,
                                      const std::vector<ValueId>& inputs) {
  std::vector<const Node*> weights;
  for (ValueId in : inputs) {
    const Node& n = g.node(in.node);
    if (n.op != OpKind::kWeight || !n.weight) return {};
    weights.push_back(&n);
  }
  return weights;
}

// Adds node `id` of `from` to `out` reading `inputs`, folded into new
// weights when they are all weights with data and `fold` is set; appends
// the values it gives to `values`. Unfolded, it is a copy with the known
// output shapes (Graph::AddCopy: no shape inference where the input shapes
// are the same).
absl::Status AddMaybeFolded(Graph& out, const Graph& from, NodeId id,
                            std::vector<ValueId> inputs, bool fold,
                            std::string name, std::vector<ValueId>* values) {
  const Node& node = from.node(id);
  // An opaque operator cannot be evaluated, so it is never folded.
  std::vector<const Node*> weights =
      fold && node.op != OpKind::kOpaque && !inputs.empty()
          ? WeightInputs(out, inputs)
          : std::vector<const Node*>();
  if (weights.empty()) {
    TSOPT_ASSIGN_OR_RETURN(
        NodeId copy, out.AddCopy(from, id, std::move(inputs), std::move(name)));
    for (int j = 0; j < out.node(copy).num_outputs(); ++j) {
      values->push_back(ValueId{copy, j});
    }
    return absl::OkStatus();
  }
  TSOPT_ASSIGN_OR_RETURN(auto data, FoldNode(node, weights));
  std::vector<Shape> shapes;
  for (ValueId in : inputs) shapes.push_back(out.shape(in));
  TSOPT_ASSIGN_OR_RETURN(std::vector<Shape> out_shapes,
                         InferShapes(node.op, node.attrs, shapes));
  if (out_shapes.size() != data.size()) {
    return absl::InternalError("fold: output count differs from inference");
  }
  for (size_t i = 0; i < data.size(); ++i) {
    TSOPT_ASSIGN_OR_RETURN(ValueId w,
                           out.AddWeight(out_shapes[i].dims(), data[i]));
    values->push_back(w);
  }
  return absl::OkStatus();
}

struct VValue {
  int node = -1;
  int output = 0;
};

class Splicer {
 public:
  Splicer(const Graph& g, const Graph& t, const Graph& source,
          const Match& m, bool fold)
      : g_(g), t_(t), n_(g.num_nodes()), fold_(fold) {
    for (NodeId pid = 0; pid < source.num_nodes(); ++pid) {
      if (source.node(pid).op == OpKind::kInput) {
        var_values_[source.node(pid).name] = m.vars[pid];
      }
    }
    for (size_t i = 0; i < m.outputs.size(); ++i) {
      replaced_[m.outputs[i]] = t.outputs()[i];
    }
    state_.assign(n_ + t.num_nodes(), 0);
    emitted_at_.assign(n_ + t.num_nodes(), -1);
    out_.Reserve(n_ + t.num_nodes());
  }

  // With `kept`: kept[id] = the new graph's node for old node id, -1
  // when it is dropped.
  absl::StatusOr<Graph> Build(std::vector<NodeId>* kept) {
    for (NodeId id : g_.InputNodes()) {
      emitted_at_[id] = static_cast<int>(emitted_.size());
      TSOPT_ASSIGN_OR_RETURN(NodeId v,
                             out_.AddCopy(g_, id, {}, g_.node(id).name));
      emitted_.push_back(ValueId{v, 0});
      state_[id] = 2;
    }
    std::vector<ValueId> outputs;
    for (ValueId o : g_.outputs()) {
      TSOPT_ASSIGN_OR_RETURN(VValue v, ResolveGraph(o, 0));
      TSOPT_RETURN_IF_ERROR(Emit(v.node));
      outputs.push_back(Emitted(v));
    }
    for (ValueId o : outputs) TSOPT_RETURN_IF_ERROR(out_.MarkOutput(o));
    if (kept != nullptr) {
      kept->assign(n_, -1);
      for (NodeId id = 0; id < n_; ++id) {  // old nodes are copied, one each
        if (state_[id] == 2) (*kept)[id] = emitted_[emitted_at_[id]].node;
      }
    }
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
      inputs.push_back(Emitted(r));
    }
    // The values of v follow those of its inputs (emitted above).
    emitted_at_[v] = static_cast<int>(emitted_.size());
    TSOPT_RETURN_IF_ERROR(AddMaybeFolded(
        out_, v < n_ ? g_ : t_, v < n_ ? v : v - n_, std::move(inputs),
        fold_ && v >= n_, v < n_ ? node.name : "", &emitted_));
    state_[v] = 2;
    return absl::OkStatus();
  }

  ValueId Emitted(VValue v) const {
    return emitted_[emitted_at_[v.node] + v.output];
  }

  const Graph& g_;
  const Graph& t_;
  int n_;
  bool fold_;
  absl::flat_hash_map<std::string, ValueId> var_values_;
  absl::flat_hash_map<ValueId, ValueId> replaced_;
  std::vector<int> state_;  // 0 new, 1 on the walk, 2 emitted
  // The new graph's values of virtual node v: emitted_[emitted_at_[v] + j].
  std::vector<int> emitted_at_;
  std::vector<ValueId> emitted_;
  Graph out_;
};

}  // namespace

absl::StatusOr<Graph> ApplyMatch(const Graph& graph, const Rule& rule,
                                 const Match& match, bool fold_weights,
                                 const ConstantCache* constants,
                                 std::vector<NodeId>* kept) {
  TSOPT_ASSIGN_OR_RETURN(
      Graph target,
      constants != nullptr
          ? Instantiate(rule, rule.target, match.binding, constants->Maker())
          : Instantiate(rule, rule.target, match.binding));
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
  return Splicer(graph, target, rule.source.graph, match, fold_weights)
      .Build(kept);
}

absl::StatusOr<Graph> FoldWeights(const Graph& graph) {
  Graph out;
  out.Reserve(graph.num_nodes());
  // The new graph's values of node id: values[at[id] + j].
  std::vector<int> at(graph.num_nodes());
  std::vector<ValueId> values;
  for (NodeId id = 0; id < graph.num_nodes(); ++id) {
    const Node& n = graph.node(id);
    std::vector<ValueId> inputs;
    for (ValueId in : n.inputs) {
      inputs.push_back(values[at[in.node] + in.output]);
    }
    at[id] = static_cast<int>(values.size());
    TSOPT_RETURN_IF_ERROR(AddMaybeFolded(out, graph, id, std::move(inputs),
                                         true, n.name, &values));
  }
  for (ValueId o : graph.outputs()) {
    TSOPT_RETURN_IF_ERROR(out.MarkOutput(values[at[o.node] + o.output]));
  }
  return out.WithoutDeadNodes();
}

}  // namespace tsopt

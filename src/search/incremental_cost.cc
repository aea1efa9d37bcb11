// IncrementalCost: GraphCostDetailed's layout walk over memoized per-
// signature costs (see tsopt/search/incremental_cost.h). The walk mirrors
// src/cost/cost_model.cc; tests/search/incremental_cost_test.cc checks that
// both give the same total on every model.
#include "tsopt/search/incremental_cost.h"

#include "absl/strings/str_cat.h"
#include "tsopt/ir/hash.h"
#include "tsopt/util/status_macros.h"

namespace tsopt {
namespace {

uint64_t HashShape(const Shape& s) {
  uint64_t h = HashCombine(0x5ca1ab1e, static_cast<uint64_t>(s.rank()));
  for (int64_t d : s.dims()) h = HashCombine(h, static_cast<uint64_t>(d));
  return h;
}

uint64_t SignatureHash(const Graph& g, NodeId id) {
  const Node& n = g.node(id);
  uint64_t h = HashCombine(static_cast<uint64_t>(n.op), HashAttrs(n.attrs));
  for (ValueId in : n.inputs) h = HashCombine(h, HashShape(g.shape(in)));
  h = HashCombine(h, 0xfeed);
  for (const Shape& s : n.output_shapes) h = HashCombine(h, HashShape(s));
  return h;
}

}  // namespace

IncrementalCost::IncrementalCost(CostModel* model) : model_(model) {
  absl::MutexLock lock(&mu_);
  Intern(kPlainLayout);
  Intern("weight");
}

int IncrementalCost::Intern(const std::string& layout) {
  auto [it, inserted] =
      layout_ids_.emplace(layout, static_cast<int>(layouts_.size()));
  if (inserted) layouts_.push_back(layout);
  return it->second;
}

int64_t IncrementalCost::model_queries() const {
  absl::MutexLock lock(&mu_);
  return queries_;
}

absl::StatusOr<IncrementalCost::Entry> IncrementalCost::NodeEntry(
    const Graph& graph, NodeId id) {
  uint64_t key = SignatureHash(graph, id);
  {
    absl::MutexLock lock(&mu_);
    auto it = nodes_.find(key);
    if (it != nodes_.end()) return it->second;
  }
  absl::StatusOr<OpCost> cost = model_->Measure(SignatureOf(graph, id));
  if (!cost.ok()) {
    return absl::Status(cost.status().code(),
                        absl::StrCat(graph.Describe(id), ": ",
                                     cost.status().message()));
  }
  absl::MutexLock lock(&mu_);
  ++queries_;
  Entry e;
  e.ms = cost->ms;
  for (const std::string& l : cost->input_layouts) {
    e.input_layouts.push_back(l == kFollowLayout      ? kFollow
                              : l == kFollowAllLayout ? kFollowAll
                                                      : Intern(l));
  }
  for (const std::string& l : cost->output_layouts) {
    e.output_layouts.push_back(Intern(l));
  }
  nodes_.emplace(key, e);
  return e;
}

absl::StatusOr<double> IncrementalCost::Reorder(const Shape& shape, int from,
                                                int to) {
  uint64_t key = HashCombine(HashShape(shape),
                             HashCombine(static_cast<uint64_t>(from),
                                         static_cast<uint64_t>(to)));
  std::string from_name, to_name;
  {
    absl::MutexLock lock(&mu_);
    auto it = reorders_.find(key);
    if (it != reorders_.end()) return it->second;
    from_name = layouts_[from];
    to_name = layouts_[to];
  }
  TSOPT_ASSIGN_OR_RETURN(double ms,
                         model_->Cost(ReorderSignature(shape, from_name,
                                                       to_name)));
  absl::MutexLock lock(&mu_);
  ++queries_;
  reorders_.emplace(key, ms);
  return ms;
}

absl::StatusOr<double> IncrementalCost::Of(const Graph& graph) {
  double total = 0;
  std::vector<std::vector<int>> layout(graph.num_nodes());
  std::vector<bool> weight_only(graph.num_nodes(), false);
  auto reorder = [&](ValueId v, int to) -> absl::Status {
    int from = layout[v.node][v.output];
    if (from == kWeightLayout || from == to) return absl::OkStatus();
    TSOPT_ASSIGN_OR_RETURN(double ms, Reorder(graph.shape(v), from, to));
    total += ms;
    return absl::OkStatus();
  };
  for (NodeId id = 0; id < graph.num_nodes(); ++id) {
    const Node& node = graph.node(id);
    std::vector<int>& out = layout[id];
    switch (node.op) {
      case OpKind::kInput:
        out = {kPlain};
        continue;
      case OpKind::kWeight:
        out = {kWeightLayout};
        weight_only[id] = true;
        continue;
      case OpKind::kIdentity:
        out = {layout[node.inputs[0].node][node.inputs[0].output]};
        weight_only[id] = weight_only[node.inputs[0].node];
        continue;
      case OpKind::kReshape:
      case OpKind::kFlatten:
        if (weight_only[node.inputs[0].node]) {
          weight_only[id] = true;
          out = {kWeightLayout};
          continue;
        }
        TSOPT_RETURN_IF_ERROR(reorder(node.inputs[0], kPlain));
        out = {kPlain};
        continue;
      case OpKind::kOpaque:  // cost 0 (cost_model.h); plain in and out
        for (ValueId in : node.inputs) {
          TSOPT_RETURN_IF_ERROR(reorder(in, kPlain));
        }
        out.assign(node.num_outputs(), kPlain);
        continue;
      default:
        break;
    }
    bool from_weights = true;
    for (ValueId in : node.inputs) from_weights = from_weights && weight_only[in.node];
    if (from_weights) {  // folded into a weight before execution: free
      weight_only[id] = true;
      out.assign(node.num_outputs(), kWeightLayout);
      continue;
    }
    TSOPT_ASSIGN_OR_RETURN(Entry cost, NodeEntry(graph, id));
    total += cost.ms;
    const Shape& first_shape = graph.shape(node.inputs[0]);
    int first_layout = layout[node.inputs[0].node][node.inputs[0].output];
    if (first_layout == kWeightLayout) first_layout = kPlain;
    auto required = [&](size_t i, int first) {
      if (cost.input_layouts.empty()) return kPlain;
      int want = cost.input_layouts[i];
      if (want == kFollowAll) return first;
      if (want != kFollow) return want;
      return graph.shape(node.inputs[i]) == first_shape ? first : kPlain;
    };
    int first_required = required(0, first_layout);
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      TSOPT_RETURN_IF_ERROR(reorder(node.inputs[i], required(i, first_required)));
    }
    bool follows = !cost.input_layouts.empty() &&
                   (cost.input_layouts[0] == kFollow ||
                    cost.input_layouts[0] == kFollowAll);
    for (int j = 0; j < node.num_outputs(); ++j) {
      out.push_back(follows                      ? first_required
                    : cost.output_layouts.empty() ? kPlain
                                                  : cost.output_layouts[j]);
    }
  }
  for (ValueId v : graph.outputs()) {
    TSOPT_RETURN_IF_ERROR(reorder(v, kPlain));
  }
  return total;
}

}  // namespace tsopt

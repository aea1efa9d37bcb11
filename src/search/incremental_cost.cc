// IncrementalCost: GraphCostDetailed's layout walk over memoized per-
// signature costs, one NodeStep per node (see
// tsopt/search/incremental_cost.h). NodeStep mirrors the loop body of
// src/cost/cost_model.cc; tests/search/incremental_cost_test.cc checks that
// both give the same total on every model.
#include "tsopt/search/incremental_cost.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "tsopt/ir/hash.h"
#include "tsopt/ir/strided_view.h"
#include "tsopt/util/status_macros.h"

namespace tsopt {
namespace {

constexpr int kUnitBits = 60;
// The interned id of kPlainOrViewLayout (the third layout the constructor
// interns).
constexpr int kPlainOrView = 2;

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

// A cost the fixed point can hold: finite, >= 0 and below 2^60 ms.
absl::Status CheckMs(double ms, absl::string_view what) {
  if (std::isfinite(ms) && ms >= 0 && ms < std::ldexp(1.0, kUnitBits)) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      what, ": the cost model returned ", ms, " ms (need a finite cost >= 0)"));
}

}  // namespace

CostUnits ToCostUnits(double ms) {
  return CostUnits(std::nearbyint(std::ldexp(ms, kUnitBits)));
}

double ToMilliseconds(CostUnits units) {
  return std::ldexp(static_cast<double>(units), -kUnitBits);
}

IncrementalCost::IncrementalCost(CostModel* model) : model_(model) {
  absl::MutexLock lock(&mu_);
  Intern(kPlainLayout);
  Intern("weight");
  Intern(kPlainOrViewLayout);
}

bool IncrementalCost::IsView(int layout) const {
  if (layout == kPlain || layout == kWeightLayout) return false;
  absl::ReaderMutexLock lock(&mu_);
  return IsViewLayout(layouts_[layout]);
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

absl::StatusOr<const IncrementalCost::Entry*> IncrementalCost::Lookup(
    const Graph& graph, NodeId id) {
  uint64_t key = SignatureHash(graph, id);
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = nodes_.find(key);
    if (it != nodes_.end()) return it->second;
  }
  absl::StatusOr<OpCost> cost = model_->Measure(SignatureOf(graph, id));
  if (!cost.ok()) {
    return absl::Status(cost.status().code(),
                        absl::StrCat(graph.Describe(id), ": ",
                                     cost.status().message()));
  }
  TSOPT_RETURN_IF_ERROR(CheckMs(cost->ms, graph.Describe(id)));
  absl::MutexLock lock(&mu_);
  auto it = nodes_.find(key);  // another thread may have measured it
  if (it != nodes_.end()) return it->second;
  ++queries_;
  Entry& e = entries_.emplace_back();
  e.units = ToCostUnits(cost->ms);
  for (const std::string& l : cost->input_layouts) {
    e.input_layouts.push_back(l == kFollowLayout      ? kFollow
                              : l == kFollowAllLayout ? kFollowAll
                                                      : Intern(l));
  }
  for (const std::string& l : cost->output_layouts) {
    e.output_layouts.push_back(Intern(l));
  }
  nodes_.emplace(key, &e);
  return &e;
}

absl::StatusOr<CostUnits> IncrementalCost::Reorder(const Shape& shape,
                                                   int from, int to) {
  if (to == kPlainOrView) {
    if (from == kPlain || IsView(from)) return CostUnits(0);
    to = kPlain;
  }
  if (from == kWeightLayout || from == to) return CostUnits(0);
  uint64_t key = HashCombine(HashShape(shape),
                             HashCombine(static_cast<uint64_t>(from),
                                         static_cast<uint64_t>(to)));
  std::string from_name, to_name;
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = reorders_.find(key);
    if (it != reorders_.end()) return it->second;
    from_name = layouts_[from];
    to_name = layouts_[to];
  }
  TSOPT_ASSIGN_OR_RETURN(double ms,
                         model_->Cost(ReorderSignature(shape, from_name,
                                                       to_name)));
  TSOPT_RETURN_IF_ERROR(CheckMs(ms, "reorder"));
  absl::MutexLock lock(&mu_);
  auto [it, inserted] = reorders_.emplace(key, ToCostUnits(ms));
  if (inserted) ++queries_;
  return it->second;
}

absl::StatusOr<CostUnits> IncrementalCost::NodeStep(
    const Graph& graph, NodeId id, absl::Span<const int> in, const Entry** entry,
    int* out) {
  const Node& node = graph.node(id);
  switch (node.op) {
    case OpKind::kInput:
      out[0] = kPlain;
      return CostUnits(0);
    case OpKind::kWeight:
      out[0] = kWeightLayout;
      return CostUnits(0);
    case OpKind::kIdentity:
      out[0] = in[0];
      return CostUnits(0);
    case OpKind::kReshape:
    case OpKind::kFlatten:
      if (IsView(in[0])) {  // stays a view where the strides allow
        std::string from;
        {
          absl::ReaderMutexLock lock(&mu_);
          from = layouts_[in[0]];
        }
        std::string view = ReshapedViewLayout(graph.shape(node.inputs[0]),
                                              from, node.output_shapes[0]);
        if (!view.empty()) {
          absl::MutexLock lock(&mu_);
          out[0] = Intern(view);
          return CostUnits(0);
        }
      }
      out[0] = in[0] == kWeightLayout ? kWeightLayout : kPlain;
      return Reorder(graph.shape(node.inputs[0]), in[0], kPlain);
    case OpKind::kOpaque: {  // cost 0 (cost_model.h); plain in and out
      CostUnits reorders(0);
      for (size_t i = 0; i < node.inputs.size(); ++i) {
        TSOPT_ASSIGN_OR_RETURN(
            CostUnits r, Reorder(graph.shape(node.inputs[i]), in[i], kPlain));
        reorders += r;
      }
      for (int j = 0; j < node.num_outputs(); ++j) out[j] = kPlain;
      return reorders;
    }
    default:
      break;
  }
  bool from_weights = true;
  for (int l : in) from_weights = from_weights && l == kWeightLayout;
  if (from_weights) {  // folded into a weight before execution: free
    for (int j = 0; j < node.num_outputs(); ++j) out[j] = kWeightLayout;
    return CostUnits(0);
  }
  if (*entry == nullptr) {
    TSOPT_ASSIGN_OR_RETURN(*entry, Lookup(graph, id));
  }
  const Entry& cost = **entry;
  CostUnits total = cost.units;
  // The lead input sets a kFollow(All) operator's layout: the first one
  // shaped like the output (a broadcast operand never leads), as in
  // GraphCost.
  size_t lead = 0;
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    if (graph.shape(node.inputs[i]) == node.output_shapes[0]) {
      lead = i;
      break;
    }
  }
  const Shape& lead_shape = graph.shape(node.inputs[lead]);
  const bool follows = !cost.input_layouts.empty() &&
                       (cost.input_layouts[0] == kFollow ||
                        cost.input_layouts[0] == kFollowAll);
  int lead_layout = in[lead] == kWeightLayout ? kPlain : in[lead];
  // A follower takes a view row-major (cost_model.h).
  if (follows && IsView(lead_layout)) lead_layout = kPlain;
  auto required = [&](size_t i, const Shape& shape, int follow) {
    if (i >= cost.input_layouts.size()) return kPlain;
    int want = cost.input_layouts[i];
    if (want == kFollowAll) return follow;
    if (want != kFollow) return want;
    // Inputs shaped like the lead share its layout; broadcasts stay plain.
    return shape == lead_shape ? follow : kPlain;
  };
  int lead_required = required(0, lead_shape, lead_layout);
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    const Shape& shape = graph.shape(node.inputs[i]);
    TSOPT_ASSIGN_OR_RETURN(
        CostUnits r, Reorder(shape, in[i], required(i, shape, lead_required)));
    total += r;
  }
  for (int j = 0; j < node.num_outputs(); ++j) {
    out[j] = follows                      ? lead_required
             : cost.output_layouts.empty() ? kPlain
                                           : cost.output_layouts[j];
  }
  // A Split run as views of a view: its pieces are views of that view.
  if (node.op == OpKind::kSplit && cost.input_layouts.size() == 1 &&
      cost.input_layouts[0] == kPlainOrView && IsView(in[0])) {
    absl::MutexLock lock(&mu_);
    std::vector<std::string> names = SplitViewLayouts(
        graph.shape(node.inputs[0]), layouts_[in[0]], node.output_shapes);
    for (int j = 0; j < node.num_outputs(); ++j) out[j] = Intern(names[j]);
  }
  return total;
}

absl::StatusOr<CostUnits> IncrementalCost::OutputStep(const Shape& shape,
                                                      int layout) {
  return Reorder(shape, layout, kPlain);
}

absl::Status IncrementalCost::WalkGraph(const Graph& graph, Walk* walk) {
  const int n = graph.num_nodes();
  walk->value_offset.resize(n);
  int values = 0;
  for (NodeId id = 0; id < n; ++id) {
    walk->value_offset[id] = values;
    values += graph.node(id).num_outputs();
  }
  walk->layouts.assign(values, kPlain);
  walk->node_units.assign(n, CostUnits(0));
  walk->entries.assign(n, nullptr);
  walk->output_units.clear();
  walk->total = 0;
  std::vector<int> in;
  for (NodeId id = 0; id < n; ++id) {
    const Node& node = graph.node(id);
    in.clear();
    for (ValueId v : node.inputs) {
      in.push_back(walk->layouts[walk->value_offset[v.node] + v.output]);
    }
    TSOPT_ASSIGN_OR_RETURN(
        walk->node_units[id],
        NodeStep(graph, id, in, &walk->entries[id],
                 &walk->layouts[walk->value_offset[id]]));
    walk->total += walk->node_units[id];
  }
  for (ValueId v : graph.outputs()) {
    TSOPT_ASSIGN_OR_RETURN(
        CostUnits u,
        OutputStep(graph.shape(v),
                   walk->layouts[walk->value_offset[v.node] + v.output]));
    walk->output_units.push_back(u);
    walk->total += u;
  }
  return absl::OkStatus();
}

absl::StatusOr<double> IncrementalCost::Of(const Graph& graph) {
  Walk walk;
  TSOPT_RETURN_IF_ERROR(WalkGraph(graph, &walk));
  return ToMilliseconds(walk.total);
}

}  // namespace tsopt

// OpSignature keys and hashing, and the graph cost (node costs + reorders).
#include "tsopt/cost/cost_model.h"

#include <algorithm>
#include <optional>
#include <type_traits>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tsopt/ir/strided_view.h"
#include "tsopt/util/status_macros.h"

namespace tsopt {
namespace {

// Appends one attribute value in a stable text form.
struct AttrPrinter {
  std::string* out;
  bool first = true;
  template <typename T>
  void operator()(absl::string_view name, const T& value) {
    absl::StrAppend(out, first ? "" : ",", name, "=");
    first = false;
    if constexpr (std::is_same_v<T, std::vector<int64_t>>) {
      absl::StrAppend(out, DimsToString(value));
    } else if constexpr (std::is_same_v<T, float>) {
      absl::StrAppend(out, absl::StrFormat("%.9g", value));
    } else if constexpr (std::is_same_v<T, Activation>) {
      absl::StrAppend(out, ActivationName(value));
    } else {
      absl::StrAppend(out, value);  // int64_t, std::string
    }
  }
};

std::string ShapesKey(const std::vector<Shape>& shapes) {
  return absl::StrJoin(shapes, ",", [](std::string* out, const Shape& s) {
    out->append(s.ToString());
  });
}

}  // namespace

size_t OpSignature::AttrsHash(const Attrs& attrs) {
  size_t h = attrs.index();
  std::visit(
      [&h](const auto& a) {
        using A = std::decay_t<decltype(a)>;
        A::Fields([&h](absl::string_view,
                       const auto& v) { h = absl::HashOf(h, v); },
                  a);
      },
      attrs);
  return h;
}

std::string OpSignature::Key() const {
  std::string key(OpMnemonic(op));
  key += "{";
  std::visit(
      [&key](const auto& a) {
        using A = std::decay_t<decltype(a)>;
        A::Fields(AttrPrinter{&key}, a);
      },
      attrs);
  absl::StrAppend(&key, "}(", ShapesKey(inputs), ")->(", ShapesKey(outputs),
                  ")");
  if (!input_layouts.empty() || !output_layouts.empty()) {
    absl::StrAppend(&key, "@in:", absl::StrJoin(input_layouts, ";"),
                    "@out:", absl::StrJoin(output_layouts, ";"));
  }
  return key;
}

bool operator==(const OpSignature& a, const OpSignature& b) {
  return a.op == b.op && a.attrs == b.attrs && a.inputs == b.inputs &&
         a.outputs == b.outputs && a.input_layouts == b.input_layouts &&
         a.output_layouts == b.output_layouts;
}

OpSignature SignatureOf(const Graph& graph, NodeId id) {
  const Node& node = graph.node(id);
  OpSignature sig;
  sig.op = node.op;
  sig.attrs = node.attrs;
  for (ValueId in : node.inputs) sig.inputs.push_back(graph.shape(in));
  sig.outputs = node.output_shapes;
  return sig;
}

OpSignature ReorderSignature(const Shape& shape, std::string from,
                             std::string to) {
  OpSignature sig;
  sig.op = OpKind::kIdentity;
  sig.attrs = NoAttrs{};
  sig.inputs = {shape};
  sig.outputs = {shape};
  sig.input_layouts = {std::move(from)};
  sig.output_layouts = {std::move(to)};
  return sig;
}

bool IsFreeOp(OpKind op) {
  return op == OpKind::kInput || op == OpKind::kWeight ||
         op == OpKind::kIdentity || op == OpKind::kReshape ||
         op == OpKind::kFlatten || op == OpKind::kOpaque;
}

namespace {

// The dims a view of `s` is described with (a scalar as [1]).
std::vector<int64_t> ViewDims(const Shape& s) {
  return s.rank() == 0 ? std::vector<int64_t>{1} : s.dims();
}

}  // namespace

std::string ReshapedViewLayout(const Shape& in, const std::string& layout,
                               const Shape& out) {
  std::optional<std::vector<int64_t>> strides =
      ParseViewLayout(layout, std::max(in.rank(), 1));
  if (!strides) return "";
  std::optional<std::vector<int64_t>> reshaped =
      ReshapeStrides(ViewDims(in), *strides, ViewDims(out));
  if (!reshaped) return "";
  return ViewLayoutName(ViewDims(out), *reshaped);
}

std::vector<std::string> SplitViewLayouts(const Shape& in,
                                          const std::string& layout,
                                          const std::vector<Shape>& outs) {
  std::optional<std::vector<int64_t>> strides =
      ParseViewLayout(layout, std::max(in.rank(), 1));
  if (!strides) strides = RowMajorStrides(ViewDims(in));
  std::vector<std::string> names;
  for (const Shape& s : outs) {
    names.push_back(ViewLayoutName(ViewDims(s), *strides));
  }
  return names;
}

absl::StatusOr<double> CostModel::Cost(const OpSignature& sig) {
  TSOPT_ASSIGN_OR_RETURN(OpCost cost, Measure(sig));
  return cost.ms;
}

absl::StatusOr<RelativeCost> CostModel::MeasureRelative(
    const OpSignature& sig, const OpSignature& anchor) {
  return absl::UnimplementedError(
      absl::StrCat(Name(), " does not time ", sig.Key(), " against ",
                   anchor.Key()));
}

namespace {

// The anchor of `sig` when its attributes are `A` (with an activation) and
// it has a bias input or a fused activation.
template <typename A>
std::optional<OpSignature> StripEpilogue(const OpSignature& sig) {
  const A* a = std::get_if<A>(&sig.attrs);
  if (a == nullptr ||
      (sig.inputs.size() != 3 && a->activation == Activation::kNone)) {
    return std::nullopt;
  }
  OpSignature anchor = sig;
  std::get<A>(anchor.attrs).activation = Activation::kNone;
  anchor.inputs.resize(std::min<size_t>(anchor.inputs.size(), 2));
  return anchor;
}

}  // namespace

std::optional<OpSignature> EpilogueAnchor(const OpSignature& sig) {
  if (sig.op == OpKind::kConv2D) return StripEpilogue<Conv2DAttrs>(sig);
  if (sig.op == OpKind::kMatMul) return StripEpilogue<MatMulAttrs>(sig);
  return std::nullopt;
}

namespace {

// Layout of an input that an operator requires, given the layout of its
// lead input (for kFollowLayout operators).
std::string RequiredLayout(const OpCost& cost, int i, const Shape& shape,
                           const Shape& first_shape,
                           const std::string& first_layout) {
  if (cost.input_layouts.empty()) return kPlainLayout;
  const std::string& want = cost.input_layouts[i];
  if (want == kFollowAllLayout) return first_layout;
  if (want != kFollowLayout) return want;
  // Follow: inputs shaped like the first one share its layout; broadcast
  // operands stay plain.
  return shape == first_shape ? first_layout : kPlainLayout;
}

}  // namespace

absl::StatusOr<GraphCostReport> GraphCostDetailed(const Graph& graph,
                                                  CostModel& model) {
  constexpr char kWeightLayout[] = "weight";  // free to reorder
  GraphCostReport report;
  report.node_ms.assign(graph.num_nodes(), 0.0);
  report.node_source.assign(graph.num_nodes(), "free");
  std::vector<std::vector<std::string>> layout(graph.num_nodes());
  auto reorder = [&](NodeId charged_to, ValueId v,
                     std::string to) -> absl::Status {
    const std::string& from = layout[v.node][v.output];
    if (to == kPlainOrViewLayout) {
      if (IsViewLayout(from)) return absl::OkStatus();
      to = kPlainLayout;
    }
    if (from == kWeightLayout || from == to) return absl::OkStatus();
    absl::StatusOr<double> ms =
        model.Cost(ReorderSignature(graph.shape(v), from, to));
    if (!ms.ok()) {
      return absl::Status(ms.status().code(),
                          absl::StrCat(graph.Describe(charged_to),
                                       ": reorder cost: ",
                                       ms.status().message()));
    }
    report.node_ms[charged_to] += *ms;
    report.reorder_ms += *ms;
    ++report.num_reorders;
    return absl::OkStatus();
  };

  for (NodeId id = 0; id < graph.num_nodes(); ++id) {
    const Node& node = graph.node(id);
    std::vector<std::string>& out = layout[id];
    switch (node.op) {
      case OpKind::kInput:
        out = {kPlainLayout};
        continue;
      case OpKind::kWeight:
        out = {kWeightLayout};
        continue;
      case OpKind::kIdentity:
        out = {layout[node.inputs[0].node][node.inputs[0].output]};
        continue;
      case OpKind::kReshape:
      case OpKind::kFlatten: {
        std::string view = ReshapedViewLayout(
            graph.shape(node.inputs[0]),
            layout[node.inputs[0].node][node.inputs[0].output],
            node.output_shapes[0]);
        if (!view.empty()) {
          out = {view};
          continue;
        }
        TSOPT_RETURN_IF_ERROR(reorder(id, node.inputs[0], kPlainLayout));
        out = {kPlainLayout};
        continue;
      }
      case OpKind::kOpaque:  // fixed cost 0; reads and writes plain tensors
        for (ValueId in : node.inputs) {
          TSOPT_RETURN_IF_ERROR(reorder(id, in, kPlainLayout));
        }
        out.assign(node.num_outputs(), kPlainLayout);
        report.node_source[id] = "opaque";
        continue;
      default:
        break;
    }
    absl::StatusOr<OpCost> cost = model.Measure(SignatureOf(graph, id));
    if (!cost.ok()) {
      return absl::Status(cost.status().code(),
                          absl::StrCat(graph.Describe(id), ": ",
                                       cost.status().message()));
    }
    report.node_ms[id] += cost->ms;
    report.node_source[id] = cost->source;
    // The lead input sets a kFollowLayout operator's layout: the first one
    // shaped like the output (a broadcast operand never leads), as in the
    // executor.
    ValueId first = node.inputs[0];
    for (ValueId in : node.inputs) {
      if (graph.shape(in) == node.output_shapes[0]) {
        first = in;
        break;
      }
    }
    std::string first_layout = layout[first.node][first.output];
    if (first_layout == kWeightLayout || IsViewLayout(first_layout)) {
      first_layout = kPlainLayout;
    }
    std::string first_required =
        RequiredLayout(*cost, 0, graph.shape(first), graph.shape(first),
                       first_layout);
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      std::string want =
          RequiredLayout(*cost, static_cast<int>(i),
                         graph.shape(node.inputs[i]), graph.shape(first),
                         first_required);
      TSOPT_RETURN_IF_ERROR(reorder(id, node.inputs[i], want));
    }
    for (int j = 0; j < node.num_outputs(); ++j) {
      bool follows = !cost->input_layouts.empty() &&
                     (cost->input_layouts[0] == kFollowLayout ||
                      cost->input_layouts[0] == kFollowAllLayout);
      out.push_back(follows ? first_required
                    : cost->output_layouts.empty()
                        ? std::string(kPlainLayout)
                        : cost->output_layouts[j]);
    }
    if (node.op == OpKind::kSplit &&
        cost->input_layouts == std::vector<std::string>{kPlainOrViewLayout}) {
      const std::string& in = layout[node.inputs[0].node][node.inputs[0].output];
      out = SplitViewLayouts(graph.shape(node.inputs[0]),
                             IsViewLayout(in) ? in : kPlainLayout,
                             node.output_shapes);
    }
  }
  // Graph outputs are handed back plain.
  for (ValueId v : graph.outputs()) {
    TSOPT_RETURN_IF_ERROR(reorder(v.node, v, kPlainLayout));
  }
  for (double ms : report.node_ms) report.total_ms += ms;
  return report;
}

absl::StatusOr<double> GraphCost(const Graph& graph, CostModel& model) {
  TSOPT_ASSIGN_OR_RETURN(GraphCostReport report,
                         GraphCostDetailed(graph, model));
  return report.total_ms;
}

}  // namespace tsopt

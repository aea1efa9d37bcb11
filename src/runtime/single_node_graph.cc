// SingleNodeGraph: one operator behind Input nodes, for reference fallbacks.
#include "src/runtime/single_node_graph.h"

#include "absl/strings/str_cat.h"
#include "tsopt/util/status_macros.h"

namespace tsopt {

absl::StatusOr<Graph> SingleNodeGraph(OpKind op, const Attrs& attrs,
                                      absl::Span<const Shape> inputs) {
  Graph g;
  std::vector<ValueId> ins;
  for (size_t i = 0; i < inputs.size(); ++i) {
    TSOPT_ASSIGN_OR_RETURN(ValueId v,
                           g.AddInput(absl::StrCat("in", i), inputs[i].dims()));
    ins.push_back(v);
  }
  TSOPT_ASSIGN_OR_RETURN(std::vector<ValueId> outs,
                         g.AddNode(op, attrs, std::move(ins)));
  for (ValueId v : outs) TSOPT_RETURN_IF_ERROR(g.MarkOutput(v));
  return g;
}

}  // namespace tsopt

// Graphviz output with a highlighted region (see tsopt/search/dot.h).
#include "tsopt/search/dot.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "tsopt/ir/hash.h"
#include "tsopt/ir/text.h"

namespace tsopt {
namespace {

std::string Escape(const std::string& s) {
  return absl::StrReplaceAll(s, {{"\\", "\\\\"}, {"\"", "\\\""}});
}

}  // namespace

std::vector<bool> ChangedNodes(const Graph& graph, const Graph& other) {
  std::vector<uint64_t> mine = NodeHashes(graph);
  std::vector<uint64_t> theirs = NodeHashes(other);
  absl::flat_hash_set<uint64_t> known(theirs.begin(), theirs.end());
  std::vector<bool> changed(graph.num_nodes());
  for (NodeId id = 0; id < graph.num_nodes(); ++id) {
    changed[id] = !known.contains(mine[id]);
  }
  return changed;
}

std::string GraphToDot(const Graph& graph, const std::vector<bool>& highlight,
                       const std::string& title) {
  std::string out = absl::StrCat("digraph \"", Escape(title),
                                 "\" {\n  rankdir=TB;\n  node [fontsize=10];\n"
                                 "  label=\"", Escape(title), "\";\n");
  for (NodeId id = 0; id < graph.num_nodes(); ++id) {
    const Node& n = graph.node(id);
    std::string label(OpMnemonic(n.op));
    std::string shape = "box";
    if (n.op == OpKind::kInput) {
      label = absl::StrCat("input ", n.attrs_as<InputAttrs>().name);
      shape = "ellipse";
    } else if (n.op == OpKind::kWeight) {
      label = "weight";
      shape = "note";
    } else if (n.op == OpKind::kOpaque) {  // the payload is not for reading
      label = absl::StrCat("opaque ",
                           Escape(OpaqueOpName(n.attrs_as<OpaqueAttrs>())));
      shape = "octagon";
    } else {
      std::string attrs = AttrsToString(n.attrs);
      if (!attrs.empty()) absl::StrAppend(&label, "\\n", Escape(attrs));
    }
    for (const Shape& s : n.output_shapes) {
      absl::StrAppend(&label, "\\n", s.ToString());
    }
    bool hot = id < static_cast<NodeId>(highlight.size()) && highlight[id];
    absl::StrAppend(&out, "  n", id, " [shape=", shape, ", label=\"", label,
                    "\"", hot ? ", style=filled, fillcolor=orange" : "",
                    "];\n");
  }
  for (NodeId id = 0; id < graph.num_nodes(); ++id) {
    for (ValueId in : graph.node(id).inputs) {
      absl::StrAppend(&out, "  n", in.node, " -> n", id, ";\n");
    }
  }
  for (size_t i = 0; i < graph.outputs().size(); ++i) {
    absl::StrAppend(&out, "  out", i, " [shape=plaintext, label=\"output ", i,
                    "\"];\n  n", graph.outputs()[i].node, " -> out", i,
                    ";\n");
  }
  absl::StrAppend(&out, "}\n");
  return out;
}

}  // namespace tsopt

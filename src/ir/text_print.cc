// PrintGraph: one statement per node in id order, then 'return'.
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "src/ir/text_internal.h"
#include "tsopt/ir/text.h"

namespace tsopt {
namespace {

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool IsBareLabel(absl::string_view s) {
  for (char c : s) {
    if (!text_internal::IsBareLabelChar(c)) return false;
  }
  return true;
}

std::string Quoted(absl::string_view s) {
  return absl::StrCat("\"", absl::CEscape(s), "\"");
}

// Labels: a node's name when it can serve as one (not empty, not all
// digits, unique in the graph), else its id. `needs_name_clause` marks the
// named nodes whose name is not their label.
struct Labels {
  std::vector<std::string> text;
  std::vector<bool> needs_name_clause;
};

Labels MakeLabels(const Graph& graph) {
  absl::flat_hash_map<absl::string_view, int> count;
  for (const Node& n : graph.nodes()) {
    if (!n.name.empty()) ++count[n.name];
  }
  Labels labels;
  for (NodeId id = 0; id < graph.num_nodes(); ++id) {
    const std::string& name = graph.node(id).name;
    const bool usable = !name.empty() && !AllDigits(name) && count[name] == 1;
    if (usable) {
      labels.text.push_back(
          absl::StrCat("%", IsBareLabel(name) ? name : Quoted(name)));
    } else {
      labels.text.push_back(absl::StrCat("%", id));
    }
    labels.needs_name_clause.push_back(!usable && !name.empty());
  }
  return labels;
}

}  // namespace

std::string PrintGraph(const Graph& graph, const PrintOptions& options) {
  const Labels labels = MakeLabels(graph);
  auto value = [&](ValueId v) {
    if (graph.node(v.node).num_outputs() == 1) return labels.text[v.node];
    return absl::StrCat(labels.text[v.node], "#", v.output);
  };
  auto join_values = [&](const std::vector<ValueId>& values) {
    return absl::StrJoin(values, ", ", [&](std::string* out, ValueId v) {
      out->append(value(v));
    });
  };
  std::string out;
  for (NodeId id = 0; id < graph.num_nodes(); ++id) {
    const Node& n = graph.node(id);
    const bool leaf = n.op == OpKind::kInput || n.op == OpKind::kWeight;
    absl::StrAppend(&out, labels.text[id]);
    if (n.num_outputs() != 1) absl::StrAppend(&out, ":", n.num_outputs());
    absl::StrAppend(&out, " = ", OpMnemonic(n.op));
    if (!n.inputs.empty()) {
      absl::StrAppend(&out, "(", join_values(n.inputs), ")");
    }
    const std::string attrs = AttrsToString(n.attrs);
    if (!attrs.empty()) absl::StrAppend(&out, " ", attrs);
    if (options.shapes && !leaf) {
      absl::StrAppend(
          &out, " : ",
          absl::StrJoin(n.output_shapes, ", ",
                        [](std::string* s, const Shape& shape) {
                          s->append(shape.ToString());
                        }));
    }
    if (n.weight != nullptr) {
      if (options.weight_data) {
        absl::StrAppend(&out, " data=[");
        for (size_t i = 0; i < n.weight->values.size(); ++i) {
          if (i > 0) out += ", ";
          out += FloatToText(n.weight->values[i]);
        }
        out += "]";
      } else {
        absl::StrAppend(&out, " data=elided(",
                        absl::StrFormat("0x%016x", n.weight->content_hash()),
                        ")");
      }
    }
    if (labels.needs_name_clause[id]) {
      absl::StrAppend(&out, " name=", Quoted(n.name));
    }
    out += "\n";
  }
  out += "return";
  if (!graph.outputs().empty()) {
    absl::StrAppend(&out, " ", join_values(graph.outputs()));
  }
  out += "\n";
  return out;
}

}  // namespace tsopt

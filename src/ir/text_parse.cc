// ParseGraph: a recursive-descent parser over the tokens of text_lexer.cc.
// Every node goes through Graph::AddNode, so the parsed graph is checked
// exactly like a built one; errors carry the line and column.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/ir/text_internal.h"
#include "tsopt/ir/text.h"
#include "tsopt/util/status_macros.h"

namespace tsopt {
namespace {

using text_internal::Token;
using text_internal::TokenCursor;
using text_internal::TokenKind;

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

std::string ShapesText(const std::vector<Shape>& shapes) {
  return absl::StrJoin(shapes, ", ", [](std::string* out, const Shape& s) {
    out->append(s.ToString());
  });
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : c_(std::move(tokens)) {}

  absl::StatusOr<Graph> Run() && {
    while (true) {
      const Token& t = c_.Peek();
      if (t.kind == TokenKind::kLabel) {
        TSOPT_RETURN_IF_ERROR(ParseStatement());
      } else if (c_.PeekIdent("return")) {
        TSOPT_RETURN_IF_ERROR(ParseReturn());
        return std::move(graph_);
      } else if (t.kind == TokenKind::kEnd) {
        return TokenCursor::ErrorAt(
            t, "missing 'return' statement at the end of the graph");
      } else {
        return TokenCursor::ErrorAt(
            t, absl::StrCat("expected a statement ('%name = op(...)' or "
                            "'return'), got ",
                            TokenCursor::Describe(t)));
      }
    }
  }

 private:
  struct Definition {
    NodeId node;
    int line;
  };

  // A use of a value: %name or %name#N.
  absl::StatusOr<ValueId> ParseValue(absl::string_view context) {
    const Token& t = c_.Take();
    if (t.kind != TokenKind::kLabel) {
      return TokenCursor::ErrorAt(
          t, absl::StrCat("expected a value (%name) ", context, ", got ",
                          TokenCursor::Describe(t)));
    }
    auto it = labels_.find(t.text);
    if (it == labels_.end()) {
      return TokenCursor::ErrorAt(
          t, absl::StrCat("use of undefined value ", TokenCursor::Describe(t),
                          " (values must be defined before use)"));
    }
    const NodeId id = it->second.node;
    const int outputs = graph_.node(id).num_outputs();
    if (t.output < 0 && outputs != 1) {
      return TokenCursor::ErrorAt(
          t, absl::StrCat(TokenCursor::Describe(t), " has ", outputs,
                          " outputs; name one as ", TokenCursor::Describe(t),
                          "#0 to #", outputs - 1));
    }
    if (t.output >= outputs) {
      return TokenCursor::ErrorAt(
          t, absl::StrCat(TokenCursor::Describe(t), " refers to output ",
                          t.output, " but the node has ", outputs,
                          outputs == 1 ? " output" : " outputs"));
    }
    return ValueId{id, std::max(t.output, 0)};
  }

  absl::StatusOr<Shape> ParseShape() {
    const Token& start = c_.Peek();
    std::vector<int64_t> dims;
    TSOPT_RETURN_IF_ERROR(
        text_internal::ParseIntList(c_, "a shape annotation", &dims));
    absl::StatusOr<Shape> shape = Shape::Create(std::move(dims));
    if (!shape.ok()) return TokenCursor::ErrorAt(start, shape.status().message());
    return shape;
  }

  absl::Status ParseData(std::shared_ptr<const WeightData>* data) {
    if (c_.PeekIdent("elided")) {
      // The printer's content hash: informative only; a symbolic weight.
      c_.Take();
      TSOPT_RETURN_IF_ERROR(c_.Expect('(', "after 'elided'"));
      const Token& hash = c_.Take();
      if (hash.kind != TokenKind::kNumber) {
        return TokenCursor::ErrorAt(
            hash, absl::StrCat("expected a content hash in elided(...), got ",
                               TokenCursor::Describe(hash)));
      }
      return c_.Expect(')', "after the content hash");
    }
    TSOPT_RETURN_IF_ERROR(c_.Expect('[', "to start the weight data"));
    std::vector<float> values;
    TSOPT_RETURN_IF_ERROR(c_.ParseListRest(']', "in the weight data", [&] {
      float v;
      absl::Status s =
          text_internal::ParseFloatToken(c_.Take(), "weight data", &v);
      values.push_back(v);
      return s;
    }));
    *data = WeightData::Create(std::move(values));
    return absl::OkStatus();
  }

  absl::Status ParseStatement() {
    const Token& label = c_.Take();
    if (label.output >= 0) {
      return TokenCursor::ErrorAt(
          label, absl::StrCat("a definition cannot name an output (#",
                              label.output, "); write '", "%", label.text,
                              ":N = ...' for N outputs"));
    }
    if (auto it = labels_.find(label.text); it != labels_.end()) {
      return TokenCursor::ErrorAt(
          label, absl::StrCat("duplicate name ", TokenCursor::Describe(label),
                              " (first defined on line ", it->second.line,
                              ")"));
    }
    int64_t declared_outputs = 1;
    const Token* outputs_token = &label;
    if (c_.PeekPunct(':')) {
      c_.Take();
      outputs_token = &c_.Peek();
      TSOPT_RETURN_IF_ERROR(text_internal::ParseIntToken(
          c_.Take(), "the output count after ':'", &declared_outputs));
    }
    TSOPT_RETURN_IF_ERROR(
        c_.Expect('=', absl::StrCat("after ", TokenCursor::Describe(label))));
    const Token& op_token = c_.Take();
    if (op_token.kind != TokenKind::kIdent) {
      return TokenCursor::ErrorAt(
          op_token, absl::StrCat("expected an operator name, got ",
                                 TokenCursor::Describe(op_token)));
    }
    std::optional<OpKind> op = OpFromName(op_token.text);
    if (!op) {
      return TokenCursor::ErrorAt(
          op_token, absl::StrCat("unknown operator '", op_token.text, "'"));
    }
    const std::string context =
        absl::StrCat("in the inputs of ", OpMnemonic(*op));
    std::vector<ValueId> inputs;
    if (c_.PeekPunct('(')) {
      c_.Take();
      TSOPT_RETURN_IF_ERROR(c_.ParseListRest(')', context, [&] {
        absl::StatusOr<ValueId> v = ParseValue(context);
        if (v.ok()) inputs.push_back(*v);
        return v.status();
      }));
    }
    Attrs attrs = DefaultAttrs(*op);
    if (c_.PeekPunct('{')) {
      TSOPT_RETURN_IF_ERROR(text_internal::ParseAttrDict(c_, *op, &attrs));
    }
    std::vector<Shape> annotated;
    const Token* annotation_token = nullptr;
    if (c_.PeekPunct(':')) {
      c_.Take();
      annotation_token = &c_.Peek();
      do {
        if (!annotated.empty()) c_.Take();  // ','
        TSOPT_ASSIGN_OR_RETURN(Shape s, ParseShape());
        annotated.push_back(std::move(s));
      } while (c_.PeekPunct(','));
    }
    std::shared_ptr<const WeightData> data;
    if (c_.PeekIdent("data")) {
      const Token& data_token = c_.Take();
      if (*op != OpKind::kWeight) {
        return TokenCursor::ErrorAt(
            data_token, absl::StrCat("only weight nodes take data, not ",
                                     OpMnemonic(*op)));
      }
      TSOPT_RETURN_IF_ERROR(c_.Expect('=', "after 'data'"));
      TSOPT_RETURN_IF_ERROR(ParseData(&data));
    }
    std::string name =
        label.quoted || !AllDigits(label.text) ? label.text : "";
    if (c_.PeekIdent("name")) {
      c_.Take();
      TSOPT_RETURN_IF_ERROR(c_.Expect('=', "after 'name'"));
      const Token& s = c_.Take();
      if (s.kind != TokenKind::kString) {
        return TokenCursor::ErrorAt(
            s, absl::StrCat("expected a quoted node name, got ",
                            TokenCursor::Describe(s)));
      }
      name = s.text;
    }
    const Token& next = c_.Peek();
    if (next.kind != TokenKind::kLabel && next.kind != TokenKind::kEnd &&
        !c_.PeekIdent("return")) {
      return TokenCursor::ErrorAt(
          next, absl::StrCat("unexpected ", TokenCursor::Describe(next),
                             " after the ", OpMnemonic(*op), " statement"));
    }

    absl::StatusOr<std::vector<ValueId>> outs =
        graph_.AddNode(*op, std::move(attrs), std::move(inputs), name);
    if (!outs.ok()) return TokenCursor::ErrorAt(op_token, outs.status().message());
    const NodeId id = outs->front().node;
    const Node& node = graph_.node(id);
    if (declared_outputs != node.num_outputs()) {
      return TokenCursor::ErrorAt(
          *outputs_token,
          absl::StrCat(graph_.Describe(id), " has ", node.num_outputs(),
                       node.num_outputs() == 1 ? " output" : " outputs",
                       " but the statement declares ", declared_outputs,
                       node.num_outputs() == 1
                           ? ""
                           : absl::StrCat(" (write ", "%", label.text, ":",
                                          node.num_outputs(), ")")));
    }
    if (annotation_token != nullptr && annotated != node.output_shapes) {
      return TokenCursor::ErrorAt(
          *annotation_token,
          absl::StrCat("shape annotation ", ShapesText(annotated),
                       " does not match the inferred ",
                       ShapesText(node.output_shapes), " of ",
                       graph_.Describe(id)));
    }
    if (data != nullptr) {
      const int64_t needed = node.output_shapes[0].NumElements();
      if (static_cast<int64_t>(data->values.size()) != needed) {
        return TokenCursor::ErrorAt(
            op_token, absl::StrCat(graph_.Describe(id), ": weight data has ",
                                   data->values.size(), " values but shape ",
                                   node.output_shapes[0].ToString(), " needs ",
                                   needed));
      }
      graph_.MutableNode(id).weight = std::move(data);
    }
    labels_[label.text] = {id, label.line};
    return absl::OkStatus();
  }

  absl::Status ParseReturn() {
    c_.Take();  // 'return'
    if (c_.Peek().kind == TokenKind::kLabel) {
      while (true) {
        TSOPT_ASSIGN_OR_RETURN(ValueId v, ParseValue("in 'return'"));
        TSOPT_RETURN_IF_ERROR(graph_.MarkOutput(v));
        if (!c_.PeekPunct(',')) break;
        c_.Take();
      }
    }
    const Token& end = c_.Peek();
    if (end.kind != TokenKind::kEnd) {
      return TokenCursor::ErrorAt(
          end, absl::StrCat("expected the end of the graph after 'return', "
                            "got ",
                            TokenCursor::Describe(end)));
    }
    return absl::OkStatus();
  }

  TokenCursor c_;
  Graph graph_;
  absl::flat_hash_map<std::string, Definition> labels_;
};

}  // namespace

absl::StatusOr<Graph> ParseGraph(absl::string_view text) {
  TSOPT_ASSIGN_OR_RETURN(std::vector<Token> tokens,
                         text_internal::Tokenize(text));
  return Parser(std::move(tokens)).Run();
}

}  // namespace tsopt

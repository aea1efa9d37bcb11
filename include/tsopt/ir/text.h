// The graph text format: a readable SSA-like syntax that prints and parses
// a Graph exactly (structure, attributes, names, weight bits), for tests,
// rules and debugging.
//
//   # a comment runs to the end of the line
//   %x = input {shape=[1,3,8,8], name="x"}
//   %w = weight {shape=[4,3,3,3]} data=[0.1, -2, 3.5e-07, ...]
//   %c = conv2d(%x, %w) {pad=[1,1,1,1], activation=relu} : [1,4,8,8]
//   %s:2 = split(%c) {axis=1, sizes=[2,2]} : [1,2,8,8], [1,2,8,8]
//   %a = add(%s#0, %s#1) : [1,2,8,8]
//   return %a
//
// Grammar (whitespace and newlines are insignificant between tokens):
//   graph  := stmt* 'return' [value (',' value)*]
//   stmt   := label [':' INT] '=' OP ['(' [value (',' value)*] ')']
//             ['{' [IDENT '=' attr (',' IDENT '=' attr)*] '}']
//             [':' shape (',' shape)*]
//             ['data' '=' ('[' [float (',' float)*] ']' | 'elided' '(' HEX ')')]
//             ['name' '=' STRING]
//   label  := '%' (BARE | STRING)          BARE = [A-Za-z0-9_.]+
//   value  := label ['#' INT]              output INT of a multi-output node
//   shape  := '[' [INT (',' INT)*] ']'     '[]' is a scalar
//
// - OP is a mnemonic of ops.def ("conv2d"). ':N' after the label declares
//   the number of outputs and is required when it is not 1.
// - Attributes are the fields of the op's attribute struct (attrs.h), in any
//   order; omitted ones keep their defaults. Ints, floats (also 'inf',
//   '-inf', and 0x%08x bit patterns for NaNs), int lists, activation names
//   and quoted strings (C escapes) are the value kinds.
// - Output shapes after ':' are optional and checked against inference.
// - A weight's 'data' lists its values row-major; 'elided(0x...)' (the
//   content hash the printer writes when data is elided) and no 'data' at
//   all both give a symbolic weight (no values).
// - Node names: a label made only of digits gives a nameless node; any other
//   label is the node's name. 'name="..."' overrides it (the printer uses it
//   for names that are all digits or shared by several nodes).
// - Values must be defined before use; labels must be unique.
//
// Parse errors are InvalidArgument with "line:column: reason", e.g.
// "3:17: expected ')' after the inputs of conv2d, got '{'".
#ifndef TSOPT_IR_TEXT_H_
#define TSOPT_IR_TEXT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tsopt/ir/attrs.h"
#include "tsopt/ir/graph.h"

namespace tsopt {

struct PrintOptions {
  // Print ": [dims]" after every non-leaf node (leaves carry their shape in
  // their attributes).
  bool shapes = true;
  // Print weight values; false prints "data=elided(0x<content hash>)",
  // which parses back as a symbolic weight.
  bool weight_data = true;
};

// One statement per node, in id order, then the return statement.
std::string PrintGraph(const Graph& graph, const PrintOptions& options = {});

// Parses text written by PrintGraph (or by hand). ParseGraph(PrintGraph(g))
// is structurally equal to g with the same names and weight bits, and
// PrintGraph(ParseGraph(t)) == t for any t that PrintGraph wrote.
absl::StatusOr<Graph> ParseGraph(absl::string_view text);

// The non-default fields of an attribute struct, as the text format writes
// them: "{pad=[1,1,1,1], activation=relu}", or "" when all are defaults.
std::string AttrsToString(const Attrs& attrs);

// A float as the text format writes it: the shortest "%.Ng" that reads back
// to the same bits, "inf"/"-inf", or the bit pattern 0x%08x for a NaN.
std::string FloatToText(float value);

}  // namespace tsopt

#endif  // TSOPT_IR_TEXT_H_

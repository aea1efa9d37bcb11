// Internals of the graph text format (text.h): the tokenizer, a cursor over
// its tokens that words errors as "line:column: reason", and the generic
// attribute parser shared by the graph parser.
#ifndef TSOPT_SRC_IR_TEXT_INTERNAL_H_
#define TSOPT_SRC_IR_TEXT_INTERNAL_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "tsopt/ir/attrs.h"
#include "tsopt/ir/op.h"

namespace tsopt::text_internal {

enum class TokenKind {
  kEnd,     // end of input
  kLabel,   // %name, %"quoted name", optionally followed by #N
  kIdent,   // conv2d, stride, relu, return, data, inf
  kNumber,  // 12, -3, 1.5e-07, -inf, 0x7fc00000 (checked by the consumer)
  kString,  // "text" (unescaped)
  kPunct,   // one of = ( ) { } [ ] , :
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;  // the name, identifier, number, string or punctuation
  bool quoted = false;  // kLabel written as %"..."
  int output = -1;      // kLabel: the N of a '#N' suffix, -1 without one
  int line = 1;
  int column = 1;
};

// Splits `text` into tokens, the last one kEnd. Comments ('#' to the end of
// the line) and whitespace are dropped.
absl::StatusOr<std::vector<Token>> Tokenize(absl::string_view text);

// Characters allowed in an unquoted label.
bool IsBareLabelChar(char c);

class TokenCursor {
 public:
  explicit TokenCursor(std::vector<Token> tokens)
      : tokens_(std::move(tokens)) {}

  const Token& Peek() const { return tokens_[pos_]; }
  const Token& Take() {
    const Token& t = tokens_[pos_];
    if (t.kind != TokenKind::kEnd) ++pos_;
    return t;
  }
  bool PeekPunct(char p) const { return IsPunct(Peek(), p); }
  bool PeekIdent(absl::string_view word) const {
    return Peek().kind == TokenKind::kIdent && Peek().text == word;
  }
  // Takes the punctuation `p`, or fails with "expected 'p' <context>, got X".
  absl::Status Expect(char p, absl::string_view context);
  // The rest of a list after its opening bracket: "item (',' item)* close"
  // or just "close". `item()` parses one item and returns a Status.
  template <typename F>
  absl::Status ParseListRest(char close, absl::string_view context, F&& item) {
    if (PeekPunct(close)) {
      Take();
      return absl::OkStatus();
    }
    while (true) {
      absl::Status s = item();
      if (!s.ok()) return s;
      if (!PeekPunct(',')) break;
      Take();
    }
    return Expect(close, absl::StrCat("or ',' ", context));
  }

  static bool IsPunct(const Token& t, char p) {
    return t.kind == TokenKind::kPunct && t.text.size() == 1 && t.text[0] == p;
  }
  // "line:column: reason" as an InvalidArgument error.
  static absl::Status ErrorAt(const Token& t, absl::string_view reason);
  // How a token reads in an error message: "'{'", "%x", "end of input".
  static std::string Describe(const Token& t);

 private:
  std::vector<Token> tokens_;
  size_t pos_ = 0;
};

// Parses "{name=value, ...}" (the cursor is on '{') into `attrs`, which holds
// op's attribute struct with its defaults. Each name must be a field of the
// struct (attrs.h) and appear once; values are read by the field's type.
absl::Status ParseAttrDict(TokenCursor& cursor, OpKind op, Attrs* attrs);

// Readers for single values, by type; `what` names the value in errors.
absl::Status ParseIntToken(const Token& t, absl::string_view what,
                           int64_t* out);
absl::Status ParseFloatToken(const Token& t, absl::string_view what,
                             float* out);
// "[1,2,3]" (the cursor is on '[').
absl::Status ParseIntList(TokenCursor& cursor, absl::string_view what,
                          std::vector<int64_t>* out);

}  // namespace tsopt::text_internal

#endif  // TSOPT_SRC_IR_TEXT_INTERNAL_H_

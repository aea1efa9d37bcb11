// Tokenizer of the graph text format and the token cursor's error wording.
#include <cctype>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "src/ir/text_internal.h"

namespace tsopt::text_internal {
namespace {

bool IsIdentStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

class Lexer {
 public:
  explicit Lexer(absl::string_view text) : text_(text) {}

  absl::StatusOr<std::vector<Token>> Run() {
    std::vector<Token> tokens;
    while (true) {
      SkipSpaceAndComments();
      Token t;
      t.line = line_;
      t.column = column_;
      if (AtEnd()) {
        tokens.push_back(std::move(t));
        return tokens;
      }
      const char c = Cur();
      if (c == '%') {
        absl::Status s = LexLabel(t);
        if (!s.ok()) return s;
      } else if (c == '"') {
        t.kind = TokenKind::kString;
        absl::Status s = LexString(t, &t.text);
        if (!s.ok()) return s;
      } else if (IsIdentStart(c)) {
        t.kind = TokenKind::kIdent;
        while (!AtEnd() && IsIdentChar(Cur())) t.text += Advance();
      } else if (IsDigit(c) || ((c == '-' || c == '+' || c == '.') &&
                                pos_ + 1 < text_.size() &&
                                (IsDigit(text_[pos_ + 1]) ||
                                 text_[pos_ + 1] == '.' ||
                                 IsIdentStart(text_[pos_ + 1])))) {
        t.kind = TokenKind::kNumber;
        LexNumber(&t.text);
      } else if (absl::string_view("=(){}[],:").find(c) !=
                 absl::string_view::npos) {
        t.kind = TokenKind::kPunct;
        t.text = std::string(1, Advance());
      } else {
        return TokenCursor::ErrorAt(
            t, absl::StrCat("unexpected character '", absl::CEscape({&c, 1}),
                            "'"));
      }
      tokens.push_back(std::move(t));
    }
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Cur() const { return text_[pos_]; }
  char Advance() {
    char c = text_[pos_++];
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    return c;
  }

  void SkipSpaceAndComments() {
    while (!AtEnd()) {
      char c = Cur();
      if (c == '#') {
        while (!AtEnd() && Cur() != '\n') Advance();
      } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        Advance();
      } else {
        return;
      }
    }
  }

  // A number-like run: signs only first or right after a decimal exponent.
  void LexNumber(std::string* out) {
    *out += Advance();
    while (!AtEnd()) {
      char c = Cur();
      bool exponent_sign =
          (c == '+' || c == '-') && !out->empty() &&
          (out->back() == 'e' || out->back() == 'E') &&
          out->find_first_of("xX") == std::string::npos;
      if (!IsIdentChar(c) && c != '.' && !exponent_sign) return;
      *out += Advance();
    }
  }

  // The cursor is on '"'. Reads to the closing quote and unescapes.
  absl::Status LexString(const Token& start, std::string* out) {
    Advance();
    std::string raw;
    while (true) {
      if (AtEnd() || Cur() == '\n') {
        return TokenCursor::ErrorAt(start, "unterminated string");
      }
      char c = Advance();
      if (c == '"') break;
      raw += c;
      if (c == '\\') {
        if (AtEnd()) return TokenCursor::ErrorAt(start, "unterminated string");
        raw += Advance();
      }
    }
    std::string error;
    if (!absl::CUnescape(raw, out, &error)) {
      return TokenCursor::ErrorAt(start,
                                  absl::StrCat("bad string escape: ", error));
    }
    return absl::OkStatus();
  }

  absl::Status LexLabel(Token& t) {
    t.kind = TokenKind::kLabel;
    Advance();  // '%'
    if (!AtEnd() && Cur() == '"') {
      t.quoted = true;
      absl::Status s = LexString(t, &t.text);
      if (!s.ok()) return s;
    } else {
      while (!AtEnd() && IsBareLabelChar(Cur())) t.text += Advance();
    }
    if (t.text.empty()) {
      return TokenCursor::ErrorAt(t, "expected a value name after '%'");
    }
    // '#N' right after a label is an output index, not a comment.
    if (pos_ + 1 < text_.size() && Cur() == '#' && IsDigit(text_[pos_ + 1])) {
      Advance();
      std::string digits;
      while (!AtEnd() && IsDigit(Cur())) digits += Advance();
      if (!absl::SimpleAtoi(digits, &t.output) || t.output > 1000000) {
        return TokenCursor::ErrorAt(
            t, absl::StrCat("output index #", digits, " is too large"));
      }
    }
    return absl::OkStatus();
  }

  absl::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace

bool IsBareLabelChar(char c) { return IsIdentChar(c) || c == '.'; }

absl::StatusOr<std::vector<Token>> Tokenize(absl::string_view text) {
  return Lexer(text).Run();
}

absl::Status TokenCursor::Expect(char p, absl::string_view context) {
  const Token& t = Peek();
  if (!IsPunct(t, p)) {
    return ErrorAt(t, absl::StrCat("expected '", std::string(1, p), "' ",
                                   context, ", got ", Describe(t)));
  }
  Take();
  return absl::OkStatus();
}

absl::Status TokenCursor::ErrorAt(const Token& t, absl::string_view reason) {
  return absl::InvalidArgumentError(
      absl::StrCat(t.line, ":", t.column, ": ", reason));
}

std::string TokenCursor::Describe(const Token& t) {
  switch (t.kind) {
    case TokenKind::kEnd:
      return "end of input";
    case TokenKind::kLabel:
      return absl::StrCat(
          "%", t.quoted ? absl::StrCat("\"", absl::CEscape(t.text), "\"")
                        : t.text,
          t.output >= 0 ? absl::StrCat("#", t.output) : "");
    case TokenKind::kString:
      return absl::StrCat("\"", absl::CEscape(t.text), "\"");
    case TokenKind::kIdent:
    case TokenKind::kNumber:
    case TokenKind::kPunct:
      return absl::StrCat("'", t.text, "'");
  }
  return "?";
}

}  // namespace tsopt::text_internal

// The s-expression reader of the rule text format.
#include "src/rules/sexpr.h"

#include <cctype>

#include "absl/strings/str_cat.h"

namespace tsopt::rules_internal {
namespace {

class Reader {
 public:
  Reader(absl::string_view text, absl::string_view filename)
      : text_(text), filename_(filename) {}

  absl::StatusOr<std::vector<SExpr>> ReadAll() {
    std::vector<SExpr> out;
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size()) return out;
      absl::StatusOr<SExpr> e = ReadOne(0);
      if (!e.ok()) return e.status();
      out.push_back(*std::move(e));
    }
  }

 private:
  absl::Status Error(int line, int col, absl::string_view msg) {
    return absl::InvalidArgumentError(
        absl::StrCat(filename_, ":", line, ":", col, ": ", msg));
  }

  void Advance() {
    if (text_[pos_] == '\n') {
      ++line_;
      col_ = 1;
    } else {
      ++col_;
    }
    ++pos_;
  }

  void SkipSpace() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == ';') {
        while (pos_ < text_.size() && text_[pos_] != '\n') Advance();
      } else if (std::isspace(static_cast<unsigned char>(c))) {
        Advance();
      } else {
        return;
      }
    }
  }

  // Nesting deeper than this is refused rather than risking the stack.
  static constexpr int kMaxDepth = 200;

  absl::StatusOr<SExpr> ReadOne(int depth) {
    SExpr e;
    e.line = line_;
    e.col = col_;
    if (depth > kMaxDepth) {
      return Error(line_, col_, absl::StrCat("nesting deeper than ", kMaxDepth));
    }
    char c = text_[pos_];
    if (c == '(' || c == '[') {
      const char close = c == '(' ? ')' : ']';
      e.kind = c == '(' ? SExpr::Kind::kList : SExpr::Kind::kBracket;
      Advance();
      while (true) {
        SkipSpace();
        if (pos_ >= text_.size()) {
          return Error(e.line, e.col,
                       absl::StrCat("unclosed '", std::string(1, c), "'"));
        }
        char d = text_[pos_];
        if (d == close) {
          Advance();
          return e;
        }
        if (d == ')' || d == ']') {
          return Error(line_, col_,
                       absl::StrCat("unexpected '", std::string(1, d),
                                    "' (expected '", std::string(1, close),
                                    "')"));
        }
        absl::StatusOr<SExpr> item = ReadOne(depth + 1);
        if (!item.ok()) return item.status();
        e.items.push_back(*std::move(item));
      }
    }
    if (c == ')' || c == ']') {
      return Error(line_, col_,
                   absl::StrCat("unexpected '", std::string(1, c), "'"));
    }
    if (c == '"') {
      e.kind = SExpr::Kind::kString;
      Advance();
      while (pos_ < text_.size() && text_[pos_] != '"') {
        if (text_[pos_] == '\n') break;
        e.text.push_back(text_[pos_]);
        Advance();
      }
      if (pos_ >= text_.size() || text_[pos_] != '"') {
        return Error(e.line, e.col, "unterminated string");
      }
      Advance();
      return e;
    }
    e.kind = SExpr::Kind::kAtom;
    while (pos_ < text_.size()) {
      char d = text_[pos_];
      if (std::isspace(static_cast<unsigned char>(d)) || d == '(' ||
          d == ')' || d == '[' || d == ']' || d == ';' || d == '"') {
        break;
      }
      e.text.push_back(d);
      Advance();
    }
    return e;
  }

  absl::string_view text_;
  absl::string_view filename_;
  size_t pos_ = 0;
  int line_ = 1;
  int col_ = 1;
};

}  // namespace

absl::StatusOr<std::vector<SExpr>> ReadSExprs(absl::string_view text,
                                              absl::string_view filename) {
  return Reader(text, filename).ReadAll();
}

absl::Status ErrorAt(absl::string_view filename, const SExpr& at,
                     absl::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat(filename, ":", at.line, ":", at.col, ": ", message));
}

}  // namespace tsopt::rules_internal

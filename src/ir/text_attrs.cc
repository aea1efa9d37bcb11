// Attributes in the text format, generic over each struct's Fields list
// (attrs.h): printing the non-default fields and parsing "{name=value}"
// dictionaries. No code here knows any particular operator.
#include <cmath>
#include <cstring>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "src/ir/text_internal.h"
#include "tsopt/ir/text.h"
#include "tsopt/util/status_macros.h"

namespace tsopt {
namespace {

uint32_t Bits(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof(bits));
  return bits;
}

// One overload per field type of attrs.h.
std::string FieldToText(int64_t v) { return absl::StrCat(v); }
std::string FieldToText(float v) { return FloatToText(v); }
std::string FieldToText(Activation v) { return std::string(ActivationName(v)); }
std::string FieldToText(const std::vector<int64_t>& v) {
  return DimsToString(v);
}
std::string FieldToText(const std::string& v) {
  return absl::StrCat("\"", absl::CEscape(v), "\"");
}

template <typename T>
bool SameBits(const T& a, const T& b) {
  return a == b;
}
bool SameBits(float a, float b) { return Bits(a) == Bits(b); }

}  // namespace

std::string FloatToText(float value) {
  if (std::isnan(value)) return absl::StrFormat("0x%08x", Bits(value));
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  for (int precision = 6; precision < 9; ++precision) {
    std::string text = absl::StrFormat("%.*g", precision, value);
    float back;
    if (absl::SimpleAtof(text, &back) && Bits(back) == Bits(value)) {
      return text;
    }
  }
  return absl::StrFormat("%.9g", value);
}

std::string AttrsToString(const Attrs& attrs) {
  std::vector<std::string> parts;
  std::visit(
      [&](const auto& a) {
        using A = std::decay_t<decltype(a)>;
        const A defaults{};
        A::Fields(
            [&](absl::string_view name, const auto& value,
                const auto& default_value) {
              if (!SameBits(value, default_value)) {
                parts.push_back(absl::StrCat(name, "=", FieldToText(value)));
              }
            },
            a, defaults);
      },
      attrs);
  if (parts.empty()) return "";
  return absl::StrCat("{", absl::StrJoin(parts, ", "), "}");
}

namespace text_internal {
namespace {

absl::Status ExpectedKind(const Token& t, absl::string_view what,
                          absl::string_view kind) {
  return TokenCursor::ErrorAt(
      t, absl::StrCat(what, " expects ", kind, ", got ",
                      TokenCursor::Describe(t)));
}

// One reader per field type of attrs.h; a new type without one does not
// compile.
absl::Status ReadField(TokenCursor& c, absl::string_view what, int64_t* out) {
  return ParseIntToken(c.Take(), what, out);
}
absl::Status ReadField(TokenCursor& c, absl::string_view what, float* out) {
  return ParseFloatToken(c.Take(), what, out);
}
absl::Status ReadField(TokenCursor& c, absl::string_view what,
                       std::vector<int64_t>* out) {
  return ParseIntList(c, what, out);
}
absl::Status ReadField(TokenCursor& c, absl::string_view what,
                       Activation* out) {
  const Token& t = c.Take();
  if (t.kind != TokenKind::kIdent) {
    return ExpectedKind(t, what, "an activation name");
  }
  absl::StatusOr<Activation> a = ParseActivation(t.text);
  if (!a.ok()) return TokenCursor::ErrorAt(t, a.status().message());
  *out = *a;
  return absl::OkStatus();
}
absl::Status ReadField(TokenCursor& c, absl::string_view what,
                       std::string* out) {
  const Token& t = c.Take();
  if (t.kind != TokenKind::kString) {
    return ExpectedKind(t, what, "a quoted string");
  }
  *out = t.text;
  return absl::OkStatus();
}

// Reads the value of the field called `name.text` into `attrs`.
absl::Status ParseField(TokenCursor& c, absl::string_view mnemonic,
                        const Token& name, Attrs* attrs) {
  bool found = false;
  absl::Status status;
  std::vector<absl::string_view> field_names;
  const std::string what =
      absl::StrCat("attribute '", name.text, "' of ", mnemonic);
  std::visit(
      [&](auto& a) {
        using A = std::decay_t<decltype(a)>;
        A::Fields(
            [&](absl::string_view field, auto& value) {
              field_names.push_back(field);
              if (field != name.text) return;
              found = true;
              status = ReadField(c, what, &value);
            },
            a);
      },
      *attrs);
  if (found) return status;
  if (field_names.empty()) {
    return TokenCursor::ErrorAt(
        name, absl::StrCat("unknown attribute '", name.text, "': ", mnemonic,
                           " takes no attributes"));
  }
  return TokenCursor::ErrorAt(
      name, absl::StrCat("unknown attribute '", name.text, "' of ", mnemonic,
                         " (it has: ", absl::StrJoin(field_names, ", "), ")"));
}

}  // namespace

absl::Status ParseIntToken(const Token& t, absl::string_view what,
                           int64_t* out) {
  if (t.kind != TokenKind::kNumber || !absl::SimpleAtoi(t.text, out)) {
    return ExpectedKind(t, what, "an integer");
  }
  return absl::OkStatus();
}

absl::Status ParseFloatToken(const Token& t, absl::string_view what,
                             float* out) {
  const bool number_like =
      t.kind == TokenKind::kNumber ||
      (t.kind == TokenKind::kIdent && (t.text == "inf" || t.text == "nan"));
  if (number_like && t.text.size() > 2 && t.text[0] == '0' &&
      (t.text[1] == 'x' || t.text[1] == 'X')) {
    uint32_t bits;
    if (absl::SimpleHexAtoi(t.text, &bits)) {
      std::memcpy(out, &bits, sizeof(bits));
      return absl::OkStatus();
    }
  } else if (number_like && absl::SimpleAtof(t.text, out)) {
    return absl::OkStatus();
  }
  return ExpectedKind(t, what, "a float");
}

absl::Status ParseIntList(TokenCursor& c, absl::string_view what,
                          std::vector<int64_t>* out) {
  if (!c.PeekPunct('[')) return ExpectedKind(c.Peek(), what, "a list [...]");
  c.Take();
  out->clear();
  const std::string item_what = absl::StrCat("a list in ", what);
  return c.ParseListRest(']', absl::StrCat("in ", what), [&] {
    int64_t v;
    absl::Status s = ParseIntToken(c.Take(), item_what, &v);
    out->push_back(v);
    return s;
  });
}

absl::Status ParseAttrDict(TokenCursor& c, OpKind op, Attrs* attrs) {
  const absl::string_view mnemonic = OpMnemonic(op);
  TSOPT_RETURN_IF_ERROR(c.Expect('{', "before the attributes"));
  std::vector<std::string> seen;
  return c.ParseListRest(
      '}', absl::StrCat("in the attributes of ", mnemonic), [&] {
        const Token& name = c.Take();
        if (name.kind != TokenKind::kIdent) {
          return TokenCursor::ErrorAt(
              name, absl::StrCat("expected an attribute name of ", mnemonic,
                                 ", got ", TokenCursor::Describe(name)));
        }
        for (const std::string& s : seen) {
          if (s == name.text) {
            return TokenCursor::ErrorAt(
                name, absl::StrCat("attribute '", name.text, "' of ",
                                   mnemonic, " is given twice"));
          }
        }
        seen.push_back(name.text);
        TSOPT_RETURN_IF_ERROR(
            c.Expect('=', absl::StrCat("after attribute '", name.text, "'")));
        return ParseField(c, mnemonic, name, attrs);
      });
}

}  // namespace text_internal
}  // namespace tsopt

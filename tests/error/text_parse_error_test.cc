// Must-fail graph text: malformed input is refused with InvalidArgument,
// "line:column: reason", pointing at the offending token.
#include <random>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tsopt/ir/text.h"

namespace tsopt {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

struct ParseErrorCase {
  const char* name;
  const char* text;
  const char* position;  // "line:column"
  const char* reason;    // a substring of the message
};

std::ostream& operator<<(std::ostream& os, const ParseErrorCase& c) {
  return os << c.name;
}

// Lines reused by the cases.
#define CONV_PRELUDE \
  "%x = input {shape=[1,3,4,4]}\n%w = weight {shape=[3,3,1,1]}\n"

const ParseErrorCase kCases[] = {
    {"MissingCloseParenAtNextLine",
     "%x = input {shape=[2]}\n%y = relu(%x\nreturn %y\n", "3:1",
     "expected ')' or ',' in the inputs of relu, got 'return'"},
    {"MissingCloseParenBeforeAttrs",
     "%x = input {shape=[2]}\n%y = relu(%x {}\nreturn %y\n", "2:14",
     "expected ')' or ',' in the inputs of relu, got '{'"},
    {"UnknownOperator",
     "%x = input {shape=[2]}\n%y = conv3d(%x)\nreturn %y\n", "2:6",
     "unknown operator 'conv3d'"},
    {"UnknownAttribute",
     CONV_PRELUDE "%c = conv2d(%x, %w) {strides=[1,1]}\nreturn %c\n", "3:22",
     "unknown attribute 'strides' of conv2d (it has: stride, pad, dilation, "
     "groups, activation)"},
    {"AttributeOfAnOpWithout",
     "%x = input {shape=[2]}\n%y = relu(%x) {axis=1}\nreturn %y\n", "2:16",
     "unknown attribute 'axis': relu takes no attributes"},
    {"ListForInteger",
     CONV_PRELUDE "%c = conv2d(%x, %w) {groups=[1]}\nreturn %c\n", "3:29",
     "attribute 'groups' of conv2d expects an integer, got '['"},
    {"IntegerForList",
     CONV_PRELUDE "%c = conv2d(%x, %w) {pad=1}\nreturn %c\n", "3:26",
     "attribute 'pad' of conv2d expects a list [...], got '1'"},
    {"FloatForInteger",
     "%x = input {shape=[2]}\n%y = softmax(%x) {axis=1.5}\nreturn %y\n",
     "2:24", "attribute 'axis' of softmax expects an integer, got '1.5'"},
    {"UnknownActivation",
     CONV_PRELUDE "%c = conv2d(%x, %w) {activation=swish}\nreturn %c\n",
     "3:33", "unknown activation 'swish'"},
    {"IdentifierForString", "%x = input {shape=[2], name=x}\nreturn %x\n",
     "1:29", "attribute 'name' of input expects a quoted string, got 'x'"},
    {"MissingAttributeValue",
     "%x = input {shape=[2]}\n%y = softmax(%x) {axis=}\nreturn %y\n", "2:24",
     "attribute 'axis' of softmax expects an integer, got '}'"},
    {"DuplicateAttribute", "%x = input {shape=[2], shape=[3]}\nreturn %x\n",
     "1:24", "attribute 'shape' of input is given twice"},
    {"UnclosedAttributes", "%x = input {shape=[2]\nreturn %x\n", "2:1",
     "expected '}' or ',' in the attributes of input, got 'return'"},
    {"IntegerOverflow",
     "%x = input {shape=[99999999999999999999]}\nreturn %x\n", "1:20",
     "expects an integer, got '99999999999999999999'"},
    {"UseBeforeDefinition",
     "%x = input {shape=[2]}\n%y = add(%x, %z)\n%z = relu(%x)\nreturn %y\n",
     "2:14", "use of undefined value %z"},
    {"ReturnOfUndefinedValue", "%x = input {shape=[2]}\nreturn %q\n", "2:8",
     "use of undefined value %q"},
    {"DuplicateName", "%x = input {shape=[2]}\n%x = relu(%x)\nreturn %x\n",
     "2:1", "duplicate name %x (first defined on line 1)"},
    {"ShapeAnnotationMismatch",
     "%x = input {shape=[1,3,8,8]}\n"
     "%p = maxpool2d(%x) {kernel=[2,2], stride=[2,2]} : [1,3,8,8]\n"
     "return %p\n",
     "2:51",
     "shape annotation [1,3,8,8] does not match the inferred [1,3,4,4] of "
     "node 1 (maxpool2d 'p')"},
    {"ShapeAnnotationCount",
     "%x = input {shape=[4]}\n%s:2 = split(%x) {sizes=[2,2]} : [2]\n"
     "return %s#0\n",
     "2:34", "shape annotation [2] does not match the inferred [2], [2]"},
    {"InvalidShapeAnnotation",
     "%x = input {shape=[2]}\n%y = relu(%x) : [2,0]\nreturn %y\n", "2:17",
     "shape [2,0] has a dim < 1"},
    {"BadArity", "%x = input {shape=[2]}\n%y = add(%x)\nreturn %y\n", "2:6",
     "node 1 (add 'y'): add takes 2 inputs, got 1"},
    {"ShapeInferenceFailure",
     "%x = input {shape=[1,3,4,4]}\n%w = weight {shape=[4,2,1,1]}\n"
     "%c = conv2d(%x, %w)\nreturn %c\n",
     "3:6", "node 2 (conv2d 'c'): weight [4,2,1,1] expects 2 input channels"},
    {"NegativeStride",
     CONV_PRELUDE "%c = conv2d(%x, %w) {stride=[-1,1]}\nreturn %c\n", "3:6",
     "node 2 (conv2d 'c'): stride values must be >= 1"},
    {"MultiOutputWithoutIndex",
     "%x = input {shape=[4]}\n%s:2 = split(%x) {sizes=[2,2]}\n"
     "%y = relu(%s)\nreturn %y\n",
     "3:11", "%s has 2 outputs; name one as %s#0 to #1"},
    {"OutputIndexOutOfRange",
     "%x = input {shape=[4]}\n%s:2 = split(%x) {sizes=[2,2]}\n"
     "%y = relu(%s#2)\nreturn %y\n",
     "3:11", "%s#2 refers to output 2 but the node has 2 outputs"},
    {"UndeclaredOutputCount",
     "%x = input {shape=[4]}\n%s = split(%x) {sizes=[2,2]}\nreturn %s#0\n",
     "2:1",
     "node 1 (split 's') has 2 outputs but the statement declares 1 "
     "(write %s:2)"},
    {"WrongOutputCount", "%x = input {shape=[4]}\n%r:3 = relu(%x)\nreturn %r\n",
     "2:4", "node 1 (relu 'r') has 1 output but the statement declares 3"},
    {"DefinitionWithOutputIndex", "%x#0 = input {shape=[2]}\nreturn %x\n",
     "1:1", "a definition cannot name an output"},
    {"MissingEquals", "%x input {shape=[2]}\nreturn %x\n", "1:4",
     "expected '=' after %x, got 'input'"},
    {"EmptyLabel", "% = input\nreturn\n", "1:1",
     "expected a value name after '%'"},
    {"StatementWithoutLabel", "relu(%x)\nreturn %x\n", "1:1",
     "expected a statement ('%name = op(...)' or 'return'), got 'relu'"},
    {"MissingReturn", "%x = input {shape=[2]}\n", "2:1",
     "missing 'return' statement"},
    {"EmptyText", "", "1:1", "missing 'return' statement"},
    {"TextAfterReturn", "%x = input {shape=[2]}\nreturn %x\n%y = relu(%x)\n",
     "3:1", "expected the end of the graph after 'return', got %y"},
    {"JunkAfterStatement", "%x = input {shape=[2]} 5\nreturn %x\n", "1:24",
     "unexpected '5' after the input statement"},
    {"UnexpectedCharacter",
     "%x = input {shape=[2]}\n%y = relu(%x) $\nreturn %y\n", "2:15",
     "unexpected character '$'"},
    {"UnterminatedString", "%x = input {shape=[2], name=\"abc}\nreturn %x\n",
     "1:29", "unterminated string"},
    {"BadStringEscape",
     "%x = input {shape=[2], name=\"a\\qb\"}\nreturn %x\n", "1:29",
     "bad string escape"},
    {"DataOnNonWeight", "%x = input {shape=[2]} data=[1, 2]\nreturn %x\n",
     "1:24", "only weight nodes take data, not input"},
    {"DataCountMismatch", "%w = weight {shape=[2]} data=[1, 2, 3]\nreturn %w\n",
     "1:6",
     "node 0 (weight 'w'): weight data has 3 values but shape [2] needs 2"},
    {"BadFloatInData", "%w = weight {shape=[2]} data=[1, abc]\nreturn %w\n",
     "1:34", "weight data expects a float, got 'abc'"},
    {"TrailingCommaInData", "%w = weight {shape=[2]} data=[1, 2,]\nreturn %w\n",
     "1:36", "weight data expects a float, got ']'"},
    {"BadElidedHash", "%w = weight {shape=[2]} data=elided(xyz)\nreturn %w\n",
     "1:37", "expected a content hash in elided(...), got 'xyz'"},
    {"NameClauseWithoutString", "%x = input {shape=[2]} name=x\nreturn %x\n",
     "1:29", "expected a quoted node name, got 'x'"},
    {"CommentDoesNotHideErrors",
     "# header\n%x = input {shape=[2]}  # fine\n%y = relu(%x, %x)  # two\n"
     "return %y\n",
     "3:6", "relu takes 1 inputs, got 2"},
};

#undef CONV_PRELUDE

class TextParseErrorTest : public ::testing::TestWithParam<ParseErrorCase> {};

TEST_P(TextParseErrorTest, RefusedWithLineColumnAndReason) {
  const ParseErrorCase& c = GetParam();
  absl::StatusOr<Graph> g = ParseGraph(c.text);
  ASSERT_FALSE(g.ok()) << "accepted:\n" << c.text;
  EXPECT_EQ(g.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(g.status().message()),
              StartsWith(std::string(c.position) + ": "));
  EXPECT_THAT(g.status().message(), HasSubstr(c.reason));
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, TextParseErrorTest, ::testing::ValuesIn(kCases),
    [](const ::testing::TestParamInfo<ParseErrorCase>& info) {
      return std::string(info.param.name);
    });

// Corrupted printed graphs: every parse either succeeds (and then prints
// and parses back to the same text) or fails with "line:column: reason";
// none may crash or hang.
constexpr char kRichGraph[] =
    "# a graph using most of the syntax\n"
    "%x = input {shape=[1,4,6,6], name=\"x\"}\n"
    "%w = weight {shape=[4,2,3,3]} data=elided(0x0123456789abcdef)\n"
    "%b = weight {shape=[3,1,1]} data=[-0, 1e-05, 0x7fc00001]\n"
    "%c = conv2d(%x, %w) {pad=[1,1,1,1], groups=2, activation=relu} : "
    "[1,4,6,6]\n"
    "%s:2 = split(%c) {axis=1, sizes=[1,3]} : [1,1,6,6], [1,3,6,6]\n"
    "%\"odd name\" = add(%s#1, %b) : [1,3,6,6]\n"
    "%5 = concat(%s#0, %\"odd name\") {axis=1} : [1,4,6,6] name=\"7\"\n"
    "%p = maxpool2d(%5) {kernel=[2,2], stride=[2,2]} : [1,4,3,3]\n"
    "return %p, %s#0\n";

class CorruptedTextTest : public ::testing::TestWithParam<int> {};

TEST_P(CorruptedTextTest, FailsCleanlyOrRoundTrips) {
  std::mt19937_64 rng(GetParam());
  const std::string text = kRichGraph;
  ASSERT_TRUE(ParseGraph(text).ok()) << ParseGraph(text).status();
  const std::string alphabet = "%#:=(){}[],\"-.0123456789aexz \n";
  int failures = 0;
  for (int i = 0; i < 300; ++i) {
    std::string bad = text;
    for (int edits = 1 + rng() % 3; edits > 0 && !bad.empty(); --edits) {
      const size_t pos = rng() % bad.size();
      switch (rng() % 4) {
        case 0:
          bad.erase(pos, 1 + rng() % 8);
          break;
        case 1:
          bad.insert(pos, 1, alphabet[rng() % alphabet.size()]);
          break;
        case 2:
          bad[pos] = alphabet[rng() % alphabet.size()];
          break;
        default:
          bad.resize(pos);
          break;
      }
    }
    absl::StatusOr<Graph> g = ParseGraph(bad);
    if (g.ok()) {
      const std::string printed = PrintGraph(*g);
      absl::StatusOr<Graph> again = ParseGraph(printed);
      ASSERT_TRUE(again.ok()) << again.status() << "\n" << printed;
      EXPECT_EQ(PrintGraph(*again), printed);
      continue;
    }
    ++failures;
    EXPECT_EQ(g.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(g.status().message()),
                ::testing::MatchesRegex("[0-9]+:[0-9]+: .+"))
        << bad;
  }
  EXPECT_GT(failures, 100);  // most corruptions must be caught
}

INSTANTIATE_TEST_SUITE_P(Seeds, CorruptedTextTest, ::testing::Range(0, 6));

}  // namespace
}  // namespace tsopt

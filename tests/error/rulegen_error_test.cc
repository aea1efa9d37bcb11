// The rule generator refuses bad options with a clear status.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tsopt/rulegen/generator.h"

namespace tsopt {
namespace {

using ::testing::HasSubstr;

absl::Status RunGenerator(GeneratorOptions o) { return GenerateRules(o).status(); }

TEST(RulegenErrorTest, UnsupportedOperator) {
  GeneratorOptions o;
  o.ops = {"matmul", "softmax"};
  absl::Status s = RunGenerator(o);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("does not enumerate 'softmax'"));
}

TEST(RulegenErrorTest, UnknownOperator) {
  GeneratorOptions o;
  o.ops = {"frob"};
  EXPECT_THAT(RunGenerator(o).message(), HasSubstr("'frob'"));
}

TEST(RulegenErrorTest, MaxOpsOutOfRange) {
  GeneratorOptions o;
  o.max_ops = 5;
  EXPECT_THAT(RunGenerator(o).message(), HasSubstr("max_ops must be 1..4"));
  o.max_ops = 0;
  EXPECT_EQ(RunGenerator(o).code(), absl::StatusCode::kInvalidArgument);
}

TEST(RulegenErrorTest, BadShard) {
  GeneratorOptions o;
  o.shard_index = 2;
  o.shard_count = 2;
  EXPECT_THAT(RunGenerator(o).message(), HasSubstr("bad shard 2/2"));
}

}  // namespace
}  // namespace tsopt

// Must-fail inputs of the model registry: unknown names and options out of
// range give InvalidArgumentError with a message naming the problem.
#include <cstdint>
#include <limits>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tsopt/models/models.h"

namespace tsopt {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

void ExpectInvalid(absl::string_view name, const ModelOptions& options,
                   absl::string_view message) {
  absl::StatusOr<Graph> g = BuildModel(name, options);
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(g.status().message()), HasSubstr(message));
}

TEST(ModelsErrorTest, UnknownNameListsTheValidNames) {
  absl::StatusOr<Graph> g = BuildModel("resnet51", {});
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      std::string(g.status().message()),
      AllOf(HasSubstr("unknown model 'resnet51'"), HasSubstr("resnet50"),
            HasSubstr("bert_layer"), HasSubstr("nasrnn")));
  ExpectInvalid("", {}, "unknown model ''");
  ExpectInvalid("ResNet50", {}, "unknown model");
  EXPECT_FALSE(ModelDescription("vgg16").ok());
}

TEST(ModelsErrorTest, BatchOutOfRange) {
  ExpectInvalid("resnet50", {.batch = 0}, "batch 0 is out of range");
  ExpectInvalid("bert_base", {.batch = -3}, "batch -3 is out of range");
  ExpectInvalid("resnext_block", {.batch = kMaxModelBatch + 1},
                "out of range [1, 4096]");
  ExpectInvalid("nasrnn", {.batch = std::numeric_limits<int64_t>::max()},
                "out of range");
}

TEST(ModelsErrorTest, ImageSizeOutOfRange) {
  ExpectInvalid("inception_v3", {.image_size = 74},
                "image_size 74 is out of range [75, 4096]");
  ExpectInvalid("resnet50", {.image_size = -224}, "image_size -224");
  ExpectInvalid("resnet_block", {.image_size = kMaxModelExtent + 1},
                "out of range");
}

TEST(ModelsErrorTest, OptionTheModelDoesNotTake) {
  ExpectInvalid("resnet50", {.seq_len = 128}, "takes no seq_len");
  ExpectInvalid("bert_layer", {.image_size = 224}, "takes no image_size");
}

TEST(ModelsErrorTest, SequenceOutOfRange) {
  ExpectInvalid("bert_base", {.seq_len = -1}, "seq_len -1 is out of range");
  ExpectInvalid("nasrnn", {.seq_len = 33},
                "seq_len 33 is out of range [1, 32]");
}

TEST(ModelsErrorTest, TensorsTooLargeAreRefusedNotAllocated) {
  // Each option is in range, but 4096 x 4096 tokens of 768 floats exceed
  // the largest tensor a Shape allows: the builder reports it.
  absl::StatusOr<Graph> g =
      BuildModel("bert_layer", {.batch = 4096, .seq_len = 4096});
  ASSERT_FALSE(g.ok());
  EXPECT_THAT(std::string(g.status().message()), HasSubstr("elements"));
}

}  // namespace
}  // namespace tsopt

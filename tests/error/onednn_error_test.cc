// Inputs the oneDNN backend (executor, measured cost model, cost cache)
// must refuse with a clear Status: never a crash or an escaped dnnl::error.
#include <unistd.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "absl/strings/str_cat.h"
#include "tsopt/cost/analytic_cost_model.h"
#include "tsopt/cost/cost_cache.h"
#include "tsopt/cost/onednn_cost_model.h"
#include "tsopt/runtime/executor.h"
#include "tsopt/util/timing.h"

namespace tsopt {
namespace {

using ::testing::HasSubstr;

OneDnnCostOptions Fast() {
  OneDnnCostOptions o;
  o.num_threads = 1;
  o.timing.batches = 2;
  o.timing.min_batch_ms = 0.1;
  return o;
}

TEST(OneDnnErrorTest, SymbolicWeightIsRefusedNamingTheNode) {
  Graph g;
  ValueId x = *g.AddInput("x", {1, 4, 5, 5});
  ValueId w = *g.AddWeight({4, 4, 3, 3}, nullptr, "kernel");
  ValueId y = *g.AddOp(OpKind::kConv2D, Conv2DAttrs{}, {x, w});
  ASSERT_TRUE(g.MarkOutput(y).ok());
  auto exec = Executor::Create(g);
  ASSERT_FALSE(exec.ok());
  EXPECT_EQ(exec.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(exec.status().message()),
              HasSubstr("node 1 (weight 'kernel')"));
}

TEST(OneDnnErrorTest, WrongInputsAreRefused) {
  Graph g;
  ValueId x = *g.AddInput("x", {2, 3});
  ValueId y = *g.AddOp(OpKind::kRelu, NoAttrs{}, {x});
  ASSERT_TRUE(g.MarkOutput(y).ok());
  auto exec = Executor::Create(g);
  ASSERT_TRUE(exec.ok());
  EXPECT_EQ((*exec)->Run({}).status().code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<std::vector<Tensor>> wrong_shape =
      (*exec)->Run({Tensor::Zeros(Shape({3, 2}))});
  EXPECT_EQ(wrong_shape.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(wrong_shape.status().message()),
              HasSubstr("[2,3]"));
  Tensor short_data = Tensor::Zeros(Shape({2, 3}));
  short_data.data.pop_back();
  EXPECT_FALSE((*exec)->Run({short_data}).ok());
}

TEST(OneDnnErrorTest, InvalidGraphIsRefused) {
  Graph g;
  ValueId x = *g.AddInput("x", {2, 3});
  ValueId y = *g.AddOp(OpKind::kRelu, NoAttrs{}, {x});
  ASSERT_TRUE(g.MarkOutput(y).ok());
  g.MutableNode(1).output_shapes = {Shape({3, 3})};  // corrupt it
  auto exec = Executor::Create(g);
  EXPECT_FALSE(exec.ok());
  EXPECT_THAT(std::string(exec.status().message()), HasSubstr("node 1"));
}

TEST(OneDnnErrorTest, InconsistentSignatureIsRefused) {
  OneDnnCostModel model(Fast());
  OpSignature sig;
  sig.op = OpKind::kConv2D;
  sig.attrs = Conv2DAttrs{};
  sig.inputs = {Shape({1, 4, 5, 5}), Shape({8, 3, 3, 3})};  // 3 != 4
  sig.outputs = {Shape({1, 8, 3, 3})};
  absl::StatusOr<OpCost> c = model.Measure(sig);
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  sig.inputs[1] = Shape({8, 4, 3, 3});
  sig.outputs = {Shape({1, 8, 4, 4})};  // should be 3x3
  EXPECT_EQ(model.Measure(sig).status().code(),
            absl::StatusCode::kInvalidArgument);
  sig.attrs = MatMulAttrs{};  // wrong attribute type
  EXPECT_FALSE(model.Measure(sig).ok());
}

TEST(OneDnnErrorTest, MalformedReorderLayoutsAreRefused) {
  OneDnnCostModel model(Fast());
  for (const char* bad : {"nonsense", "fmt:0,1/", "fmt:a,b,c/", "fmt:0,1,2/9:4",
                          "fmt:0,1,2/0:x", "fmt:0,1,2", "fmt:0,0,1/",
                          "strided:6,2,1/"}) {
    absl::StatusOr<OpCost> c =
        model.Measure(ReorderSignature(Shape({1, 2, 3}), "plain", bad));
    EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  // Layouts on anything but a reorder.
  OpSignature sig = ReorderSignature(Shape({2}), "plain", "plain");
  sig.op = OpKind::kRelu;
  EXPECT_EQ(model.Measure(sig).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(OneDnnErrorTest, BadTimingOptionsAreRefused) {
  OneDnnCostOptions o = Fast();
  o.timing.batches = 0;
  OneDnnCostModel model(o);
  Graph g;
  ValueId x = *g.AddInput("x", {2, 3});
  ValueId y = *g.AddOp(OpKind::kRelu, NoAttrs{}, {x});
  EXPECT_EQ(model.Measure(SignatureOf(g, y.node)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(OneDnnErrorTest, UnwritableCachePathIsAStatusNotACrash) {
  AnalyticCostModel base;
  // A path under a regular file cannot be created.
  std::string file = absl::StrCat(::testing::TempDir(), "tsopt_not_a_dir_",
                                  getpid());
  FILE* f = std::fopen(file.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fclose(f);
  CachingCostModel model(&base, {.path = file + "/costs.txt"});
  EXPECT_FALSE(model.load_status().ok());
  OpSignature sig = ReorderSignature(Shape({2}), "plain", "x");
  EXPECT_TRUE(model.Cost(sig).ok());  // still answers from the base
  EXPECT_FALSE(model.Flush().ok());
}

TEST(OneDnnErrorTest, CacheDirectoryInsteadOfFileIsReported) {
  AnalyticCostModel base;
  std::string dir = ::testing::TempDir();
  CachingCostModel model(&base, {.path = dir});
  EXPECT_FALSE(model.load_status().ok());
  EXPECT_TRUE(model.Cost(ReorderSignature(Shape({2}), "a", "b")).ok());
}

}  // namespace
}  // namespace tsopt

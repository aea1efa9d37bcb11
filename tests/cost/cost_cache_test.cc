// CachingCostModel and its file: round trip, second run measures nothing,
// corrupt/truncated/foreign files are reported and rebuilt, other
// environments are kept but not used, concurrent writers lose nothing.
#include "tsopt/cost/cost_cache.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "absl/strings/str_cat.h"
#include "tsopt/cost/analytic_cost_model.h"
#include "tsopt/models/models.h"

namespace tsopt {
namespace {

// Small zoo models keep the tests fast.
ModelOptions SmallImage() {
  ModelOptions o;
  o.image_size = 8;
  return o;
}

// The analytic model, counting its measurements, with a settable
// environment.
class CountingModel : public CostModel {
 public:
  explicit CountingModel(std::string env = "test-env") : env_(env) {}
  std::string Name() const override { return "counting"; }
  std::string Environment() const override { return env_; }
  absl::StatusOr<OpCost> Measure(const OpSignature& sig) override {
    ++calls;
    OpCost c = *inner_.Measure(sig);
    c.input_layouts.assign(sig.inputs.size(), "plain");
    return c;
  }
  int calls = 0;

 private:
  std::string env_;
  AnalyticCostModel inner_;
};

std::string TempPath(const std::string& name) {
  std::string dir = absl::StrCat(::testing::TempDir(), "tsopt_cache_", getpid(),
                                 "_", name);
  return absl::StrCat(dir, "/sub/costs.txt");  // the directory is created
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteAll(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::trunc) << text;
}

Graph Block() { return *BuildModel("resnet_block", SmallImage()); }

// Costs every node through `model`; returns the graph cost.
double CostAll(CostModel& model) { return *GraphCost(Block(), model); }

TEST(CostCacheTest, SecondRunMeasuresNothing) {
  std::string path = TempPath("round_trip");
  CountingModel base;
  double first;
  {
    CachingCostModel model(&base, {.path = path});
    EXPECT_TRUE(model.load_status().ok());
    first = CostAll(model);
    EXPECT_GT(model.measured(), 0);
    EXPECT_EQ(model.measured(), base.calls);
    ASSERT_TRUE(model.Flush().ok());
  }
  int calls = base.calls;
  CachingCostModel again(&base, {.path = path});
  EXPECT_TRUE(again.load_status().ok());
  EXPECT_EQ(again.loaded_entries(), calls);
  EXPECT_DOUBLE_EQ(CostAll(again), first);
  EXPECT_EQ(again.measured(), 0);
  EXPECT_GT(again.served_from_cache(), 0);
  EXPECT_EQ(base.calls, calls);
}

TEST(CostCacheTest, MemoServesRepeatedSignatures) {
  CountingModel base;
  CachingCostModel model(&base, {.path = "", .persist = false});
  Graph g = Block();
  OpSignature sig = SignatureOf(g, 2);
  double a = *model.Cost(sig);
  double b = *model.Cost(sig);
  EXPECT_EQ(a, b);
  EXPECT_EQ(base.calls, 1);
  EXPECT_EQ(model.served_from_cache(), 1);
  EXPECT_TRUE(model.path().empty());
}

TEST(CostCacheTest, EntriesRoundTripWithLayoutsAndSpread) {
  std::string path = TempPath("fields");
  CountingModel base;
  Graph g = Block();
  OpCost measured;
  {
    CachingCostModel model(&base, {.path = path});
    measured = *model.Measure(SignatureOf(g, 2));
  }
  CachingCostModel again(&base, {.path = path});
  OpCost loaded = *again.Measure(SignatureOf(g, 2));
  EXPECT_EQ(again.measured(), 0);
  EXPECT_DOUBLE_EQ(loaded.ms, measured.ms);
  EXPECT_EQ(loaded.source, measured.source);
  EXPECT_EQ(loaded.input_layouts, measured.input_layouts);
  EXPECT_EQ(loaded.output_layouts, measured.output_layouts);
}

TEST(CostCacheTest, TruncatedFileIsReportedAndRebuilt) {
  std::string path = TempPath("truncated");
  CountingModel base;
  {
    CachingCostModel model(&base, {.path = path});
    CostAll(model);
  }
  std::string text = ReadAll(path);
  WriteAll(path, text.substr(0, text.size() / 2));
  {
    CachingCostModel model(&base, {.path = path});
    EXPECT_EQ(model.load_status().code(), absl::StatusCode::kDataLoss)
        << model.load_status();
    EXPECT_EQ(model.loaded_entries(), 0);
    CostAll(model);
    EXPECT_GT(model.measured(), 0);  // nothing trusted
  }
  CachingCostModel rebuilt(&base, {.path = path});
  EXPECT_TRUE(rebuilt.load_status().ok()) << rebuilt.load_status();
  CostAll(rebuilt);
  EXPECT_EQ(rebuilt.measured(), 0);
}

TEST(CostCacheTest, EditedEntryFailsTheChecksum) {
  std::string path = TempPath("edited");
  CountingModel base;
  {
    CachingCostModel model(&base, {.path = path});
    CostAll(model);
  }
  std::string text = ReadAll(path);
  size_t tab = text.find("\t0.");
  ASSERT_NE(tab, std::string::npos);
  text[tab + 1] = '9';  // 0.x ms -> 9.x ms
  WriteAll(path, text);
  CachingCostModel model(&base, {.path = path});
  EXPECT_EQ(model.load_status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(model.load_status().message().find("checksum"),
            absl::string_view::npos);
}

TEST(CostCacheTest, GarbageAndForeignVersionsAreIgnored) {
  CountingModel base;
  std::string garbage = TempPath("garbage");
  {
    CachingCostModel model(&base, {.path = garbage});
    CostAll(model);
  }
  WriteAll(garbage, std::string("\x7f" "ELF\0\1\2 binary junk", 20));
  CachingCostModel a(&base, {.path = garbage});
  EXPECT_EQ(a.load_status().code(), absl::StatusCode::kDataLoss);

  std::string foreign = TempPath("foreign");
  {
    CachingCostModel model(&base, {.path = foreign});
    CostAll(model);
  }
  std::string text = ReadAll(foreign);
  text.replace(0, text.find('\n'), "# tsopt cost cache v999");
  WriteAll(foreign, text);
  CachingCostModel b(&base, {.path = foreign});
  EXPECT_EQ(b.load_status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(b.loaded_entries(), 0);
}

TEST(CostCacheTest, OtherEnvironmentsAreKeptButNotUsed) {
  std::string path = TempPath("envs");
  CountingModel one("env-one"), two("env-two");
  {
    CachingCostModel model(&one, {.path = path});
    CostAll(model);
  }
  {
    CachingCostModel model(&two, {.path = path});
    EXPECT_EQ(model.loaded_entries(), 0);
    CostAll(model);
    EXPECT_GT(model.measured(), 0);
  }
  CachingCostModel again(&one, {.path = path});
  EXPECT_GT(again.loaded_entries(), 0);
  CostAll(again);
  EXPECT_EQ(again.measured(), 0);
}

TEST(CostCacheTest, ConcurrentProcessesLoseNoEntries) {
  std::string path = TempPath("concurrent");
  constexpr int kProcs = 3, kSigs = 15;
  std::vector<pid_t> pids;
  for (int p = 0; p < kProcs; ++p) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      CountingModel base;
      CachingCostModel model(&base, {.path = path});
      for (int i = 0; i < kSigs; ++i) {
        (void)model.Cost(ReorderSignature(Shape({p + 1, i + 1}), "a", "b"));
        if (!model.Flush().ok()) _exit(1);
      }
      _exit(0);
    }
    pids.push_back(pid);
  }
  for (pid_t pid : pids) {
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  CountingModel base;
  CachingCostModel model(&base, {.path = path});
  EXPECT_TRUE(model.load_status().ok()) << model.load_status();
  EXPECT_EQ(model.loaded_entries(), kProcs * kSigs);
}

TEST(CostCacheTest, DefaultPathIsUnderTheUserCache) {
  std::string path = DefaultCostCachePath();
  if (path.empty()) GTEST_SKIP() << "neither XDG_CACHE_HOME nor HOME set";
  EXPECT_NE(path.find("/tsopt/costs.txt"), std::string::npos);
}

}  // namespace
}  // namespace tsopt

// CudnnCostModel: the environment string and the cache keyed by it (no GPU
// needed: a fake model stands in for the GPU), then, on a GPU, measured
// costs: positive, repeatable, free operators free, bad signatures refused.
#include <cstdio>
#include <string>

#include "gtest/gtest.h"
#include "tests/cudnn/cudnn_test_util.h"
#include "tsopt/cost/cost_cache.h"
#include "tsopt/cost/cudnn_cost_model.h"
#include "tsopt/ir/shape_inference.h"
#include "tsopt/models/models.h"

namespace tsopt {
namespace {

CudnnDeviceInfo H100() {
  CudnnDeviceInfo info;
  info.gpu_name = "NVIDIA H100 80GB HBM3";
  info.compute_capability = 90;
  info.driver_version = 13000;
  info.runtime_version = 13000;
  info.cudnn_version = 91900;
  info.cublas_version = 130100;
  return info;
}

TEST(CudnnEnvironmentTest, NamesGpuDriverAndLibraries) {
  EXPECT_EQ(CudnnEnvironment(H100()),
            "cudnn gpu=NVIDIA H100 80GB HBM3 sm=90 driver=13000 "
            "cudart=13000 cudnn=91900 cublas=130100 timing=v1");
}

TEST(CudnnEnvironmentTest, EveryFieldChangesTheString) {
  const std::string base = CudnnEnvironment(H100());
  std::vector<CudnnDeviceInfo> variants(6, H100());
  variants[0].gpu_name = "NVIDIA H200";
  variants[1].compute_capability = 80;
  variants[2].driver_version = 13010;
  variants[3].runtime_version = 12080;
  variants[4].cudnn_version = 90100;
  variants[5].cublas_version = 120000;
  for (const CudnnDeviceInfo& v : variants) {
    EXPECT_NE(CudnnEnvironment(v), base);
  }
}

// Stands in for the GPU model: a fixed cost, a counter of measurements, and
// the environment string of a given device.
class FakeGpuModel : public CostModel {
 public:
  explicit FakeGpuModel(CudnnDeviceInfo info, double ms)
      : env_(CudnnEnvironment(info)), ms_(ms) {}
  std::string Name() const override { return "cudnn"; }
  std::string Environment() const override { return env_; }
  absl::StatusOr<OpCost> Measure(const OpSignature&) override {
    ++calls;
    OpCost c;
    c.ms = ms_;
    c.source = "cudnn";
    return c;
  }
  int calls = 0;

 private:
  std::string env_;
  double ms_;
};

OpSignature ConvSignature() {
  OpSignature sig;
  sig.op = OpKind::kConv2D;
  Conv2DAttrs a;
  a.pad = {1, 1, 1, 1};
  a.activation = Activation::kRelu;
  sig.attrs = a;
  sig.inputs = {Shape({1, 64, 56, 56}), Shape({64, 64, 3, 3})};
  sig.outputs = *InferShapes(sig.op, sig.attrs, sig.inputs);
  return sig;
}

TEST(CudnnCostCacheTest, EntriesAreKeyedByTheDeviceEnvironment) {
  const std::string path = ::testing::TempDir() + "/cudnn_cost_cache.txt";
  std::remove(path.c_str());
  const OpSignature sig = ConvSignature();
  {
    FakeGpuModel h100(H100(), 0.25);
    CachingCostModel cache(&h100, {path, true});
    ASSERT_TRUE(cache.Cost(sig).ok());
    EXPECT_EQ(h100.calls, 1);
    ASSERT_TRUE(cache.Flush().ok());
  }
  {  // Same device: served from the file.
    FakeGpuModel h100(H100(), 99.0);
    CachingCostModel cache(&h100, {path, true});
    absl::StatusOr<double> ms = cache.Cost(sig);
    ASSERT_TRUE(ms.ok());
    EXPECT_EQ(*ms, 0.25);
    EXPECT_EQ(h100.calls, 0);
  }
  {  // Another driver: the H100 entry is not used.
    CudnnDeviceInfo other = H100();
    other.driver_version = 13010;
    FakeGpuModel gpu(other, 0.5);
    CachingCostModel cache(&gpu, {path, true});
    absl::StatusOr<double> ms = cache.Cost(sig);
    ASSERT_TRUE(ms.ok());
    EXPECT_EQ(*ms, 0.5);
    EXPECT_EQ(gpu.calls, 1);
  }
}

TEST(CudnnSignatureTest, KeyHoldsShapesAndFusedActivation) {
  OpSignature sig = ConvSignature();
  const std::string key = sig.Key();
  EXPECT_NE(key.find("conv2d"), std::string::npos) << key;
  EXPECT_NE(key.find("[1,64,56,56]"), std::string::npos) << key;
  EXPECT_NE(key.find("relu"), std::string::npos) << key;
  OpSignature plain = sig;
  std::get<Conv2DAttrs>(plain.attrs).activation = Activation::kNone;
  EXPECT_NE(plain.Key(), key);
}

// --- On a GPU ---------------------------------------------------------------

std::unique_ptr<CudnnCostModel> FastModel() {
  CudnnCostOptions o;
  o.timing.batches = 3;
  o.timing.min_batch_ms = 0.5;
  absl::StatusOr<std::unique_ptr<CudnnCostModel>> m = CudnnCostModel::Create(o);
  EXPECT_TRUE(m.ok()) << m.status();
  return m.ok() ? std::move(*m) : nullptr;
}

OpSignature Sig(OpKind op, Attrs attrs, std::vector<Shape> inputs) {
  OpSignature sig;
  sig.op = op;
  sig.attrs = std::move(attrs);
  sig.inputs = std::move(inputs);
  sig.outputs = *InferShapes(sig.op, sig.attrs, sig.inputs);
  return sig;
}

TEST(CudnnCostModelGpuTest, EnvironmentIsTheDevices) {
  TSOPT_REQUIRE_GPU();
  std::unique_ptr<CudnnCostModel> m = FastModel();
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->Environment(), CudnnEnvironment(*QueryCudnnDevice(0)));
}

TEST(CudnnCostModelGpuTest, CostsArePositiveAndCached) {
  TSOPT_REQUIRE_GPU();
  std::unique_ptr<CudnnCostModel> m = FastModel();
  ASSERT_NE(m, nullptr);
  Pool2DAttrs pool;
  pool.kernel = {3, 3};
  pool.stride = {2, 2};
  pool.pad = {1, 1, 1, 1};
  struct Case {
    OpSignature sig;
    std::string source;
  };
  std::vector<Case> cases = {
      {ConvSignature(), "cudnn"},
      {Sig(OpKind::kMatMul, MatMulAttrs{}, {Shape({128, 768}),
                                            Shape({768, 768})}), "cublas"},
      {Sig(OpKind::kAdd, NoAttrs{}, {Shape({1, 64, 56, 56}),
                                     Shape({1, 64, 1, 1})}), "cuda"},
      {Sig(OpKind::kSoftmax, SoftmaxAttrs{}, {Shape({12, 128, 128})}),
       "cudnn"},
      {Sig(OpKind::kMaxPool2D, pool, {Shape({1, 64, 112, 112})}), "cudnn"},
      {Sig(OpKind::kTranspose, TransposeAttrs{{0, 2, 1, 3}},
           {Shape({1, 128, 12, 64})}), "cuda"},
  };
  // Timing never decides a test (DESIGN.md): a re-measurement must succeed
  // with a positive cost, and the cache must return the first number; the
  // ratio of the two measurements is only recorded.
  CachingCostModel cache(m.get(), {"", false});
  for (const Case& c : cases) {
    absl::StatusOr<OpCost> a = cache.Measure(c.sig);
    absl::StatusOr<OpCost> b = m->Measure(c.sig);
    ASSERT_TRUE(a.ok()) << c.sig.Key() << ": " << a.status();
    ASSERT_TRUE(b.ok()) << c.sig.Key() << ": " << b.status();
    EXPECT_GT(a->ms, 0.0) << c.sig.Key();
    EXPECT_GT(b->ms, 0.0) << c.sig.Key();
    EXPECT_GE(a->spread, 0.0) << c.sig.Key();
    EXPECT_EQ(a->source, c.source) << c.sig.Key();
    EXPECT_TRUE(a->input_layouts.empty() && a->output_layouts.empty());
    absl::StatusOr<double> again = cache.Cost(c.sig);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, a->ms) << c.sig.Key();
    ::testing::Test::RecordProperty(c.source + "_remeasure_ratio",
                                    std::to_string(b->ms / a->ms));
  }
  EXPECT_EQ(cache.measured(), static_cast<int64_t>(cases.size()));
}

TEST(CudnnCostModelGpuTest, FreeOpsCostNothing) {
  TSOPT_REQUIRE_GPU();
  std::unique_ptr<CudnnCostModel> m = FastModel();
  ASSERT_NE(m, nullptr);
  absl::StatusOr<OpCost> c = m->Measure(
      Sig(OpKind::kReshape, ReshapeAttrs{{6, 4}}, {Shape({2, 3, 4})}));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->ms, 0.0);
  EXPECT_EQ(c->source, "free");
}

TEST(CudnnCostModelGpuTest, RefusesBadSignatures) {
  TSOPT_REQUIRE_GPU();
  std::unique_ptr<CudnnCostModel> m = FastModel();
  ASSERT_NE(m, nullptr);
  OpSignature wrong = ConvSignature();
  wrong.outputs = {Shape({1, 64, 55, 55})};
  EXPECT_EQ(m->Measure(wrong).status().code(),
            absl::StatusCode::kInvalidArgument);
  OpSignature blocked = ReorderSignature(Shape({1, 64, 8, 8}), "plain",
                                         "blk:whatever");
  absl::Status s = m->Measure(blocked).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("plain layouts only"), std::string::npos) << s;
}

TEST(CudnnCostModelGpuTest, GraphCostHasNoReorders) {
  TSOPT_REQUIRE_GPU();
  std::unique_ptr<CudnnCostModel> m = FastModel();
  ASSERT_NE(m, nullptr);
  ModelOptions small;
  small.image_size = 14;
  absl::StatusOr<Graph> g = BuildModel("resnet_block", small);
  ASSERT_TRUE(g.ok());
  absl::StatusOr<GraphCostReport> r = GraphCostDetailed(*g, *m);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_GT(r->total_ms, 0.0);
  EXPECT_EQ(r->num_reorders, 0);
}

}  // namespace
}  // namespace tsopt

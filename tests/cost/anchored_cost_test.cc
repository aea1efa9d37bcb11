// Fused variants priced against their anchor: EpilogueAnchor names the bare
// conv/matmul, CachingCostModel prices the fused one as cost(anchor) times
// the side-by-side ratio (at least 1), and OneDnnCostModel times the pair.
#include <optional>

#include "gtest/gtest.h"
#include "tests/common/fast_cost_options.h"
#include "tsopt/cost/cost_cache.h"
#include "tsopt/cost/onednn_cost_model.h"

namespace tsopt {
namespace {

OpSignature Conv(bool bias, Activation act) {
  OpSignature s;
  s.op = OpKind::kConv2D;
  Conv2DAttrs a;
  a.pad = {1, 1, 1, 1};
  a.activation = act;
  s.attrs = a;
  s.inputs = {Shape({1, 16, 8, 8}), Shape({16, 16, 3, 3})};
  if (bias) s.inputs.push_back(Shape({16}));
  s.outputs = {Shape({1, 16, 8, 8})};
  return s;
}

OpSignature MatMul(bool bias, Activation act) {
  OpSignature s;
  s.op = OpKind::kMatMul;
  s.attrs = MatMulAttrs{act};
  s.inputs = {Shape({8, 32}), Shape({32, 16})};
  if (bias) s.inputs.push_back(Shape({16}));
  s.outputs = {Shape({8, 16})};
  return s;
}

TEST(EpilogueAnchorTest, StripsBiasAndActivation) {
  EXPECT_EQ(EpilogueAnchor(Conv(true, Activation::kRelu)),
            Conv(false, Activation::kNone));
  EXPECT_EQ(EpilogueAnchor(Conv(false, Activation::kRelu)),
            Conv(false, Activation::kNone));
  EXPECT_EQ(EpilogueAnchor(MatMul(true, Activation::kNone)),
            MatMul(false, Activation::kNone));
  EXPECT_EQ(EpilogueAnchor(Conv(false, Activation::kNone)), std::nullopt);
  EXPECT_EQ(EpilogueAnchor(MatMul(false, Activation::kNone)), std::nullopt);
  OpSignature relu;
  relu.op = OpKind::kRelu;
  relu.inputs = relu.outputs = {Shape({4})};
  EXPECT_EQ(EpilogueAnchor(relu), std::nullopt);
}

// Fixed costs per signature; the pair ratio is settable, and `relative`
// false makes MeasureRelative Unimplemented.
class PairModel : public CostModel {
 public:
  std::string Name() const override { return "pair"; }
  std::string Environment() const override { return "pair-env"; }
  absl::StatusOr<OpCost> Measure(const OpSignature& sig) override {
    ++measures;
    OpCost c;
    c.ms = EpilogueAnchor(sig).has_value() ? 7.0 : 2.0;
    c.source = "pair";
    return c;
  }
  std::optional<OpSignature> AnchorOf(const OpSignature& sig) const override {
    return EpilogueAnchor(sig);
  }
  absl::StatusOr<RelativeCost> MeasureRelative(
      const OpSignature& sig, const OpSignature& anchor) override {
    if (!relative) return CostModel::MeasureRelative(sig, anchor);
    ++relatives;
    RelativeCost r;
    r.cost.ms = 123;  // the pair's own timing: not used for the price
    r.cost.source = "pair";
    r.cost.output_layouts = {"fused-layout"};
    r.ratio = ratio;
    return r;
  }
  double ratio = 1.1;
  bool relative = true;
  int measures = 0;
  int relatives = 0;
};

TEST(AnchoredCostTest, FusedCostIsTheAnchorsTimesTheRatio) {
  PairModel base;
  CachingCostModel model(&base, {.path = "", .persist = false});
  absl::StatusOr<OpCost> fused = model.Measure(Conv(true, Activation::kRelu));
  ASSERT_TRUE(fused.ok()) << fused.status();
  EXPECT_DOUBLE_EQ(fused->ms, 2.0 * 1.1);
  EXPECT_EQ(fused->output_layouts, std::vector<std::string>{"fused-layout"});
  EXPECT_EQ(base.measures, 1);  // the anchor
  EXPECT_EQ(base.relatives, 1);
  // The anchor is now cached: another fused variant reuses it.
  EXPECT_DOUBLE_EQ(*model.Cost(Conv(true, Activation::kNone)), 2.2);
  EXPECT_EQ(base.measures, 1);
  EXPECT_EQ(base.relatives, 2);
  EXPECT_DOUBLE_EQ(*model.Cost(Conv(false, Activation::kNone)), 2.0);
}

TEST(AnchoredCostTest, RatioBelowOneCountsAsOne) {
  PairModel base;
  base.ratio = 0.8;
  CachingCostModel model(&base, {.path = "", .persist = false});
  EXPECT_DOUBLE_EQ(*model.Cost(MatMul(true, Activation::kNone)), 2.0);
}

TEST(AnchoredCostTest, UnimplementedPairFallsBackToMeasure) {
  PairModel base;
  base.relative = false;
  CachingCostModel model(&base, {.path = "", .persist = false});
  EXPECT_DOUBLE_EQ(*model.Cost(MatMul(true, Activation::kRelu)), 7.0);
}

TEST(AnchoredCostTest, OneDnnTimesAConvAgainstItsAnchor) {
  OneDnnCostModel onednn(testing_util::FastOneDnnCostOptions());
  OpSignature fused = Conv(true, Activation::kRelu);
  std::optional<OpSignature> anchor = onednn.AnchorOf(fused);
  ASSERT_TRUE(anchor.has_value());
  absl::StatusOr<RelativeCost> r = onednn.MeasureRelative(fused, *anchor);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_GT(r->ratio, 0);
  EXPECT_GT(r->cost.ms, 0);
  // The layouts are the fused primitive's own, as Measure reports them.
  OpCost alone = *onednn.Measure(fused);
  EXPECT_EQ(r->cost.input_layouts, alone.input_layouts);
  EXPECT_EQ(r->cost.output_layouts, alone.output_layouts);
  EXPECT_EQ(r->cost.source, "onednn");
}

TEST(AnchoredCostTest, OneDnnRejectsAnInvalidPairAndAnchorsNoRelu) {
  OneDnnCostModel onednn(testing_util::FastOneDnnCostOptions());
  OpSignature relu;
  relu.op = OpKind::kRelu;
  relu.inputs = relu.outputs = {Shape({4})};
  OpSignature bad = Conv(true, Activation::kRelu);
  bad.inputs[1] = Shape({16, 3, 3, 3});  // does not match the input channels
  EXPECT_FALSE(onednn.MeasureRelative(bad, Conv(false, Activation::kNone)).ok());
  EXPECT_FALSE(onednn.AnchorOf(relu).has_value());
}

}  // namespace
}  // namespace tsopt

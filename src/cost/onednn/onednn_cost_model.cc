// OneDnnCostModel: build the primitive, fill its inputs, time it.
#include "tsopt/cost/onednn_cost_model.h"

#include <omp.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "dnnl.hpp"
#include "src/runtime/onednn/primitive_builder.h"
#include "src/runtime/single_node_graph.h"
#include "tsopt/ir/shape_inference.h"
#include "tsopt/ir/strided_view.h"
#include "tsopt/reference/evaluator.h"
#include "tsopt/util/status_macros.h"

namespace tsopt {

struct OneDnnCostModel::Impl {
  OneDnnCostOptions options;
  absl::Status init;
  dnnl::engine engine;
  dnnl::stream stream;
  std::mt19937_64 rng;

  // A memory of `md` filled with values in [0.5, 1.5): positive, so sqrt,
  // div and batch-norm variances stay finite.
  dnnl::memory Filled(const dnnl::memory::desc& md) {
    dnnl::memory mem(md, engine);
    std::uniform_real_distribution<float> dist(0.5f, 1.5f);
    float* data = static_cast<float*>(mem.get_data_handle());
    for (size_t i = 0; i < md.get_size() / sizeof(float); ++i) {
      data[i] = dist(rng);
    }
    return mem;
  }

  // Runs `p` on `args` and waits for it.
  absl::Status Run(const dnnl::primitive& p,
                   const std::unordered_map<int, dnnl::memory>& args) {
    try {
      p.execute(stream, args);
      stream.wait();
    } catch (const dnnl::error& e) {
      return absl::InternalError(absl::StrCat("oneDNN execute: ", e.what()));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<OpCost> TimePrimitive(
      const dnnl::primitive& p, std::unordered_map<int, dnnl::memory> args) {
    TSOPT_ASSIGN_OR_RETURN(
        Timing t, TimeRepeated([&] { return Run(p, args); }, options.timing));
    OpCost cost;
    cost.ms = t.ms;
    cost.spread = t.spread;
    cost.source = "onednn";
    return cost;
  }

  absl::StatusOr<OpCost> MeasureReorder(const OpSignature& sig) {
    TSOPT_ASSIGN_OR_RETURN(dnnl::memory::desc from,
                           onednn::DescFromLayout(sig.inputs[0],
                                                  sig.input_layouts[0]));
    TSOPT_ASSIGN_OR_RETURN(dnnl::memory::desc to,
                           onednn::DescFromLayout(sig.outputs[0],
                                                  sig.output_layouts[0]));
    TSOPT_ASSIGN_OR_RETURN(dnnl::primitive p,
                           onednn::BuildReorder(engine, from, to));
    return TimePrimitive(p, {{DNNL_ARG_FROM, Filled(from)},
                             {DNNL_ARG_TO, dnnl::memory(to, engine)}});
  }

  absl::StatusOr<OpCost> MeasureOnReference(const OpSignature& sig) {
    TSOPT_ASSIGN_OR_RETURN(Graph g,
                           SingleNodeGraph(sig.op, sig.attrs, sig.inputs));
    std::vector<Tensor> inputs;
    for (const Shape& s : sig.inputs) {
      inputs.push_back(Tensor::Random(s, options.seed + inputs.size(), 0.5f,
                                      1.5f));
    }
    auto run = [&]() -> absl::Status {
      return Evaluate(g, inputs).status();
    };
    TSOPT_ASSIGN_OR_RETURN(Timing t, TimeRepeated(run, options.timing));
    OpCost cost;
    cost.ms = t.ms;
    cost.spread = t.spread;
    cost.source = "reference";
    return cost;
  }

  // The executor's Split: a view per piece (after a reorder of the input to
  // row-major when it arrives in a dense layout other than row-major; a
  // view is split in place). The output layouts are those of a plain input.
  static OpCost SplitCost(const OpSignature& sig) {
    OpCost cost;
    cost.source = "view";
    cost.input_layouts = {kPlainOrViewLayout};
    const std::vector<int64_t> strides = RowMajorStrides(
        onednn::PlainDesc(sig.inputs[0]).dims());
    for (const Shape& s : sig.outputs) {
      cost.output_layouts.push_back(
          ViewLayoutName(onednn::PlainDesc(s).dims(), strides));
    }
    return cost;
  }

  // A oneDNN primitive for `sig` with filled arguments, and the layouts it
  // takes and gives (OpCost::ms left 0). Unimplemented when oneDNN has no
  // primitive for it.
  struct Prepared {
    dnnl::primitive primitive;
    std::unordered_map<int, dnnl::memory> args;
    OpCost cost;
  };

  absl::StatusOr<Prepared> Prepare(const OpSignature& sig) {
    std::vector<dnnl::memory::desc> plain;
    for (const Shape& s : sig.inputs) plain.push_back(onednn::PlainDesc(s));
    TSOPT_ASSIGN_OR_RETURN(
        onednn::BuiltOp built,
        onednn::BuildOp(engine, sig.op, sig.attrs, sig.inputs, sig.outputs,
                        plain));
    Prepared prepared;
    prepared.primitive = built.primitive;
    for (size_t i = 0; i < built.input_args.size(); ++i) {
      prepared.args[built.input_args[i]] = Filled(built.input_mds[i]);
    }
    prepared.args[DNNL_ARG_DST] = dnnl::memory(built.output_md, engine);
    prepared.cost.source = "onednn";
    prepared.cost.input_layouts = InputLayouts(sig, built);
    if (onednn::PolicyOf(sig.op) == onednn::LayoutPolicy::kChooses) {
      prepared.cost.output_layouts = {onednn::LayoutName(built.output_md)};
    }
    return prepared;
  }

  static std::vector<std::string> InputLayouts(const OpSignature& sig,
                                               const onednn::BuiltOp& built) {
    std::vector<std::string> layouts;
    switch (onednn::PolicyOf(sig.op)) {
      case onednn::LayoutPolicy::kPlain:
        // Transpose and Slice copy from a strided view of their input: a
        // view arriving there is read in place.
        if (sig.op == OpKind::kTranspose || sig.op == OpKind::kSlice) {
          layouts = {kPlainOrViewLayout};
        }
        break;
      case onednn::LayoutPolicy::kFollows:
        layouts.assign(sig.inputs.size(), kFollowLayout);
        break;
      case onednn::LayoutPolicy::kFollowsAll:
        layouts.assign(sig.inputs.size(), kFollowAllLayout);
        break;
      case onednn::LayoutPolicy::kChooses:
        for (const dnnl::memory::desc& md : built.input_mds) {
          layouts.push_back(onednn::LayoutName(md));
        }
        // A MatMul operand taken plain may arrive as a strided view: the
        // GEMM reads it in place (primitive_builder.cc, BuildMatMul).
        if (sig.op == OpKind::kMatMul) {
          for (size_t i = 0; i < 2; ++i) {
            if (layouts[i] == kPlainLayout) layouts[i] = kPlainOrViewLayout;
          }
        }
        break;
    }
    return layouts;
  }

  absl::StatusOr<OpCost> MeasureOp(const OpSignature& sig) {
    if (sig.op == OpKind::kSplit) return SplitCost(sig);
    absl::StatusOr<Prepared> prepared = Prepare(sig);
    if (absl::IsUnimplemented(prepared.status())) {
      return MeasureOnReference(sig);
    }
    if (!prepared.ok()) return prepared.status();
    TSOPT_ASSIGN_OR_RETURN(OpCost timed,
                           TimePrimitive(prepared->primitive, prepared->args));
    prepared->cost.ms = timed.ms;
    prepared->cost.spread = timed.spread;
    return prepared->cost;
  }

  // `sig` and `anchor` timed in alternating rounds of one batch each (the
  // options' warm-up and batch length). The ratio is the smallest of the
  // per-round ratios: drift between rounds cancels, and an epilogue counts
  // as slower only by what it lost in every round (it adds a few percent
  // at most, less than one round's noise on a loaded machine).
  absl::StatusOr<RelativeCost> MeasureRelative(const OpSignature& sig,
                                               const OpSignature& anchor) {
    TSOPT_ASSIGN_OR_RETURN(Prepared a, Prepare(sig));
    TSOPT_ASSIGN_OR_RETURN(Prepared b, Prepare(anchor));
    TimingOptions round = options.timing;
    round.batches = 1;
    std::vector<double> ratios;
    std::vector<double> sig_ms;
    for (int r = 0; r < std::max(1, options.timing.batches); ++r) {
      TSOPT_ASSIGN_OR_RETURN(
          Timing ta, TimeRepeated([&] { return Run(a.primitive, a.args); },
                                  round));
      TSOPT_ASSIGN_OR_RETURN(
          Timing tb, TimeRepeated([&] { return Run(b.primitive, b.args); },
                                  round));
      sig_ms.push_back(ta.ms);
      ratios.push_back(tb.ms > 0 ? ta.ms / tb.ms : 1.0);
    }
    const Timing sig_timing =
        SummarizeBatches(std::move(sig_ms), TimingStatistic::kMedian);
    RelativeCost relative;
    relative.cost = a.cost;
    relative.cost.ms = sig_timing.ms;
    relative.cost.spread = sig_timing.spread;
    relative.ratio = *std::min_element(ratios.begin(), ratios.end());
    return relative;
  }

  // Every public entry point: the engine must exist, and OpenMP's thread
  // count is per calling thread, so it is set on every call.
  absl::Status Enter() const {
    TSOPT_RETURN_IF_ERROR(init);
    if (options.num_threads > 0) omp_set_num_threads(options.num_threads);
    return absl::OkStatus();
  }
};

OneDnnCostModel::OneDnnCostModel(OneDnnCostOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  impl_->rng.seed(options.seed);
  try {
    impl_->engine = dnnl::engine(dnnl::engine::kind::cpu, 0);
    impl_->stream = dnnl::stream(impl_->engine);
  } catch (const dnnl::error& e) {
    impl_->init = absl::UnavailableError(
        absl::StrCat("cannot create the oneDNN CPU engine: ", e.what()));
  }
}

OneDnnCostModel::~OneDnnCostModel() = default;

// "layouts=vN" changes whenever the layout policy of primitive_builder.h
// changes what a cached entry's layouts mean (v2: concat follows its first
// input; only nameable conv/matmul layouts; v3: Split is a view, MatMul,
// Transpose and Slice read views in place). "timing=v2": fused conv and
// matmul variants are priced against their anchor (CostModel::AnchorOf);
// v3: by the smallest per-round ratio (v2: the median).
std::string OneDnnCostModel::Environment() const {
  int threads = impl_->options.num_threads > 0 ? impl_->options.num_threads
                                               : omp_get_max_threads();
  return absl::StrCat(onednn::LibraryVersion(),
                      " isa=", onednn::CpuIsaName(),
                      " threads=", threads, " layouts=v3 timing=v3",
                      impl_->options.timing.cpu_time ? "-cpu" : "",
                      impl_->options.timing.statistic == TimingStatistic::kMin
                          ? "-min"
                          : "");
}

namespace {

// InvalidArgument unless `sig`'s outputs are those its inputs infer.
absl::Status CheckSignature(const OpSignature& sig) {
  absl::StatusOr<std::vector<Shape>> outputs =
      InferShapes(sig.op, sig.attrs, sig.inputs);
  if (!outputs.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid signature ", sig.Key(), ": ", outputs.status().message()));
  }
  if (*outputs != sig.outputs) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid signature ", sig.Key(), ": outputs differ from the inferred "
        "shapes"));
  }
  return absl::OkStatus();
}

}  // namespace

std::optional<OpSignature> OneDnnCostModel::AnchorOf(
    const OpSignature& sig) const {
  return EpilogueAnchor(sig);
}

absl::StatusOr<RelativeCost> OneDnnCostModel::MeasureRelative(
    const OpSignature& sig, const OpSignature& anchor) {
  TSOPT_RETURN_IF_ERROR(impl_->Enter());
  TSOPT_RETURN_IF_ERROR(CheckSignature(sig));
  TSOPT_RETURN_IF_ERROR(CheckSignature(anchor));
  return impl_->MeasureRelative(sig, anchor);
}

absl::StatusOr<OpCost> OneDnnCostModel::Measure(const OpSignature& sig) {
  TSOPT_RETURN_IF_ERROR(impl_->Enter());
  TSOPT_RETURN_IF_ERROR(CheckSignature(sig));
  bool has_layouts = !sig.input_layouts.empty() || !sig.output_layouts.empty();
  if (has_layouts) {
    if (sig.op != OpKind::kIdentity || sig.input_layouts.size() != 1 ||
        sig.output_layouts.size() != 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "signature ", sig.Key(),
          ": layouts are only supported on a reorder (identity)"));
    }
    return impl_->MeasureReorder(sig);
  }
  if (IsFreeOp(sig.op)) {
    OpCost cost;
    cost.source = "free";
    return cost;
  }
  return impl_->MeasureOp(sig);
}

}  // namespace tsopt

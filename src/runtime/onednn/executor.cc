// The oneDNN executor: plans steps (primitives, reorders, reference
// fallbacks) once, assigns intermediate buffers by lifetime, then runs.
//
// Views cost nothing at run time: Reshape/Flatten re-read a buffer with
// other dims, Split hands out each piece as a strided view into its input
// (row-major; an input in another layout is reordered to row-major once),
// and a Reshape of a piece stays a view where numpy's no-copy rule allows
// (pieces of pieces, reshapes of reshapes: views of views).
// A view's consumers read it in place where their primitive can (MatMul,
// Transpose, Slice: BuiltOp::reads_arriving) and get a reorder from it
// otherwise (Prepare). A view names its base's virtual buffer, so every use
// of the view extends the base's lifetime in Allocate().
#include <omp.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "dnnl.hpp"
#include "src/runtime/onednn/primitive_builder.h"
#include "src/runtime/single_node_graph.h"
#include "tsopt/ir/strided_view.h"
#include "tsopt/reference/evaluator.h"
#include "tsopt/runtime/executor.h"
#include "tsopt/util/status_macros.h"

namespace tsopt {
namespace {

using dnnl::memory;

bool IsPlain(const memory::desc& md) {
  return md == onednn::PlainDesc(md.dims());
}

// A tensor in the plan: a virtual buffer, how its bytes are laid out, and
// where it starts in the buffer (in floats; views of a Split are at an
// offset into their input's buffer).
struct Ref {
  int buffer = -1;
  memory::desc md;
  int64_t offset = 0;
};

// The descriptor of a view of `dims` with `strides`: plain when it is
// row-major contiguous.
memory::desc ViewDesc(const memory::dims& dims, const memory::dims& strides) {
  if (IsRowMajorContiguous(dims, strides)) return onednn::PlainDesc(dims);
  return memory::desc(dims, memory::data_type::f32, strides);
}

struct Step {
  dnnl::primitive primitive;       // a primitive step, or
  std::vector<std::pair<int, Ref>> args;
  NodeId node = -1;                // >= 0: a reference-kernel step
  std::shared_ptr<const Graph> single;
  std::vector<Ref> ins, outs;      // plain tensors of the reference step
  // Bound at the end of planning:
  std::unordered_map<int, memory> mems;
  std::vector<float*> in_ptrs, out_ptrs;
};

struct VirtualBuffer {
  size_t bytes = 0;
  bool persistent = false;  // weights, prepared weights, graph outputs
  int first = -1, last = -1;  // step indices using it (-1: before step 0)
  int physical = -1;
};

struct AlignedFree {
  void operator()(void* p) const { std::free(p); }
};

class OneDnnExecutor : public Executor {
 public:
  explicit OneDnnExecutor(ExecutorOptions options) : options_(options) {}
  absl::Status Build(const Graph& graph);
  absl::StatusOr<std::vector<Tensor>> Run(
      absl::Span<const Tensor> inputs) override;
  absl::StatusOr<Timing> Time(absl::Span<const Tensor> inputs,
                              const TimingOptions& options) override;
  const ExecutorStats& stats() const override { return stats_; }

 private:
  int NewBuffer(const memory::desc& md, bool persistent) {
    VirtualBuffer b;
    b.bytes = std::max<size_t>(md.get_size(), sizeof(float));
    b.persistent = persistent;
    buffers_.push_back(b);
    return static_cast<int>(buffers_.size()) - 1;
  }
  absl::StatusOr<Ref> Reorder(const Ref& from, const memory::desc& to,
                              bool constant);
  absl::StatusOr<Ref> Prepare(const Ref& have, const memory::desc& want,
                              const memory::desc& view, bool constant,
                              bool reads_arriving = false);
  absl::Status AddNode(const Graph& graph, NodeId id);
  absl::Status AddReshape(const Graph& graph, NodeId id, bool constant);
  absl::Status AddSplit(const Graph& graph, NodeId id, bool constant);
  absl::Status AddReferenceStep(const Graph& graph, NodeId id);
  absl::Status Allocate();
  void Bind(Step& step);
  absl::Status CopyInputs(absl::Span<const Tensor> inputs);
  absl::Status Execute(std::vector<Step>& steps);
  float* Data(const Ref& r) {
    return static_cast<float*>(
               physical_[buffers_[r.buffer].physical].get()) +
           r.offset;
  }

  // OpenMP's thread count is per calling thread: set before each run.
  void SetThreads() const {
    if (options_.num_threads > 0) omp_set_num_threads(options_.num_threads);
  }

  ExecutorOptions options_;
  dnnl::engine engine_;
  dnnl::stream stream_;
  std::vector<VirtualBuffer> buffers_;
  std::vector<std::unique_ptr<void, AlignedFree>> physical_;
  std::vector<Step> steps_, prep_steps_;
  std::vector<std::vector<Ref>> values_;  // per node, per output
  std::vector<bool> constant_;            // per node: derived from weights
  std::map<std::pair<int, std::string>, Ref> converted_;
  std::vector<Ref> input_refs_;
  std::vector<Shape> input_shapes_;
  std::vector<Ref> output_refs_;
  std::vector<Shape> output_shapes_;
  std::vector<std::pair<Ref, const WeightData*>> weight_fills_;
  ExecutorStats stats_;
};

std::string DescKey(const Ref& r) {
  std::vector<int64_t> dims = r.md.dims();
  return absl::StrCat(onednn::LayoutName(r.md), DimsToString(dims), "@",
                      r.md.data.offset0, "+", r.offset);
}

absl::StatusOr<Ref> OneDnnExecutor::Reorder(const Ref& from,
                                            const memory::desc& to,
                                            bool constant) {
  auto key = std::make_pair(from.buffer, DescKey(from) + ">" + DescKey({-1, to}));
  if (auto it = converted_.find(key); it != converted_.end()) {
    return it->second;
  }
  TSOPT_ASSIGN_OR_RETURN(dnnl::primitive p,
                         onednn::BuildReorder(engine_, from.md, to));
  Ref out{NewBuffer(to, constant), to};
  Step step;
  step.primitive = std::move(p);
  step.args = {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, out}};
  (constant ? prep_steps_ : steps_).push_back(std::move(step));
  ++(constant ? stats_.weight_reorders : stats_.reorders);
  converted_[key] = out;
  return out;
}

// `view` is the tensor as the primitive reads it when it arrives plain
// (other dims, or strides: a matmul's padded rank, a transpose); `want` the
// descriptor the primitive binds. With `reads_arriving`, `want` already
// describes the arriving bytes.
absl::StatusOr<Ref> OneDnnExecutor::Prepare(const Ref& have,
                                            const memory::desc& want,
                                            const memory::desc& view,
                                            bool constant,
                                            bool reads_arriving) {
  if (reads_arriving || have.md == want) {
    return Ref{have.buffer, want, have.offset};
  }
  memory::desc plain = onednn::PlainDesc(have.md.dims());
  // The same tensor in another layout: one reorder.
  if (view == plain) return Reorder(have, want, constant);
  // A reinterpretation of the plain tensor's bytes.
  Ref src = have;
  if (have.md != plain) {
    TSOPT_ASSIGN_OR_RETURN(src, Reorder(have, plain, constant));
  }
  Ref viewed{src.buffer, view, src.offset};
  if (view == want) return viewed;
  return Reorder(viewed, want, constant);
}

absl::Status OneDnnExecutor::AddReferenceStep(const Graph& graph, NodeId id) {
  const Node& node = graph.node(id);
  Step step;
  step.node = id;
  std::vector<Shape> shapes;
  for (ValueId in : node.inputs) {
    memory::desc plain = onednn::PlainDesc(graph.shape(in));
    TSOPT_ASSIGN_OR_RETURN(Ref r, Prepare(values_[in.node][in.output], plain,
                                          plain, constant_[in.node]));
    step.ins.push_back(r);
    shapes.push_back(graph.shape(in));
  }
  TSOPT_ASSIGN_OR_RETURN(Graph single,
                         SingleNodeGraph(node.op, node.attrs, shapes));
  step.single = std::make_shared<const Graph>(std::move(single));
  for (const Shape& s : node.output_shapes) {
    memory::desc plain = onednn::PlainDesc(s);
    Ref r{NewBuffer(plain, false), plain};
    step.outs.push_back(r);
    values_[id].push_back(r);
  }
  steps_.push_back(std::move(step));
  ++stats_.reference_nodes;
  return absl::OkStatus();
}

absl::Status OneDnnExecutor::AddNode(const Graph& graph, NodeId id) {
  const Node& node = graph.node(id);
  std::vector<Shape> in_shapes;
  std::vector<memory::desc> arriving, plain;
  bool constant = !node.inputs.empty();
  for (ValueId in : node.inputs) {
    in_shapes.push_back(graph.shape(in));
    arriving.push_back(values_[in.node][in.output].md);
    plain.push_back(onednn::PlainDesc(graph.shape(in)));
    constant = constant && constant_[in.node];
  }
  switch (node.op) {
    case OpKind::kInput: {
      memory::desc md = onednn::PlainDesc(node.output_shapes[0]);
      values_[id] = {Ref{NewBuffer(md, false), md}};
      input_refs_.push_back(values_[id][0]);
      input_shapes_.push_back(node.output_shapes[0]);
      return absl::OkStatus();
    }
    case OpKind::kWeight: {
      if (node.weight == nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat(graph.Describe(id),
                         ": symbolic weight (no data); the executor needs "
                         "weight values"));
      }
      memory::desc md = onednn::PlainDesc(node.output_shapes[0]);
      values_[id] = {Ref{NewBuffer(md, true), md}};
      constant_[id] = true;
      weight_fills_.push_back({values_[id][0], node.weight.get()});
      return absl::OkStatus();
    }
    case OpKind::kIdentity:
      values_[id] = {values_[node.inputs[0].node][node.inputs[0].output]};
      constant_[id] = constant;
      return absl::OkStatus();
    case OpKind::kOpaque: {
      absl::Status s = OpaqueNotExecutable(node.attrs_as<OpaqueAttrs>());
      return absl::Status(s.code(),
                          absl::StrCat(graph.Describe(id), ": ", s.message()));
    }
    case OpKind::kReshape:
    case OpKind::kFlatten:
      return AddReshape(graph, id, constant);
    case OpKind::kSplit:
      return AddSplit(graph, id, constant);
    default:
      break;
  }
  absl::StatusOr<onednn::BuiltOp> built =
      onednn::BuildOp(engine_, node.op, node.attrs, in_shapes,
                      node.output_shapes, arriving);
  if (absl::IsUnimplemented(built.status()) &&
      onednn::PolicyOf(node.op) == onednn::LayoutPolicy::kFollows) {
    built = onednn::BuildOp(engine_, node.op, node.attrs, in_shapes,
                            node.output_shapes, plain);
  }
  if (absl::IsUnimplemented(built.status())) {
    return AddReferenceStep(graph, id);
  }
  if (!built.ok()) {
    return absl::Status(built.status().code(),
                        absl::StrCat(graph.Describe(id), ": ",
                                     built.status().message()));
  }
  Step step;
  step.primitive = built->primitive;
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    ValueId in = node.inputs[i];
    absl::StatusOr<Ref> r =
        Prepare(values_[in.node][in.output], built->input_mds[i],
                built->input_views[i], constant_[in.node],
                i < built->reads_arriving.size() && built->reads_arriving[i]);
    if (!r.ok()) {
      return absl::Status(r.status().code(),
                          absl::StrCat(graph.Describe(id), ": input ", i,
                                       ": ", r.status().message()));
    }
    step.args.push_back({built->input_args[i], *r});
  }
  const memory::desc& dst = built->output_md;
  int buffer = NewBuffer(dst, false);
  step.args.push_back({DNNL_ARG_DST, Ref{buffer, dst}});
  values_[id] = {Ref{buffer, IsPlain(dst)
                                 ? onednn::PlainDesc(node.output_shapes[0])
                                 : dst}};
  steps_.push_back(std::move(step));
  ++stats_.primitives;
  return absl::OkStatus();
}

// A view of the input with the output's dims where the strides allow
// (ReshapeStrides), else a view of a row-major copy.
absl::Status OneDnnExecutor::AddReshape(const Graph& graph, NodeId id,
                                        bool constant) {
  const Node& node = graph.node(id);
  const Ref& in = values_[node.inputs[0].node][node.inputs[0].output];
  memory::dims out = onednn::PlainDesc(node.output_shapes[0]).dims();
  constant_[id] = constant;
  if (std::optional<memory::dims> strides = onednn::ViewStrides(in.md)) {
    if (std::optional<std::vector<int64_t>> reshaped =
            ReshapeStrides(in.md.dims(), *strides, out)) {
      values_[id] = {Ref{in.buffer, ViewDesc(out, *reshaped), in.offset}};
      if (!IsPlain(in.md)) ++stats_.views;
      return absl::OkStatus();
    }
  }
  memory::desc plain = onednn::PlainDesc(in.md.dims());
  TSOPT_ASSIGN_OR_RETURN(Ref r, Prepare(in, plain, plain, constant));
  values_[id] = {Ref{r.buffer, onednn::PlainDesc(out), r.offset}};
  return absl::OkStatus();
}

// Each piece is a view into the input at its offset along the axis, with
// the input's strides (a row-major input, or a view: a split of a split).
absl::Status OneDnnExecutor::AddSplit(const Graph& graph, NodeId id,
                                      bool constant) {
  const Node& node = graph.node(id);
  const auto& a = node.attrs_as<SplitAttrs>();
  const Shape& x = graph.shape(node.inputs[0]);
  memory::desc plain = onednn::PlainDesc(x);
  Ref base = values_[node.inputs[0].node][node.inputs[0].output];
  std::optional<memory::dims> strides = onednn::ViewStrides(base.md);
  if (!strides) {  // a dense blocked or permuted layout: row-major once
    TSOPT_ASSIGN_OR_RETURN(base, Prepare(base, plain, plain, constant));
    strides = RowMajorStrides(plain.dims());
  }
  TSOPT_ASSIGN_OR_RETURN(int axis, NormalizeAxis(a.axis, x.rank()));
  int64_t start = 0;
  for (const Shape& s : node.output_shapes) {
    values_[id].push_back(Ref{base.buffer,
                              ViewDesc(onednn::PlainDesc(s).dims(), *strides),
                              base.offset + start * (*strides)[axis]});
    start += s.dim(axis);
  }
  constant_[id] = constant;
  ++stats_.views;
  return absl::OkStatus();
}

absl::Status OneDnnExecutor::Allocate() {
  auto touch = [&](const Ref& r, int step) {
    VirtualBuffer& b = buffers_[r.buffer];
    if (b.first < 0 || step < b.first) b.first = step;
    b.last = std::max(b.last, step);
  };
  for (int s = 0; s < static_cast<int>(steps_.size()); ++s) {
    for (const auto& [arg, r] : steps_[s].args) touch(r, s);
    for (const Ref& r : steps_[s].ins) touch(r, s);
    for (const Ref& r : steps_[s].outs) touch(r, s);
  }
  // Inputs stay untouched between runs (Time() copies them in once).
  for (const Ref& r : output_refs_) buffers_[r.buffer].persistent = true;
  for (const Ref& r : input_refs_) buffers_[r.buffer].persistent = true;
  // Greedy interval assignment in order of first use, best fit.
  std::vector<int> order;
  for (int i = 0; i < static_cast<int>(buffers_.size()); ++i) {
    order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return buffers_[a].first < buffers_[b].first;
  });
  std::vector<size_t> sizes;
  std::vector<int> busy_until;  // per physical buffer; INT_MAX: persistent
  for (int v : order) {
    VirtualBuffer& b = buffers_[v];
    int best = -1;
    if (!b.persistent) {
      stats_.unshared_bytes += b.bytes;
      for (int p = 0; p < static_cast<int>(sizes.size()); ++p) {
        if (busy_until[p] >= b.first) continue;
        bool fits = sizes[p] >= b.bytes;
        if (best < 0 || (fits && (sizes[best] < b.bytes ||
                                  sizes[p] < sizes[best])) ||
            (!fits && sizes[best] < b.bytes && sizes[p] > sizes[best])) {
          best = p;
        }
      }
    }
    if (best < 0) {
      best = static_cast<int>(sizes.size());
      sizes.push_back(0);
      busy_until.push_back(0);
    }
    sizes[best] = std::max(sizes[best], b.bytes);
    busy_until[best] = b.persistent ? INT32_MAX : b.last;
    b.physical = best;
  }
  for (size_t p = 0; p < sizes.size(); ++p) {
    if (busy_until[p] != INT32_MAX) {
      stats_.buffer_bytes += static_cast<int64_t>(sizes[p]);
    }
    size_t bytes = (sizes[p] + 63) / 64 * 64;
    void* data = std::aligned_alloc(64, bytes);
    if (data == nullptr) {
      return absl::ResourceExhaustedError(
          absl::StrCat("cannot allocate ", bytes, " bytes"));
    }
    std::memset(data, 0, bytes);
    physical_.emplace_back(data);
  }
  return absl::OkStatus();
}

void OneDnnExecutor::Bind(Step& step) {
  for (const auto& [arg, r] : step.args) {
    step.mems[arg] = memory(r.md, engine_, Data(r));
  }
  for (const Ref& r : step.ins) step.in_ptrs.push_back(Data(r));
  for (const Ref& r : step.outs) step.out_ptrs.push_back(Data(r));
}

absl::Status OneDnnExecutor::Build(const Graph& graph) {
  TSOPT_RETURN_IF_ERROR(graph.Validate());
  try {
    engine_ = dnnl::engine(dnnl::engine::kind::cpu, 0);
    stream_ = dnnl::stream(engine_);
  } catch (const dnnl::error& e) {
    return absl::UnavailableError(
        absl::StrCat("cannot create the oneDNN CPU engine: ", e.what()));
  }
  // oneDNN sizes its kernels' parallelism when a primitive is created.
  SetThreads();
  values_.resize(graph.num_nodes());
  constant_.assign(graph.num_nodes(), false);
  for (NodeId id = 0; id < graph.num_nodes(); ++id) {
    TSOPT_RETURN_IF_ERROR(AddNode(graph, id));
  }
  for (ValueId v : graph.outputs()) {
    memory::desc plain = onednn::PlainDesc(graph.shape(v));
    TSOPT_ASSIGN_OR_RETURN(Ref r, Prepare(values_[v.node][v.output], plain,
                                          plain, constant_[v.node]));
    output_refs_.push_back(r);
    output_shapes_.push_back(graph.shape(v));
  }
  TSOPT_RETURN_IF_ERROR(Allocate());
  for (Step& s : prep_steps_) Bind(s);
  for (Step& s : steps_) Bind(s);
  for (const auto& [ref, data] : weight_fills_) {
    std::memcpy(Data(ref), data->values.data(),
                data->values.size() * sizeof(float));
  }
  return Execute(prep_steps_);
}

absl::Status OneDnnExecutor::Execute(std::vector<Step>& steps) {
  try {
    for (Step& s : steps) {
      if (s.node < 0) {
        s.primitive.execute(stream_, s.mems);
        continue;
      }
      stream_.wait();
      std::vector<Tensor> ins;
      for (size_t i = 0; i < s.ins.size(); ++i) {
        // SingleNodeGraph adds input i as node i.
        const Shape& shape =
            s.single->node(static_cast<NodeId>(i)).output_shapes[0];
        const float* p = s.in_ptrs[i];
        ins.push_back(Tensor{shape, std::vector<float>(
                                        p, p + shape.NumElements())});
      }
      absl::StatusOr<std::vector<Tensor>> outs = Evaluate(*s.single, ins);
      if (!outs.ok()) {
        return absl::Status(outs.status().code(),
                            absl::StrCat("node ", s.node,
                                         " (reference kernel): ",
                                         outs.status().message()));
      }
      for (size_t j = 0; j < outs->size(); ++j) {
        std::memcpy(s.out_ptrs[j], (*outs)[j].data.data(),
                    (*outs)[j].data.size() * sizeof(float));
      }
    }
    stream_.wait();
  } catch (const dnnl::error& e) {
    return absl::InternalError(absl::StrCat("oneDNN execute: ", e.what()));
  }
  return absl::OkStatus();
}

absl::Status OneDnnExecutor::CopyInputs(absl::Span<const Tensor> inputs) {
  if (inputs.size() != input_refs_.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the graph has ", input_refs_.size(), " inputs, got ",
                     inputs.size()));
  }
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].shape != input_shapes_[i] ||
        static_cast<int64_t>(inputs[i].data.size()) !=
            input_shapes_[i].NumElements()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "input ", i, " must have shape ", input_shapes_[i].ToString(),
          ", got ", inputs[i].shape.ToString(), " with ",
          inputs[i].data.size(), " values"));
    }
    std::memcpy(Data(input_refs_[i]), inputs[i].data.data(),
                inputs[i].data.size() * sizeof(float));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Tensor>> OneDnnExecutor::Run(
    absl::Span<const Tensor> inputs) {
  TSOPT_RETURN_IF_ERROR(CopyInputs(inputs));
  SetThreads();
  TSOPT_RETURN_IF_ERROR(Execute(steps_));
  std::vector<Tensor> outputs;
  for (size_t i = 0; i < output_refs_.size(); ++i) {
    const float* p = Data(output_refs_[i]);
    outputs.push_back(Tensor{
        output_shapes_[i],
        std::vector<float>(p, p + output_shapes_[i].NumElements())});
  }
  return outputs;
}

absl::StatusOr<Timing> OneDnnExecutor::Time(absl::Span<const Tensor> inputs,
                                            const TimingOptions& options) {
  TSOPT_RETURN_IF_ERROR(CopyInputs(inputs));
  SetThreads();
  return TimeRepeated([this] { return Execute(steps_); }, options);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Executor>> Executor::Create(
    const Graph& graph, ExecutorOptions options) {
  auto exec = std::make_unique<OneDnnExecutor>(options);
  TSOPT_RETURN_IF_ERROR(exec->Build(graph));
  return std::unique_ptr<Executor>(std::move(exec));
}

}  // namespace tsopt

// The oneDNN adapter shared by the executor and the measured cost model:
// one operator instance of the IR -> one oneDNN primitive, plus the memory
// descriptors it binds. Internal to the library (not a public header).
//
// Layout policy (the same in the cost model and the executor, see
// include/tsopt/cost/cost_model.h):
//  - Conv2D and MatMul use format_tag::any everywhere and take the formats
//    oneDNN prefers (kChooses);
//  - eltwise, binary, pooling and batch norm accept the layout their first
//    input arrives in (kFollows);
//  - Concat takes every input in the layout its first input arrives in and
//    produces that layout (kFollowsAll): convolutions leave NHWC or blocked
//    tensors, and a concat of those in place needs no reorders (and in
//    NHWC is ~6x faster than oneDNN 2.6's row-major concat). Where oneDNN
//    cannot concat in that layout it concats row-major;
//  - every other operator works on plain row-major tensors (kPlain).
// Strided views (a Split's pieces, see tsopt/ir/strided_view.h) arrive as
// non-dense descriptors: MatMul and the strided copies (Transpose, Slice)
// read them in place (BuiltOp::reads_arriving) when oneDNN runs that with
// its optimized kernels; every other consumer, and kFollows operators, take
// them row-major (the executor reorders).
// No function here throws: dnnl::error becomes an absl::Status.
#ifndef TSOPT_RUNTIME_ONEDNN_PRIMITIVE_BUILDER_H_
#define TSOPT_RUNTIME_ONEDNN_PRIMITIVE_BUILDER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "dnnl.hpp"
#include "tsopt/ir/attrs.h"
#include "tsopt/ir/op.h"
#include "tsopt/ir/shape.h"

namespace tsopt::onednn {

enum class LayoutPolicy { kPlain, kFollows, kFollowsAll, kChooses };
LayoutPolicy PolicyOf(OpKind op);

// Row-major float32 descriptor of `shape` (rank 0 -> dims {1}).
dnnl::memory::desc PlainDesc(const Shape& shape);
dnnl::memory::desc PlainDesc(const dnnl::memory::dims& dims);
// "plain" for a dense row-major descriptor; "fmt:<outer dim order>/<inner
// blocks>" for another dense layout (shape-independent: "fmt:0,2,3,1/" is
// NHWC for any shape); "view:<strides>" for a strided view without blocks
// (ViewLayoutName); "strided:<strides>/<blocks>" for anything else.
std::string LayoutName(const dnnl::memory::desc& md);
// The descriptor of layout `name` ("plain", "fmt:..." or "view:...", as
// LayoutName writes it) for `shape`.
absl::StatusOr<dnnl::memory::desc> DescFromLayout(const Shape& shape,
                                                  const std::string& name);

// One built operator.
struct BuiltOp {
  dnnl::primitive primitive;
  // Per IR input of the node, in order:
  std::vector<int> input_args;                     // DNNL_ARG_* it binds to
  std::vector<dnnl::memory::desc> input_mds;       // what it must be in
  std::vector<dnnl::memory::desc> input_views;     // its plain IR tensor as
                                                   // the primitive views it
  dnnl::memory::desc output_md;  // the DST; the plain IR output when plain
  // Per input (empty: all false): input_mds[i] describes the bytes of the
  // tensor as it arrives (the arriving descriptor's buffer and offset, read
  // through other dims/strides), not a plain copy of it.
  std::vector<bool> reads_arriving;
};

// True when `md` has no gaps (a dense, possibly blocked or permuted,
// layout); false for a strided view.
bool IsDense(const dnnl::memory::desc& md);

// The strides of `md` when it can be re-read as a strided view (plain, or
// a strided view without blocks); nullopt for a dense blocked or permuted
// layout.
std::optional<std::vector<int64_t>> ViewStrides(const dnnl::memory::desc& md);

// Builds the primitive of one operator. `input_mds[i]` describes the tensor
// that will actually arrive at input i (used by kFollows operators; kPlain
// and kChooses operators ignore the layouts). Returns Unimplemented when
// oneDNN has no primitive for this operator instance (the caller then uses
// the reference kernel), other errors for a dnnl::error.
absl::StatusOr<BuiltOp> BuildOp(const dnnl::engine& engine, OpKind op,
                                const Attrs& attrs,
                                absl::Span<const Shape> inputs,
                                absl::Span<const Shape> outputs,
                                absl::Span<const dnnl::memory::desc> input_mds);

// A reorder between two descriptors of the same dims.
absl::StatusOr<dnnl::primitive> BuildReorder(const dnnl::engine& engine,
                                             const dnnl::memory::desc& from,
                                             const dnnl::memory::desc& to);

// "oneDNN 2.6.3", and the effective CPU ISA ("avx512_core", ...).
std::string LibraryVersion();
std::string CpuIsaName();

}  // namespace tsopt::onednn

#endif  // TSOPT_RUNTIME_ONEDNN_PRIMITIVE_BUILDER_H_

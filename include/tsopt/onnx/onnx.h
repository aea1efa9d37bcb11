// ONNX import and export.
//
// Import turns an ONNX model (opsets 11 to 17) into a tsopt Graph: every
// operator of ops.def is mapped, initializers become Weight nodes, constant
// sub-computations (Shape -> Gather -> Unsqueeze -> Concat chains, Constant,
// Cast, ...) are folded on the host, and the Erf-based GELU pattern becomes
// one Gelu node. Graph inputs need static shapes; a symbolic dim is fixed
// with an override. An operator tsopt does not know (another domain, no
// converter, or a use of it tsopt cannot express) becomes an Opaque node
// that keeps the operator as it was read: it is never rewritten or run, and
// export writes it back. ImportResult::notes states what was done with every
// folded, fused, rewritten or opaque operator.
//
//   ImportOptions options;
//   options.input_shapes["input"] = {1, 3, 224, 224};
//   TSOPT_ASSIGN_OR_RETURN(ImportResult r, ImportOnnxFile("m.onnx", options));
//   ... optimize r.graph ...
//   TSOPT_RETURN_IF_ERROR(ExportOnnxFile(r.graph, r.opset, "out.onnx"));
//
// Export writes standard ONNX at the requested opset: fused activations
// become Conv/MatMul + Relu (or the Erf GELU pattern), weights become
// initializers, opaque nodes are written back as they were imported (with
// their domain's opset), graph inputs keep their names, graph outputs take
// ExportOptions::output_names (ImportResult::output_names keeps a model's
// own), other names come from Node::name (made unique), and the model
// passes onnx::checker and ONNX shape inference.
//
//   ExportOptions eo;
//   eo.opset = r.opset;
//   eo.output_names = r.output_names;   // the graph keeps its output order
//   TSOPT_RETURN_IF_ERROR(ExportOnnxFile(optimized, eo, "out.onnx"));
#ifndef TSOPT_ONNX_ONNX_H_
#define TSOPT_ONNX_ONNX_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tsopt/ir/graph.h"
#include "tsopt/ir/tensor.h"

namespace tsopt {

inline constexpr int kMinOnnxOpset = 11;
inline constexpr int kMaxOnnxOpset = 17;

struct ImportOptions {
  // Static shapes for graph inputs, by input name; replaces the file's dims
  // (needed when the file has a symbolic batch dim).
  std::map<std::string, std::vector<int64_t>> input_shapes;
  // Largest constant the importer computes on the host (ConstantOfShape,
  // folded arithmetic, initializers): a corrupt file must not make it
  // allocate gigabytes.
  int64_t max_constant_elements = int64_t{1} << 28;
};

struct ImportResult {
  Graph graph;
  // The model's default-domain opset (export uses it unless told otherwise).
  int opset = kMaxOnnxOpset;
  // One line per operator that was not mapped one to one: folded to a
  // constant, fused, decomposed, treated as identity or kept as opaque.
  // Names the node.
  std::vector<std::string> notes;
  // The model's graph output names, in Graph::outputs() order.
  std::vector<std::string> output_names;
  // The ONNX names of every output of the multi-output nodes (Split,
  // opaque), by Node::name (the name of their first output).
  std::map<std::string, std::vector<std::string>> multi_output_names;
};

// Parses and imports a serialized ModelProto.
absl::StatusOr<ImportResult> ImportOnnx(absl::string_view model_bytes,
                                        const ImportOptions& options = {});
absl::StatusOr<ImportResult> ImportOnnxFile(const std::string& path,
                                            const ImportOptions& options = {});

struct ExportOptions {
  int opset = kMaxOnnxOpset;  // kMinOnnxOpset to kMaxOnnxOpset
  // Names of the graph outputs in Graph::outputs() order (empty: derived
  // from the producing nodes' names). Optimization keeps the output order,
  // so an imported model's names carry over to its optimized graph.
  std::vector<std::string> output_names;
  // Names of the outputs of multi-output nodes, by Node::name (from
  // ImportResult::multi_output_names; a node not listed, or listed with
  // another output count, gets "<name>_<k>").
  std::map<std::string, std::vector<std::string>> multi_output_names;
};

// Serializes `graph` as an ONNX model. Every Weight needs data.
absl::StatusOr<std::string> ExportOnnx(const Graph& graph,
                                       const ExportOptions& options);
absl::Status ExportOnnxFile(const Graph& graph, const ExportOptions& options,
                            const std::string& path);
// The same with default names at `opset`.
absl::StatusOr<std::string> ExportOnnx(const Graph& graph, int opset);
absl::Status ExportOnnxFile(const Graph& graph, int opset,
                            const std::string& path);

// The ONNX operator types (default domain) the importer maps, sorted.
std::vector<std::string> SupportedOnnxOps();

// Reads a serialized TensorProto (the .pb files of the ONNX test data) as a
// float tensor; integer and double data are converted to float.
absl::StatusOr<Tensor> ReadTensorProtoFile(const std::string& path);

// Parses "x=1,3,224,224;mask=1,128" into input shape overrides.
absl::StatusOr<std::map<std::string, std::vector<int64_t>>> ParseInputShapes(
    absl::string_view text);

}  // namespace tsopt

#endif  // TSOPT_ONNX_ONNX_H_

// ONNX import and export.
//
// Import turns an ONNX model (opsets 11 to 17) into a tsopt Graph: every
// operator of ops.def is mapped, initializers become Weight nodes, constant
// sub-computations (Shape -> Gather -> Unsqueeze -> Concat chains, Constant,
// Cast, ...) are folded on the host, and the Erf-based GELU pattern becomes
// one Gelu node. Graph inputs need static shapes; a symbolic dim is fixed
// with an override. ImportResult::notes states what was done with every
// folded, fused or rewritten operator; an operator tsopt cannot express is
// refused with an error naming the operator and its node.
//
//   ImportOptions options;
//   options.input_shapes["input"] = {1, 3, 224, 224};
//   TSOPT_ASSIGN_OR_RETURN(ImportResult r, ImportOnnxFile("m.onnx", options));
//   ... optimize r.graph ...
//   TSOPT_RETURN_IF_ERROR(ExportOnnxFile(r.graph, r.opset, "out.onnx"));
//
// Export writes standard ONNX at the requested opset: fused activations
// become Conv/MatMul + Relu (or the Erf GELU pattern), weights become
// initializers, names come from Node::name (made unique), and the model
// passes onnx::checker and ONNX shape inference.
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
  // constant, fused, decomposed or treated as identity. Names the node.
  std::vector<std::string> notes;
};

// Parses and imports a serialized ModelProto.
absl::StatusOr<ImportResult> ImportOnnx(absl::string_view model_bytes,
                                        const ImportOptions& options = {});
absl::StatusOr<ImportResult> ImportOnnxFile(const std::string& path,
                                            const ImportOptions& options = {});

// Serializes `graph` as an ONNX model at `opset` (kMinOnnxOpset to
// kMaxOnnxOpset). Every Weight needs data.
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

// Export of Opaque nodes: the node kept in the payload (opaque_import.cc) is
// written back with its inputs and outputs renamed to the exported graph's
// names, its embedded constants as initializers, and its outputs' types and
// shapes as value_info.
#ifndef TSOPT_SRC_ONNX_EXPORT_OPAQUE_H_
#define TSOPT_SRC_ONNX_EXPORT_OPAQUE_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "onnx/onnx_pb.h"
#include "src/onnx/export_writer.h"
#include "tsopt/ir/graph.h"

namespace tsopt::onnx_export {

// Writes opaque node `id` of `graph`; records the opset its domain needs in
// `domains` (error if two nodes need different versions of one domain).
absl::Status EmitOpaque(const Graph& graph, NodeId id, ExportWriter& writer,
                        onnx::GraphProto* proto,
                        std::map<std::string, int64_t>* domains);

}  // namespace tsopt::onnx_export

#endif  // TSOPT_SRC_ONNX_EXPORT_OPAQUE_H_

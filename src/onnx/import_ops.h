// Registration of the per-operator ONNX converters (the table FindConverter
// reads): compute operators in import_ops_nn.cc, elementwise/data movement
// and constant folding in import_ops_data.cc, the GELU pattern in
// gelu_pattern.cc.
#ifndef TSOPT_SRC_ONNX_IMPORT_OPS_H_
#define TSOPT_SRC_ONNX_IMPORT_OPS_H_

#include <map>
#include <string>
#include <vector>

#include "src/onnx/import_context.h"

namespace tsopt::onnx_import {

// Shared by the converters (defined in import_ops.cc):
// the Unimplemented status for a use of `node` a converter cannot express
// (the importer then keeps the node opaque), and
absl::Status Unsupported(const onnx::NodeProto& node, absl::string_view why);
// adds `op` over `inputs` as the node's one output and binds its name.
absl::Status Finish(ImportContext& ctx, const onnx::NodeProto& node, OpKind op,
                    Attrs attrs, std::vector<ValueId> inputs);

void RegisterNnConverters(std::map<std::string, Converter>* table);
void RegisterDataConverters(std::map<std::string, Converter>* table);

// Erf is only supported inside the exact GELU pattern
//   x * 0.5 * (1 + erf(x / sqrt(2)))   (any association of the muls)
// which becomes one gelu node; the pattern's other nodes are skipped.
absl::Status ConvertErfGelu(ImportContext& ctx, const onnx::NodeProto& node);

// Keeps `node` as an opaque graph node (opaque_import.cc): its output shapes
// come from ONNX shape inference on the node alone, given the static shapes
// and constants of its inputs, else from the model's value_info; without
// either the import fails naming the node. Float constant inputs become
// weights (graph inputs of the node), other constants are embedded in the
// payload with their original type. Notes "kept as opaque (<why>)".
absl::Status ConvertOpaque(ImportContext& ctx, const onnx::NodeProto& node,
                           absl::string_view why);

}  // namespace tsopt::onnx_import

#endif  // TSOPT_SRC_ONNX_IMPORT_OPS_H_

// State of one ONNX import: the graph under construction, the map from ONNX
// tensor names to graph values or host constants, the notes, and helpers the
// per-operator converters (import_ops.cc) share.
#ifndef TSOPT_SRC_ONNX_IMPORT_CONTEXT_H_
#define TSOPT_SRC_ONNX_IMPORT_CONTEXT_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "onnx/onnx_pb.h"
#include "src/onnx/host_tensor.h"
#include "tsopt/ir/graph.h"
#include "tsopt/onnx/onnx.h"

namespace tsopt::onnx_import {

// An ONNX tensor during import: a graph value, or a constant known on the
// host (materialized as a Weight node only when a graph op reads it).
struct ImportedValue {
  std::optional<ValueId> value;
  std::optional<HostTensor> constant;
};

class ImportContext {
 public:
  ImportContext(const onnx::ModelProto& model, int opset,
                const ImportOptions& options);

  tsopt::Graph& graph() { return graph_; }
  int opset() const { return opset_; }
  const ImportOptions& options() const { return options_; }
  const onnx::GraphProto& proto() const { return proto_; }
  const onnx::ModelProto& model() const { return model_; }
  std::vector<std::string>& notes() { return notes_; }

  // "node 'conv1' (Conv)" for messages.
  static std::string Describe(const onnx::NodeProto& node);

  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  bool IsConstant(const std::string& name) const;
  // The value of input `index` of `node`; optional inputs may be absent
  // (empty name or index past the end): HasInput says so.
  static bool HasInput(const onnx::NodeProto& node, int index);
  // A graph value for a node input; host float constants become Weights,
  // integer constants are an error (graph tensors are float32).
  absl::StatusOr<ValueId> GraphValue(const onnx::NodeProto& node, int index);
  // A host constant for a node input; error if it is computed at run time.
  absl::StatusOr<HostTensor> Constant(const onnx::NodeProto& node, int index);
  // Dims of a node input (graph value or constant).
  absl::StatusOr<std::vector<int64_t>> Dims(const onnx::NodeProto& node,
                                            int index);

  void SetValue(const std::string& name, ValueId v) { values_[name].value = v; }
  // Binds an output of an opaque node (replacing anything a failed converter
  // bound); a non-float `dtype` (ONNX TensorProto.DataType) makes
  // GraphValue refuse it, so only opaque nodes and graph outputs read it.
  void SetOpaqueOutput(const std::string& name, ValueId v, int dtype);
  // The element type of a graph value or constant (FLOAT for every value
  // that is not a non-float opaque output; INT64 for integer constants).
  int DataType(const std::string& name) const;
  // What the importer holds for `name` (null if nothing).
  const ImportedValue* Find(const std::string& name) const;
  void SetConstant(const std::string& name, HostTensor t);
  // Adds a node named after `name` (an ONNX tensor name).
  absl::StatusOr<ValueId> Add(OpKind op, Attrs attrs,
                              std::vector<ValueId> inputs,
                              const std::string& name);
  // A Weight node holding `t` (float, non-empty).
  absl::StatusOr<ValueId> AddConstantWeight(const HostTensor& t,
                                            const std::string& name);
  void Note(const onnx::NodeProto& node, const std::string& what);

  // Nodes whose outputs were produced by an earlier fused pattern.
  std::set<const onnx::NodeProto*>& skipped() { return skipped_; }
  // The nodes reading tensor `name`, and the node producing it (or null).
  const std::vector<const onnx::NodeProto*>& Consumers(
      const std::string& name) const;
  const onnx::NodeProto* Producer(const std::string& name) const;
  bool IsGraphOutput(const std::string& name) const;

 private:
  const onnx::ModelProto& model_;
  const onnx::GraphProto& proto_;
  int opset_;
  const ImportOptions& options_;
  tsopt::Graph graph_;
  std::map<std::string, ImportedValue> values_;
  std::map<std::string, int> non_float_;  // opaque outputs' data types
  std::vector<std::string> notes_;
  std::set<const onnx::NodeProto*> skipped_;
  std::map<std::string, std::vector<const onnx::NodeProto*>> consumers_;
  std::map<std::string, const onnx::NodeProto*> producers_;
  std::set<std::string> graph_outputs_;
};

// Converts one node; registered per ONNX op type in import_ops.cc.
using Converter = absl::Status (*)(ImportContext& ctx,
                                   const onnx::NodeProto& node);
// The converter for a default-domain op type, or null if unsupported.
Converter FindConverter(const std::string& op_type);
// How many inputs the op type needs at least (checked before converting,
// so converters may read those inputs' names).
int MinInputs(const std::string& op_type);

// Attribute access with defaults; a wrongly typed attribute is recorded and
// reported by status().
class NodeAttrs {
 public:
  explicit NodeAttrs(const onnx::NodeProto& node);
  bool Has(const std::string& name) const;
  int64_t Int(const std::string& name, int64_t def);
  float Float(const std::string& name, float def);
  std::string String(const std::string& name, const std::string& def);
  std::vector<int64_t> Ints(const std::string& name,
                            std::vector<int64_t> def);
  std::vector<float> Floats(const std::string& name, std::vector<float> def);
  const onnx::TensorProto* Tensor(const std::string& name);
  absl::Status status() const { return status_; }

 private:
  const onnx::AttributeProto* Find(const std::string& name,
                                   onnx::AttributeProto::AttributeType type);
  const onnx::NodeProto& node_;
  absl::Status status_;
};

}  // namespace tsopt::onnx_import

#endif  // TSOPT_SRC_ONNX_IMPORT_CONTEXT_H_

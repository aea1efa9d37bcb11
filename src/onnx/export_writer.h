// The ONNX GraphProto under construction during export: unique, stable tensor
// names, initializers (scalar constants shared by value), and node emission.
//
// Names, in this order of precedence: graph inputs keep their names; graph
// outputs take ExportOptions::output_names (through an Identity when the
// value is a leaf, is output twice or its name is taken); the outputs of a
// multi-output node take ExportOptions::multi_output_names; any other value
// is named after Node::name, else "<mnemonic>_<id>" (made unique).
#ifndef TSOPT_SRC_ONNX_EXPORT_WRITER_H_
#define TSOPT_SRC_ONNX_EXPORT_WRITER_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "onnx/onnx_pb.h"
#include "src/onnx/host_tensor.h"
#include "tsopt/ir/graph.h"
#include "tsopt/onnx/onnx.h"

namespace tsopt::onnx_export {

class ExportWriter {
 public:
  ExportWriter(const Graph& graph, onnx::GraphProto* proto,
               const ExportOptions& options);

  // The ONNX name of graph value `v`.
  const std::string& Name(ValueId v) const { return names_[v.node][v.output]; }
  // The name of graph output `i`, and whether it is a copy of Name(value)
  // that an Identity node must make.
  const std::string& OutputName(int i) const { return output_names_[i]; }
  bool OutputNeedsCopy(int i) const { return output_copies_[i]; }
  // A fresh tensor name derived from `base`.
  std::string Fresh(const std::string& base);
  // Adds an initializer named after `base`; returns its name.
  std::string Initializer(const onnx_import::HostTensor& t,
                          const std::string& base);
  // Adds an initializer under exactly `name` (already reserved).
  void WriteInitializer(const onnx_import::HostTensor& t,
                        const std::string& name);
  std::string Ints(const std::vector<int64_t>& v, const std::string& base);
  // A rank-0 float initializer, shared between uses of the same value.
  std::string Scalar(float v);
  onnx::NodeProto* Node(const std::string& op_type,
                        const std::vector<std::string>& inputs,
                        const std::vector<std::string>& outputs);

  static void SetInts(onnx::NodeProto* n, const std::string& name,
                      const std::vector<int64_t>& v);
  static void SetInt(onnx::NodeProto* n, const std::string& name, int64_t v);
  static void SetFloat(onnx::NodeProto* n, const std::string& name, float v);

 private:
  onnx::GraphProto* proto_;
  std::vector<std::vector<std::string>> names_;
  std::vector<std::string> output_names_;
  std::vector<bool> output_copies_;
  std::set<std::string> used_;
  std::map<uint32_t, std::string> scalars_;  // by float bit pattern
};

}  // namespace tsopt::onnx_export

#endif  // TSOPT_SRC_ONNX_EXPORT_WRITER_H_

// The table from ONNX op type to converter, and the helpers the converters
// share.
#include "src/onnx/import_ops.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "tsopt/onnx/onnx.h"
#include "tsopt/util/status_macros.h"

namespace tsopt::onnx_import {

namespace {

const std::map<std::string, Converter>& Table() {
  static const auto* table = [] {
    auto* t = new std::map<std::string, Converter>();
    RegisterNnConverters(t);
    RegisterDataConverters(t);
    return t;
  }();
  return *table;
}

}  // namespace

absl::Status Unsupported(const onnx::NodeProto& node, absl::string_view why) {
  return absl::UnimplementedError(
      absl::StrCat(ImportContext::Describe(node), ": ", why));
}

absl::Status Finish(ImportContext& ctx, const onnx::NodeProto& node, OpKind op,
                    Attrs attrs, std::vector<ValueId> inputs) {
  TSOPT_ASSIGN_OR_RETURN(ValueId v, ctx.Add(op, std::move(attrs),
                                            std::move(inputs), node.output(0)));
  ctx.SetValue(node.output(0), v);
  return absl::OkStatus();
}

int MinInputs(const std::string& op_type) {
  static const auto* counts = new std::map<std::string, int>{
      {"Constant", 0},  {"Add", 2},   {"Sub", 2},     {"Mul", 2},
      {"Div", 2},       {"Pow", 2},   {"Conv", 2},    {"Gemm", 2},
      {"MatMul", 2},    {"BatchNormalization", 5},    {"LayerNormalization", 2},
      {"Reshape", 2},   {"Gather", 2}, {"Slice", 3},  {"Pad", 2}};
  auto it = counts->find(op_type);
  return it == counts->end() ? 1 : it->second;
}

Converter FindConverter(const std::string& op_type) {
  auto it = Table().find(op_type);
  return it == Table().end() ? nullptr : it->second;
}

}  // namespace tsopt::onnx_import

namespace tsopt {

std::vector<std::string> SupportedOnnxOps() {
  std::vector<std::string> ops;
  for (const auto& [name, convert] : onnx_import::Table()) ops.push_back(name);
  return ops;
}

}  // namespace tsopt

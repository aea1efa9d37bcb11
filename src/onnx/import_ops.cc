// The table from ONNX op type to converter.
#include "src/onnx/import_ops.h"
#include "tsopt/onnx/onnx.h"

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

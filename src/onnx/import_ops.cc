// The table from ONNX op type to converter.
#include "src/onnx/import_ops.h"

namespace tsopt::onnx_import {

Converter FindConverter(const std::string& op_type) {
  static const auto* table = [] {
    auto* t = new std::map<std::string, Converter>();
    RegisterNnConverters(t);
    RegisterDataConverters(t);
    return t;
  }();
  auto it = table->find(op_type);
  return it == table->end() ? nullptr : it->second;
}

}  // namespace tsopt::onnx_import

// libFuzzer target for the ONNX importer: any byte string must give a graph
// or a Status, never a crash, hang, sanitizer report or huge allocation.
// An imported graph is exported again (which runs the ONNX checker).
// Build and run: scripts/run_fuzzer.sh SECONDS (seed corpus fuzz/corpus/onnx).
#include <cstddef>
#include <cstdint>
#include <string>

#include "tsopt/onnx/onnx.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tsopt::ImportOptions options;
  options.max_constant_elements = int64_t{1} << 20;
  absl::StatusOr<tsopt::ImportResult> r = tsopt::ImportOnnx(
      absl::string_view(reinterpret_cast<const char*>(data), size), options);
  if (r.ok() && r->graph.num_nodes() < 10000) {
    absl::StatusOr<std::string> bytes = tsopt::ExportOnnx(r->graph, r->opset);
    (void)bytes;
  }
  return 0;
}

#include "tests/onnx/conformance_util.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "onnx/onnx_pb.h"
#include "tsopt/onnx/onnx.h"
#include "tsopt/reference/evaluator.h"
#include "tsopt/runtime/executor.h"
#include "tsopt/util/status_macros.h"

namespace tsopt::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSuites[] = {"node", "pytorch-converted",
                                   "pytorch-operator"};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool ParseModel(const std::string& path, onnx::ModelProto* model) {
  std::string bytes = ReadAll(path);
  return !bytes.empty() && model->ParseFromString(bytes);
}

bool IsSupported(const onnx::ModelProto& model,
                 const std::set<std::string>& ops) {
  int opset = -1;
  for (const auto& imp : model.opset_import()) {
    if (imp.domain().empty() || imp.domain() == "ai.onnx") opset = imp.version();
  }
  if (opset < 1 || opset > kMaxOnnxOpset) return false;
  for (const auto& node : model.graph().node()) {
    if (!node.domain().empty() && node.domain() != "ai.onnx") return false;
    if (!ops.count(node.op_type())) return false;
  }
  return model.graph().node_size() > 0;
}

absl::StatusOr<onnx::TensorProto> ReadTensor(const std::string& path) {
  onnx::TensorProto t;
  if (!t.ParseFromString(ReadAll(path))) {
    return absl::InvalidArgumentError(absl::StrCat("cannot parse ", path));
  }
  return t;
}

}  // namespace

std::string ConformanceCase::Id() const {
  std::string id = absl::StrCat(suite, "_", name);
  for (char& c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return id;
}

int CountAllCases() {
  int n = 0;
  for (const char* suite : kSuites) {
    fs::path root = fs::path(kOnnxTestDataRoot) / suite;
    if (!fs::is_directory(root)) continue;
    for (const auto& e : fs::directory_iterator(root)) n += e.is_directory();
  }
  return n;
}

namespace {

std::vector<ConformanceCase> ScanSupportedCases() {
  std::vector<std::string> op_list = SupportedOnnxOps();
  std::set<std::string> ops(op_list.begin(), op_list.end());
  std::vector<ConformanceCase> cases;
  for (const char* suite : kSuites) {
    fs::path root = fs::path(kOnnxTestDataRoot) / suite;
    if (!fs::is_directory(root)) continue;
    for (const auto& e : fs::directory_iterator(root)) {
      onnx::ModelProto model;
      if (!e.is_directory() ||
          !ParseModel((e.path() / "model.onnx").string(), &model) ||
          !IsSupported(model, ops)) {
        continue;
      }
      cases.push_back({suite, e.path().filename().string(), e.path().string()});
    }
  }
  std::sort(cases.begin(), cases.end(),
            [](const ConformanceCase& a, const ConformanceCase& b) {
              return a.Id() < b.Id();
            });
  return cases;
}

}  // namespace

std::vector<ConformanceCase> FindSupportedCases() {
  // Scanned once per process: every test binary start instantiates the
  // parameterized suites from it.
  static const auto* cases =
      new std::vector<ConformanceCase>(ScanSupportedCases());
  return *cases;
}

absl::StatusOr<std::vector<LoadedDataSet>> LoadCase(const ConformanceCase& c) {
  onnx::ModelProto model;
  if (!ParseModel(c.dir + "/model.onnx", &model)) {
    return absl::InvalidArgumentError(absl::StrCat("cannot parse ", c.dir));
  }
  std::set<std::string> initializers;
  for (const auto& init : model.graph().initializer()) {
    initializers.insert(init.name());
  }
  std::vector<LoadedDataSet> sets;
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(c.dir)) {
    if (e.is_directory() &&
        e.path().filename().string().rfind("test_data_set_", 0) == 0) {
      dirs.push_back(e.path());
    }
  }
  std::sort(dirs.begin(), dirs.end());
  for (const fs::path& dir : dirs) {
    LoadedDataSet set;
    onnx::ModelProto bound = model;
    auto* graph = bound.mutable_graph();
    graph->clear_input();
    int k = 0;
    for (const auto& in : model.graph().input()) {
      if (initializers.count(in.name())) {
        *graph->add_input() = in;  // IR < 4 lists initializers as inputs
        continue;
      }
      std::string file = (dir / absl::StrCat("input_", k++, ".pb")).string();
      TSOPT_ASSIGN_OR_RETURN(onnx::TensorProto t, ReadTensor(file));
      if (in.type().tensor_type().elem_type() == onnx::TensorProto::FLOAT &&
          t.dims_size() > 0) {
        *graph->add_input() = in;
        TSOPT_ASSIGN_OR_RETURN(Tensor x, ReadTensorProtoFile(file));
        set.inputs.push_back(std::move(x));
      } else {
        t.set_name(in.name());
        *graph->add_initializer() = t;
        if (model.ir_version() < 4) *graph->add_input() = in;
      }
    }
    for (int o = 0; o < model.graph().output_size(); ++o) {
      std::string file = (dir / absl::StrCat("output_", o, ".pb")).string();
      TSOPT_ASSIGN_OR_RETURN(Tensor y, ReadTensorProtoFile(file));
      set.expected.push_back(std::move(y));
    }
    bound.SerializeToString(&set.model_bytes);
    sets.push_back(std::move(set));
  }
  if (sets.empty()) {
    return absl::NotFoundError(absl::StrCat(c.dir, " has no data sets"));
  }
  return sets;
}

std::vector<Executor> Executors() {
  return {
      {"reference",
       [](const Graph& g, absl::Span<const Tensor> in) { return Evaluate(g, in); }},
      {"onednn",
       [](const Graph& g, absl::Span<const Tensor> in)
           -> absl::StatusOr<std::vector<Tensor>> {
         TSOPT_ASSIGN_OR_RETURN(std::unique_ptr<tsopt::Executor> exec,
                                tsopt::Executor::Create(g));
         return exec->Run(in);
       }},
  };
}

std::string CompareTensors(const Tensor& actual, const Tensor& expected) {
  if (actual.shape != expected.shape) {
    return absl::StrCat("shape ", actual.shape.ToString(), " != expected ",
                        expected.shape.ToString());
  }
  for (size_t k = 0; k < expected.data.size(); ++k) {
    double a = actual.data[k], e = expected.data[k];
    bool both_nan = std::isnan(a) && std::isnan(e);
    bool both_inf = std::isinf(a) && a == e;
    if (both_nan || both_inf) continue;
    if (!(std::abs(a - e) <= kRelTol * std::abs(e) + kAbsTol)) {
      return absl::StrCat("element ", k, ": got ", a, ", expected ", e);
    }
  }
  return "";
}

}  // namespace tsopt::testing

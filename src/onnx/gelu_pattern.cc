// The Erf-based GELU pattern exporters emit for exact GELU:
//
//   x --Div(sqrt2)--> Erf --Add(1)--> Mul(x) --> Mul(0.5)     (PyTorch)
//   x --Div(sqrt2)--> Erf --Add(1)--> Mul(0.5) --> Mul(x)
//   x --Mul(0.5)--------------------------+
//   x --Div(sqrt2)--> Erf --Add(1)--> Mul(.)                  (HuggingFace)
//
// Div by sqrt(2) may also be Mul by 1/sqrt(2). Every intermediate must have
// the next pattern node as its only reader. The matched nodes become one
// gelu(x); the Div already imported becomes dead and is dropped at the end.
#include <cmath>

#include "absl/strings/str_cat.h"
#include "src/onnx/import_ops.h"
#include "tsopt/util/status_macros.h"

namespace tsopt::onnx_import {

absl::Status ConvertErfGelu(ImportContext& ctx, const onnx::NodeProto& erf) {
  auto fail = [&]() {
    return absl::UnimplementedError(absl::StrCat(
        ImportContext::Describe(erf),
        ": Erf is only supported inside the exact GELU pattern "
        "x * 0.5 * (1 + erf(x / sqrt(2)))"));
  };
  // The value of a one-element float constant, if `name` is one.
  auto scalar = [&](const std::string& name) -> std::optional<double> {
    if (name.empty() || !ctx.IsConstant(name)) return std::nullopt;
    onnx::NodeProto probe;
    probe.add_input(name);
    absl::StatusOr<HostTensor> t = ctx.Constant(probe, 0);
    if (!t.ok() || t->size() != 1 || !t->is_float) return std::nullopt;
    return t->f[0];
  };
  auto near = [&](const std::string& name, double want) {
    std::optional<double> v = scalar(name);
    return v && std::abs(*v - want) < 1e-3 * std::abs(want);
  };
  auto only_reader = [&](const std::string& name,
                         const char* op_type) -> const onnx::NodeProto* {
    const auto& readers = ctx.Consumers(name);
    if (readers.size() != 1 || ctx.IsGraphOutput(name)) return nullptr;
    const onnx::NodeProto* r = readers[0];
    if (r->op_type() != op_type || r->input_size() != 2) return nullptr;
    return r;
  };
  auto other = [](const onnx::NodeProto& node, const std::string& name) {
    return node.input(0) == name ? node.input(1) : node.input(0);
  };

  // x / sqrt(2) or x * (1/sqrt(2)).
  const onnx::NodeProto* scale = ctx.Producer(erf.input(0));
  if (scale == nullptr || scale->input_size() != 2 ||
      ctx.Consumers(erf.input(0)).size() != 1) {
    return fail();
  }
  std::string x;
  if (scale->op_type() == "Div" && near(scale->input(1), std::sqrt(2.0))) {
    x = scale->input(0);
  } else if (scale->op_type() == "Mul" && near(scale->input(1), std::sqrt(0.5))) {
    x = scale->input(0);
  } else if (scale->op_type() == "Mul" && near(scale->input(0), std::sqrt(0.5))) {
    x = scale->input(1);
  } else {
    return fail();
  }
  if (ctx.IsConstant(x)) return fail();
  // 1 + erf(.)
  const onnx::NodeProto* plus = only_reader(erf.output(0), "Add");
  if (plus == nullptr || !near(other(*plus, erf.output(0)), 1.0)) return fail();
  const onnx::NodeProto* m1 = only_reader(plus->output(0), "Mul");
  if (m1 == nullptr) return fail();
  const std::string m1_other = other(*m1, plus->output(0));
  std::vector<const onnx::NodeProto*> matched = {plus, m1};
  const onnx::NodeProto* last = nullptr;
  if (m1_other == x || near(m1_other, 0.5)) {
    const onnx::NodeProto* m2 = only_reader(m1->output(0), "Mul");
    if (m2 == nullptr) return fail();
    const std::string m2_other = other(*m2, m1->output(0));
    bool ok = m1_other == x ? near(m2_other, 0.5) : m2_other == x;
    if (!ok) return fail();
    matched.push_back(m2);
    last = m2;
  } else {
    const onnx::NodeProto* half = ctx.Producer(m1_other);
    if (half == nullptr || half->op_type() != "Mul" || half->input_size() != 2) {
      return fail();
    }
    bool ok = (half->input(0) == x && near(half->input(1), 0.5)) ||
              (half->input(1) == x && near(half->input(0), 0.5));
    if (!ok) return fail();
    last = m1;
  }
  onnx::NodeProto probe;
  probe.add_input(x);
  TSOPT_ASSIGN_OR_RETURN(ValueId xv, ctx.GraphValue(probe, 0));
  TSOPT_ASSIGN_OR_RETURN(ValueId g, ctx.Add(OpKind::kGelu, NoAttrs{}, {xv},
                                            last->output(0)));
  ctx.SetValue(last->output(0), g);
  std::string names;
  for (const onnx::NodeProto* n : matched) {
    ctx.skipped().insert(n);
    absl::StrAppend(&names, " ", ImportContext::Describe(*n));
  }
  ctx.Note(erf, absl::StrCat("GELU pattern fused into one gelu (with",
                             names, ")"));
  return absl::OkStatus();
}

}  // namespace tsopt::onnx_import

// The generator's universe of leaves and operator choices (universe.h).
#include "src/rulegen/universe.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tsopt/rules/constants.h"

namespace tsopt::rulegen {
namespace {

int64_t PowMod(int64_t b, int64_t e) {
  int64_t r = 1;
  b %= kModPrime;
  while (e > 0) {
    if (e & 1) r = static_cast<int64_t>((__int128)r * b % kModPrime);
    b = static_cast<int64_t>((__int128)b * b % kModPrime);
    e >>= 1;
  }
  return r;
}

Conv2DAttrs Conv(int64_t stride, Activation act) {
  Conv2DAttrs a;
  a.stride = {stride, stride};
  a.activation = act;
  return a;
}

}  // namespace

std::vector<std::string> SupportedOps() {
  return {"conv2d",    "matmul",   "add",      "sub",       "mul",
          "scalar_mul", "relu",    "sigmoid",  "tanh",      "identity",
          "transpose", "concat",   "split",    "enlarge",   "avgpool2d",
          "maxpool2d"};
}

std::vector<std::string> DefaultOps() {
  return {"conv2d", "matmul", "add", "relu", "transpose", "concat", "split"};
}

absl::StatusOr<Universe> BuildUniverse(const std::vector<std::string>& names) {
  std::set<OpKind> ops;
  const std::vector<std::string> supported = SupportedOps();
  for (const std::string& n : names) {
    if (std::find(supported.begin(), supported.end(), n) == supported.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the generator does not enumerate '", n, "' (supported: ",
          absl::StrJoin(supported, ","), ")"));
    }
    ops.insert(*OpFromName(n));
  }
  if (ops.empty()) return absl::InvalidArgumentError("empty operator set");
  auto has = [&](OpKind k) { return ops.count(k) > 0; };
  const bool conv = has(OpKind::kConv2D);
  const bool rank4 = conv || has(OpKind::kAvgPool2D) ||
                     has(OpKind::kMaxPool2D) || has(OpKind::kEnlarge);
  const bool matmul = has(OpKind::kMatMul);
  const bool binary = has(OpKind::kAdd) || has(OpKind::kSub) ||
                      has(OpKind::kMul) || has(OpKind::kConcat);

  Universe u;
  int cls = 0;
  auto add_class = [&](std::vector<std::string> leaf_names, VarRole role,
                       std::vector<int64_t> dims) {
    for (const std::string& n : leaf_names) {
      u.leaves.push_back({n, role, Shape(dims), std::nullopt, cls});
    }
    ++cls;
  };
  auto add_const = [&](std::string n, ConstKind k, std::vector<int64_t> dims) {
    u.leaves.push_back({n, VarRole::kConstant, Shape(dims), k, -1});
  };
  if (rank4) {
    add_class(binary ? std::vector<std::string>{"x1", "x2"}
                     : std::vector<std::string>{"x1"},
              VarRole::kActivation, {1, 4, 5, 5});
  }
  if (conv || has(OpKind::kEnlarge)) {
    add_class({"w1", "w2"}, VarRole::kWeight, {4, 4, 3, 3});
    add_class({"w3"}, VarRole::kWeight, {4, 4, 1, 1});
  }
  if (matmul || !rank4) {
    add_class(binary ? std::vector<std::string>{"a1", "a2"}
                     : std::vector<std::string>{"a1"},
              VarRole::kActivation, {4, 4});
  }
  if (matmul) add_class({"b1", "b2"}, VarRole::kWeight, {4, 4});
  if (has(OpKind::kScalarMul)) add_class({"s"}, VarRole::kScalar, {});
  if (conv) {
    add_const("idconv", ConstKind::kIdentityConv, {4, 4, 3, 3});
    add_const("avgk", ConstKind::kAverageKernel, {4, 4, 3, 3});
  }
  if (matmul) add_const("idm", ConstKind::kIdentityMatrix, {4, 4});

  for (OpKind op : ops) {
    switch (op) {
      case OpKind::kConv2D:
        for (int64_t stride : {1, 2}) {
          for (Activation act : {Activation::kNone, Activation::kRelu}) {
            u.choices.push_back({op, Conv(stride, act), 2, AttrMode::kFixed});
            u.choices.push_back(
                {op, Conv(stride, act), 2, AttrMode::kConvSamePad});
          }
        }
        break;
      case OpKind::kMatMul:
        for (Activation act : {Activation::kNone, Activation::kRelu}) {
          MatMulAttrs a;
          a.activation = act;
          u.choices.push_back({op, a, 2});
        }
        break;
      case OpKind::kAdd:
      case OpKind::kSub:
      case OpKind::kMul:
      case OpKind::kScalarMul:
        u.choices.push_back({op, NoAttrs{}, 2});
        break;
      case OpKind::kRelu:
      case OpKind::kSigmoid:
      case OpKind::kTanh:
      case OpKind::kIdentity:
        u.choices.push_back({op, NoAttrs{}, 1});
        break;
      case OpKind::kTranspose:
        for (std::vector<int64_t> perm :
             {std::vector<int64_t>{1, 0}, std::vector<int64_t>{0, 1, 3, 2}}) {
          TransposeAttrs a;
          a.perm = perm;
          u.choices.push_back({op, a, 1});
        }
        break;
      case OpKind::kConcat:
        for (int64_t axis : {0, 1}) {
          ConcatAttrs a;
          a.axis = axis;
          u.choices.push_back({op, a, 2});
        }
        break;
      case OpKind::kSplit:
        for (int64_t axis : {0, 1}) {
          SplitAttrs a;
          a.axis = axis;
          u.choices.push_back({op, a, 1, AttrMode::kSplitHalves});
        }
        break;
      case OpKind::kEnlarge:
        u.choices.push_back({op, EnlargeAttrs{}, 1});
        break;
      case OpKind::kAvgPool2D:
      case OpKind::kMaxPool2D: {
        Pool2DAttrs a;
        a.kernel = {3, 3};
        a.pad = {1, 1, 1, 1};
        a.count_include_pad = op == OpKind::kAvgPool2D ? 1 : 0;
        u.choices.push_back({op, a, 1});
        break;
      }
      default:
        return absl::InvalidArgumentError(
            absl::StrCat("no attribute choices for ", OpMnemonic(op)));
    }
  }
  return u;
}

const Attrs* ResolveAttrsInto(const OpChoice& c, const Shape* const* shapes,
                              int arity, Attrs* scratch) {
  switch (c.mode) {
    case AttrMode::kFixed:
      return &c.attrs;
    case AttrMode::kConvSamePad: {
      if (arity != 2 || shapes[1]->rank() != 4) return nullptr;
      int64_t ph = (shapes[1]->dim(2) - 1) / 2, pw = (shapes[1]->dim(3) - 1) / 2;
      if (ph == 0 && pw == 0) return nullptr;  // same as valid
      Conv2DAttrs a = std::get<Conv2DAttrs>(c.attrs);
      a.pad = {ph, pw, ph, pw};
      *scratch = a;
      return scratch;
    }
    case AttrMode::kSplitHalves: {
      SplitAttrs a = std::get<SplitAttrs>(c.attrs);
      if (arity != 1 || a.axis >= shapes[0]->rank()) return nullptr;
      int64_t d = shapes[0]->dim(static_cast<int>(a.axis));
      if (d % 2 != 0) return nullptr;
      a.sizes = {d / 2, d / 2};
      *scratch = a;
      return scratch;
    }
  }
  return nullptr;
}

std::optional<Attrs> ResolveAttrs(const OpChoice& c,
                                  const std::vector<Shape>& shapes) {
  const Shape* ptrs[2] = {nullptr, nullptr};
  for (size_t i = 0; i < shapes.size() && i < 2; ++i) ptrs[i] = &shapes[i];
  Attrs scratch;
  const Attrs* a =
      ResolveAttrsInto(c, ptrs, static_cast<int>(shapes.size()), &scratch);
  if (a == nullptr) return std::nullopt;
  return *a;
}

absl::StatusOr<ModTensor> LeafResidues(const Leaf& leaf, uint64_t seed) {
  if (!leaf.constant) return ModTensor::Random(leaf.shape, seed);
  ModTensor t{leaf.shape, std::vector<int64_t>(leaf.shape.NumElements(), 0)};
  const std::vector<int64_t>& d = leaf.shape.dims();
  switch (*leaf.constant) {
    case ConstKind::kIdentityMatrix:
      for (int64_t i = 0; i < d[0]; ++i) t.data[i * d[0] + i] = 1;
      break;
    case ConstKind::kIdentityConv:
    case ConstKind::kAverageKernel: {
      const int64_t area = d[2] * d[3];
      const int64_t inv = PowMod(area, kModPrime - 2);
      for (int64_t o = 0; o < d[0]; ++o) {
        int64_t* k = &t.data[(o * d[1] + o) * area];
        if (*leaf.constant == ConstKind::kIdentityConv) {
          k[(d[2] / 2) * d[3] + d[3] / 2] = 1;
        } else {
          for (int64_t i = 0; i < area; ++i) k[i] = inv;
        }
      }
      break;
    }
    case ConstKind::kOnes:
      std::fill(t.data.begin(), t.data.end(), 1);
      break;
    case ConstKind::kFill:
      return absl::InvalidArgumentError("fill constants are not enumerated");
  }
  return t;
}

absl::StatusOr<Tensor> LeafFloats(const Leaf& leaf, uint64_t seed) {
  if (!leaf.constant) return Tensor::Random(leaf.shape, seed);
  absl::StatusOr<std::shared_ptr<const WeightData>> data =
      MakeConstant(*leaf.constant, leaf.shape);
  if (!data.ok()) return data.status();
  return Tensor{leaf.shape, (*data)->values};
}

}  // namespace tsopt::rulegen

// The generator's universe: the input tensors (pattern variables with small
// example shapes, and TASO's constants) and the operator applications with
// their attribute choices, derived from the requested operator set.
#ifndef TSOPT_SRC_RULEGEN_UNIVERSE_H_
#define TSOPT_SRC_RULEGEN_UNIVERSE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tsopt/ir/attrs.h"
#include "tsopt/ir/op.h"
#include "tsopt/ir/shape.h"
#include "tsopt/ir/tensor.h"
#include "tsopt/rules/rule.h"

namespace tsopt::rulegen {

struct Leaf {
  std::string name;
  VarRole role;
  Shape shape;
  std::optional<ConstKind> constant;
  int cls = -1;  // leaves with the same cls >= 0 are interchangeable
  bool weight_only() const {
    return role == VarRole::kWeight || role == VarRole::kConstant;
  }
};

// How an attribute depends on the operand shapes.
enum class AttrMode { kFixed, kConvSamePad, kSplitHalves };

struct OpChoice {
  OpKind op;
  Attrs attrs;
  int arity;
  AttrMode mode = AttrMode::kFixed;
};

struct Universe {
  std::vector<Leaf> leaves;
  std::vector<OpChoice> choices;
};

absl::StatusOr<Universe> BuildUniverse(const std::vector<std::string>& ops);

// The attributes of `c` for operands of `shapes`, or nullopt when the choice
// does not apply (e.g. "same" padding of a 1x1 kernel duplicates "valid").
std::optional<Attrs> ResolveAttrs(const OpChoice& c,
                                  const std::vector<Shape>& shapes);
// The same without copying: returns &c.attrs for fixed choices, else fills
// and returns `scratch`; null when the choice does not apply.
const Attrs* ResolveAttrsInto(const OpChoice& c, const Shape* const* shapes,
                              int arity, Attrs* scratch);

// Random values of a leaf: residues for fingerprints, floats for
// confirmation; constants take their exact values.
absl::StatusOr<ModTensor> LeafResidues(const Leaf& leaf, uint64_t seed);
absl::StatusOr<Tensor> LeafFloats(const Leaf& leaf, uint64_t seed);

std::vector<std::string> DefaultOps();
std::vector<std::string> SupportedOps();

}  // namespace tsopt::rulegen

#endif  // TSOPT_SRC_RULEGEN_UNIVERSE_H_

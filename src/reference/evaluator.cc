// The reference evaluator: feeds the leaves, runs the kernels in id order
// (a topological order) through a switch generated from ops.def, frees each
// intermediate after its last reader, and returns the graph outputs.
#include "tsopt/reference/evaluator.h"

#include <string>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/reference/kernels.h"
#include "tsopt/ir/shape_inference.h"
#include "tsopt/util/status_macros.h"

namespace tsopt {
namespace reference_internal {

absl::Status NoModularForm(absl::string_view why) {
  return absl::UnimplementedError(
      absl::StrCat("no modular evaluation: ", why));
}

namespace {

template <typename R>
KernelResult<R> Dispatch(const KernelArgs<R>& args) {
  switch (args.node.op) {
#define TSOPT_OP(Name, mnemonic, min_in, max_in, outs, AttrsT, comm) \
  case OpKind::k##Name:                                              \
    return Eval##Name<R>(args, args.node.template attrs_as<AttrsT>());
#include "tsopt/ir/ops.def"
#undef TSOPT_OP
  }
  return absl::InternalError("unknown operator");
}

std::string DescribeAll(const Graph& graph, const std::vector<NodeId>& ids) {
  return absl::StrJoin(ids, ", ", [&](std::string* out, NodeId id) {
    out->append(graph.Describe(id));
  });
}

// Checks one fed tensor against the leaf it feeds.
template <typename R>
absl::Status CheckFed(const Graph& graph, NodeId id,
                      const typename R::Tensor& t) {
  const Shape& want = graph.node(id).output_shapes[0];
  if (t.shape != want) {
    return absl::InvalidArgumentError(
        absl::StrCat(graph.Describe(id), ": fed a tensor of shape ",
                     t.shape.ToString(), " but the node has shape ",
                     want.ToString()));
  }
  if (static_cast<int64_t>(t.data.size()) != want.NumElements()) {
    return absl::InvalidArgumentError(absl::StrCat(
        graph.Describe(id), ": fed tensor holds ", t.data.size(),
        " values but its shape ", want.ToString(), " needs ",
        want.NumElements()));
  }
  if constexpr (R::kModular) {
    for (size_t i = 0; i < t.data.size(); ++i) {
      if (t.data[i] < 0 || t.data[i] >= kModPrime) {
        return absl::InvalidArgumentError(absl::StrCat(
            graph.Describe(id), ": fed value ", t.data[i], " at index ", i,
            " is not a residue in [0, ", kModPrime, ")"));
      }
    }
  }
  return absl::OkStatus();
}

// Checks the counts and values fed and maps each fed leaf to its tensor
// (null for the other nodes, including weights that carry data).
template <typename R>
absl::StatusOr<std::vector<const typename R::Tensor*>> FeedLeaves(
    const Graph& graph, absl::Span<const typename R::Tensor> inputs,
    absl::Span<const typename R::Tensor> weights) {
  std::vector<NodeId> input_ids = graph.InputNodes();
  std::vector<NodeId> symbolic_ids;
  for (NodeId id = 0; id < graph.num_nodes(); ++id) {
    const Node& n = graph.node(id);
    if (n.op == OpKind::kWeight && n.weight == nullptr) {
      symbolic_ids.push_back(id);
    }
  }
  if (inputs.size() != input_ids.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "graph has ", input_ids.size(), " input node(s) [",
        DescribeAll(graph, input_ids), "] but ", inputs.size(),
        " input tensor(s) were fed"));
  }
  if (weights.size() != symbolic_ids.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "graph has ", symbolic_ids.size(), " symbolic weight(s) [",
        DescribeAll(graph, symbolic_ids), "] but ", weights.size(),
        " weight tensor(s) were fed"));
  }
  std::vector<const typename R::Tensor*> leaves(graph.num_nodes(), nullptr);
  for (size_t i = 0; i < input_ids.size(); ++i) {
    TSOPT_RETURN_IF_ERROR(CheckFed<R>(graph, input_ids[i], inputs[i]));
    leaves[input_ids[i]] = &inputs[i];
  }
  for (size_t i = 0; i < symbolic_ids.size(); ++i) {
    TSOPT_RETURN_IF_ERROR(CheckFed<R>(graph, symbolic_ids[i], weights[i]));
    leaves[symbolic_ids[i]] = &weights[i];
  }
  return leaves;
}

template <typename R>
absl::StatusOr<std::vector<typename R::Tensor>> Run(
    const Graph& graph, absl::Span<const typename R::Tensor> inputs,
    absl::Span<const typename R::Tensor> weights) {
  using T = typename R::Tensor;
  // Graphs edited through MutableNode may break invariants the kernels rely
  // on (shapes, attribute types): refuse them instead of crashing.
  TSOPT_RETURN_IF_ERROR(graph.Validate());
  TSOPT_ASSIGN_OR_RETURN(std::vector<const T*> leaves,
                         FeedLeaves<R>(graph, inputs, weights));

  // The last node reading each node's outputs; graph outputs live on.
  const int num_nodes = graph.num_nodes();
  std::vector<NodeId> last_use(num_nodes, -1);
  for (NodeId id = 0; id < num_nodes; ++id) {
    for (ValueId in : graph.node(id).inputs) last_use[in.node] = id;
  }
  for (ValueId out : graph.outputs()) last_use[out.node] = num_nodes;

  std::vector<std::vector<T>> values(num_nodes);
  std::vector<const T*> args_in;
  for (NodeId id = 0; id < num_nodes; ++id) {
    const Node& node = graph.node(id);
    if (last_use[id] < 0) continue;  // dead: nothing reads it
    args_in.clear();
    for (ValueId in : node.inputs) {
      args_in.push_back(&values[in.node][in.output]);
    }
    KernelArgs<R> args{node, args_in, leaves[id]};
    KernelResult<R> result = Dispatch<R>(args);
    if (!result.ok()) {
      return absl::Status(result.status().code(),
                          absl::StrCat(graph.Describe(id), ": ",
                                       result.status().message()));
    }
    bool shapes_ok = static_cast<int>(result->size()) == node.num_outputs();
    for (int i = 0; shapes_ok && i < node.num_outputs(); ++i) {
      shapes_ok = (*result)[i].shape == node.output_shapes[i] &&
                  static_cast<int64_t>((*result)[i].data.size()) ==
                      node.output_shapes[i].NumElements();
    }
    if (!shapes_ok) {
      return absl::InternalError(absl::StrCat(
          graph.Describe(id), ": kernel returned outputs that differ from "
                              "the inferred shapes"));
    }
    values[id] = *std::move(result);
    for (ValueId in : node.inputs) {
      if (last_use[in.node] == id) values[in.node].clear();
    }
  }
  std::vector<T> outputs;
  outputs.reserve(graph.outputs().size());
  for (ValueId out : graph.outputs()) {
    outputs.push_back(values[out.node][out.output]);
  }
  return outputs;
}

}  // namespace
}  // namespace reference_internal

absl::StatusOr<std::vector<Tensor>> Evaluate(const Graph& graph,
                                             absl::Span<const Tensor> inputs,
                                             absl::Span<const Tensor> weights) {
  return reference_internal::Run<reference_internal::FloatRing>(graph, inputs,
                                                                weights);
}

absl::StatusOr<std::vector<ModTensor>> EvaluateModular(
    const Graph& graph, absl::Span<const ModTensor> inputs,
    absl::Span<const ModTensor> weights) {
  return reference_internal::Run<reference_internal::ModRing>(graph, inputs,
                                                              weights);
}

absl::StatusOr<std::vector<ModTensor>> EvaluateOpModular(
    OpKind op, const Attrs& attrs, absl::Span<const ModTensor* const> inputs) {
  using reference_internal::ModRing;
  if (GetOpInfo(op).min_inputs == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(OpMnemonic(op), " is a leaf, not an operator"));
  }
  absl::InlinedVector<Shape, 3> shapes;
  for (const ModTensor* t : inputs) shapes.push_back(t->shape);
  Node node;
  node.op = op;
  node.attrs = attrs;
  TSOPT_ASSIGN_OR_RETURN(node.output_shapes, InferShapes(op, attrs, shapes));
  reference_internal::KernelArgs<ModRing> args{node, inputs, nullptr};
  return reference_internal::Dispatch<ModRing>(args);
}

}  // namespace tsopt

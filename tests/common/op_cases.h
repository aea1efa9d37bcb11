// Single-operator test cases shared by the backends' executor tests
// (tests/runtime for oneDNN, tests/cudnn for cuDNN): each case builds a small
// graph that the test runs on the backend and on the reference evaluator.
#ifndef TSOPT_TESTS_COMMON_OP_CASES_H_
#define TSOPT_TESTS_COMMON_OP_CASES_H_

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "tsopt/ir/graph.h"
#include "tsopt/util/status_macros.h"

namespace tsopt::testing {

struct OpCase {
  std::string name;
  std::function<absl::Status(Graph&)> build;  // adds nodes, marks outputs
  float lo = -1.0f, hi = 1.0f;                // input range
};

// Test names and ctest show the case name, not the object's bytes.
inline void PrintTo(const OpCase& c, std::ostream* os) { *os << c.name; }

// One operator on fresh inputs of `shapes`.
inline OpCase Single(std::string name, OpKind op, Attrs attrs,
                     std::vector<std::vector<int64_t>> shapes,
                     float lo = -1.0f, float hi = 1.0f) {
  return {name,
          [=](Graph& g) -> absl::Status {
            std::vector<ValueId> ins;
            for (size_t i = 0; i < shapes.size(); ++i) {
              TSOPT_ASSIGN_OR_RETURN(
                  ValueId v, g.AddInput(absl::StrCat("in", i), shapes[i]));
              ins.push_back(v);
            }
            TSOPT_ASSIGN_OR_RETURN(std::vector<ValueId> outs,
                                   g.AddNode(op, attrs, ins));
            for (ValueId v : outs) TSOPT_RETURN_IF_ERROR(g.MarkOutput(v));
            return absl::OkStatus();
          },
          lo, hi};
}

inline Conv2DAttrs Conv(std::vector<int64_t> stride, std::vector<int64_t> pad,
                        std::vector<int64_t> dilation, int64_t groups,
                        Activation act) {
  Conv2DAttrs a;
  a.stride = stride;
  a.pad = pad;
  a.dilation = dilation;
  a.groups = groups;
  a.activation = act;
  return a;
}

inline Pool2DAttrs Pool(std::vector<int64_t> k, std::vector<int64_t> s,
                        std::vector<int64_t> p, int64_t include_pad) {
  Pool2DAttrs a;
  a.kernel = k;
  a.stride = s;
  a.pad = p;
  a.count_include_pad = include_pad;
  return a;
}

// An opaque operator (ONNX TopK, k = 3 along the last axis) on a [2, 5]
// input: outputs values [2, 3] (float) and indices [2, 3] (int64). No
// backend can execute it; each must refuse it by name.
inline OpaqueAttrs OpaqueTopK() {
  OpaqueAttrs a;
  a.op_type = "TopK";
  a.output_dtypes = {1, 7};
  a.output_ranks = {2, 2};
  a.output_dims = {2, 3, 2, 3};
  a.payload = "k=3";
  return a;
}

// Cases every backend must pass: basic convs and matmuls, elementwise,
// normalization, reduction and data movement. The backend tests add cases
// for their own code paths (padding forms, GEMM strategies, pooling).
inline std::vector<OpCase> CommonOpCases() {
  const auto none = Activation::kNone;
  return {
      Single("conv3x3", OpKind::kConv2D,
             Conv({1, 1}, {1, 1, 1, 1}, {1, 1}, 1, none),
             {{1, 8, 10, 10}, {16, 8, 3, 3}}),
      Single("conv_groups_sigmoid", OpKind::kConv2D,
             Conv({1, 1}, {1, 1, 1, 1}, {1, 1}, 4, Activation::kSigmoid),
             {{1, 16, 8, 8}, {32, 4, 3, 3}}),
      Single("conv_depthwise_gelu", OpKind::kConv2D,
             Conv({2, 2}, {1, 1, 1, 1}, {1, 1}, 16, Activation::kGelu),
             {{1, 16, 9, 9}, {16, 1, 3, 3}}),
      Single("conv1x1_tanh", OpKind::kConv2D,
             Conv({1, 1}, {0, 0, 0, 0}, {1, 1}, 1, Activation::kTanh),
             {{1, 32, 7, 7}, {16, 32, 1, 1}}),
      Single("conv_bias_relu", OpKind::kConv2D,
             Conv({1, 1}, {1, 1, 1, 1}, {1, 1}, 1, Activation::kRelu),
             {{2, 8, 6, 6}, {16, 8, 3, 3}, {16}}),
      Single("conv_groups_bias_stride", OpKind::kConv2D,
             Conv({2, 2}, {0, 1, 1, 0}, {1, 1}, 4, none),
             {{1, 16, 9, 9}, {8, 4, 3, 3}, {8}}),
      Single("matmul_2d", OpKind::kMatMul, MatMulAttrs{}, {{7, 12}, {12, 5}}),
      Single("matmul_bias_gelu", OpKind::kMatMul,
             MatMulAttrs{Activation::kGelu}, {{7, 12}, {12, 5}, {5}}),
      Single("matmul_rank3_bias_relu", OpKind::kMatMul,
             MatMulAttrs{Activation::kRelu}, {{2, 7, 12}, {12, 5}, {5}}),
      Single("matmul_batched_bias", OpKind::kMatMul, MatMulAttrs{},
             {{3, 7, 12}, {3, 12, 5}, {5}}),
      Single("matmul_batched_relu", OpKind::kMatMul,
             MatMulAttrs{Activation::kRelu}, {{3, 7, 12}, {3, 12, 5}}),
      Single("add", OpKind::kAdd, NoAttrs{}, {{2, 3, 4}, {2, 3, 4}}),
      Single("add_broadcast", OpKind::kAdd, NoAttrs{}, {{2, 3, 4}, {4}}),
      Single("add_broadcast_first", OpKind::kAdd, NoAttrs{},
             {{3, 1}, {2, 3, 4}}),
      Single("sub_broadcast_first", OpKind::kSub, NoAttrs{},
             {{4}, {2, 3, 4}}),
      Single("mul", OpKind::kMul, NoAttrs{}, {{1, 8, 4, 4}, {1, 8, 1, 1}}),
      Single("div", OpKind::kDiv, NoAttrs{}, {{2, 3, 4}, {3, 1}}, 0.5f, 1.5f),
      Single("scalar_mul", OpKind::kScalarMul, NoAttrs{}, {{3, 4}, {}}),
      Single("relu", OpKind::kRelu, NoAttrs{}, {{2, 33}}),
      Single("sigmoid", OpKind::kSigmoid, NoAttrs{}, {{2, 33}}),
      Single("tanh", OpKind::kTanh, NoAttrs{}, {{2, 33}}),
      Single("gelu", OpKind::kGelu, NoAttrs{}, {{2, 33}}),
      Single("exp", OpKind::kExp, NoAttrs{}, {{2, 33}}),
      Single("sqrt", OpKind::kSqrt, NoAttrs{}, {{2, 33}}, 0.0f, 2.0f),
      Single("identity", OpKind::kIdentity, NoAttrs{}, {{2, 3}}),
      Single("batchnorm_4d", OpKind::kBatchNorm, BatchNormAttrs{},
             {{2, 3, 4, 5}, {3}, {3}, {3}, {3}}, 0.1f, 1.0f),
      Single("batchnorm_2d", OpKind::kBatchNorm, BatchNormAttrs{1e-3f},
             {{4, 6}, {6}, {6}, {6}, {6}}, 0.1f, 1.0f),
      Single("layernorm_last", OpKind::kLayerNorm, LayerNormAttrs{},
             {{4, 10}, {10}, {10}}),
      Single("softmax_last", OpKind::kSoftmax, SoftmaxAttrs{}, {{3, 4, 9}}),
      Single("softmax_axis1", OpKind::kSoftmax, SoftmaxAttrs{1},
             {{3, 4, 9}}),
      Single("global_avgpool", OpKind::kGlobalAvgPool, NoAttrs{},
             {{2, 5, 6, 7}}),
      Single("reduce_sum_axis", OpKind::kReduceSum, ReduceAttrs{{1}, 1},
             {{2, 3, 4}}),
      Single("reduce_sum_nokeep", OpKind::kReduceSum, ReduceAttrs{{0, 2}, 0},
             {{2, 3, 4}}),
      Single("reduce_mean_all", OpKind::kReduceMean, ReduceAttrs{{}, 1},
             {{2, 3, 4}}),
      Single("concat", OpKind::kConcat, ConcatAttrs{1},
             {{2, 3, 4}, {2, 1, 4}, {2, 5, 4}}),
      Single("split", OpKind::kSplit, SplitAttrs{1, {1, 3}}, {{2, 4, 3}}),
      Single("reshape", OpKind::kReshape, ReshapeAttrs{{4, 6}}, {{2, 3, 4}}),
      Single("transpose", OpKind::kTranspose, TransposeAttrs{{2, 0, 1}},
             {{2, 3, 4}}),
      Single("flatten", OpKind::kFlatten, FlattenAttrs{2}, {{2, 3, 4, 5}}),
      Single("enlarge", OpKind::kEnlarge, EnlargeAttrs{{5, 5}},
             {{4, 2, 1, 3}}),
      Single("pad", OpKind::kPad, PadAttrs{{0, 1, 2, 1, 0, 0}, 0.5f},
             {{2, 3, 4}}),
      Single("slice", OpKind::kSlice,
             SliceAttrs{{1, -3}, {3, 100}, {0, 2}, {1, 2}}, {{4, 3, 8}}),
  };
}

}  // namespace tsopt::testing

#endif  // TSOPT_TESTS_COMMON_OP_CASES_H_

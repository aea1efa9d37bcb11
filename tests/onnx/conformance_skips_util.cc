// The explicit skip list of the ONNX conformance cases: every supported-
// operator case that cannot pass, with the feature it needs.
#include "tests/onnx/conformance_util.h"

namespace tsopt::testing {

// Case id -> why it cannot pass. Every entry must name an existing case.
const std::map<std::string, std::string>& SkipList() {
  static const auto* skipped = [] {
    auto* m = new std::map<std::string, std::string>();
    const char* kIntegerTensors = "integer tensors at run time (tsopt graphs compute on float32)";
    const char* kNot2d = "3-D convolution/pooling is not represented (1-D is lifted to 2-D)";
    const char* kTraining = "training mode (tsopt is inference only)";
    const char* kHalfTypes = "float16/bfloat16 data (no half types in tsopt)";
    const char* kStrings = "string tensors";
    const char* kOther = "bfloat16 data stored as a mismatched [1] placeholder (no half types in tsopt)";
    const char* kEmpty = "zero-sized tensors (every dim must be >= 1)";
    const char* kExtraOutputs = "an integer side output (dropout mask / maxpool indices)";
    const char* kPadMode = "edge/reflect padding (Pad is constant-mode only)";
    const char* kErf = "a lone Erf (only the exact GELU pattern maps)";
    const char* kSequences = "sequence/optional types (tensors only)";
    const char* kPoolDilation = "dilated pooling is not represented";
    const char* kPow = "Pow with a run-time or non-scalar exponent (only x^0.5, x^1, x^2 map)";
    const char* kNegSteps = "negative Slice steps";
    const char* kOldOpset = "opset 6 that ONNX's version converter cannot upgrade";
    (*m)["node_test_add_uint8"] = kIntegerTensors;
    (*m)["node_test_clip_default_int8_inbounds"] = kIntegerTensors;
    (*m)["node_test_clip_default_int8_max"] = kIntegerTensors;
    (*m)["node_test_clip_default_int8_min"] = kIntegerTensors;
    (*m)["node_test_constantofshape_int_zeros"] = kIntegerTensors;
    (*m)["node_test_div_uint8"] = kIntegerTensors;
    (*m)["node_test_maxpool_2d_uint8"] = kIntegerTensors;
    (*m)["node_test_mul_uint8"] = kIntegerTensors;
    (*m)["node_test_pow_types_float32_uint32"] = kIntegerTensors;
    (*m)["node_test_shape"] = kIntegerTensors;
    (*m)["node_test_shape_clip_end"] = kIntegerTensors;
    (*m)["node_test_shape_clip_start"] = kIntegerTensors;
    (*m)["node_test_shape_end_1"] = kIntegerTensors;
    (*m)["node_test_shape_end_negative_1"] = kIntegerTensors;
    (*m)["node_test_shape_example"] = kIntegerTensors;
    (*m)["node_test_shape_start_1"] = kIntegerTensors;
    (*m)["node_test_shape_start_1_end_2"] = kIntegerTensors;
    (*m)["node_test_shape_start_1_end_negative_1"] = kIntegerTensors;
    (*m)["node_test_shape_start_negative_1"] = kIntegerTensors;
    (*m)["node_test_sub_uint8"] = kIntegerTensors;
    (*m)["pytorch_operator_test_operator_non_float_params"] = kIntegerTensors;
    (*m)["node_test_averagepool_3d_default"] = kNot2d;
    (*m)["node_test_maxpool_3d_default"] = kNot2d;
    (*m)["pytorch_converted_test_AvgPool3d"] = kNot2d;
    (*m)["pytorch_converted_test_AvgPool3d_stride"] = kNot2d;
    (*m)["pytorch_converted_test_AvgPool3d_stride1_pad0_gpu_input"] = kNot2d;
    (*m)["pytorch_converted_test_Conv3d"] = kNot2d;
    (*m)["pytorch_converted_test_Conv3d_dilated"] = kNot2d;
    (*m)["pytorch_converted_test_Conv3d_dilated_strided"] = kNot2d;
    (*m)["pytorch_converted_test_Conv3d_groups"] = kNot2d;
    (*m)["pytorch_converted_test_Conv3d_no_bias"] = kNot2d;
    (*m)["pytorch_converted_test_Conv3d_stride"] = kNot2d;
    (*m)["pytorch_converted_test_Conv3d_stride_padding"] = kNot2d;
    (*m)["pytorch_converted_test_MaxPool3d"] = kNot2d;
    (*m)["pytorch_converted_test_MaxPool3d_stride"] = kNot2d;
    (*m)["pytorch_converted_test_MaxPool3d_stride_padding"] = kNot2d;
    (*m)["node_test_batchnorm_epsilon_training_mode"] = kTraining;
    (*m)["node_test_batchnorm_example_training_mode"] = kTraining;
    (*m)["node_test_training_dropout"] = kTraining;
    (*m)["node_test_training_dropout_default"] = kTraining;
    (*m)["node_test_training_dropout_default_mask"] = kTraining;
    (*m)["node_test_training_dropout_mask"] = kTraining;
    (*m)["node_test_training_dropout_zero_ratio"] = kTraining;
    (*m)["node_test_training_dropout_zero_ratio_mask"] = kTraining;
    (*m)["node_test_cast_BFLOAT16_to_FLOAT"] = kHalfTypes;
    (*m)["node_test_cast_DOUBLE_to_FLOAT16"] = kHalfTypes;
    (*m)["node_test_cast_FLOAT16_to_DOUBLE"] = kHalfTypes;
    (*m)["node_test_cast_FLOAT16_to_FLOAT"] = kHalfTypes;
    (*m)["node_test_cast_FLOAT_to_BFLOAT16"] = kHalfTypes;
    (*m)["node_test_cast_FLOAT_to_FLOAT16"] = kHalfTypes;
    (*m)["node_test_castlike_DOUBLE_to_FLOAT16_expanded"] = kHalfTypes;
    (*m)["node_test_castlike_FLOAT16_to_DOUBLE_expanded"] = kHalfTypes;
    (*m)["node_test_castlike_FLOAT16_to_FLOAT_expanded"] = kHalfTypes;
    (*m)["node_test_castlike_FLOAT_to_BFLOAT16_expanded"] = kHalfTypes;
    (*m)["node_test_castlike_FLOAT_to_FLOAT16_expanded"] = kHalfTypes;
    (*m)["node_test_cast_FLOAT_to_STRING"] = kStrings;
    (*m)["node_test_cast_STRING_to_FLOAT"] = kStrings;
    (*m)["node_test_castlike_FLOAT_to_STRING_expanded"] = kStrings;
    (*m)["node_test_castlike_STRING_to_FLOAT_expanded"] = kStrings;
    (*m)["node_test_castlike_BFLOAT16_to_FLOAT_expanded"] = kOther;
    (*m)["node_test_constantofshape_int_shape_zero"] = kEmpty;
    (*m)["node_test_reshape_allowzero_reordered"] = kEmpty;
    (*m)["node_test_slice_start_out_of_bounds"] = kEmpty;
    (*m)["node_test_split_zero_size_splits"] = kEmpty;
    (*m)["node_test_dropout_default_mask"] = kExtraOutputs;
    (*m)["node_test_dropout_default_mask_ratio"] = kExtraOutputs;
    (*m)["node_test_maxpool_with_argmax_2d_precomputed_pads"] = kExtraOutputs;
    (*m)["node_test_maxpool_with_argmax_2d_precomputed_strides"] = kExtraOutputs;
    (*m)["node_test_edge_pad"] = kPadMode;
    (*m)["node_test_reflect_pad"] = kPadMode;
    (*m)["pytorch_converted_test_ReflectionPad2d"] = kPadMode;
    (*m)["pytorch_converted_test_ReplicationPad2d"] = kPadMode;
    (*m)["pytorch_operator_test_operator_pad"] = kPadMode;
    (*m)["node_test_erf"] = kErf;
    (*m)["node_test_identity_opt"] = kSequences;
    (*m)["node_test_identity_sequence"] = kSequences;
    (*m)["node_test_maxpool_2d_dilations"] = kPoolDilation;
    (*m)["pytorch_converted_test_MaxPool2d_stride_padding_dilation"] = kPoolDilation;
    (*m)["pytorch_converted_test_MaxPool1d_stride_padding_dilation"] = kPoolDilation;
    (*m)["node_test_pow"] = kPow;
    (*m)["node_test_pow_bcast_array"] = kPow;
    (*m)["node_test_pow_bcast_scalar"] = kPow;
    (*m)["node_test_pow_example"] = kPow;
    (*m)["node_test_pow_types_float"] = kPow;
    (*m)["node_test_pow_types_float32_int32"] = kPow;
    (*m)["node_test_pow_types_float32_int64"] = kPow;
    (*m)["node_test_pow_types_float32_uint64"] = kPow;
    (*m)["node_test_pow_types_int"] = kPow;
    (*m)["node_test_pow_types_int32_float32"] = kPow;
    (*m)["node_test_pow_types_int32_int32"] = kPow;
    (*m)["node_test_pow_types_int64_float32"] = kPow;
    (*m)["node_test_pow_types_int64_int64"] = kPow;
    (*m)["pytorch_operator_test_operator_pow"] = kPow;
    (*m)["node_test_slice_neg_steps"] = kNegSteps;
    (*m)["pytorch_operator_test_operator_addconstant"] = kOldOpset;
    (*m)["pytorch_operator_test_operator_addmm"] = kOldOpset;
    (*m)["pytorch_operator_test_operator_mm"] = kOldOpset;
    return m;
  }();
  return *skipped;
}

bool IsSkipListed(const ConformanceCase& c) {
  return SkipList().count(c.Id()) > 0;
}

}  // namespace tsopt::testing

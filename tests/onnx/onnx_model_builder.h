// A tiny ONNX ModelProto builder for tests (header-only so tests/error can
// use it too).
//
//   OnnxModelBuilder m(13);
//   m.Input("x", {1, 3, 8, 8});
//   m.Initializer("w", {4, 3, 3, 3}, values);
//   m.Node("Conv", {"x", "w"}, {"y"}).Ints("pads", {1, 1, 1, 1});
//   m.Output("y");
//   std::string bytes = m.Bytes();
#ifndef TSOPT_TESTS_ONNX_ONNX_MODEL_BUILDER_H_
#define TSOPT_TESTS_ONNX_ONNX_MODEL_BUILDER_H_

#include <string>
#include <vector>

#include "onnx/onnx_pb.h"

namespace tsopt::testing {

class OnnxNodeRef {
 public:
  explicit OnnxNodeRef(onnx::NodeProto* n) : n_(n) {}
  OnnxNodeRef& Int(const std::string& name, int64_t v) {
    auto* a = Add(name, onnx::AttributeProto::INT);
    a->set_i(v);
    return *this;
  }
  OnnxNodeRef& Float(const std::string& name, float v) {
    auto* a = Add(name, onnx::AttributeProto::FLOAT);
    a->set_f(v);
    return *this;
  }
  OnnxNodeRef& String(const std::string& name, const std::string& v) {
    auto* a = Add(name, onnx::AttributeProto::STRING);
    a->set_s(v);
    return *this;
  }
  OnnxNodeRef& Ints(const std::string& name, const std::vector<int64_t>& v) {
    auto* a = Add(name, onnx::AttributeProto::INTS);
    for (int64_t x : v) a->add_ints(x);
    return *this;
  }
  onnx::NodeProto* proto() { return n_; }

 private:
  onnx::AttributeProto* Add(const std::string& name,
                            onnx::AttributeProto::AttributeType type) {
    auto* a = n_->add_attribute();
    a->set_name(name);
    a->set_type(type);
    return a;
  }
  onnx::NodeProto* n_;
};

class OnnxModelBuilder {
 public:
  explicit OnnxModelBuilder(int opset = 13) {
    model_.set_ir_version(7);
    auto* imp = model_.add_opset_import();
    imp->set_domain("");
    imp->set_version(opset);
  }
  // dims < 0 become symbolic dims named "batch".
  void Input(const std::string& name, const std::vector<int64_t>& dims,
             int elem_type = onnx::TensorProto::FLOAT) {
    auto* in = model_.mutable_graph()->add_input();
    in->set_name(name);
    auto* t = in->mutable_type()->mutable_tensor_type();
    t->set_elem_type(elem_type);
    auto* shape = t->mutable_shape();
    for (int64_t d : dims) {
      if (d < 0) {
        shape->add_dim()->set_dim_param("batch");
      } else {
        shape->add_dim()->set_dim_value(d);
      }
    }
  }
  onnx::TensorProto* Initializer(const std::string& name,
                                 const std::vector<int64_t>& dims,
                                 const std::vector<float>& values) {
    auto* t = model_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims) t->add_dims(d);
    for (float v : values) t->add_float_data(v);
    return t;
  }
  onnx::TensorProto* IntInitializer(const std::string& name,
                                    const std::vector<int64_t>& values) {
    auto* t = model_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::INT64);
    t->add_dims(static_cast<int64_t>(values.size()));
    for (int64_t v : values) t->add_int64_data(v);
    return t;
  }
  OnnxNodeRef Node(const std::string& op, const std::vector<std::string>& in,
                   const std::vector<std::string>& out) {
    auto* n = model_.mutable_graph()->add_node();
    n->set_op_type(op);
    n->set_name(out.empty() ? op : out[0]);
    for (const auto& s : in) n->add_input(s);
    for (const auto& s : out) n->add_output(s);
    return OnnxNodeRef(n);
  }
  void Output(const std::string& name) {
    auto* out = model_.mutable_graph()->add_output();
    out->set_name(name);
    out->mutable_type()->mutable_tensor_type()->set_elem_type(
        onnx::TensorProto::FLOAT);
  }
  onnx::ModelProto& model() { return model_; }
  std::string Bytes() const {
    std::string s;
    model_.SerializeToString(&s);
    return s;
  }

 private:
  onnx::ModelProto model_;
};

}  // namespace tsopt::testing

#endif  // TSOPT_TESTS_ONNX_ONNX_MODEL_BUILDER_H_

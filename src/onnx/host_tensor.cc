// Host constants: TensorProto conversion with size checks, and the few
// kernels the importer folds constants with (broadcast arithmetic, data
// movement). Sizes here are small (shape chains, initializers).
#include "src/onnx/host_tensor.h"

#include <cmath>
#include <cstring>
#include <functional>

#include "absl/strings/str_cat.h"
#include "tsopt/ir/shape.h"
#include "tsopt/util/status_macros.h"

namespace tsopt::onnx_import {
namespace {

std::vector<int64_t> Strides(const std::vector<int64_t>& dims) {
  std::vector<int64_t> s(dims.size(), 1);
  for (int k = static_cast<int>(dims.size()) - 2; k >= 0; --k) {
    s[k] = s[k + 1] * dims[k + 1];
  }
  return s;
}

// Builds a tensor of `out_dims` whose element at multi-index idx is element
// src(idx) of `t` (a flat index).
HostTensor Remap(
    const HostTensor& t, std::vector<int64_t> out_dims,
    const std::function<int64_t(const std::vector<int64_t>&)>& src) {
  HostTensor out;
  out.is_float = t.is_float;
  out.dims = std::move(out_dims);
  int64_t n = out.size();
  if (t.is_float) out.f.resize(n); else out.i.resize(n);
  std::vector<int64_t> idx(out.dims.size(), 0);
  for (int64_t k = 0; k < n; ++k) {
    int64_t from = src(idx);
    if (t.is_float) out.f[k] = t.f[from]; else out.i[k] = t.i[from];
    for (int d = static_cast<int>(idx.size()) - 1; d >= 0; --d) {
      if (++idx[d] < out.dims[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

template <typename T>
absl::Status CopyRaw(const std::string& raw, int64_t n, std::vector<T>* out) {
  if (static_cast<int64_t>(raw.size()) != n * static_cast<int64_t>(sizeof(T))) {
    return absl::InvalidArgumentError(
        absl::StrCat("raw_data has ", raw.size(), " bytes, expected ",
                     n * sizeof(T)));
  }
  out->resize(n);
  if (n > 0) std::memcpy(out->data(), raw.data(), raw.size());
  return absl::OkStatus();
}

template <typename Field>
absl::Status CheckCount(const Field& field, int64_t n, absl::string_view name) {
  if (field.size() != n) {
    return absl::InvalidArgumentError(absl::StrCat(
        name, " has ", field.size(), " values, expected ", n));
  }
  return absl::OkStatus();
}

}  // namespace

int64_t HostTensor::size() const {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

HostTensor HostTensor::Ints(std::vector<int64_t> dims, std::vector<int64_t> v) {
  HostTensor t;
  t.dims = std::move(dims);
  t.is_float = false;
  t.i = std::move(v);
  return t;
}

HostTensor HostTensor::Floats(std::vector<int64_t> dims, std::vector<float> v) {
  HostTensor t;
  t.dims = std::move(dims);
  t.f = std::move(v);
  return t;
}

double HostTensor::AsDouble(int64_t k) const {
  return is_float ? f[k] : static_cast<double>(i[k]);
}
int64_t HostTensor::AsInt(int64_t k) const {
  return is_float ? static_cast<int64_t>(f[k]) : i[k];
}
std::vector<int64_t> HostTensor::IntValues() const {
  std::vector<int64_t> v(size());
  for (int64_t k = 0; k < size(); ++k) v[k] = AsInt(k);
  return v;
}

absl::StatusOr<int64_t> CheckedNumElements(absl::Span<const int64_t> dims,
                                           int64_t max_elements,
                                           absl::string_view what) {
  if (dims.size() > 16) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " has rank ", dims.size(), " (at most 16)"));
  }
  int64_t n = 1;
  for (int64_t d : dims) {
    if (d < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, " has a negative dim ", DimsToString(
                                                         {dims.begin(), dims.end()})));
    }
    if (d != 0 && n > max_elements / d) {
      return absl::InvalidArgumentError(absl::StrCat(
          what, " of shape ", DimsToString({dims.begin(), dims.end()}),
          " is too large (limit ", max_elements, " elements)"));
    }
    n *= d;
  }
  return n;
}

std::string DataTypeName(int data_type) {
  if (onnx::TensorProto_DataType_IsValid(data_type)) {
    return onnx::TensorProto_DataType_Name(
        static_cast<onnx::TensorProto_DataType>(data_type));
  }
  return absl::StrCat("data type ", data_type);
}

absl::StatusOr<HostTensor> FromTensorProto(const onnx::TensorProto& proto,
                                           int64_t max_elements) {
  const std::string what = absl::StrCat("tensor '", proto.name(), "'");
  if (proto.data_location() == onnx::TensorProto::EXTERNAL) {
    return absl::UnimplementedError(
        absl::StrCat(what, " uses external data, which is not supported"));
  }
  if (proto.has_segment()) {
    return absl::UnimplementedError(
        absl::StrCat(what, " is segmented, which is not supported"));
  }
  std::vector<int64_t> dims(proto.dims().begin(), proto.dims().end());
  TSOPT_ASSIGN_OR_RETURN(int64_t n,
                         CheckedNumElements(dims, max_elements, what));
  HostTensor t;
  t.dims = dims;
  const bool raw = proto.has_raw_data();
  auto fail = [&](const absl::Status& s) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": ", s.message()));
  };
  absl::Status s;
  switch (proto.data_type()) {
    case onnx::TensorProto::FLOAT:
      if (raw) {
        s = CopyRaw(proto.raw_data(), n, &t.f);
      } else {
        s = CheckCount(proto.float_data(), n, "float_data");
        if (s.ok()) t.f.assign(proto.float_data().begin(), proto.float_data().end());
      }
      break;
    case onnx::TensorProto::DOUBLE: {
      std::vector<double> d;
      if (raw) {
        s = CopyRaw(proto.raw_data(), n, &d);
      } else {
        s = CheckCount(proto.double_data(), n, "double_data");
        if (s.ok()) d.assign(proto.double_data().begin(), proto.double_data().end());
      }
      t.f.assign(d.begin(), d.end());
      break;
    }
    case onnx::TensorProto::INT64:
      t.is_float = false;
      if (raw) {
        s = CopyRaw(proto.raw_data(), n, &t.i);
      } else {
        s = CheckCount(proto.int64_data(), n, "int64_data");
        if (s.ok()) t.i.assign(proto.int64_data().begin(), proto.int64_data().end());
      }
      break;
    case onnx::TensorProto::UINT64: {
      t.is_float = false;
      if (raw) {
        std::vector<uint64_t> u;
        s = CopyRaw(proto.raw_data(), n, &u);
        t.i.assign(u.begin(), u.end());
      } else {
        s = CheckCount(proto.uint64_data(), n, "uint64_data");
        if (s.ok()) t.i.assign(proto.uint64_data().begin(), proto.uint64_data().end());
      }
      break;
    }
    case onnx::TensorProto::INT32:
    case onnx::TensorProto::INT16:
    case onnx::TensorProto::INT8:
    case onnx::TensorProto::UINT16:
    case onnx::TensorProto::UINT8:
    case onnx::TensorProto::BOOL: {
      t.is_float = false;
      if (raw) {
        int type = proto.data_type();
        auto load = [&](auto zero) {
          std::vector<decltype(zero)> v;
          absl::Status st = CopyRaw(proto.raw_data(), n, &v);
          t.i.assign(v.begin(), v.end());
          return st;
        };
        if (type == onnx::TensorProto::INT32) s = load(int32_t{0});
        else if (type == onnx::TensorProto::INT16) s = load(int16_t{0});
        else if (type == onnx::TensorProto::INT8) s = load(int8_t{0});
        else if (type == onnx::TensorProto::UINT16) s = load(uint16_t{0});
        else s = load(uint8_t{0});
      } else {
        s = CheckCount(proto.int32_data(), n, "int32_data");
        if (s.ok()) t.i.assign(proto.int32_data().begin(), proto.int32_data().end());
      }
      break;
    }
    default:
      return absl::UnimplementedError(absl::StrCat(
          what, " has unsupported data type ", DataTypeName(proto.data_type()),
          " (supported: FLOAT, DOUBLE and integer types)"));
  }
  if (!s.ok()) return fail(s);
  return t;
}

void ToTensorProto(const HostTensor& t, const std::string& name,
                   onnx::TensorProto* proto) {
  proto->set_name(name);
  for (int64_t d : t.dims) proto->add_dims(d);
  if (t.is_float) {
    proto->set_data_type(onnx::TensorProto::FLOAT);
    proto->set_raw_data(std::string(reinterpret_cast<const char*>(t.f.data()),
                                    t.f.size() * sizeof(float)));
  } else {
    proto->set_data_type(onnx::TensorProto::INT64);
    proto->set_raw_data(std::string(reinterpret_cast<const char*>(t.i.data()),
                                    t.i.size() * sizeof(int64_t)));
  }
}

absl::StatusOr<HostTensor> HostBinaryOp(HostBinary op, const HostTensor& a,
                                        const HostTensor& b,
                                        int64_t max_elements) {
  if (a.is_float != b.is_float) {
    return absl::InvalidArgumentError(
        "constant operands have different data types");
  }
  int rank = static_cast<int>(std::max(a.dims.size(), b.dims.size()));
  std::vector<int64_t> out(rank), da(rank, 1), db(rank, 1);
  for (int k = 0; k < rank; ++k) {
    int ka = k - (rank - static_cast<int>(a.dims.size()));
    int kb = k - (rank - static_cast<int>(b.dims.size()));
    if (ka >= 0) da[k] = a.dims[ka];
    if (kb >= 0) db[k] = b.dims[kb];
    if (da[k] != db[k] && da[k] != 1 && db[k] != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("constant shapes ", DimsToString(a.dims), " and ",
                       DimsToString(b.dims), " do not broadcast"));
    }
    out[k] = da[k] == 1 ? db[k] : da[k];
  }
  TSOPT_RETURN_IF_ERROR(
      CheckedNumElements(out, max_elements, "folded constant").status());
  std::vector<int64_t> sa = Strides(da), sb = Strides(db);
  HostTensor r;
  r.is_float = a.is_float;
  r.dims = out;
  int64_t n = r.size();
  if (r.is_float) r.f.resize(n); else r.i.resize(n);
  std::vector<int64_t> idx(rank, 0);
  for (int64_t k = 0; k < n; ++k) {
    int64_t ia = 0, ib = 0;
    for (int d = 0; d < rank; ++d) {
      if (da[d] != 1) ia += idx[d] * sa[d];
      if (db[d] != 1) ib += idx[d] * sb[d];
    }
    if (r.is_float) {
      float x = a.f[ia], y = b.f[ib];
      r.f[k] = op == HostBinary::kAdd   ? x + y
               : op == HostBinary::kSub ? x - y
               : op == HostBinary::kMul ? x * y
                                        : x / y;
    } else {
      int64_t x = a.i[ia], y = b.i[ib];
      if (op == HostBinary::kDiv && y == 0) {
        return absl::InvalidArgumentError("integer division by zero");
      }
      r.i[k] = op == HostBinary::kAdd   ? x + y
               : op == HostBinary::kSub ? x - y
               : op == HostBinary::kMul ? x * y
                                        : x / y;
    }
    for (int d = rank - 1; d >= 0; --d) {
      if (++idx[d] < out[d]) break;
      idx[d] = 0;
    }
  }
  return r;
}

HostTensor HostTranspose(const HostTensor& t, absl::Span<const int64_t> perm) {
  std::vector<int64_t> out_dims;
  for (int64_t p : perm) out_dims.push_back(t.dims[p]);
  std::vector<int64_t> s = Strides(t.dims);
  return Remap(t, out_dims, [&](const std::vector<int64_t>& idx) {
    int64_t from = 0;
    for (size_t k = 0; k < idx.size(); ++k) from += idx[k] * s[perm[k]];
    return from;
  });
}

HostTensor HostSlice(const HostTensor& t, absl::Span<const int64_t> begins,
                     absl::Span<const int64_t> ends,
                     absl::Span<const int64_t> steps) {
  std::vector<int64_t> out_dims(t.dims.size());
  for (size_t k = 0; k < t.dims.size(); ++k) {
    out_dims[k] = ends[k] > begins[k]
                      ? (ends[k] - begins[k] + steps[k] - 1) / steps[k]
                      : 0;
  }
  std::vector<int64_t> s = Strides(t.dims);
  return Remap(t, out_dims, [&](const std::vector<int64_t>& idx) {
    int64_t from = 0;
    for (size_t k = 0; k < idx.size(); ++k) {
      from += (begins[k] + idx[k] * steps[k]) * s[k];
    }
    return from;
  });
}

HostTensor HostGather(const HostTensor& t, int axis,
                      const HostTensor& indices) {
  std::vector<int64_t> out_dims(t.dims.begin(), t.dims.begin() + axis);
  out_dims.insert(out_dims.end(), indices.dims.begin(), indices.dims.end());
  out_dims.insert(out_dims.end(), t.dims.begin() + axis + 1, t.dims.end());
  std::vector<int64_t> s = Strides(t.dims);
  std::vector<int64_t> is = Strides(indices.dims);
  const int irank = static_cast<int>(indices.dims.size());
  return Remap(t, out_dims, [&](const std::vector<int64_t>& idx) {
    int64_t from = 0;
    for (int k = 0; k < axis; ++k) from += idx[k] * s[k];
    int64_t flat = 0;
    for (int k = 0; k < irank; ++k) flat += idx[axis + k] * is[k];
    from += indices.i[flat] * s[axis];
    for (size_t k = axis + 1; k < t.dims.size(); ++k) {
      from += idx[k - 1 + irank] * s[k];
    }
    return from;
  });
}

HostTensor HostConcat(const std::vector<HostTensor>& parts, int axis) {
  HostTensor out;
  out.is_float = parts[0].is_float;
  out.dims = parts[0].dims;
  out.dims[axis] = 0;
  for (const HostTensor& p : parts) out.dims[axis] += p.dims[axis];
  int64_t outer = 1;
  for (int k = 0; k < axis; ++k) outer *= out.dims[k];
  for (int64_t o = 0; o < outer; ++o) {
    for (const HostTensor& p : parts) {
      int64_t chunk = outer == 0 ? 0 : p.size() / outer;
      if (out.is_float) {
        out.f.insert(out.f.end(), p.f.begin() + o * chunk,
                     p.f.begin() + (o + 1) * chunk);
      } else {
        out.i.insert(out.i.end(), p.i.begin() + o * chunk,
                     p.i.begin() + (o + 1) * chunk);
      }
    }
  }
  return out;
}

}  // namespace tsopt::onnx_import

#include "args.h"

#include <cmath>
#include <cstdio>

namespace torchlet {

namespace {

const char* TypedArrayName(napi_typedarray_type t) {
  switch (t) {
    case napi_int8_array: return "Int8Array";
    case napi_uint8_array: return "Uint8Array";
    case napi_uint8_clamped_array: return "Uint8ClampedArray";
    case napi_int16_array: return "Int16Array";
    case napi_uint16_array: return "Uint16Array";
    case napi_int32_array: return "Int32Array";
    case napi_uint32_array: return "Uint32Array";
    case napi_float32_array: return "Float32Array";
    case napi_float64_array: return "Float64Array";
    case napi_bigint64_array: return "BigInt64Array";
    case napi_biguint64_array: return "BigUint64Array";
    default: return "TypedArray";
  }
}

std::string AllowedNames(unsigned allowed) {
  std::string s;
  const char* names[3] = {"Float32Array", "Float64Array", "Int32Array"};
  unsigned bits[3] = {kF32, kF64, kI32};
  int count = 0;
  for (unsigned b : bits) count += (allowed & b) ? 1 : 0;
  int seen = 0;
  for (int i = 0; i < 3; ++i) {
    if (!(allowed & bits[i])) continue;
    if (seen > 0) s += (seen == count - 1) ? (count > 2 ? ", or " : " or ") : ", ";
    s += names[i];
    ++seen;
  }
  return s;
}

// "a Float32Array", "an Int32Array".
std::string WithArticle(const char* name) {
  const char c = name[0];
  const bool vowel = c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U';
  return std::string(vowel ? "an " : "a ") + name;
}

std::string FormatNumber(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace

const char* DtypeName(Dtype d) {
  switch (d) {
    case Dtype::F32: return "Float32Array";
    case Dtype::F64: return "Float64Array";
    case Dtype::I32: return "Int32Array";
  }
  return "?";
}

bool Overlaps(const Buf& a, const Buf& b) {
  if (a.bytes == 0 || b.bytes == 0) return false;
  auto a0 = reinterpret_cast<uintptr_t>(a.data);
  auto b0 = reinterpret_cast<uintptr_t>(b.data);
  return a0 < b0 + b.bytes && b0 < a0 + a.bytes;
}

bool Same(const Buf& a, const Buf& b) {
  return a.data == b.data && a.bytes == b.bytes && a.dtype == b.dtype;
}

Args::Args(const Napi::CallbackInfo& info, const char* kernel, size_t count)
    : info_(info), kernel_(kernel) {
  if (info.Length() < count) {
    TypeError("expected " + std::to_string(count) + " arguments, got " +
              std::to_string(info.Length()));
  }
}

void Args::TypeError(const std::string& msg) const {
  throw Napi::TypeError::New(info_.Env(), std::string(kernel_) + ": " + msg);
}

void Args::RangeError(const std::string& msg) const {
  throw Napi::RangeError::New(info_.Env(), std::string(kernel_) + ": " + msg);
}

std::string Args::Describe(size_t i) const {
  napi_env env = info_.Env();
  napi_value v = info_[i];
  bool is_ta = false;
  if (napi_is_typedarray(env, v, &is_ta) == napi_ok && is_ta) {
    napi_typedarray_type t;
    if (napi_get_typedarray_info(env, v, &t, nullptr, nullptr, nullptr, nullptr) == napi_ok) {
      return WithArticle(TypedArrayName(t));
    }
  }
  napi_valuetype vt;
  if (napi_typeof(env, v, &vt) != napi_ok) return "an unknown value";
  switch (vt) {
    case napi_undefined: return "undefined";
    case napi_null: return "null";
    case napi_boolean: return "a boolean";
    case napi_number: return "a number";
    case napi_string: return "a string";
    case napi_symbol: return "a symbol";
    case napi_bigint: return "a bigint";
    case napi_function: return "a function";
    case napi_object: {
      bool flag = false;
      if (napi_is_array(env, v, &flag) == napi_ok && flag) return "an Array";
      if (napi_is_arraybuffer(env, v, &flag) == napi_ok && flag) return "an ArrayBuffer";
      if (napi_is_dataview(env, v, &flag) == napi_ok && flag) return "a DataView";
      return "an object";
    }
    default: return "an unknown value";
  }
}

Buf Args::Array(size_t i, const char* name, unsigned allowed) const {
  napi_env env = info_.Env();
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  napi_status st = napi_get_typedarray_info(env, info_[i], &type, &length, &data, nullptr, nullptr);
  if (st != napi_ok) {
    TypeError(std::string(name) + " must be " + WithArticle(AllowedNames(allowed).c_str()) + " (got " +
              Describe(i) + ")");
  }
  Buf b;
  b.name = name;
  switch (type) {
    case napi_float32_array: b.dtype = Dtype::F32; break;
    case napi_float64_array: b.dtype = Dtype::F64; break;
    case napi_int32_array: b.dtype = Dtype::I32; break;
    default:
      TypeError(std::string(name) + " must be " + WithArticle(AllowedNames(allowed).c_str()) + " (got " +
                WithArticle(TypedArrayName(type)) + ")");
  }
  unsigned bit = b.dtype == Dtype::F32 ? kF32 : b.dtype == Dtype::F64 ? kF64 : kI32;
  if (!(allowed & bit)) {
    TypeError(std::string(name) + " must be " + WithArticle(AllowedNames(allowed).c_str()) + " (got " +
              WithArticle(DtypeName(b.dtype)) + ")");
  }
  size_t elem = b.dtype == Dtype::F64 ? 8 : 4;
  if (length == 0 || data == nullptr) {
    // Empty or detached: never dereferenced.
    b.data = nullptr;
    b.length = 0;
    b.bytes = 0;
  } else {
    b.data = data;
    b.length = length;
    b.bytes = length * elem;
  }
  return b;
}

int64_t Args::Size(size_t i, const char* name, int64_t max) const {
  double v;
  if (napi_get_value_double(info_.Env(), info_[i], &v) != napi_ok) {
    TypeError(std::string(name) + " must be a number (got " + Describe(i) + ")");
  }
  // NaN fails every comparison, so test the good range positively.
  if (!(v >= 0 && v <= static_cast<double>(max)) || std::trunc(v) != v) {
    RangeError(std::string(name) + " must be an integer in [0, " + std::to_string(max) +
               "] (got " + FormatNumber(v) + ")");
  }
  return static_cast<int64_t>(v);
}

double Args::Number(size_t i, const char* name) const {
  double v;
  if (napi_get_value_double(info_.Env(), info_[i], &v) != napi_ok) {
    TypeError(std::string(name) + " must be a number (got " + Describe(i) + ")");
  }
  return v;
}

bool Args::Boolean(size_t i, const char* name) const {
  bool v;
  if (napi_get_value_bool(info_.Env(), info_[i], &v) != napi_ok) {
    TypeError(std::string(name) + " must be a boolean (got " + Describe(i) + ")");
  }
  return v;
}

void Args::SameType(const Buf& a, const Buf& b) const {
  if (a.dtype != b.dtype) {
    TypeError(std::string(b.name) + " is " + WithArticle(DtypeName(b.dtype)) + " but " + a.name +
              " is " + WithArticle(DtypeName(a.dtype)) + "; all buffers must have the same type");
  }
}

void Args::AtLeast(const Buf& b, int64_t need, const char* what) const {
  if (static_cast<uint64_t>(need) > b.length) {
    RangeError(std::string(b.name) + " has " + std::to_string(b.length) + " elements but " +
               what + " = " + std::to_string(need) + " are needed");
  }
}

void Args::SameLength(const Buf& a, const Buf& b) const {
  if (a.length != b.length) {
    RangeError(std::string(b.name) + " has " + std::to_string(b.length) + " elements but " +
               a.name + " has " + std::to_string(a.length) + "; they must have the same length");
  }
}

void Args::NoOverlap(const Buf& out, const Buf& in) const {
  if (Overlaps(out, in)) {
    RangeError(std::string("output overlaps an input (") + out.name + " shares memory with " +
               in.name + ")");
  }
}

bool Args::NoOverlapOrSame(const Buf& out, const Buf& in) const {
  if (!Overlaps(out, in)) return false;
  if (Same(out, in)) return true;
  RangeError(std::string("output overlaps an input (") + out.name + " partially shares memory with " +
             in.name + "; only the very same array is allowed)");
}

int64_t Args::Mul(int64_t a, int64_t b) const {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) RangeError("sizes overflow 64-bit arithmetic");
  return r;
}

int64_t Args::Add(int64_t a, int64_t b) const {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) RangeError("sizes overflow 64-bit arithmetic");
  return r;
}

}  // namespace torchlet

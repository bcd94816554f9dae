// Bindings: broadcast binary kernels add, sub, mul, div, pow, maximum, minimum,
// eq, gt, lt, ge, le — all (a, aStrides, b, bStrides, out, shape).
#include "binary.h"

#include "args.h"
#include "exports.h"
#include "strided.h"

namespace torchlet {
namespace {

// out may be exactly `in` only when `in` is read element i for output i.
void CheckAlias(const Args& args, const Buf& out, const Buf& in, const Shape& shape,
                const int64_t* strides) {
  if (!args.NoOverlapOrSame(out, in)) return;
  if (!IsContiguous(shape, strides)) {
    args.RangeError(std::string("output overlaps an input (") + out.name + " is " + in.name +
                    ", which is broadcast or strided; in-place needs a contiguous input)");
  }
}

template <class Op, class T>
void RunBinary(const T* a, const int64_t* sa, const T* b, const int64_t* sb, T* out,
               const Shape& shape) {
  const bool ca = IsContiguous(shape, sa);
  const bool cb = IsContiguous(shape, sb);
  const size_t n = static_cast<size_t>(shape.numel);
  if (ca && cb) {
    kernels::binaryRow<Op>(a, 1, b, 1, out, n);
  } else if (ca && IsBroadcastScalar(shape, sb)) {
    kernels::binaryRow<Op>(a, 1, b, 0, out, n);
  } else if (cb && IsBroadcastScalar(shape, sa)) {
    kernels::binaryRow<Op>(a, 0, b, 1, out, n);
  } else {
    const size_t nd = shape.ndim;
    const size_t row = static_cast<size_t>(shape.dims[nd - 1]);
    ForEachRow(shape, sa, sb, 0, 0, [&](int64_t pa, int64_t pb, int64_t r) {
      kernels::binaryRow<Op>(a + pa, sa[nd - 1], b + pb, sb[nd - 1], out + r * row, row);
    });
  }
}

template <class Op, const char* Name, unsigned Allowed>
Napi::Value Binary(const Napi::CallbackInfo& info) {
  Args args(info, Name, 6);
  Buf a = args.Array(0, "a", Allowed);
  Buf b = args.Array(2, "b", Allowed);
  Buf out = args.Array(4, "out", Allowed);
  args.SameType(a, b);
  args.SameType(a, out);
  const Shape shape = ReadShape(args, 5, "shape");
  int64_t sa[kMaxDims];
  int64_t sb[kMaxDims];
  ReadStrides(args, 1, "aStrides", shape, sa);
  ReadStrides(args, 3, "bStrides", shape, sb);
  args.AtLeast(out, shape.numel, "prod(shape)");
  if (shape.numel == 0) return info.Env().Undefined();
  CheckReach(args, a, Reachable(args, shape, sa, 0));
  CheckReach(args, b, Reachable(args, shape, sb, 0));
  CheckAlias(args, out, a, shape, sa);
  CheckAlias(args, out, b, shape, sb);
  DispatchNum(out.dtype, [&](auto zero) {
    using T = decltype(zero);
    if constexpr (std::is_integral_v<T> && (Allowed & kI32) == 0) {
      return;  // unreachable: Array() rejected Int32Array
    } else {
      RunBinary<Op, T>(a.as<T>(), sa, b.as<T>(), sb, out.as<T>(), shape);
    }
  });
  return info.Env().Undefined();
}

constexpr char kAdd[] = "add";
constexpr char kSub[] = "sub";
constexpr char kMul[] = "mul";
constexpr char kDiv[] = "div";
constexpr char kPow[] = "pow";
constexpr char kMaximum[] = "maximum";
constexpr char kMinimum[] = "minimum";
constexpr char kEq[] = "eq";
constexpr char kGt[] = "gt";
constexpr char kLt[] = "lt";
constexpr char kGe[] = "ge";
constexpr char kLe[] = "le";

}  // namespace

void RegisterBinary(Napi::Env env, Napi::Object exports) {
  using namespace kernels;
  exports.Set(kAdd, Napi::Function::New<Binary<Add, kAdd, kNum>>(env, kAdd));
  exports.Set(kSub, Napi::Function::New<Binary<Sub, kSub, kNum>>(env, kSub));
  exports.Set(kMul, Napi::Function::New<Binary<Mul, kMul, kNum>>(env, kMul));
  exports.Set(kDiv, Napi::Function::New<Binary<Div, kDiv, kFloat>>(env, kDiv));
  exports.Set(kPow, Napi::Function::New<Binary<Pow, kPow, kFloat>>(env, kPow));
  exports.Set(kMaximum, Napi::Function::New<Binary<Maximum, kMaximum, kNum>>(env, kMaximum));
  exports.Set(kMinimum, Napi::Function::New<Binary<Minimum, kMinimum, kNum>>(env, kMinimum));
  exports.Set(kEq, Napi::Function::New<Binary<Eq, kEq, kNum>>(env, kEq));
  exports.Set(kGt, Napi::Function::New<Binary<Gt, kGt, kNum>>(env, kGt));
  exports.Set(kLt, Napi::Function::New<Binary<Lt, kLt, kNum>>(env, kLt));
  exports.Set(kGe, Napi::Function::New<Binary<Ge, kGe, kNum>>(env, kGe));
  exports.Set(kLe, Napi::Function::New<Binary<Le, kLe, kNum>>(env, kLe));
}

}  // namespace torchlet

// Bindings: elementwise unary kernels, their parameterised variants and the
// backward kernels. Every buffer of a call has the same length and type; the
// output may be exactly one of the inputs (in-place), never a partial overlap.
#include "unary.h"

#include "args.h"
#include "exports.h"

namespace torchlet {
namespace {

#define TORCHLET_UNARY_FN(NAME)                        \
  struct NAME##Fn {                                    \
    static constexpr const char* name = #NAME;         \
    template <class T>                                 \
    static void run(const T* x, T* out, size_t n) {    \
      kernels::NAME(x, out, n);                        \
    }                                                  \
  };

#define TORCHLET_BACKWARD_FN(NAME)                                 \
  struct NAME##Fn {                                                \
    static constexpr const char* name = #NAME;                     \
    template <class T>                                             \
    static void run(const T* saved, const T* dy, T* dx, size_t n) { \
      kernels::NAME(saved, dy, dx, n);                             \
    }                                                              \
  };

TORCHLET_UNARY_FN(neg)
TORCHLET_UNARY_FN(abs)
TORCHLET_UNARY_FN(sign)
TORCHLET_UNARY_FN(exp)
TORCHLET_UNARY_FN(log)
TORCHLET_UNARY_FN(sqrt)
TORCHLET_UNARY_FN(sin)
TORCHLET_UNARY_FN(cos)
TORCHLET_UNARY_FN(relu)
TORCHLET_UNARY_FN(sigmoid)
TORCHLET_UNARY_FN(tanh)
TORCHLET_BACKWARD_FN(reluBackward)
TORCHLET_BACKWARD_FN(sigmoidBackward)
TORCHLET_BACKWARD_FN(tanhBackward)

// (x, out)
template <class K, unsigned Allowed>
Napi::Value Unary(const Napi::CallbackInfo& info) {
  Args args(info, K::name, 2);
  Buf x = args.Array(0, "x", Allowed);
  Buf out = args.Array(1, "out", Allowed);
  args.SameType(x, out);
  args.SameLength(x, out);
  args.NoOverlapOrSame(out, x);
  DispatchNum(x.dtype, [&](auto zero) {
    using T = decltype(zero);
    if constexpr (!std::is_integral_v<T> || (Allowed & kI32) != 0) {
      K::run(x.as<T>(), out.as<T>(), x.length);
    }
  });
  return info.Env().Undefined();
}

// (saved, dy, dx)
template <class K>
Napi::Value Backward(const Napi::CallbackInfo& info) {
  Args args(info, K::name, 3);
  Buf saved = args.Array(0, "saved", kFloat);
  Buf dy = args.Array(1, "dy", kFloat);
  Buf dx = args.Array(2, "dx", kFloat);
  args.SameType(saved, dy);
  args.SameType(saved, dx);
  args.SameLength(saved, dy);
  args.SameLength(saved, dx);
  args.NoOverlapOrSame(dx, saved);
  args.NoOverlapOrSame(dx, dy);
  DispatchFloat(dx.dtype, [&](auto zero) {
    using T = decltype(zero);
    K::run(saved.as<T>(), dy.as<T>(), dx.as<T>(), dx.length);
  });
  return info.Env().Undefined();
}

// leakyRelu(x, slope, out)
Napi::Value LeakyRelu(const Napi::CallbackInfo& info) {
  Args args(info, "leakyRelu", 3);
  Buf x = args.Array(0, "x", kFloat);
  const double slope = args.Number(1, "slope");
  Buf out = args.Array(2, "out", kFloat);
  args.SameType(x, out);
  args.SameLength(x, out);
  args.NoOverlapOrSame(out, x);
  DispatchFloat(x.dtype, [&](auto zero) {
    using T = decltype(zero);
    kernels::leakyRelu(x.as<T>(), static_cast<T>(slope), out.as<T>(), x.length);
  });
  return info.Env().Undefined();
}

// powScalar(x, p, out)
Napi::Value PowScalar(const Napi::CallbackInfo& info) {
  Args args(info, "powScalar", 3);
  Buf x = args.Array(0, "x", kFloat);
  const double p = args.Number(1, "p");
  Buf out = args.Array(2, "out", kFloat);
  args.SameType(x, out);
  args.SameLength(x, out);
  args.NoOverlapOrSame(out, x);
  DispatchFloat(x.dtype, [&](auto zero) {
    using T = decltype(zero);
    kernels::powScalar(x.as<T>(), p, out.as<T>(), x.length);
  });
  return info.Env().Undefined();
}

// clamp(x, lo, hi, out)
Napi::Value Clamp(const Napi::CallbackInfo& info) {
  Args args(info, "clamp", 4);
  Buf x = args.Array(0, "x", kNum);
  const double lo = args.Number(1, "lo");
  const double hi = args.Number(2, "hi");
  Buf out = args.Array(3, "out", kNum);
  args.SameType(x, out);
  args.SameLength(x, out);
  args.NoOverlapOrSame(out, x);
  DispatchNum(x.dtype, [&](auto zero) {
    using T = decltype(zero);
    kernels::clamp(x.as<T>(), lo, hi, out.as<T>(), x.length);
  });
  return info.Env().Undefined();
}

// leakyReluBackward(x, slope, dy, dx)
Napi::Value LeakyReluBackward(const Napi::CallbackInfo& info) {
  Args args(info, "leakyReluBackward", 4);
  Buf x = args.Array(0, "x", kFloat);
  const double slope = args.Number(1, "slope");
  Buf dy = args.Array(2, "dy", kFloat);
  Buf dx = args.Array(3, "dx", kFloat);
  args.SameType(x, dy);
  args.SameType(x, dx);
  args.SameLength(x, dy);
  args.SameLength(x, dx);
  args.NoOverlapOrSame(dx, x);
  args.NoOverlapOrSame(dx, dy);
  DispatchFloat(x.dtype, [&](auto zero) {
    using T = decltype(zero);
    kernels::leakyReluBackward(x.as<T>(), static_cast<T>(slope), dy.as<T>(), dx.as<T>(),
                               x.length);
  });
  return info.Env().Undefined();
}

// clampBackward(x, lo, hi, dy, dx)
Napi::Value ClampBackward(const Napi::CallbackInfo& info) {
  Args args(info, "clampBackward", 5);
  Buf x = args.Array(0, "x", kFloat);
  const double lo = args.Number(1, "lo");
  const double hi = args.Number(2, "hi");
  Buf dy = args.Array(3, "dy", kFloat);
  Buf dx = args.Array(4, "dx", kFloat);
  args.SameType(x, dy);
  args.SameType(x, dx);
  args.SameLength(x, dy);
  args.SameLength(x, dx);
  args.NoOverlapOrSame(dx, x);
  args.NoOverlapOrSame(dx, dy);
  DispatchFloat(x.dtype, [&](auto zero) {
    using T = decltype(zero);
    kernels::clampBackward(x.as<T>(), lo, hi, dy.as<T>(), dx.as<T>(), x.length);
  });
  return info.Env().Undefined();
}

template <class K, unsigned Allowed>
void SetUnary(Napi::Env env, Napi::Object exports) {
  exports.Set(K::name, Napi::Function::New<Unary<K, Allowed>>(env, K::name));
}

template <class K>
void SetBackward(Napi::Env env, Napi::Object exports) {
  exports.Set(K::name, Napi::Function::New<Backward<K>>(env, K::name));
}

}  // namespace

void RegisterUnary(Napi::Env env, Napi::Object exports) {
  SetUnary<negFn, kNum>(env, exports);
  SetUnary<absFn, kNum>(env, exports);
  SetUnary<signFn, kNum>(env, exports);
  SetUnary<expFn, kFloat>(env, exports);
  SetUnary<logFn, kFloat>(env, exports);
  SetUnary<sqrtFn, kFloat>(env, exports);
  SetUnary<sinFn, kFloat>(env, exports);
  SetUnary<cosFn, kFloat>(env, exports);
  SetUnary<reluFn, kFloat>(env, exports);
  SetUnary<sigmoidFn, kFloat>(env, exports);
  SetUnary<tanhFn, kFloat>(env, exports);
  SetBackward<reluBackwardFn>(env, exports);
  SetBackward<sigmoidBackwardFn>(env, exports);
  SetBackward<tanhBackwardFn>(env, exports);
  exports.Set("leakyRelu", Napi::Function::New<LeakyRelu>(env, "leakyRelu"));
  exports.Set("powScalar", Napi::Function::New<PowScalar>(env, "powScalar"));
  exports.Set("clamp", Napi::Function::New<Clamp>(env, "clamp"));
  exports.Set("leakyReluBackward", Napi::Function::New<LeakyReluBackward>(env, "leakyReluBackward"));
  exports.Set("clampBackward", Napi::Function::New<ClampBackward>(env, "clampBackward"));
}

}  // namespace torchlet

// Bindings: the elementwise unary kernels of unary.h's lists, the
// parameterised ones and their backward rules. Every buffer of a call has the
// same length and type; the output may be exactly one of the inputs
// (in place), never a partial overlap.
#include "unary.h"

#include "exports.h"
#include "spec.h"

namespace torchlet {
namespace {

// name(x, out)
template <unsigned Allowed>
constexpr Kernel UnaryKernel(const char* name, Napi::Value (*run)(const Call&)) {
  return {name, {Array("x", Allowed), Array("out", Allowed)},
          {SameType(0, {1}), SameLength(0, {1}), NoOverlapOrSame(1, {0})}, run};
}

template <unsigned Allowed, class F>
Napi::Value RunUnary(const Call& c) {
  return ForType<Allowed>(c, 0, [&](auto zero) {
    using T = decltype(zero);
    F::run(c.ptr<T>(0), c.ptr<T>(1), c.length(0));
  });
}

// name(saved, dy, dx)
template <class F>
Napi::Value RunBackward(const Call& c) {
  return ForType<kFloat>(c, 0, [&](auto zero) {
    using T = decltype(zero);
    F::run(c.ptr<T>(0), c.ptr<T>(1), c.ptr<T>(2), c.length(2));
  });
}

#define TORCHLET_UNARY_ROW(NAME, CLASS)                                                     \
  struct NAME##Fn {                                                                         \
    template <class T>                                                                      \
    static void run(const T* x, T* out, size_t n) { kernels::NAME(x, out, n); }             \
  };                                                                                        \
  constexpr Kernel k_##NAME = UnaryKernel<k##CLASS>(#NAME, RunUnary<k##CLASS, NAME##Fn>);
TORCHLET_UNARY_KERNELS(TORCHLET_UNARY_ROW)
#undef TORCHLET_UNARY_ROW

#define TORCHLET_BACKWARD_ROW(NAME)                                                         \
  struct NAME##Fn {                                                                         \
    template <class T>                                                                      \
    static void run(const T* s, const T* dy, T* dx, size_t n) { kernels::NAME(s, dy, dx, n); } \
  };                                                                                        \
  constexpr Kernel k_##NAME = {#NAME,                                                       \
                               {Array("saved", kFloat), Array("dy", kFloat), Array("dx", kFloat)}, \
                               {SameType(0, {1, 2}), SameLength(0, {1, 2}), NoOverlapOrSame(2, {0, 1})}, \
                               RunBackward<NAME##Fn>};
TORCHLET_UNARY_BACKWARD_KERNELS(TORCHLET_BACKWARD_ROW)
#undef TORCHLET_BACKWARD_ROW

// name(x, p, out) and name(x, p, dy, dx) for a float kernel with one scalar
// parameter p (leakyRelu's slope, elu's alpha); F::forward and F::backward run them.
template <class F>
constexpr Kernel ScalarForward(const char* name, const char* p) {
  return {name, {Array("x", kFloat), Number(p), Array("out", kFloat)},
          {SameType(0, {2}), SameLength(0, {2}), NoOverlapOrSame(2, {0})}, [](const Call& c) {
            return ForType<kFloat>(c, 0, [&](auto zero) {
              using T = decltype(zero);
              F::forward(c.ptr<T>(0), static_cast<T>(c.number(1)), c.ptr<T>(2), c.length(0));
            });
          }};
}

template <class F>
constexpr Kernel ScalarBackward(const char* name, const char* p) {
  return {name, {Array("x", kFloat), Number(p), Array("dy", kFloat), Array("dx", kFloat)},
          {SameType(0, {2, 3}), SameLength(0, {2, 3}), NoOverlapOrSame(3, {0, 2})}, [](const Call& c) {
            return ForType<kFloat>(c, 0, [&](auto zero) {
              using T = decltype(zero);
              F::backward(c.ptr<T>(0), static_cast<T>(c.number(1)), c.ptr<T>(2), c.ptr<T>(3), c.length(0));
            });
          }};
}

#define TORCHLET_SCALAR_FNS(NAME)                                                                  \
  struct NAME##Fns {                                                                               \
    template <class T>                                                                             \
    static void forward(const T* x, T p, T* out, size_t n) { kernels::NAME(x, p, out, n); }        \
    template <class T>                                                                             \
    static void backward(const T* x, T p, const T* dy, T* dx, size_t n) {                          \
      kernels::NAME##Backward(x, p, dy, dx, n);                                                    \
    }                                                                                              \
  };
TORCHLET_SCALAR_FNS(leakyRelu)
TORCHLET_SCALAR_FNS(elu)
#undef TORCHLET_SCALAR_FNS

constexpr Kernel kLeakyRelu = ScalarForward<leakyReluFns>("leakyRelu", "slope");
constexpr Kernel kLeakyReluBackward = ScalarBackward<leakyReluFns>("leakyReluBackward", "slope");
constexpr Kernel kElu = ScalarForward<eluFns>("elu", "alpha");
constexpr Kernel kEluBackward = ScalarBackward<eluFns>("eluBackward", "alpha");

// softplusScaled(x, beta, threshold, out)
constexpr Kernel kSoftplusScaled = {
    "softplusScaled", {Array("x", kFloat), Number("beta"), Number("threshold"), Array("out", kFloat)},
    {SameType(0, {3}), SameLength(0, {3}), NoOverlapOrSame(3, {0})}, [](const Call& c) {
      return ForType<kFloat>(c, 0, [&](auto zero) {
        using T = decltype(zero);
        kernels::softplusScaled(c.ptr<T>(0), static_cast<T>(c.number(1)), static_cast<T>(c.number(2)), c.ptr<T>(3),
                                c.length(0));
      });
    }};

// softplusScaledBackward(x, beta, threshold, dy, dx)
constexpr Kernel kSoftplusScaledBackward = {
    "softplusScaledBackward",
    {Array("x", kFloat), Number("beta"), Number("threshold"), Array("dy", kFloat), Array("dx", kFloat)},
    {SameType(0, {3, 4}), SameLength(0, {3, 4}), NoOverlapOrSame(4, {0, 3})}, [](const Call& c) {
      return ForType<kFloat>(c, 0, [&](auto zero) {
        using T = decltype(zero);
        kernels::softplusScaledBackward(c.ptr<T>(0), static_cast<T>(c.number(1)), static_cast<T>(c.number(2)),
                                        c.ptr<T>(3), c.ptr<T>(4), c.length(0));
      });
    }};

constexpr Kernel kPowScalar = {
    "powScalar", {Array("x", kFloat), Number("p"), Array("out", kFloat)},
    {SameType(0, {2}), SameLength(0, {2}), NoOverlapOrSame(2, {0})}, [](const Call& c) {
      return ForType<kFloat>(c, 0, [&](auto zero) {
        using T = decltype(zero);
        kernels::powScalar(c.ptr<T>(0), c.number(1), c.ptr<T>(2), c.length(0));
      });
    }};

constexpr Kernel kClamp = {
    "clamp", {Array("x", kNum), Number("lo"), Number("hi"), Array("out", kNum)},
    {SameType(0, {3}), SameLength(0, {3}), NoOverlapOrSame(3, {0})}, [](const Call& c) {
      return ForType<kNum>(c, 0, [&](auto zero) {
        using T = decltype(zero);
        kernels::clamp(c.ptr<T>(0), c.number(1), c.number(2), c.ptr<T>(3), c.length(0));
      });
    }};

constexpr Kernel kClampBackward = {
    "clampBackward",
    {Array("x", kFloat), Number("lo"), Number("hi"), Array("dy", kFloat), Array("dx", kFloat)},
    {SameType(0, {3, 4}), SameLength(0, {3, 4}), NoOverlapOrSame(4, {0, 3})}, [](const Call& c) {
      return ForType<kFloat>(c, 0, [&](auto zero) {
        using T = decltype(zero);
        kernels::clampBackward(c.ptr<T>(0), c.number(1), c.number(2), c.ptr<T>(3), c.ptr<T>(4), c.length(0));
      });
    }};

}  // namespace

void RegisterUnary(Napi::Env env, Napi::Object exports) {
#define TORCHLET_UNARY_EXPORT(NAME, ...) Register<k_##NAME>(env, exports);
  TORCHLET_UNARY_KERNELS(TORCHLET_UNARY_EXPORT)
  TORCHLET_UNARY_BACKWARD_KERNELS(TORCHLET_UNARY_EXPORT)
#undef TORCHLET_UNARY_EXPORT
  Register<kLeakyRelu, kPowScalar, kClamp, kLeakyReluBackward, kClampBackward, kElu, kEluBackward, kSoftplusScaled,
           kSoftplusScaledBackward>(env, exports);
}

}  // namespace torchlet

// Bindings: softmax, logSoftmax (x, outer, dim, inner, out) and their backward
// (y, dy, outer, dim, inner, dx).
#include "softmax.h"

#include "exports.h"
#include "spec.h"

namespace torchlet {
namespace {

// Backward kernels take (y, dy) where the forward takes x: their sizes and
// output sit one position later.
template <bool Log, bool Backward>
Napi::Value Run(const Call& c) {
  constexpr int shift = Backward ? 1 : 0;
  const int64_t outer = c.size(1 + shift), dim = c.size(2 + shift), inner = c.size(3 + shift);
  if (outer * dim * inner == 0) return c.undefined();
  return ForType<kFloat>(c, 0, [&](auto zero) {
    using T = decltype(zero);
    T* out = c.ptr<T>(4 + shift);
    if constexpr (Backward) {
      auto* backward = Log ? &kernels::logSoftmaxBackward<T> : &kernels::softmaxBackward<T>;
      backward(c.ptr<T>(0), c.ptr<T>(1), outer, dim, inner, out);
    } else {
      auto* forward = Log ? &kernels::logSoftmax<T> : &kernels::softmax<T>;
      forward(c.ptr<T>(0), outer, dim, inner, out);
    }
  });
}

// (x, outer, dim, inner, out)
template <bool Log>
constexpr Kernel Forward(const char* name) {
  return {name,
          {Array("x", kFloat), Size("outer"), Size("dim"), Size("inner"), Array("out", kFloat)},
          {SameType(0, {4}), AtLeast(0, {1, 2, 3}), AtLeast(4, {1, 2, 3}), NoOverlap(4, {0})},
          Run<Log, false>};
}

// (y, dy, outer, dim, inner, dx)
template <bool Log>
constexpr Kernel Backward(const char* name) {
  return {name,
          {Array("y", kFloat), Array("dy", kFloat), Size("outer"), Size("dim"), Size("inner"), Array("dx", kFloat)},
          {SameType(0, {1, 5}), AtLeast(0, {2, 3, 4}), AtLeast(1, {2, 3, 4}), AtLeast(5, {2, 3, 4}),
           NoOverlap(5, {0, 1})},
          Run<Log, true>};
}

constexpr Kernel kSoftmax = Forward<false>("softmax");
constexpr Kernel kLogSoftmax = Forward<true>("logSoftmax");
constexpr Kernel kSoftmaxBackward = Backward<false>("softmaxBackward");
constexpr Kernel kLogSoftmaxBackward = Backward<true>("logSoftmaxBackward");

}  // namespace

void RegisterSoftmax(Napi::Env env, Napi::Object exports) {
  Register<kSoftmax, kLogSoftmax, kSoftmaxBackward, kLogSoftmaxBackward>(env, exports);
}

}  // namespace torchlet

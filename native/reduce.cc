// Bindings: sum, mean (x, outer, dim, inner, out) and max, min (..., out, indices).
#include "reduce.h"

#include "exports.h"
#include "spec.h"

namespace torchlet {
namespace {

// sum/mean(x, outer, dim, inner, out): mean is float only.
template <bool Mean>
constexpr unsigned kReduceTypes = Mean ? kFloat : kNum;

template <bool Mean>
Napi::Value RunReduce(const Call& c) {
  return ForType<kReduceTypes<Mean>>(c, 0, [&](auto zero) {
    using T = decltype(zero);
    auto* reduce = Mean ? &kernels::mean<T> : &kernels::sum<T>;
    reduce(c.pool(), c.ptr<T>(0), c.size(1), c.size(2), c.size(3), c.ptr<T>(4));
  });
}

template <bool Mean>
constexpr Kernel ReduceKernel(const char* name) {
  constexpr unsigned types = kReduceTypes<Mean>;
  return {name,
          {Array("x", types), Size("outer"), Size("dim"), Size("inner"), Array("out", types)},
          {SameType(0, {4}), AtLeast(0, {1, 2, 3}), AtLeast(4, {1, 3}), NoOverlap(4, {0})},
          RunReduce<Mean>};
}

constexpr Kernel kSum = ReduceKernel<false>("sum");
constexpr Kernel kMean = ReduceKernel<true>("mean");

template <bool IsMax>
Napi::Value RunArgReduce(const Call& c) {
  return ForType<kNum>(c, 0, [&](auto zero) {
    using T = decltype(zero);
    auto* reduce = IsMax ? &kernels::max<T> : &kernels::min<T>;
    reduce(c.ptr<T>(0), c.size(1), c.size(2), c.size(3), c.ptr<T>(4), c.ptr<int32_t>(5));
  });
}

// max/min(x, outer, dim, inner, out, indices)
template <bool IsMax>
constexpr Kernel ArgReduceKernel(const char* name) {
  return {name,
          {Array("x", kNum), Size("outer"), Size("dim"), Size("inner"), Array("out", kNum), Array("indices", kI32)},
          {SameType(0, {4}), Custom([](const Call& c) {
             if (c.size(2) < 1) c.args().RangeError("dim must be >= 1 (cannot reduce an empty axis)");
           }),
           AtLeast(0, {1, 2, 3}), AtLeast(4, {1, 3}), AtLeast(5, {1, 3}), NoOverlap(4, {0}), NoOverlap(5, {0, 4})},
          RunArgReduce<IsMax>};
}

constexpr Kernel kMax = ArgReduceKernel<true>("max");
constexpr Kernel kMin = ArgReduceKernel<false>("min");

}  // namespace

void RegisterReduce(Napi::Env env, Napi::Object exports) { Register<kSum, kMean, kMax, kMin>(env, exports); }

}  // namespace torchlet

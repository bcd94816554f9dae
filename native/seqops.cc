// Bindings: where(cond, a, b, out), cumsum(x, outer, dim, inner, reverse, out),
// sort(x, outer, dim, inner, descending, values, indices).
#include "seqops.h"

#include "exports.h"
#include "spec.h"

namespace torchlet {
namespace {

Napi::Value RunWhere(const Call& c) {
  DispatchNum(c.dtype(0), [&](auto condZero) {
    using C = decltype(condZero);
    DispatchNum(c.dtype(1), [&](auto zero) {
      using T = decltype(zero);
      kernels::where(c.ptr<C>(0), c.ptr<T>(1), c.ptr<T>(2), c.ptr<T>(3), c.length(0));
    });
  });
  return c.undefined();
}

constexpr Kernel kWhere = {
    "where",
    {Array("cond", kNum), Array("a", kNum), Array("b", kNum), Array("out", kNum)},
    {SameType(1, {2, 3}), SameLength(0, {1, 2, 3}), NoOverlap(3, {0}), NoOverlapOrSame(3, {1, 2})},
    RunWhere};

Napi::Value RunCumsum(const Call& c) {
  if (c.size(1) * c.size(2) * c.size(3) == 0) return c.undefined();
  return ForType<kNum>(c, 0, [&](auto zero) {
    using T = decltype(zero);
    kernels::cumsum(c.ptr<T>(0), c.size(1), c.size(2), c.size(3), c.flag(4), c.ptr<T>(5));
  });
}

constexpr Kernel kCumsum = {
    "cumsum",
    {Array("x", kNum), Size("outer"), Size("dim"), Size("inner"), Boolean("reverse"), Array("out", kNum)},
    {SameType(0, {5}), AtLeast(0, {1, 2, 3}), AtLeast(5, {1, 2, 3}), NoOverlap(5, {0})},
    RunCumsum};

Napi::Value RunSort(const Call& c) {
  if (c.size(1) * c.size(2) * c.size(3) == 0) return c.undefined();
  return ForType<kNum>(c, 0, [&](auto zero) {
    using T = decltype(zero);
    kernels::sort(c.ptr<T>(0), c.size(1), c.size(2), c.size(3), c.flag(4), c.ptr<T>(5), c.ptr<int32_t>(6));
  });
}

constexpr Kernel kSort = {
    "sort",
    {Array("x", kNum), Size("outer"), Size("dim"), Size("inner"), Boolean("descending"), Array("values", kNum),
     Array("indices", kI32)},
    {SameType(0, {5}), AtLeast(0, {1, 2, 3}), AtLeast(5, {1, 2, 3}), AtLeast(6, {1, 2, 3}), NoOverlap(5, {0}),
     NoOverlap(6, {0, 5})},
    RunSort};

}  // namespace

void RegisterSeqops(Napi::Env env, Napi::Object exports) { Register<kWhere, kCumsum, kSort>(env, exports); }

}  // namespace torchlet

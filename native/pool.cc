// Bindings: maxPool2d, maxPool2dBackward, avgPool2d, avgPool2dBackward,
// adaptiveAvgPool2d, adaptiveAvgPool2dBackward, batchNormForward,
// batchNormBackward (see pool.h and the kernel table). The geometry checks
// word their messages as lib/backend/table/pool.ts.
#include "pool.h"

#include <cstdint>
#include <string>
#include <utility>

#include "exports.h"
#include "spec.h"
#include "thread_pool.h"

namespace torchlet {
namespace {

// Below about this many element reads a call runs on one thread.
constexpr size_t kParallelWork = size_t{1} << 15;

// Calls f(T{}, lo, hi) over blocks of the `count` planes (or channels) of a
// call, T the float type of buffer `at`: one block per pool thread when the
// call reads enough (ParallelBlocks: a batch-norm call may have 6 channels of
// 50,000 elements each). Each item is computed alone, so results do not
// depend on the split.
template <class F>
Napi::Value Split(const Call& c, int at, size_t count, size_t workPerItem, F&& f) {
  const size_t minPerPart = workPerItem == 0 ? SIZE_MAX : std::max<size_t>(1, kParallelWork / workPerItem);
  return ForType<kFloat>(c, at, [&](auto zero) {
    ParallelBlocks(c.pool(), count, minPerPart, [&](size_t lo, size_t hi) { f(zero, lo, hi); });
  });
}

// ---- geometry --------------------------------------------------------------

// Positions shared by the pooling kernels: (src, planes, h, w, kh, kw, sh, sw, ph, pw, ...).
constexpr int kSrc = 0, kPlanes = 1, kH = 2, kW = 3, kKh = 4, kKw = 5, kSh = 6, kSw = 7, kPh = 8, kPw = 9;

// The first output index whose window covers no input element, or -1.
int64_t EmptyWindow(const kernels::PoolAxis& a) {
  for (int64_t o = 0; o < a.out; ++o) {
    const int64_t t = o * a.s - a.p;
    if (t >= a.size) return o;
    if (t >= 0) continue;
    const int64_t j = (-t + a.d - 1) / a.d;
    if (j >= a.k || t + j * a.d >= a.size) return o;
  }
  return -1;
}

// The row and column axes of maxPool2d (Max: dilation at the dh, dw positions)
// or of the average-pooling kernels (no dilation).
template <bool Max>
std::pair<kernels::PoolAxis, kernels::PoolAxis> Axes(const Call& c) {
  constexpr int dh = 10, oh = Max ? 12 : 10;
  const int64_t rd = Max ? c.size(dh) : 1, cd = Max ? c.size(dh + 1) : 1;
  return {{c.size(kH), c.size(kKh), c.size(kSh), c.size(kPh), rd, c.size(oh)},
          {c.size(kW), c.size(kKw), c.size(kSw), c.size(kPw), cd, c.size(oh + 1)}};
}

// Kernel, stride (and for Max dilation) >= 1, maxPool2d's int32 indices, and
// no window that covers no input element.
template <bool Max>
void CheckGeometry(const Call& c) {
  const int at[] = {kKh, kKw, kSh, kSw, 10, 11};
  const char* names[] = {"kh", "kw", "sh", "sw", "dh", "dw"};
  for (int i = 0; i < (Max ? 6 : 4); ++i) {
    if (c.size(at[i]) < 1) {
      c.args().RangeError(std::string(names[i]) + " must be >= 1 (got " + std::to_string(c.size(at[i])) + ")");
    }
  }
  // maxPool2d's indices are int32.
  if (Max && c.size(kH) * c.size(kW) > kMaxSize) {
    c.args().RangeError("h*w must be at most " + std::to_string(kMaxSize) + " (the indices are int32), got h = " +
                        std::to_string(c.size(kH)) + ", w = " + std::to_string(c.size(kW)));
  }
  const auto [r, col] = Axes<Max>(c);
  if (c.size(kPlanes) * r.out * col.out == 0) return;
  const struct {
    const char* what;
    const char* n;
    const kernels::PoolAxis& a;
  } axes[] = {{"row", "h", r}, {"column", "w", col}};
  for (const auto& x : axes) {
    const int64_t o = EmptyWindow(x.a);
    if (o < 0) continue;
    const std::string n = x.n;
    const std::string dil = Max ? ", d" + n + " = " + std::to_string(x.a.d) : "";
    c.args().RangeError("output " + std::string(x.what) + " " + std::to_string(o) + " covers no input " + x.what + " (" +
                        n + " = " + std::to_string(x.a.size) + ", k" + n + " = " + std::to_string(x.a.k) + ", s" + n +
                        " = " + std::to_string(x.a.s) + ", p" + n + " = " + std::to_string(x.a.p) + dil + ")");
  }
}

// ---- max pooling -------------------------------------------------------------

// maxPool2d(x, planes, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, out, indices)
enum { kMaxOut = 14, kMaxIndices = 15 };

Napi::Value MaxPool(const Call& c) {
  const auto [r, col] = Axes<true>(c);
  const size_t planes = c.size(kPlanes);
  if (planes * r.out * col.out == 0) return c.undefined();
  return Split(c, kSrc, planes, r.out * col.out * r.k * col.k, [&](auto zero, size_t lo, size_t hi) {
    using T = decltype(zero);
    kernels::maxPool2d<T>(c.ptr<T>(kSrc), lo, hi, r, col, c.ptr<T>(kMaxOut), c.ptr<int32_t>(kMaxIndices));
  });
}

constexpr Kernel kMaxPool2d = {
    "maxPool2d",
    {Array("x", kFloat), Size("planes"), Size("h"), Size("w"), Size("kh"), Size("kw"), Size("sh"), Size("sw"), Size("ph"),
     Size("pw"), Size("dh"), Size("dw"), Size("oh"), Size("ow"), Array("out", kFloat), Array("indices", kI32)},
    {SameType(kSrc, {kMaxOut}), AtLeast(kSrc, {kPlanes, kH, kW}), AtLeast(kMaxOut, {kPlanes, 12, 13}),
     AtLeast(kMaxIndices, {kPlanes, 12, 13}), Custom(CheckGeometry<true>), NoOverlap(kMaxOut, {kSrc}),
     NoOverlap(kMaxIndices, {kSrc, kMaxOut})},
    MaxPool};

// maxPool2dBackward(dy, indices, planes, inSize, outSize, dx)
enum { kDy, kIdx, kBPlanes, kInSize, kOutSize, kDx };

void CheckIndices(const Call& c) {
  const int32_t* p = c.ptr<int32_t>(kIdx);
  const int64_t bound = c.size(kInSize);
  const int64_t count = c.size(kBPlanes) * c.size(kOutSize);
  for (int64_t j = 0; j < count; ++j) {
    if (p[j] < 0 || p[j] >= bound) {
      c.args().RangeError("indices[" + std::to_string(j) + "] = " + std::to_string(p[j]) +
                          " is out of range for a dimension of size " + std::to_string(bound));
    }
  }
}

Napi::Value MaxPoolBackward(const Call& c) {
  const size_t inSize = c.size(kInSize), outSize = c.size(kOutSize);
  return Split(c, kDy, c.size(kBPlanes), inSize + outSize, [&](auto zero, size_t lo, size_t hi) {
    using T = decltype(zero);
    kernels::maxPool2dBackward<T>(c.ptr<T>(kDy), c.ptr<int32_t>(kIdx), lo, hi, inSize, outSize, c.ptr<T>(kDx));
  });
}

constexpr Kernel kMaxPool2dBackward = {
    "maxPool2dBackward",
    {Array("dy", kFloat), Array("indices", kI32), Size("planes"), Size("inSize"), Size("outSize"), Array("dx", kFloat)},
    {SameType(kDy, {kDx}), AtLeast(kDy, {kBPlanes, kOutSize}), AtLeast(kIdx, {kBPlanes, kOutSize}),
     AtLeast(kDx, {kBPlanes, kInSize}), NoOverlap(kDx, {kDy, kIdx}), Custom(CheckIndices)},
    MaxPoolBackward};

// ---- average pooling ------------------------------------------------------------

// avgPool2d(x, planes, h, w, kh, kw, sh, sw, ph, pw, oh, ow, countIncludePad, divisor, out); the backward
// takes dy for x and writes dx for out.
constexpr int kOh = 10, kOw = 11, kIncludePad = 12, kDivisor = 13, kAvgDst = 14;

template <bool Backward>
Napi::Value AvgPool(const Call& c) {
  const auto [r, col] = Axes<false>(c);
  const size_t planes = c.size(kPlanes);
  if (planes * (Backward ? r.size * col.size : r.out * col.out) == 0) return c.undefined();
  const bool includePad = c.flag(kIncludePad);
  const double divisor = c.number(kDivisor);
  return Split(c, kSrc, planes, r.out * col.out * r.k * col.k + r.size * col.size, [&](auto zero, size_t lo, size_t hi) {
    using T = decltype(zero);
    T* dst = c.ptr<T>(kAvgDst);
    if constexpr (Backward) {
      const size_t plane = r.size * col.size;
      std::fill(dst + lo * plane, dst + hi * plane, T(0));
      kernels::AvgWindows(lo, hi, r, col, includePad, divisor, kernels::SpreadInto(c.ptr<T>(kSrc), col.size, dst));
    } else {
      kernels::AvgWindows(lo, hi, r, col, includePad, divisor, kernels::MeanInto(c.ptr<T>(kSrc), col.size, dst));
    }
  });
}

template <bool Backward>
constexpr Kernel AvgKernel(const char* name) {
  const int big = Backward ? kAvgDst : kSrc, small = Backward ? kSrc : kAvgDst;
  const Check lengths[] = {AtLeast(big, {kPlanes, kH, kW}), AtLeast(small, {kPlanes, kOh, kOw})};
  return {name,
          {Array(Backward ? "dy" : "x", kFloat), Size("planes"), Size("h"), Size("w"), Size("kh"), Size("kw"), Size("sh"),
           Size("sw"), Size("ph"), Size("pw"), Size("oh"), Size("ow"), Boolean("countIncludePad"), Number("divisor"),
           Array(Backward ? "dx" : "out", kFloat)},
          {SameType(kSrc, {kAvgDst}), lengths[Backward ? 1 : 0], lengths[Backward ? 0 : 1], Custom(CheckGeometry<false>),
           NoOverlap(kAvgDst, {kSrc})},
          AvgPool<Backward>};
}

constexpr Kernel kAvgPool2d = AvgKernel<false>("avgPool2d");
constexpr Kernel kAvgPool2dBackward = AvgKernel<true>("avgPool2dBackward");

// ---- adaptive average pooling --------------------------------------------------

// adaptiveAvgPool2d(x, planes, h, w, oh, ow, out); the backward takes dy and writes dx.
constexpr int kAPlanes = 1, kAH = 2, kAW = 3, kAOh = 4, kAOw = 5, kADst = 6;

template <bool Backward>
Napi::Value AdaptivePool(const Call& c) {
  const int64_t h = c.size(kAH), w = c.size(kAW), oh = c.size(kAOh), ow = c.size(kAOw);
  const size_t planes = c.size(kAPlanes);
  if (planes * (Backward ? h * w : oh * ow) == 0) return c.undefined();
  return Split(c, kSrc, planes, static_cast<size_t>(h * w + oh * ow), [&](auto zero, size_t lo, size_t hi) {
    using T = decltype(zero);
    T* dst = c.ptr<T>(kADst);
    if constexpr (Backward) {
      std::fill(dst + lo * h * w, dst + hi * h * w, T(0));
      kernels::AdaptiveWindows(lo, hi, h, w, oh, ow, kernels::SpreadInto(c.ptr<T>(kSrc), w, dst));
    } else {
      kernels::AdaptiveWindows(lo, hi, h, w, oh, ow, kernels::MeanInto(c.ptr<T>(kSrc), w, dst));
    }
  });
}

template <bool Backward>
constexpr Kernel AdaptiveKernel(const char* name) {
  const int big = Backward ? kADst : kSrc, small = Backward ? kSrc : kADst;
  const Check lengths[] = {AtLeast(big, {kAPlanes, kAH, kAW}), AtLeast(small, {kAPlanes, kAOh, kAOw})};
  return {name,
          {Array(Backward ? "dy" : "x", kFloat), Size("planes"), Size("h"), Size("w"), Size("oh"), Size("ow"),
           Array(Backward ? "dx" : "out", kFloat)},
          {SameType(kSrc, {kADst}), lengths[Backward ? 1 : 0], lengths[Backward ? 0 : 1], NoOverlap(kADst, {kSrc})},
          AdaptivePool<Backward>};
}

constexpr Kernel kAdaptiveAvgPool2d = AdaptiveKernel<false>("adaptiveAvgPool2d");
constexpr Kernel kAdaptiveAvgPool2dBackward = AdaptiveKernel<true>("adaptiveAvgPool2dBackward");

// ---- batch norm ------------------------------------------------------------------

// batchNormForward(x, n, c, inner, weight|null, bias|null, runningMean|null, runningVar|null, training,
//                  momentum, eps, y, saveMean, saveInvstd)
enum { kX, kN, kC, kInner, kWeight, kBias, kRunMean, kRunVar, kTraining, kMomentum, kEps, kY, kSaveMean, kSaveInvstd };

void CheckEvalStats(const Call& c) {
  if (c.flag(kTraining)) return;
  if (!c.present(kRunMean)) {
    c.args().TypeError("runningMean must be a Float32Array or Float64Array when training is false (got null)");
  }
  if (!c.present(kRunVar)) {
    c.args().TypeError("runningVar must be a Float32Array or Float64Array when training is false (got null)");
  }
}

Napi::Value BatchNormForward(const Call& c) {
  const size_t n = c.size(kN), ch = c.size(kC), inner = c.size(kInner);
  const kernels::BatchNormScalars s{c.flag(kTraining), c.number(kMomentum), c.number(kEps)};
  return Split(c, kX, ch, 3 * n * inner, [&](auto zero, size_t lo, size_t hi) {
    using T = decltype(zero);
    kernels::batchNormForward<T>(c.ptr<T>(kX), n, ch, inner, c.ptr<T>(kWeight), c.ptr<T>(kBias), c.ptr<T>(kRunMean),
                                 c.ptr<T>(kRunVar), s, c.ptr<T>(kY), c.ptr<T>(kSaveMean), c.ptr<T>(kSaveInvstd), lo, hi);
  });
}

constexpr Kernel kBatchNormForward = {
    "batchNormForward",
    {Array("x", kFloat), Size("n"), Size("c"), Size("inner"), Nullable("weight", kFloat), Nullable("bias", kFloat),
     Nullable("runningMean", kFloat), Nullable("runningVar", kFloat), Boolean("training"), Number("momentum"),
     Number("eps"), Array("y", kFloat), Array("saveMean", kFloat), Array("saveInvstd", kFloat)},
    {SameType(kX, {kWeight, kBias, kRunMean, kRunVar, kY, kSaveMean, kSaveInvstd}), Custom(CheckEvalStats),
     AtLeast(kX, {kN, kC, kInner}), AtLeast(kWeight, {kC}), AtLeast(kBias, {kC}), AtLeast(kRunMean, {kC}),
     AtLeast(kRunVar, {kC}), AtLeast(kY, {kN, kC, kInner}), AtLeast(kSaveMean, {kC}), AtLeast(kSaveInvstd, {kC}),
     NoOverlap(kRunMean, {kX, kWeight, kBias, kRunVar}), NoOverlap(kRunVar, {kX, kWeight, kBias}),
     NoOverlap(kY, {kX, kWeight, kBias, kRunMean, kRunVar}),
     NoOverlap(kSaveMean, {kX, kWeight, kBias, kRunMean, kRunVar, kY}),
     NoOverlap(kSaveInvstd, {kX, kWeight, kBias, kRunMean, kRunVar, kY, kSaveMean})},
    BatchNormForward};

// batchNormBackward(x, dy, n, c, inner, weight|null, saveMean, saveInvstd, training, dx|null, dweight|null, dbias|null)
enum { kBX, kBDy, kBN, kBC, kBInner, kBWeight, kBMean, kBInvstd, kBTraining, kBDx, kBDweight, kBDbias };

Napi::Value BatchNormBackward(const Call& c) {
  const size_t n = c.size(kBN), ch = c.size(kBC), inner = c.size(kBInner);
  return Split(c, kBX, ch, 3 * n * inner, [&](auto zero, size_t lo, size_t hi) {
    using T = decltype(zero);
    kernels::batchNormBackward<T>(c.ptr<T>(kBX), c.ptr<T>(kBDy), n, ch, inner, c.ptr<T>(kBWeight), c.ptr<T>(kBMean),
                                  c.ptr<T>(kBInvstd), c.flag(kBTraining), c.ptr<T>(kBDx), c.ptr<T>(kBDweight),
                                  c.ptr<T>(kBDbias), lo, hi);
  });
}

constexpr Kernel kBatchNormBackward = {
    "batchNormBackward",
    {Array("x", kFloat), Array("dy", kFloat), Size("n"), Size("c"), Size("inner"), Nullable("weight", kFloat),
     Array("saveMean", kFloat), Array("saveInvstd", kFloat), Boolean("training"), Nullable("dx", kFloat),
     Nullable("dweight", kFloat), Nullable("dbias", kFloat)},
    {SameType(kBX, {kBDy, kBWeight, kBMean, kBInvstd, kBDx, kBDweight, kBDbias}), AtLeast(kBX, {kBN, kBC, kBInner}),
     AtLeast(kBDy, {kBN, kBC, kBInner}), AtLeast(kBWeight, {kBC}), AtLeast(kBMean, {kBC}), AtLeast(kBInvstd, {kBC}),
     AtLeast(kBDx, {kBN, kBC, kBInner}), AtLeast(kBDweight, {kBC}), AtLeast(kBDbias, {kBC}),
     NoOverlap(kBDx, {kBX, kBDy, kBWeight, kBMean, kBInvstd, kBDweight, kBDbias}),
     NoOverlap(kBDweight, {kBX, kBDy, kBWeight, kBMean, kBInvstd, kBDbias}),
     NoOverlap(kBDbias, {kBX, kBDy, kBWeight, kBMean, kBInvstd})},
    BatchNormBackward};

}  // namespace

void RegisterPool(Napi::Env env, Napi::Object exports) {
  Register<kMaxPool2d, kMaxPool2dBackward, kAvgPool2d, kAvgPool2dBackward, kAdaptiveAvgPool2d,
           kAdaptiveAvgPool2dBackward, kBatchNormForward, kBatchNormBackward>(env, exports);
}

}  // namespace torchlet

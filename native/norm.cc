// Bindings: layerNorm, layerNormBackward (see norm.h).
#include "norm.h"

#include "exports.h"
#include "spec.h"

namespace torchlet {
namespace {

// layerNorm(x, weight|null, bias|null, rows, cols, eps, y, mean, rstd)
enum { kX, kWeight, kBias, kRows, kCols, kEps, kY, kMean, kRstd };

constexpr Kernel kLayerNorm = {
    "layerNorm",
    {Array("x", kFloat), Nullable("weight", kFloat), Nullable("bias", kFloat), Size("rows"), Size("cols"),
     Number("eps"), Array("y", kFloat), Array("mean", kFloat), Array("rstd", kFloat)},
    {SameType(kX, {kWeight, kBias, kY, kMean, kRstd}), AtLeast(kX, {kRows, kCols}), AtLeast(kWeight, {kCols}),
     AtLeast(kBias, {kCols}), AtLeast(kY, {kRows, kCols}), AtLeast(kMean, {kRows}), AtLeast(kRstd, {kRows}),
     NoOverlap(kY, {kX, kWeight, kBias}), NoOverlap(kMean, {kX, kWeight, kBias, kY}),
     NoOverlap(kRstd, {kX, kWeight, kBias, kY, kMean})},
    [](const Call& c) {
      return ForType<kFloat>(c, kX, [&](auto zero) {
        using T = decltype(zero);
        kernels::layerNorm<T>(c.pool(), c.ptr<T>(kX), c.ptr<T>(kWeight), c.ptr<T>(kBias), c.size(kRows),
                              c.size(kCols), c.number(kEps), c.ptr<T>(kY), c.ptr<T>(kMean), c.ptr<T>(kRstd));
      });
    }};

// layerNormBackward(x, weight|null, mean, rstd, dy, rows, cols, dx|null, dweight|null, dbias|null)
enum { kBx, kBWeight, kBMean, kBRstd, kBDy, kBRows, kBCols, kBDx, kBDweight, kBDbias };

constexpr Kernel kLayerNormBackward = {
    "layerNormBackward",
    {Array("x", kFloat), Nullable("weight", kFloat), Array("mean", kFloat), Array("rstd", kFloat), Array("dy", kFloat),
     Size("rows"), Size("cols"), Nullable("dx", kFloat), Nullable("dweight", kFloat), Nullable("dbias", kFloat)},
    {SameType(kBx, {kBWeight, kBMean, kBRstd, kBDy, kBDx, kBDweight, kBDbias}), AtLeast(kBx, {kBRows, kBCols}),
     AtLeast(kBWeight, {kBCols}), AtLeast(kBMean, {kBRows}), AtLeast(kBRstd, {kBRows}), AtLeast(kBDy, {kBRows, kBCols}),
     AtLeast(kBDx, {kBRows, kBCols}), AtLeast(kBDweight, {kBCols}), AtLeast(kBDbias, {kBCols}),
     NoOverlap(kBDx, {kBx, kBWeight, kBMean, kBRstd, kBDy, kBDweight, kBDbias}),
     NoOverlap(kBDweight, {kBx, kBWeight, kBMean, kBRstd, kBDy, kBDbias}),
     NoOverlap(kBDbias, {kBx, kBWeight, kBMean, kBRstd, kBDy})},
    [](const Call& c) {
      return ForType<kFloat>(c, kBx, [&](auto zero) {
        using T = decltype(zero);
        kernels::layerNormBackward<T>(c.pool(), c.ptr<T>(kBx), c.ptr<T>(kBWeight), c.ptr<T>(kBMean), c.ptr<T>(kBRstd),
                                      c.ptr<T>(kBDy), c.size(kBRows), c.size(kBCols), c.ptr<T>(kBDx),
                                      c.ptr<T>(kBDweight), c.ptr<T>(kBDbias));
      });
    }};

}  // namespace

void RegisterNorm(Napi::Env env, Napi::Object exports) {
  Register<kLayerNorm, kLayerNormBackward>(env, exports);
}

}  // namespace torchlet

// Bindings: linearForward, linearBackward (see fused_linear.h).
#include "fused_linear.h"

#include <string>

#include "exports.h"
#include "spec.h"

namespace torchlet {
namespace {

// linearForward(x, w, b|null, rows, in, out, act, slope, y)
constexpr Kernel kLinearForward = {
    "linearForward",
    {Array("x", kFloat), Array("w", kFloat), Nullable("b", kFloat), Size("rows"), Size("in"), Size("out"),
     Size("act", kActMax), Number("slope"), Array("y", kFloat)},
    {SameType(0, {1, 2, 8}), AtLeast(0, {3, 4}), AtLeast(1, {5, 4}), AtLeast(2, {5}), AtLeast(8, {3, 5}),
     NoOverlap(8, {0, 1, 2})},
    [](const Call& c) {
      return ForType<kFloat>(c, 0, [&](auto zero) {
        using T = decltype(zero);
        kernels::linearForward<T>(c.pool(), c.ptr<T>(0), c.ptr<T>(1), c.ptr<T>(2), c.size(3), c.size(4), c.size(5),
                                  static_cast<int>(c.size(6)), static_cast<T>(c.number(7)), c.ptr<T>(8));
      });
    }};

// linearBackward(x, w, y, dy, rows, in, out, act, slope, dz, dx|null, dw|null, db|null)
enum { kX, kW, kY, kDy, kRows, kIn, kOut, kActArg, kSlope, kDz, kDx, kDw, kDb };

void CheckSlope(const Call& c) {
  const double slope = c.number(kSlope);
  if (c.size(kActArg) == kActLeakyRelu && !(slope >= 0)) {
    c.args().RangeError("slope must be >= 0 for leakyRelu (the gradient is read from the sign of y), got " +
                        std::to_string(slope));
  }
}

constexpr Kernel kLinearBackward = {
    "linearBackward",
    {Array("x", kFloat), Array("w", kFloat), Array("y", kFloat), Array("dy", kFloat), Size("rows"), Size("in"),
     Size("out"), Size("act", kActMax), Number("slope"), Array("dz", kFloat), Nullable("dx", kFloat),
     Nullable("dw", kFloat), Nullable("db", kFloat)},
    {Custom(CheckSlope), SameType(kX, {kW, kY, kDy, kDz, kDx, kDw, kDb}), AtLeast(kX, {kRows, kIn}),
     AtLeast(kW, {kOut, kIn}), AtLeast(kY, {kRows, kOut}), AtLeast(kDy, {kRows, kOut}), AtLeast(kDz, {kRows, kOut}),
     AtLeast(kDx, {kRows, kIn}), AtLeast(kDw, {kOut, kIn}), AtLeast(kDb, {kOut}),
     // dz is elementwise in (y, dy): exactly one of them is fine; x and w are
     // read by the GEMMs after it.
     NoOverlapOrSame(kDz, {kY, kDy}), NoOverlap(kDz, {kX, kW}),
     NoOverlap(kDx, {kX, kW, kY, kDy, kDz, kDw, kDb}), NoOverlap(kDw, {kX, kW, kY, kDy, kDz, kDx, kDb}),
     NoOverlap(kDb, {kX, kW, kY, kDy, kDz, kDx, kDw})},
    [](const Call& c) {
      return ForType<kFloat>(c, kX, [&](auto zero) {
        using T = decltype(zero);
        kernels::linearBackward<T>(c.pool(), c.ptr<T>(kX), c.ptr<T>(kW), c.ptr<T>(kY), c.ptr<T>(kDy), c.size(kRows),
                                   c.size(kIn), c.size(kOut), static_cast<int>(c.size(kActArg)),
                                   static_cast<T>(c.number(kSlope)), c.ptr<T>(kDz), c.ptr<T>(kDx), c.ptr<T>(kDw),
                                   c.ptr<T>(kDb));
      });
    }};

}  // namespace

void RegisterFusedLinear(Napi::Env env, Napi::Object exports) {
  Register<kLinearForward, kLinearBackward>(env, exports);
}

}  // namespace torchlet

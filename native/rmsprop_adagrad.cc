// Bindings: rmspropStep, adagradStep (see rmsprop_adagrad.h). Parameters and
// state buffers are updated in place; every buffer has the parameter's length
// and type and none shares memory with another.
#include "rmsprop_adagrad.h"

#include "exports.h"
#include "spec.h"
#include "step_blocks.h"

namespace torchlet {
namespace {

// rmspropStep(param, grad, squareAvg, gradAvg|null, momentumBuf|null, lr, alpha, eps,
//             weightDecay, momentum, centered, maximize)
enum { kParam, kGrad, kSquareAvg, kGradAvg, kMomentumBuf, kLr, kAlpha, kEps, kWeightDecay, kMomentum, kCentered,
       kMaximize };

void CheckRmspropState(const Call& c) {
  if (c.flag(kCentered) && !c.present(kGradAvg)) {
    c.args().TypeError("gradAvg must be a Float32Array or Float64Array when centered is true (got null)");
  }
  if (c.number(kMomentum) > 0 && !c.present(kMomentumBuf)) {
    c.args().TypeError("momentumBuf must be a Float32Array or Float64Array when momentum > 0 (got null)");
  }
}

Napi::Value RmspropStep(const Call& c) {
  const kernels::RmspropScalars s{c.number(kLr),       c.number(kAlpha),    c.number(kEps),  c.number(kWeightDecay),
                                  c.number(kMomentum), c.flag(kCentered), c.flag(kMaximize)};
  StepBlocks(c, kParam, [&](auto zero, size_t lo, size_t hi) {
    using T = decltype(zero);
    kernels::rmspropStep<T>(c.ptr<T>(kParam) + lo, c.ptr<T>(kGrad) + lo, c.ptr<T>(kSquareAvg) + lo,
                            At(c.ptr<T>(kGradAvg), lo), At(c.ptr<T>(kMomentumBuf), lo), hi - lo, s);
  });
  return c.undefined();
}

constexpr Kernel kRmspropStep = {
    "rmspropStep",
    {Array("param", kFloat), Array("grad", kFloat), Array("squareAvg", kFloat), Nullable("gradAvg", kFloat),
     Nullable("momentumBuf", kFloat), Number("lr"), Number("alpha"), Number("eps"), Number("weightDecay"),
     Number("momentum"), Boolean("centered"), Boolean("maximize")},
    {Custom(CheckRmspropState), SameType(kParam, {kGrad}), SameLength(kParam, {kGrad}), SameType(kParam, {kSquareAvg}),
     SameLength(kParam, {kSquareAvg}), SameType(kParam, {kGradAvg}), SameLength(kParam, {kGradAvg}),
     SameType(kParam, {kMomentumBuf}), SameLength(kParam, {kMomentumBuf}),
     NoOverlap(kParam, {kGrad, kSquareAvg, kGradAvg, kMomentumBuf}), NoOverlap(kGrad, {kSquareAvg, kGradAvg, kMomentumBuf}),
     NoOverlap(kSquareAvg, {kGradAvg, kMomentumBuf}), NoOverlap(kGradAvg, {kMomentumBuf})},
    RmspropStep};

// adagradStep(param, grad, sum, step, lr, lrDecay, eps, weightDecay, maximize)
enum { kAgParam, kAgGrad, kSum, kStep, kAgLr, kLrDecay, kAgEps, kAgWeightDecay, kAgMaximize };

void CheckAdagradStep(const Call& c) {
  if (c.size(kStep) < 1) c.args().RangeError("step must be at least 1 (the count after this update)");
}

Napi::Value AdagradStep(const Call& c) {
  const kernels::AdagradScalars s{static_cast<double>(c.size(kStep)), c.number(kAgLr), c.number(kLrDecay),
                                  c.number(kAgEps), c.number(kAgWeightDecay), c.flag(kAgMaximize)};
  StepBlocks(c, kAgParam, [&](auto zero, size_t lo, size_t hi) {
    using T = decltype(zero);
    kernels::adagradStep<T>(c.ptr<T>(kAgParam) + lo, c.ptr<T>(kAgGrad) + lo, c.ptr<T>(kSum) + lo, hi - lo, s);
  });
  return c.undefined();
}

constexpr Kernel kAdagradStep = {
    "adagradStep",
    {Array("param", kFloat), Array("grad", kFloat), Array("sum", kFloat), Size("step", kMaxOffset), Number("lr"),
     Number("lrDecay"), Number("eps"), Number("weightDecay"), Boolean("maximize")},
    {Custom(CheckAdagradStep), SameType(kAgParam, {kAgGrad}), SameLength(kAgParam, {kAgGrad}),
     SameType(kAgParam, {kSum}), SameLength(kAgParam, {kSum}), NoOverlap(kAgParam, {kAgGrad, kSum}),
     NoOverlap(kAgGrad, {kSum})},
    AdagradStep};

}  // namespace

void RegisterRmspropAdagrad(Napi::Env env, Napi::Object exports) { Register<kRmspropStep, kAdagradStep>(env, exports); }

}  // namespace torchlet

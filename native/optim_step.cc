// Bindings: sgdStep, adamStep (see optim_step.h). Parameters and state buffers
// are updated in place; every buffer has the parameter's length and type and
// none shares memory with another.
#include "optim_step.h"

#include "exports.h"
#include "spec.h"
#include "step_blocks.h"

namespace torchlet {
namespace {

// sgdStep(param, grad, momentumBuf|null, lr, momentum, dampening, weightDecay,
//         nesterov, maximize, firstStep)
enum { kSgdParam, kSgdGrad, kMomentumBuf, kSgdLr, kMomentum, kDampening, kSgdWeightDecay, kNesterov, kSgdMaximize,
       kFirstStep };

void CheckMomentumBuf(const Call& c) {
  if (c.number(kMomentum) != 0 && !c.present(kMomentumBuf)) {
    c.args().TypeError("momentumBuf must be a Float32Array or Float64Array when momentum != 0 (got null)");
  }
}

Napi::Value SgdStep(const Call& c) {
  const kernels::SgdScalars s{c.number(kSgdLr), c.number(kMomentum), c.number(kDampening), c.number(kSgdWeightDecay),
                              c.flag(kNesterov),    c.flag(kSgdMaximize), c.flag(kFirstStep)};
  StepBlocks(c, kSgdParam, [&](auto zero, size_t lo, size_t hi) {
    using T = decltype(zero);
    kernels::sgdStep<T>(c.ptr<T>(kSgdParam) + lo, c.ptr<T>(kSgdGrad) + lo, At(c.ptr<T>(kMomentumBuf), lo), hi - lo, s);
  });
  return c.undefined();
}

constexpr Kernel kSgdStep = {
    "sgdStep",
    {Array("param", kFloat), Array("grad", kFloat), Nullable("momentumBuf", kFloat), Number("lr"), Number("momentum"),
     Number("dampening"), Number("weightDecay"), Boolean("nesterov"), Boolean("maximize"), Boolean("firstStep")},
    {SameType(kSgdParam, {kSgdGrad}), SameLength(kSgdParam, {kSgdGrad}), Custom(CheckMomentumBuf),
     SameType(kSgdParam, {kMomentumBuf}), SameLength(kSgdParam, {kMomentumBuf}),
     NoOverlap(kSgdParam, {kSgdGrad, kMomentumBuf}), NoOverlap(kSgdGrad, {kMomentumBuf})},
    SgdStep};

// adamStep(param, grad, expAvg, expAvgSq, maxExpAvgSq|null, step, lr, beta1, beta2, eps,
//          weightDecay, decoupled, amsgrad, maximize)
enum { kParam, kGrad, kExpAvg, kExpAvgSq, kMaxExpAvgSq, kStep, kLr, kBeta1, kBeta2, kEps, kWeightDecay, kDecoupled,
       kAmsgrad, kMaximize };

void CheckAdamFlags(const Call& c) {
  if (c.size(kStep) < 1) c.args().RangeError("step must be at least 1 (the count after this update)");
  if (c.flag(kAmsgrad) && !c.present(kMaxExpAvgSq)) {
    c.args().TypeError("maxExpAvgSq must be a Float32Array or Float64Array when amsgrad is true (got null)");
  }
}

Napi::Value AdamStep(const Call& c) {
  const kernels::AdamScalars s{static_cast<double>(c.size(kStep)), c.number(kLr), c.number(kBeta1), c.number(kBeta2),
                               c.number(kEps), c.number(kWeightDecay), c.flag(kDecoupled), c.flag(kAmsgrad),
                               c.flag(kMaximize)};
  StepBlocks(c, kParam, [&](auto zero, size_t lo, size_t hi) {
    using T = decltype(zero);
    kernels::adamStep<T>(c.ptr<T>(kParam) + lo, c.ptr<T>(kGrad) + lo, c.ptr<T>(kExpAvg) + lo, c.ptr<T>(kExpAvgSq) + lo,
                         At(c.ptr<T>(kMaxExpAvgSq), lo), hi - lo, s);
  });
  return c.undefined();
}

constexpr Kernel kAdamStep = {
    "adamStep",
    {Array("param", kFloat), Array("grad", kFloat), Array("expAvg", kFloat), Array("expAvgSq", kFloat),
     Nullable("maxExpAvgSq", kFloat), Size("step", kMaxOffset), Number("lr"), Number("beta1"), Number("beta2"),
     Number("eps"), Number("weightDecay"), Boolean("decoupled"), Boolean("amsgrad"), Boolean("maximize")},
    {Custom(CheckAdamFlags), SameType(kParam, {kGrad}), SameLength(kParam, {kGrad}), SameType(kParam, {kExpAvg}),
     SameLength(kParam, {kExpAvg}), SameType(kParam, {kExpAvgSq}), SameLength(kParam, {kExpAvgSq}),
     SameType(kParam, {kMaxExpAvgSq}), SameLength(kParam, {kMaxExpAvgSq}),
     NoOverlap(kParam, {kGrad, kExpAvg, kExpAvgSq, kMaxExpAvgSq}), NoOverlap(kGrad, {kExpAvg, kExpAvgSq, kMaxExpAvgSq}),
     NoOverlap(kExpAvg, {kExpAvgSq, kMaxExpAvgSq}), NoOverlap(kExpAvgSq, {kMaxExpAvgSq})},
    AdamStep};

}  // namespace

void RegisterOptimStep(Napi::Env env, Napi::Object exports) { Register<kSgdStep, kAdamStep>(env, exports); }

}  // namespace torchlet

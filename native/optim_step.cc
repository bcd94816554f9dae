// Bindings: sgdStep, adamStep (see optim_step.h). Parameters and state buffers
// are updated in place; every buffer has the parameter's length and type and
// none shares memory with another.
#include "optim_step.h"

#include "exports.h"
#include "spec.h"

namespace torchlet {
namespace {

// Below this many elements an update runs on one thread. Above it the update
// is split into one contiguous block per pool thread, as the split GEMM that
// wrote the weight gradient split its rows (up to the 16-element rounding), so
// each core mostly updates what its own cache holds.
constexpr size_t kParallelStep = size_t{1} << 15;

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
  kernels::SgdScalars s{};
  s.lr = c.number(kSgdLr);
  s.momentum = c.number(kMomentum);
  s.dampening = c.number(kDampening);
  s.weightDecay = c.number(kSgdWeightDecay);
  s.nesterov = c.flag(kNesterov);
  s.maximize = c.flag(kSgdMaximize);
  s.firstStep = c.flag(kFirstStep);
  DispatchFloat(c.dtype(kSgdParam), [&](auto zero) {
    using T = decltype(zero);
    T* p = c.ptr<T>(kSgdParam);
    const T* g = c.ptr<T>(kSgdGrad);
    T* mb = c.ptr<T>(kMomentumBuf);
    ParallelRanges(c.pool(), c.length(kSgdParam), kParallelStep, [&](size_t lo, size_t hi) {
      kernels::sgdStep<T>(p + lo, g + lo, mb == nullptr ? nullptr : mb + lo, hi - lo, s);
    });
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
  kernels::AdamScalars s{};
  s.step = static_cast<double>(c.size(kStep));
  s.lr = c.number(kLr);
  s.beta1 = c.number(kBeta1);
  s.beta2 = c.number(kBeta2);
  s.eps = c.number(kEps);
  s.weightDecay = c.number(kWeightDecay);
  s.decoupled = c.flag(kDecoupled);
  s.amsgrad = c.flag(kAmsgrad);
  s.maximize = c.flag(kMaximize);
  DispatchFloat(c.dtype(kParam), [&](auto zero) {
    using T = decltype(zero);
    T* p = c.ptr<T>(kParam);
    const T* g = c.ptr<T>(kGrad);
    T* mp = c.ptr<T>(kExpAvg);
    T* vp = c.ptr<T>(kExpAvgSq);
    T* vm = c.ptr<T>(kMaxExpAvgSq);
    ParallelRanges(c.pool(), c.length(kParam), kParallelStep, [&](size_t lo, size_t hi) {
      kernels::adamStep<T>(p + lo, g + lo, mp + lo, vp + lo, vm == nullptr ? nullptr : vm + lo, hi - lo, s);
    });
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

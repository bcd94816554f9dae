// Bindings: sgdStep, adamStep (see optim_step.h). Parameters and state buffers
// are updated in place; every buffer has the parameter's length and type and
// none shares memory with another.
#include "optim_step.h"

#include "args.h"
#include "exports.h"
#include "fused_args.h"
#include "instance.h"

namespace torchlet {
namespace {

// Below this many elements an update runs on one thread. Above it the update
// is split into one contiguous block per pool thread, as the split GEMM that
// wrote the weight gradient split its rows (up to the 16-element rounding), so
// each core mostly updates what its own cache holds.
constexpr size_t kParallelStep = size_t{1} << 15;

// RangeError unless the written/read buffers are pairwise disjoint.
void AllDisjoint(const Args& args, const Buf* const* bufs, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    for (size_t j = i + 1; j < count; ++j) args.NoOverlap(*bufs[i], *bufs[j]);
  }
}

// sgdStep(param, grad, momentumBuf|null, lr, momentum, dampening, weightDecay,
//         nesterov, maximize, firstStep)
Napi::Value SgdStep(const Napi::CallbackInfo& info) {
  Args args(info, "sgdStep", 10);
  Buf param = args.Array(0, "param", kFloat);
  Buf grad = args.Array(1, "grad", kFloat);
  OptBuf buf = OptionalArray(args, info, 2, "momentumBuf", kFloat);
  kernels::SgdScalars s{};
  s.lr = args.Number(3, "lr");
  s.momentum = args.Number(4, "momentum");
  s.dampening = args.Number(5, "dampening");
  s.weightDecay = args.Number(6, "weightDecay");
  s.nesterov = args.Boolean(7, "nesterov");
  s.maximize = args.Boolean(8, "maximize");
  s.firstStep = args.Boolean(9, "firstStep");
  args.SameType(param, grad);
  args.SameLength(param, grad);
  if (s.momentum != 0 && !buf.present) {
    args.TypeError("momentumBuf must be a Float32Array or Float64Array when momentum != 0 (got null)");
  }
  if (buf.present) {
    args.SameType(param, buf.buf);
    args.SameLength(param, buf.buf);
  }
  const Buf* bufs[] = {&param, &grad, &buf.buf};
  AllDisjoint(args, bufs, buf.present ? 3 : 2);
  DispatchFloat(param.dtype, [&](auto zero) {
    using T = decltype(zero);
    T* p = param.as<T>();
    const T* g = grad.as<T>();
    T* mb = buf.present ? buf.buf.as<T>() : nullptr;
    ParallelRanges(&InstanceOf(info.Env()).pool, param.length, kParallelStep, [&](size_t lo, size_t hi) {
      kernels::sgdStep<T>(p + lo, g + lo, mb == nullptr ? nullptr : mb + lo, hi - lo, s);
    });
  });
  return info.Env().Undefined();
}

// adamStep(param, grad, expAvg, expAvgSq, maxExpAvgSq|null, step, lr, beta1, beta2, eps,
//          weightDecay, decoupled, amsgrad, maximize)
Napi::Value AdamStep(const Napi::CallbackInfo& info) {
  Args args(info, "adamStep", 14);
  Buf param = args.Array(0, "param", kFloat);
  Buf grad = args.Array(1, "grad", kFloat);
  Buf m = args.Array(2, "expAvg", kFloat);
  Buf v = args.Array(3, "expAvgSq", kFloat);
  OptBuf vmax = OptionalArray(args, info, 4, "maxExpAvgSq", kFloat);
  kernels::AdamScalars s{};
  s.step = static_cast<double>(args.Size(5, "step", kMaxOffset));
  s.lr = args.Number(6, "lr");
  s.beta1 = args.Number(7, "beta1");
  s.beta2 = args.Number(8, "beta2");
  s.eps = args.Number(9, "eps");
  s.weightDecay = args.Number(10, "weightDecay");
  s.decoupled = args.Boolean(11, "decoupled");
  s.amsgrad = args.Boolean(12, "amsgrad");
  s.maximize = args.Boolean(13, "maximize");
  if (s.step < 1) args.RangeError("step must be at least 1 (the count after this update)");
  if (s.amsgrad && !vmax.present) {
    args.TypeError("maxExpAvgSq must be a Float32Array or Float64Array when amsgrad is true (got null)");
  }
  const Buf* bufs[] = {&param, &grad, &m, &v, &vmax.buf};
  const size_t count = vmax.present ? 5 : 4;
  for (size_t i = 1; i < count; ++i) {
    args.SameType(param, *bufs[i]);
    args.SameLength(param, *bufs[i]);
  }
  AllDisjoint(args, bufs, count);
  DispatchFloat(param.dtype, [&](auto zero) {
    using T = decltype(zero);
    T* p = param.as<T>();
    const T* g = grad.as<T>();
    T* mp = m.as<T>();
    T* vp = v.as<T>();
    T* vm = vmax.present ? vmax.buf.as<T>() : nullptr;
    ParallelRanges(&InstanceOf(info.Env()).pool, param.length, kParallelStep, [&](size_t lo, size_t hi) {
      kernels::adamStep<T>(p + lo, g + lo, mp + lo, vp + lo, vm == nullptr ? nullptr : vm + lo, hi - lo, s);
    });
  });
  return info.Env().Undefined();
}

}  // namespace

void RegisterOptimStep(Napi::Env env, Napi::Object exports) {
  exports.Set("sgdStep", Napi::Function::New<SgdStep>(env, "sgdStep"));
  exports.Set("adamStep", Napi::Function::New<AdamStep>(env, "adamStep"));
}

}  // namespace torchlet

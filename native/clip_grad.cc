// Binding: powerSum (see clip_grad.h).
#include "clip_grad.h"

#include "exports.h"
#include "spec.h"

namespace torchlet {
namespace {

// powerSum(x, p) -> number
enum { kX, kP };

constexpr Kernel kPowerSum = {"powerSum", {Array("x", kFloat), Number("p")}, {}, [](const Call& c) {
                                double sum = 0;
                                DispatchFloat(c.dtype(kX), [&](auto zero) {
                                  using T = decltype(zero);
                                  sum = kernels::powerSum<T>(c.ptr<T>(kX), c.length(kX), c.number(kP));
                                });
                                return Napi::Value(Napi::Number::New(c.env(), sum));
                              }};

}  // namespace

void RegisterClipGrad(Napi::Env env, Napi::Object exports) { Register<kPowerSum>(env, exports); }

}  // namespace torchlet

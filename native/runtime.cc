// Bindings: BLAS threads and build/runtime information.
#include "args.h"
#include "blas.h"
#include "exports.h"

namespace torchlet {
namespace {

constexpr int64_t kMaxThreads = 1024;

// getNumThreads()
Napi::Value GetNumThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), openblas_get_num_threads());
}

// setNumThreads(n), 1 <= n <= 1024 (process-wide in OpenBLAS).
Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  Args args(info, "setNumThreads", 1);
  const int64_t n = args.Size(0, "n", kMaxThreads);
  if (n < 1) args.RangeError("n must be >= 1 (got 0)");
  openblas_set_num_threads(static_cast<int>(n));
  return info.Env().Undefined();
}

// blasInfo() → { config, corename, numThreads }
Napi::Value BlasInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  const char* config = openblas_get_config();
  const char* core = openblas_get_corename();
  o.Set("config", config ? Napi::Value(Napi::String::New(env, config)) : env.Null());
  o.Set("corename", core ? Napi::Value(Napi::String::New(env, core)) : env.Null());
  o.Set("numThreads", Napi::Number::New(env, openblas_get_num_threads()));
  return o;
}

}  // namespace

void RegisterRuntime(Napi::Env env, Napi::Object exports) {
  exports.Set("getNumThreads", Napi::Function::New<GetNumThreads>(env, "getNumThreads"));
  exports.Set("setNumThreads", Napi::Function::New<SetNumThreads>(env, "setNumThreads"));
  exports.Set("blasInfo", Napi::Function::New<BlasInfo>(env, "blasInfo"));
}

}  // namespace torchlet

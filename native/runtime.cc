// Bindings: BLAS threads and build/runtime information.
#include <cstdlib>  // defines __GLIBC__ where glibc is the C library

#if defined(__GLIBC__)
#include <malloc.h>
#endif

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

// tuneAllocator() → whether glibc's malloc was tuned.
// Tensor storage is calloc'ed by V8; above glibc's mmap threshold (128 KiB at
// first) every new tensor is a fresh mapping whose pages fault in on first
// touch, and each free unmaps them again. On VMs where a fault costs tens of
// microseconds that made matmul's fresh output cost as much as the GEMM. Keeping
// blocks up to 32 MiB (glibc's ceiling) in the heap, and trimming only past
// 128 MiB of free top-of-heap, lets freed tensor memory be reused.
Napi::Value TuneAllocator(const Napi::CallbackInfo& info) {
  bool ok = false;
#if defined(__GLIBC__)
  ok = mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024) == 1 && mallopt(M_TRIM_THRESHOLD, 128 * 1024 * 1024) == 1;
#endif
  return Napi::Boolean::New(info.Env(), ok);
}

}  // namespace

void RegisterRuntime(Napi::Env env, Napi::Object exports) {
  exports.Set("getNumThreads", Napi::Function::New<GetNumThreads>(env, "getNumThreads"));
  exports.Set("setNumThreads", Napi::Function::New<SetNumThreads>(env, "setNumThreads"));
  exports.Set("blasInfo", Napi::Function::New<BlasInfo>(env, "blasInfo"));
  exports.Set("tuneAllocator", Napi::Function::New<TuneAllocator>(env, "tuneAllocator"));
}

}  // namespace torchlet

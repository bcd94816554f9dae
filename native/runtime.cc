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

// The widest SIMD instruction set the compiler was allowed to use for our own
// kernels (its -m/-march target). There is no runtime dispatch yet, so this is
// what runs. OpenBLAS picks its own kernels at run time (see corename).
const char* CompiledSimd() {
#if defined(__AVX512F__)
  return "avx512f";
#elif defined(__AVX2__)
  return "avx2";
#elif defined(__AVX__)
  return "avx";
#elif defined(__SSE4_2__)
  return "sse4.2";
#elif defined(__SSE2__) || defined(_M_X64) || (defined(_M_IX86_FP) && _M_IX86_FP >= 2)
  return "sse2";
#elif defined(__ARM_FEATURE_SVE)
  return "sve";
#elif defined(__ARM_NEON) || defined(__ARM_NEON__) || defined(_M_ARM64)
  return "neon";
#else
  return "scalar";
#endif
}

const char* CompilerName() {
#if defined(__clang__)
  return "clang " __clang_version__;
#elif defined(__GNUC__)
  return "gcc " __VERSION__;
#elif defined(_MSC_VER)
  return "msvc";
#else
  return "unknown";
#endif
}

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

// blasInfo() → { config, corename, numThreads, linkage, simd, compiler }
// linkage is 'static' when OpenBLAS was linked into the addon
// (TORCHLET_STATIC_BLAS, the prebuilt binaries), 'shared' otherwise.
Napi::Value BlasInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  const char* config = openblas_get_config();
  const char* core = openblas_get_corename();
  o.Set("config", config ? Napi::Value(Napi::String::New(env, config)) : env.Null());
  o.Set("corename", core ? Napi::Value(Napi::String::New(env, core)) : env.Null());
  o.Set("numThreads", Napi::Number::New(env, openblas_get_num_threads()));
#if defined(TORCHLET_STATIC_BLAS)
  o.Set("linkage", Napi::String::New(env, "static"));
#else
  o.Set("linkage", Napi::String::New(env, "shared"));
#endif
  o.Set("simd", Napi::String::New(env, CompiledSimd()));
  o.Set("compiler", Napi::String::New(env, CompilerName()));
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

// Bindings: BLAS threads and build/runtime information.
#include <cstdlib>  // defines __GLIBC__ where glibc is the C library

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <initializer_list>
#include <thread>

#include "blas.h"
#include "exports.h"
#include "simd/simd.h"
#include "spec.h"

namespace torchlet {
namespace {

constexpr int64_t kMaxThreads = 1024;

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

#if defined(TORCHLET_ACCELERATE)
// Apple's Accelerate (macOS) has no openblas_* functions and sizes its own
// thread pool (VECLIB_MAXIMUM_THREADS, read when it loads); these stand-ins
// let the rest of the file stay the same.
void openblas_set_num_threads(int) {}
const char* openblas_get_config() { return "Apple Accelerate"; }
const char* openblas_get_corename() { return nullptr; }
#endif

// getNumThreads() → this thread's pool size (see thread_pool.h).
Napi::Value GetNumThreads(const Call& c) { return Napi::Number::New(c.env(), c.pool()->threads()); }

// setNumThreads(n), 1 <= n <= 1024: how many threads split one GEMM (per
// Node thread: each worker_thread has its own pool).
Napi::Value SetNumThreads(const Call& c) {
  c.pool()->setThreads(static_cast<int>(c.size(0)));
  return c.undefined();
}

void CheckThreads(const Call& c) {
  if (c.size(0) < 1) c.args().RangeError("n must be >= 1 (got 0)");
}

// blasInfo() → { config, corename, numThreads, linkage, simd, compiler }
// linkage is 'static' when OpenBLAS was linked into the addon
// (TORCHLET_STATIC_BLAS, the prebuilt binaries), 'shared' otherwise.
Napi::Value BlasInfo(const Call& c) {
  Napi::Env env = c.env();
  Napi::Object o = Napi::Object::New(env);
  const char* config = openblas_get_config();
  const char* core = openblas_get_corename();
  o.Set("config", config ? Napi::Value(Napi::String::New(env, config)) : env.Null());
  o.Set("corename", core ? Napi::Value(Napi::String::New(env, core)) : env.Null());
  o.Set("numThreads", Napi::Number::New(env, c.pool()->threads()));
#if defined(TORCHLET_STATIC_BLAS)
  o.Set("linkage", Napi::String::New(env, "static"));
#else
  o.Set("linkage", Napi::String::New(env, "shared"));
#endif
  // The SIMD level torchlet's own float32 kernels dispatched to at run time
  // (simd/simd.cc: cpuid + XGETBV, capped by TORCHLET_SIMD): "avx512", "avx2",
  // "sse2" (the x86-64 baseline), or another architecture's baseline ("neon").
  // OpenBLAS picks its own kernels at run time (see corename).
  o.Set("simd", Napi::String::New(env, simd::table().level));
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
Napi::Value TuneAllocator(const Call& c) {
  bool ok = false;
#if defined(__GLIBC__)
  ok = mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024) == 1 && mallopt(M_TRIM_THRESHOLD, 128 * 1024 * 1024) == 1;
#endif
  return Napi::Boolean::New(c.env(), ok);
}

// trimAllocator() → whether glibc returned memory to the system.
// malloc_trim(0) over every arena: the free memory tuneAllocator's high trim
// threshold keeps (and that of worker threads' arenas) goes back to the OS.
// For a long-running service between bursts (torch.emptyCache()); a training
// loop wants the memory kept.
Napi::Value TrimAllocator(const Call& c) {
  bool released = false;
#if defined(__GLIBC__)
  released = malloc_trim(0) == 1;
#endif
  return Napi::Boolean::New(c.env(), released);
}

constexpr Kernel kGetNumThreads = {"getNumThreads", {}, {}, GetNumThreads};
constexpr Kernel kSetNumThreads = {"setNumThreads", {Size("n", kMaxThreads)}, {Custom(CheckThreads)}, SetNumThreads};
constexpr Kernel kBlasInfo = {"blasInfo", {}, {}, BlasInfo};
constexpr Kernel kTuneAllocator = {"tuneAllocator", {}, {}, TuneAllocator};
constexpr Kernel kTrimAllocator = {"trimAllocator", {}, {}, TrimAllocator};

}  // namespace

// The pool size a new instance starts with: TORCHLET_NUM_THREADS, else
// OPENBLAS_NUM_THREADS or OMP_NUM_THREADS (what OpenBLAS itself would read),
// else the number of cores.
int DefaultThreads() {
  for (const char* name : {"TORCHLET_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"}) {
    const char* v = std::getenv(name);
    const int n = v == nullptr ? 0 : std::atoi(v);
    if (n > 0) return n < kMaxThreads ? n : static_cast<int>(kMaxThreads);
  }
  const unsigned n = std::thread::hardware_concurrency();
  return n > 0 ? static_cast<int>(n) : 1;
}

void RegisterRuntime(Napi::Env env, Napi::Object exports) {
  // OpenBLAS runs single-threaded inside each call; the instance's pool splits
  // large GEMMs instead (thread_pool.h). Process-wide, and the same for every instance.
  openblas_set_num_threads(1);
  Register<kGetNumThreads, kSetNumThreads, kBlasInfo, kTuneAllocator, kTrimAllocator>(env, exports);
}

}  // namespace torchlet

// Picks the float32 kernel table once: the widest level the CPU AND the OS
// support (cpuid feature bits plus XGETBV: the OS must save the YMM / ZMM
// state, or AVX code faults even on a CPU that has it), capped by
// TORCHLET_SIMD. Compiled with the baseline flags only.
#include "simd.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#if TORCHLET_SIMD_X86
#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
#else
#include <cpuid.h>
#endif
#endif

namespace torchlet::simd {
namespace {

enum Level : int { kPortable = 0, kAvx2 = 1, kAvx512 = 2 };

#if TORCHLET_SIMD_X86
void Cpuid(unsigned leaf, unsigned sub, unsigned r[4]) {
#if defined(_MSC_VER) && !defined(__clang__)
  int v[4];
  __cpuidex(v, static_cast<int>(leaf), static_cast<int>(sub));
  for (int i = 0; i < 4; ++i) r[i] = static_cast<unsigned>(v[i]);
#else
  r[0] = r[1] = r[2] = r[3] = 0;
  __cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
#endif
}

unsigned long long Xgetbv0() {
#if defined(_MSC_VER) && !defined(__clang__)
  return _xgetbv(0);
#else
  // xgetbv without -mxsave (this file keeps the baseline flags).
  unsigned lo = 0, hi = 0;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (static_cast<unsigned long long>(hi) << 32) | lo;
#endif
}

// What this CPU and OS can run. __builtin_cpu_supports would do for the CPU
// bits (and GCC ≥ 8's libgcc checks XCR0 too), but not on MSVC, and an
// explicit check documents what is required.
int DetectLevel() {
  unsigned r[4];
  Cpuid(0, 0, r);
  const unsigned maxLeaf = r[0];
  if (maxLeaf < 7) return kPortable;
  Cpuid(1, 0, r);
  const unsigned ecx1 = r[2];
  const bool osxsave = (ecx1 >> 27) & 1;
  const bool avx = (ecx1 >> 28) & 1;
  const bool fma = (ecx1 >> 12) & 1;
  if (!osxsave || !avx || !fma) return kPortable;
  const unsigned long long xcr0 = Xgetbv0();
  if ((xcr0 & 0x6) != 0x6) return kPortable;  // XMM and YMM state enabled by the OS
  Cpuid(7, 0, r);
  const unsigned ebx7 = r[1];
  const bool avx2 = (ebx7 >> 5) & 1;
  if (!avx2) return kPortable;
  const bool avx512f = (ebx7 >> 16) & 1;
  const bool avx512dq = (ebx7 >> 17) & 1;
  const bool avx512vl = (ebx7 >> 31) & 1;
  // opmask, upper ZMM0-15 and ZMM16-31 state enabled by the OS
  if (avx512f && avx512dq && avx512vl && (xcr0 & 0xe0) == 0xe0) return kAvx512;
  return kAvx2;
}
#else
int DetectLevel() { return kPortable; }
#endif

// TORCHLET_SIMD: the highest level allowed (unset or empty: no cap).
int EnvCap() {
  const char* v = std::getenv("TORCHLET_SIMD");
  if (v == nullptr || *v == '\0') return kAvx512;
  if (std::strcmp(v, "avx512") == 0) return kAvx512;
  if (std::strcmp(v, "avx2") == 0) return kAvx2;
  if (std::strcmp(v, "sse2") == 0 || std::strcmp(v, "portable") == 0 || std::strcmp(v, "neon") == 0 ||
      std::strcmp(v, "scalar") == 0) {
    return kPortable;
  }
  std::fprintf(stderr,
               "torchlet: ignoring TORCHLET_SIMD=%s (expected avx512, avx2, sse2 or portable)\n", v);
  return kAvx512;
}

const Table* Choose() {
  const int cpu = DetectLevel();
  const int cap = EnvCap();
  const int level = cpu < cap ? cpu : cap;
#if TORCHLET_SIMD_X86
  if (level == kAvx512) return &kAvx512Table;
  if (level == kAvx2) return &kAvx2Table;
#endif
  (void)level;
  return &kPortableTable;
}

}  // namespace

// Process-wide but immutable once chosen: a function-local static, initialised
// exactly once and thread-safely (C++11 guarantees it) on first use by any
// thread or worker; the environment is read then, not later.
const Table& table() {
  static const Table* const chosen = Choose();
  return *chosen;
}

}  // namespace torchlet::simd

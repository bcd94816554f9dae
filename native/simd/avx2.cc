// The AVX2 + FMA build of the float32 kernels (kernels.inc.h). Compiled with
// -mavx2 -mfma (/arch:AVX2) by CMakeLists.txt and binding.gyp, on x86-64 only;
// simd.cc calls into it only when cpuid and XGETBV say AVX2 and FMA are usable.
#include "simd.h"

#if TORCHLET_SIMD_X86
#if !defined(__AVX2__)
#error "native/simd/avx2.cc must be compiled with -mavx2 -mfma (see native/sources.json)"
#endif
#define TORCHLET_SIMD_ISA avx2
#include "kernels.inc.h"

namespace torchlet::simd {
const Table kAvx2Table = TORCHLET_SIMD_TABLE("avx2");
}  // namespace torchlet::simd
#endif

// The AVX-512 build of the float32 kernels (kernels.inc.h). Compiled with
// -mavx512f -mavx512dq -mavx512vl -mfma (/arch:AVX512) by CMakeLists.txt and
// binding.gyp, on x86-64 only; simd.cc calls into it only when cpuid and
// XGETBV say AVX-512 F/DQ/VL and the ZMM state are usable.
#include "simd.h"

#if TORCHLET_SIMD_X86
#if !defined(__AVX512F__)
#error "native/simd/avx512.cc must be compiled with -mavx512f -mavx512dq -mavx512vl -mfma (see native/sources.json)"
#endif
#define TORCHLET_SIMD_ISA avx512
#include "kernels.inc.h"

namespace torchlet::simd {
const Table kAvx512Table = TORCHLET_SIMD_TABLE("avx512");
}  // namespace torchlet::simd
#endif

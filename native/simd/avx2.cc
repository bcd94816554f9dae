// The AVX2 + FMA build of the float32 kernels (kernels.inc.h). Compiled with
// -mavx2 -mfma (/arch:AVX2) by CMakeLists.txt and binding.gyp, on x86-64 only;
// simd.cc calls into it only when cpuid and XGETBV say AVX2 and FMA are usable.
#define TORCHLET_SIMD_ISA avx2
#define TORCHLET_SIMD_ISA_ENABLED __AVX2__
#define TORCHLET_SIMD_TABLE_NAME kAvx2Table
#include "isa.inc.h"

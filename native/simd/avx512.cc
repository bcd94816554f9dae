// The AVX-512 build of the float32 kernels (kernels.inc.h). Compiled with
// -mavx512f -mavx512dq -mavx512vl -mfma (/arch:AVX512) by CMakeLists.txt and
// binding.gyp, on x86-64 only; simd.cc calls into it only when cpuid and
// XGETBV say AVX-512 F/DQ/VL and the ZMM state are usable.
#define TORCHLET_SIMD_ISA avx512
#define TORCHLET_SIMD_ISA_ENABLED __AVX512F__
#define TORCHLET_SIMD_TABLE_NAME kAvx512Table
#include "isa.inc.h"

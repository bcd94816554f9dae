// The body of avx2.cc and avx512.cc: each defines TORCHLET_SIMD_ISA (the
// level's name), TORCHLET_SIMD_ISA_ENABLED (the compiler's macro for that
// instruction set) and TORCHLET_SIMD_TABLE_NAME, then includes this file. On
// x86-64 it builds kernels.inc.h into that table; elsewhere the file compiles
// to nothing.
#include "simd.h"

#if TORCHLET_SIMD_X86
// An undefined macro counts as 0 here: the file was built without its flags.
#if !(TORCHLET_SIMD_ISA_ENABLED)
#error "native/simd/avx2.cc and avx512.cc must be compiled with their instruction-set flags (binding.gyp, CMakeLists.txt)"
#endif
#include "kernels.inc.h"

#define TORCHLET_SIMD_STRING(x) TORCHLET_SIMD_STRING2(x)
#define TORCHLET_SIMD_STRING2(x) #x
namespace torchlet::simd {
const Table TORCHLET_SIMD_TABLE_NAME = TORCHLET_SIMD_TABLE(TORCHLET_SIMD_STRING(TORCHLET_SIMD_ISA));
}  // namespace torchlet::simd
#endif

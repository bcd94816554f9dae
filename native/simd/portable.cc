// The baseline build of the float32 kernels (kernels.inc.h): the build's own
// flags — SSE2 on x86-64, NEON on arm64. Always present; TORCHLET_SIMD=portable
// (or sse2) forces it.
#define TORCHLET_SIMD_ISA portable
#include "kernels.inc.h"

namespace torchlet::simd {

#if TORCHLET_SIMD_X86
#define TORCHLET_PORTABLE_LEVEL "sse2"
#elif defined(__ARM_NEON) || defined(__ARM_NEON__) || defined(_M_ARM64)
#define TORCHLET_PORTABLE_LEVEL "neon"
#else
#define TORCHLET_PORTABLE_LEVEL "scalar"
#endif

// Constant-initialised (addresses only): no run-time initialisation.
const Table kPortableTable = TORCHLET_SIMD_TABLE(TORCHLET_PORTABLE_LEVEL);

}  // namespace torchlet::simd

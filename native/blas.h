// The CBLAS the addon calls, plus the OpenBLAS extensions we use.
//   Linux, Windows: OpenBLAS (system library, or linked in by the prebuilds).
//   macOS (binding.gyp defines TORCHLET_ACCELERATE): Apple's Accelerate, which
//   has the same cblas_* calls but no openblas_* functions (runtime.cc gives it
//   stand-ins, gemm.cc's cblasSgemm skips them).
#pragma once

#if defined(TORCHLET_ACCELERATE)

#if !defined(__APPLE__)
#error "TORCHLET_ACCELERATE needs Apple's Accelerate framework (macOS)"
#endif
#include <Accelerate/Accelerate.h>

#else

#include <cblas.h>

#ifndef OPENBLAS_VERSION
// A cblas.h that is not OpenBLAS's: declare the OpenBLAS extras ourselves.
extern "C" {
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char* openblas_get_config(void);
char* openblas_get_corename(void);
}
#endif

#endif

// The system CBLAS (OpenBLAS) plus the OpenBLAS extensions we use.
#pragma once

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

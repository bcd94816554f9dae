// GEMM kernels: row-major c = alpha·op(a)·op(b) + beta·c on top of CBLAS.
#pragma once

#include <cstddef>

#include "blas.h"

namespace torchlet::kernels {

inline void blasGemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, float alpha,
                     const float* a, int lda, const float* b, int ldb, float beta, float* c,
                     int ldc) {
  cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

inline void blasGemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, double alpha,
                     const double* a, int lda, const double* b, int ldb, double beta, double* c,
                     int ldc) {
  cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

// c[0..count) = beta·c, where beta == 0 writes zeros without reading c.
template <class T>
void scale(T* c, size_t count, T beta) {
  if (beta == T(0)) {
    for (size_t i = 0; i < count; ++i) c[i] = T(0);
  } else if (beta != T(1)) {
    for (size_t i = 0; i < count; ++i) c[i] *= beta;
  }
}

// One GEMM. op(a) is m×k (a stored k×m when transA), op(b) is k×n (b stored
// n×k when transB), c is m×n, all row-major and contiguous. Handles m, n or
// k == 0 without calling BLAS.
template <class T>
void gemm(bool transA, bool transB, size_t m, size_t n, size_t k, T alpha, const T* a,
          const T* b, T beta, T* c) {
  if (m == 0 || n == 0) return;
  if (k == 0) {
    scale(c, m * n, beta);
    return;
  }
  const int lda = static_cast<int>(transA ? m : k);
  const int ldb = static_cast<int>(transB ? k : n);
  blasGemm(transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
           static_cast<int>(m), static_cast<int>(n), static_cast<int>(k), alpha, a, lda, b, ldb,
           beta, c, static_cast<int>(n));
}

// `batch` GEMMs; matrix i of a/b/c starts at i·strideA/B/C.
template <class T>
void gemmBatched(size_t batch, bool transA, bool transB, size_t m, size_t n, size_t k, T alpha,
                 const T* a, size_t strideA, const T* b, size_t strideB, T beta, T* c,
                 size_t strideC) {
  if (m == 0 || n == 0) return;
  for (size_t i = 0; i < batch; ++i) {
    if (k == 0) {
      scale(c + i * strideC, m * n, beta);  // a and b may be empty (null)
    } else {
      gemm(transA, transB, m, n, k, alpha, a + i * strideA, b + i * strideB, beta,
           c + i * strideC);
    }
  }
}

}  // namespace torchlet::kernels

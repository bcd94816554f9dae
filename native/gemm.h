// GEMM kernels: row-major c = alpha·op(a)·op(b) + beta·c on top of CBLAS.
#pragma once

#include <cstddef>
#include <cstdint>

#include "blas.h"
#include "thread_pool.h"

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

inline void blasGemv(CBLAS_TRANSPOSE t, int rows, int cols, float alpha, const float* a, int lda,
                     const float* x, int incx, float beta, float* y) {
  cblas_sgemv(CblasRowMajor, t, rows, cols, alpha, a, lda, x, incx, beta, y, 1);
}

inline void blasGemv(CBLAS_TRANSPOSE t, int rows, int cols, double alpha, const double* a, int lda,
                     const double* x, int incx, double beta, double* y) {
  cblas_dgemv(CblasRowMajor, t, rows, cols, alpha, a, lda, x, incx, beta, y, 1);
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

// Below this many multiply-adds a GEMM runs on one thread (a split costs a
// few µs of hand-off; OpenBLAS's own cut-off is similar).
constexpr uint64_t kParallelGemmMacs = uint64_t{1} << 17;
// Blocks of a split side are multiples of this (whole SIMD panels).
constexpr size_t kSplitAlign = 16;

// A GEMM with at most this many rows in c, and a b of at least
// kRowGemvMinB elements, runs as one GEMV per row. OpenBLAS's GEMM packs the
// whole b on every call and its few-row tails are slow: through a 784×512
// layer on one thread 2 rows took 136 µs, 3 rows 208 µs and 5–7 rows
// 200–260 µs, against ~25 µs per row as GEMV; from 8 rows on GEMM wins. On
// two threads, with the columns split, 1–7 rows take 12–20 µs per row
// against 17–40 as a split GEMM. A server that joins concurrent requests
// into one forward pass runs such batches.
constexpr size_t kRowGemvMaxRows = 7;
constexpr size_t kRowGemvMinB = 4096;

// c[i] = alpha·(a[i, :] · b) + beta·c[i] for m rows of K values, K known at
// compile time: the compiler then vectorises across rows (interleaved loads).
template <class T, size_t K>
void shortDotsOf(const T* a, const T* b, size_t m, T alpha, T beta, T* c) {
  T w[K];
  for (size_t p = 0; p < K; ++p) w[p] = b[p];
  for (size_t i = 0; i < m; ++i) {
    T s = T(0);
    for (size_t p = 0; p < K; ++p) s += a[i * K + p] * w[p];
    c[i] = alpha * s + beta * c[i];
  }
}

// The same for short rows (k ≤ 32: a logistic regression's few features), where
// a plain dot per row costs less than the BLAS call (OpenBLAS's GEMV takes
// 2 µs for 759×8). k = 1…8 run through shortDotsOf (759×8: 0.78 µs, 1.27 as plain dots);
// longer rows eight at a time, eight independent sums instead of one
// dependency chain. Every path adds each row's products in order p = 0, 1, …
template <class T>
void shortDots(const T* a, const T* b, size_t m, size_t k, T alpha, T beta, T* c) {
  switch (k) {
    case 1: return shortDotsOf<T, 1>(a, b, m, alpha, beta, c);
    case 2: return shortDotsOf<T, 2>(a, b, m, alpha, beta, c);
    case 3: return shortDotsOf<T, 3>(a, b, m, alpha, beta, c);
    case 4: return shortDotsOf<T, 4>(a, b, m, alpha, beta, c);
    case 5: return shortDotsOf<T, 5>(a, b, m, alpha, beta, c);
    case 6: return shortDotsOf<T, 6>(a, b, m, alpha, beta, c);
    case 7: return shortDotsOf<T, 7>(a, b, m, alpha, beta, c);
    case 8: return shortDotsOf<T, 8>(a, b, m, alpha, beta, c);
    default: break;
  }
  constexpr size_t kRows = 8;
  size_t i = 0;
  for (; i + kRows <= m; i += kRows) {
    T acc[kRows] = {};
    for (size_t p = 0; p < k; ++p) {
      for (size_t r = 0; r < kRows; ++r) acc[r] += a[(i + r) * k + p] * b[p];
    }
    for (size_t r = 0; r < kRows; ++r) c[i + r] = alpha * acc[r] + beta * c[i + r];
  }
  for (; i < m; ++i) {
    T s = T(0);
    for (size_t p = 0; p < k; ++p) s += a[i * k + p] * b[p];
    c[i] = alpha * s + beta * c[i];
  }
}

// c = alpha·op(a)·op(b) + beta·c as matrix-vector products when c has one
// column (a logistic regression's one output), one row (a single sample
// through a layer) or a few rows and b is large (see kRowGemvMaxRows).
// OpenBLAS's GEMM packs the whole matrix operand on every call (for a 784×512
// layer that is most of a single-sample forward); GEMV streams it once.
// Returns false when none of these applies.
template <class T>
bool gemmAsGemv(ThreadPool* pool, bool transA, bool transB, size_t m, size_t n, size_t k, T alpha, const T* a,
                const T* b, T beta, T* c) {
  const bool fewRows = m == 1 || (m <= kRowGemvMaxRows && n * k >= kRowGemvMinB);
  if (!fewRows && n != 1) return false;
  // beta == 0 must not read c (some BLAS builds compute 0·NaN).
  if (beta == T(0)) scale(c, m * n, T(0));
  const int ki = static_cast<int>(k);
  if (fewRows) {
    // Row r of c[m×n] = row r of op(a) (a k-vector: stride 1, or m when a is
    // stored k×m) · op(b). Large ones split the columns of c across the pool:
    // each thread streams its own part of b, once for all rows.
    const int inc = transA ? static_cast<int>(m) : 1;
    ThreadPool* split = static_cast<uint64_t>(m) * n * k < kParallelGemmMacs ? nullptr : pool;
    ParallelRanges(split, n, kSplitAlign, [&](size_t lo, size_t hi) {
      const int cols = static_cast<int>(hi - lo);
      for (size_t r = 0; r < m; ++r) {
        const T* row = transA ? a + r : a + r * k;
        if (transB) {  // b stored n×k: its rows lo..hi
          blasGemv(CblasNoTrans, cols, ki, alpha, b + lo * k, ki, row, inc, beta, c + r * n + lo);
        } else {  // b stored k×n: its columns lo..hi
          blasGemv(CblasTrans, ki, cols, alpha, b + lo, static_cast<int>(n), row, inc, beta, c + r * n + lo);
        }
      }
    });
    return true;
  }
  if (n == 1 && !transA && k <= 32) {
    shortDots(a, b, m, k, alpha, beta, c);
    return true;
  }
  // c[m×1] = op(a)·b[k×1]; b is a k-vector with stride 1 either way.
  const int mi = static_cast<int>(m);
  if (transA) {
    blasGemv(CblasTrans, ki, mi, alpha, a, mi, b, 1, beta, c);  // a stored k×m
  } else {
    blasGemv(CblasNoTrans, mi, ki, alpha, a, ki, b, 1, beta, c);  // a stored m×k
  }
  return true;
}

// Rows [lo, lo + count) of c (byRows) or its columns, as a BLAS call of its
// own: splitting rows keeps b whole, splitting columns keeps a whole; leading
// dimensions stay those of the full matrices.
template <class T>
void gemmBlock(bool transA, bool transB, bool byRows, size_t lo, size_t count, size_t m, size_t n, size_t k,
               T alpha, const T* a, const T* b, T beta, T* c) {
  const int lda = static_cast<int>(transA ? m : k);
  const int ldb = static_cast<int>(transB ? k : n);
  size_t rows = m, cols = n;
  if (byRows) {
    a += transA ? lo : lo * k;  // rows lo.. of op(a)
    rows = count;
  } else {
    b += transB ? lo * k : lo;  // columns lo.. of op(b)
    cols = count;
  }
  blasGemm(transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, static_cast<int>(rows),
           static_cast<int>(cols), static_cast<int>(k), alpha, a, lda, b, ldb, beta, c + (byRows ? lo * n : lo),
           static_cast<int>(n));
}

// One GEMM. op(a) is m×k (a stored k×m when transA), op(b) is k×n (b stored
// n×k when transB), c is m×n, all row-major and contiguous. Handles m, n or
// k == 0 without calling BLAS. Large ones are split across `pool` (may be null).
template <class T>
void gemm(ThreadPool* pool, bool transA, bool transB, size_t m, size_t n, size_t k, T alpha, const T* a,
          const T* b, T beta, T* c) {
  if (m == 0 || n == 0) return;
  // BLAS does not reference a and b when alpha is 0, but OpenBLAS's small-matrix
  // kernels (SkylakeX and newer cores) still multiply them in, turning a NaN into c.
  if (k == 0 || alpha == T(0)) {
    scale(c, m * n, beta);
    return;
  }
  if (gemmAsGemv(pool, transA, transB, m, n, k, alpha, a, b, beta, c)) return;
  // Split the rows of c (and of op(a)) or its columns (and those of op(b)):
  // rows when c is the largest matrix (a weight gradient: contiguous blocks,
  // the ones the optimizer step's per-thread blocks update), else the side that
  // divides the larger input (a layer's weight, read once in total).
  const uint64_t sizeA = static_cast<uint64_t>(m) * k, sizeB = static_cast<uint64_t>(k) * n;
  const uint64_t sizeC = static_cast<uint64_t>(m) * n;
  const bool byRows = (sizeC >= sizeA && sizeC >= sizeB && m >= 2 * kSplitAlign) || sizeA >= sizeB;
  // One block per thread of the pool (see thread_pool.h for why not
  // OpenBLAS's threads), in multiples of kSplitAlign; small GEMMs in one call.
  ThreadPool* split = sizeC * k < kParallelGemmMacs ? nullptr : pool;
  ParallelRanges(split, byRows ? m : n, kSplitAlign, [&](size_t lo, size_t hi) {
    gemmBlock(transA, transB, byRows, lo, hi - lo, m, n, k, alpha, a, b, beta, c);
  });
}

// `batch` GEMMs; matrix i of a/b/c starts at i·strideA/B/C.
template <class T>
void gemmBatched(ThreadPool* pool, size_t batch, bool transA, bool transB, size_t m, size_t n, size_t k,
                 T alpha, const T* a, size_t strideA, const T* b, size_t strideB, T beta, T* c,
                 size_t strideC) {
  if (m == 0 || n == 0) return;
  for (size_t i = 0; i < batch; ++i) {
    if (k == 0 || alpha == T(0)) {
      scale(c + i * strideC, m * n, beta);  // a and b may be empty (null) or unread
    } else {
      gemm(pool, transA, transB, m, n, k, alpha, a + i * strideA, b + i * strideB, beta,
           c + i * strideC);
    }
  }
}

}  // namespace torchlet::kernels

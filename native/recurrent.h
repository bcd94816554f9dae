// The gates of one LSTM or GRU step and their backward rules (see the
// lstmGates/gruGates table entries): plain loops over rows [batch, gates·hidden].
// σ and tanh are the unary kernels (unary.h: float32 vectorised through simd/,
// float64 libm), run over each gate's contiguous slice of a row, so a fused
// step equals the composed ops. Rows are independent and split across the
// pool when there are many.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "gemm.h"
#include "simd/simd.h"
#include "thread_pool.h"
#include "unary.h"

namespace torchlet::kernels {

// Rows per part below which splitting costs more than it saves.
constexpr size_t kGateMinRowsPerPart = 64;

// Columns per part at least when a step's GEMM is split across the pool (one wide strip of the simd kernel).
constexpr size_t kStepGemmMinCols = 64;

// Columns [lo, hi) of c = a·b + bias + beta·c for a [m, k] and b [k, ·],
// b's and c's rows `ld` apart. float32: the simd kernel, which streams b as it
// lies (a recurrent step multiplies a few rows by the same cached weight every
// step: no per-call packing); float64: BLAS. Every column's sum runs over k in
// order whatever the range, so a split gives the same values.
template <class T>
void gemmCols(const T* a, const T* b, const T* bias, size_t m, size_t k, size_t lo, size_t hi, size_t ld, T beta, T* c) {
  const size_t cols = hi - lo;
  if (m == 0 || cols == 0) return;
  if constexpr (std::is_same_v<T, float>) {
    simd::table().gemmRows(a, b + lo, bias != nullptr ? bias + lo : nullptr, m, k, cols, ld, beta, c + lo);
  } else {
    if (k == 0) {
      for (size_t i = 0; i < m; ++i) scale(c + i * ld + lo, cols, beta);
    } else {
      blasGemm(CblasNoTrans, CblasNoTrans, static_cast<int>(m), static_cast<int>(cols), static_cast<int>(k), T(1), a,
               static_cast<int>(k), b + lo, static_cast<int>(ld), beta, c + lo, static_cast<int>(ld));
    }
    if (bias != nullptr) {
      for (size_t i = 0; i < m; ++i) {
        for (size_t j = lo; j < hi; ++j) c[i * ld + j] += bias[j];
      }
    }
  }
}

// c = a·b + bias + beta·c for a [m, k] and b [k, n], row-major (gemmCols);
// float32 splits the columns across the pool for big products, float64 is one BLAS call.
template <class T>
void stepGemm(ThreadPool* pool, const T* a, const T* b, const T* bias, size_t m, size_t k, size_t n, T beta, T* c) {
  if constexpr (std::is_same_v<T, float>) {
    const bool split = uint64_t{m} * n * k >= kParallelGemmMacs;
    ParallelRanges(split ? pool : nullptr, n, kStepGemmMinCols,
                   [&](size_t lo, size_t hi) { gemmCols(a, b, bias, m, k, lo, hi, n, beta, c); });
  } else {
    gemmCols(a, b, bias, m, k, size_t{0}, n, n, beta, c);
  }
}

// One LSTM row: gi, gh rows of 4·H, c, h, cOut rows of H, saved row s of
// 5·H = i, f, g, o, tanh(c'); c' = f·c + i·g; h = o·tanh(c').
template <class T>
void lstmGatesRow(const T* gi, const T* gh, const T* c, size_t H, T* h, T* cOut, T* s) {
  for (size_t j = 0; j < 4 * H; ++j) s[j] = gi[j] + gh[j];
  sigmoid(s, s, 2 * H);
  tanh(s + 2 * H, s + 2 * H, H);
  sigmoid(s + 3 * H, s + 3 * H, H);
  for (size_t j = 0; j < H; ++j) cOut[j] = s[H + j] * c[j] + s[j] * s[2 * H + j];
  tanh(cOut, s + 4 * H, H);
  for (size_t j = 0; j < H; ++j) h[j] = s[3 * H + j] * s[4 * H + j];
}

template <class T>
void lstmGates(ThreadPool* pool, const T* gi, const T* gh, const T* c, size_t batch, size_t hidden, T* h, T* cOut,
               T* saved) {
  const size_t H = hidden;
  ParallelRanges(pool, batch, kGateMinRowsPerPart, [&](size_t lo, size_t hi) {
    for (size_t b = lo; b < hi; ++b) {
      lstmGatesRow(gi + b * 4 * H, gh + b * 4 * H, c + b * H, H, h + b * H, cOut + b * H, saved + b * 5 * H);
    }
  });
}

// One row of lstmGatesBackward. The binding checks that the outputs overlap
// no input (and each other): restrict lets the loop vectorise.
template <class T, bool WithDcPrev>
void lstmGatesBackwardRow(const T* __restrict s, const T* __restrict c, const T* __restrict dh,
                          const T* __restrict dc, size_t H, T* __restrict dg, T* __restrict dcPrev) {
  for (size_t j = 0; j < H; ++j) {
    const T i = s[j], f = s[H + j], g = s[2 * H + j], o = s[3 * H + j], tc = s[4 * H + j];
    const T d = dh[j];
    const T dc2 = dc[j] + d * o * (T(1) - tc * tc);
    dg[j] = dc2 * g * i * (T(1) - i);
    dg[H + j] = dc2 * c[j] * f * (T(1) - f);
    dg[2 * H + j] = dc2 * i * (T(1) - g * g);
    dg[3 * H + j] = d * tc * o * (T(1) - o);
    if constexpr (WithDcPrev) dcPrev[j] = dc2 * f;
  }
}

template <class T>
void lstmGatesBackward(ThreadPool* pool, const T* saved, const T* c, const T* dh, const T* dc, size_t batch,
                       size_t hidden, T* dgates, T* dcPrev) {
  const size_t H = hidden;
  ParallelRanges(pool, batch, kGateMinRowsPerPart, [&](size_t lo, size_t hi) {
    for (size_t b = lo; b < hi; ++b) {
      const T* s = saved + b * 5 * H;
      T* dg = dgates + b * 4 * H;
      if (dcPrev != nullptr) {
        lstmGatesBackwardRow<T, true>(s, c + b * H, dh + b * H, dc + b * H, H, dg, dcPrev + b * H);
      } else {
        lstmGatesBackwardRow<T, false>(s, c + b * H, dh + b * H, dc + b * H, H, dg, nullptr);
      }
    }
  });
}

// One GRU row: gi, gh rows of 3·H, h, hOut rows of H, saved row s of 4·H =
// r, z, n, gh_n; h' = n + z·(h − n).
template <class T>
void gruGatesRow(const T* gi, const T* gh, const T* h, size_t H, T* hOut, T* s) {
  for (size_t j = 0; j < 2 * H; ++j) s[j] = gi[j] + gh[j];
  sigmoid(s, s, 2 * H);
  for (size_t j = 0; j < H; ++j) {
    s[3 * H + j] = gh[2 * H + j];
    s[2 * H + j] = gi[2 * H + j] + s[j] * gh[2 * H + j];
  }
  tanh(s + 2 * H, s + 2 * H, H);
  for (size_t j = 0; j < H; ++j) hOut[j] = s[2 * H + j] + s[H + j] * (h[j] - s[2 * H + j]);
}

template <class T>
void gruGates(ThreadPool* pool, const T* gi, const T* gh, const T* h, size_t batch, size_t hidden, T* hOut, T* saved) {
  const size_t H = hidden;
  ParallelRanges(pool, batch, kGateMinRowsPerPart, [&](size_t lo, size_t hi) {
    for (size_t b = lo; b < hi; ++b) {
      gruGatesRow(gi + b * 3 * H, gh + b * 3 * H, h + b * H, H, hOut + b * H, saved + b * 4 * H);
    }
  });
}

// One row of gruGatesBackward (restrict as for the LSTM's).
template <class T>
void gruGatesBackwardRow(const T* __restrict s, const T* __restrict h, const T* __restrict dh, size_t H,
                         T* __restrict dgi, T* __restrict dgh, T* __restrict dhPrev) {
  for (size_t j = 0; j < H; ++j) {
    const T r = s[j], z = s[H + j], n = s[2 * H + j], ghn = s[3 * H + j];
    const T d = dh[j];
    const T dn = d * (T(1) - z) * (T(1) - n * n);
    const T dr = dn * ghn * r * (T(1) - r);
    const T dz = d * (h[j] - n) * z * (T(1) - z);
    dgi[j] = dr;
    dgi[H + j] = dz;
    dgi[2 * H + j] = dn;
    dgh[j] = dr;
    dgh[H + j] = dz;
    dgh[2 * H + j] = dn * r;
    dhPrev[j] = d * z;
  }
}

template <class T>
void gruGatesBackward(ThreadPool* pool, const T* saved, const T* h, const T* dh, size_t batch, size_t hidden, T* dgi,
                      T* dgh, T* dhPrev) {
  const size_t H = hidden;
  ParallelRanges(pool, batch, kGateMinRowsPerPart, [&](size_t lo, size_t hi) {
    for (size_t b = lo; b < hi; ++b) {
      gruGatesBackwardRow(saved + b * 4 * H, h + b * H, dh + b * H, H, dgi + b * 3 * H, dgh + b * 3 * H,
                          dhPrev + b * H);
    }
  });
}

}  // namespace torchlet::kernels

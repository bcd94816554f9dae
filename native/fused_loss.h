// Fused losses on logits, forward and backward, each one pass per sample:
// softmax + cross-entropy over class-index targets (class weights,
// ignoreIndex, PyTorch's weighted mean) and sigmoid + binary cross-entropy
// (optional posWeight), and binary cross-entropy on probabilities (the loss
// after a Sigmoid module). Numerically stable; sums accumulate in double.
// float32 rows of the cross-entropy run the vectorised kernels of simd/.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "codes.h"
#include "reduce.h"
#include "simd/simd.h"
#include "unary.h"

namespace torchlet::kernels {

// Max and log Σ exp(x − max) of one row of c logits.
template <class T>
void rowLogSumExp(const T* x, size_t c, T* max, double* logSum) {
  if constexpr (std::is_same_v<T, float>) {
    return simd::table().rowLogSumExp(x, c, max, logSum);
  }
  T m = -std::numeric_limits<T>::infinity();
  for (size_t j = 0; j < c; ++j) {
    if (x[j] > m) m = x[j];
  }
  double s = 0;
  for (size_t j = 0; j < c; ++j) s += std::exp(x[j] - m);
  *max = m;
  *logSum = std::log(s);
}

// Σ w[t] over the kept targets (count of kept targets without weights).
template <class T>
double keptWeight(const int32_t* t, const T* w, size_t n, int32_t ignore) {
  double s = 0;
  for (size_t r = 0; r < n; ++r) {
    if (t[r] != ignore) s += w != nullptr ? static_cast<double>(w[t[r]]) : 1.0;
  }
  return s;
}

// ℓ_r = −w[t_r]·log softmax(x_r)[t_r] (0 where t_r == ignore). kReductionNone
// writes ℓ into out[0..n); kReductionMean writes Σℓ / Σw[t] into out[0];
// kReductionSum writes Σℓ.
// Targets must lie in [0, c) unless ignored (the binding checks).
template <class T>
void softmaxCrossEntropy(const T* x, const int32_t* t, const T* w, size_t n, size_t c,
                         int32_t ignore, int reduction, T* out) {
  double total = 0;
  double wsum = 0;
  for (size_t r = 0; r < n; ++r) {
    T loss = T(0);
    if (t[r] != ignore) {
      const T* xr = x + r * c;
      T m;
      double ls;
      rowLogSumExp(xr, c, &m, &ls);
      // As logSoftmax: (x − m) − log s in double, rounded once.
      const T logp = static_cast<T>((static_cast<double>(xr[t[r]]) - m) - ls);
      const T wt = w != nullptr ? w[t[r]] : T(1);
      loss = -(logp * wt);
      wsum += wt;
    }
    if (reduction == kReductionNone) {
      out[r] = loss;
    } else {
      total += loss;
    }
  }
  if (reduction == kReductionMean) out[0] = static_cast<T>(total) / static_cast<T>(wsum);
  if (reduction == kReductionSum) out[0] = static_cast<T>(total);
}

// dx_r = (softmax(x_r) − onehot(t_r)) · w[t_r] · g_r, 0 rows where ignored;
// g_r = dout[r] (kReductionNone), dout[0] / Σw[t] (mean) or dout[0] (sum).
template <class T>
void softmaxCrossEntropyBackward(const T* x, const int32_t* t, const T* w, size_t n, size_t c,
                                 int32_t ignore, int reduction, const T* dout, T* dx) {
  T g = T(0);
  if (reduction == kReductionMean) g = dout[0] / static_cast<T>(keptWeight(t, w, n, ignore));
  if (reduction == kReductionSum) g = dout[0];
  for (size_t r = 0; r < n; ++r) {
    T* dr = dx + r * c;
    if (t[r] == ignore) {
      for (size_t j = 0; j < c; ++j) dr[j] = T(0);
      continue;
    }
    const T* xr = x + r * c;
    const T gr = reduction == kReductionNone ? dout[r] : g;
    const T s = gr * (w != nullptr ? w[t[r]] : T(1));
    if constexpr (std::is_same_v<T, float>) {
      // p = softmax(x_r) by the vectorised row kernel, then (p − onehot)·s.
      simd::table().softmaxRows(xr, 1, c, dr);
      const T pt = dr[t[r]];
      for (size_t j = 0; j < c; ++j) dr[j] *= s;
      dr[t[r]] = (pt - T(1)) * s;
      continue;
    }
    T m;
    double ls;
    rowLogSumExp(xr, c, &m, &ls);
    for (size_t j = 0; j < c; ++j) {
      const T p = static_cast<T>(std::exp((static_cast<double>(xr[j]) - m) - ls));
      dr[j] = (p - (static_cast<size_t>(t[r]) == j ? T(1) : T(0))) * s;
    }
  }
}

// log(1 + e^z) as PyTorch 1.13: m + log(e^−m + e^(z−m)), m = max(z, 0).
template <class T>
T softplus(T z) {
  const T m = z > T(0) ? z : T(0);
  return m + std::log(std::exp(-m) + std::exp(z - m));
}

// ℓ_i = (1 − y)·x + lw·softplus(−x), lw = (pw[i % p] − 1)·y + 1 (1 without pw);
// reduced as softmaxCrossEntropy (mean divides by n).
template <class T>
void sigmoidBCE(const T* x, const T* y, const T* pw, size_t n, size_t p, int reduction, T* out) {
  double total = 0;
  for (size_t i = 0; i < n; ++i) {
    const T sp = softplus(static_cast<T>(-x[i]));
    const T base = (T(1) - y[i]) * x[i];
    T loss;
    if (pw != nullptr) {
      const T lw = (pw[i % p] - T(1)) * y[i] + T(1);
      loss = base + lw * sp;
    } else {
      loss = base + sp;
    }
    if (reduction == kReductionNone) {
      out[i] = loss;
    } else {
      total += loss;
    }
  }
  if (reduction == kReductionMean) out[0] = static_cast<T>(total / static_cast<double>(n));
  if (reduction == kReductionSum) out[0] = static_cast<T>(total);
}

// dx_i = (σ(x) − y)·g_i, or ((pw·y + 1 − y)·σ(x) − pw·y)·g_i with pw;
// g_i = dout[i] (kReductionNone), dout[0] / n (mean) or dout[0] (sum).
template <class T>
void sigmoidBCEBackward(const T* x, const T* y, const T* pw, size_t n, size_t p, int reduction,
                        const T* dout, T* dx) {
  T g = T(0);
  if (reduction == kReductionMean) g = static_cast<T>(static_cast<double>(dout[0]) / static_cast<double>(n));
  if (reduction == kReductionSum) g = dout[0];
  for (size_t i = 0; i < n; ++i) {
    const T gi = reduction == kReductionNone ? dout[i] : g;
    const T s = T(1) / (T(1) + std::exp(-x[i]));
    if (pw != nullptr) {
      const T tw = pw[i % p] * y[i];
      dx[i] = ((tw + T(1) - y[i]) * s - tw) * gi;
    } else {
      dx[i] = (s - y[i]) * gi;
    }
  }
}

// Binary cross-entropy of probabilities x against targets y, as the op-by-op
// composite rounds it: ℓ = −(y·max(log x, −100) + (1 − y)·max(log(1 − x), −100)).
// Returns −1, or the index of the first x outside [0, 1] (NaN included) and
// then leaves `out` untouched (the caller throws). Works in blocks so that both
// logs run through the vectorised kernel.
template <class T>
int64_t bce(const T* x, const T* y, size_t n, int reduction, T* out) {
  // The range check first, branch-free (an int OR of selects vectorises; a
  // bool OR of three compares did not: 0.68 against 0.39 µs for 759 floats);
  // the index only on failure. NaN fails both compares.
  int bad = 0;
  for (size_t i = 0; i < n; ++i) bad |= (x[i] >= T(0) && x[i] <= T(1)) ? 0 : 1;
  if (bad != 0) {
    for (size_t i = 0; i < n; ++i) {
      if (!(x[i] >= T(0) && x[i] <= T(1))) return static_cast<int64_t>(i);
    }
  }
  constexpr size_t kBlock = 256;  // a multiple of LaneSum's lanes
  T logX[kBlock], oneMinusX[kBlock], log1mX[kBlock];
  const T floor = T(-100);
  LaneSum<double> total;
  for (size_t i0 = 0; i0 < n; i0 += kBlock) {
    const size_t m = n - i0 < kBlock ? n - i0 : kBlock;
    const T* xs = x + i0;
    for (size_t j = 0; j < m; ++j) oneMinusX[j] = T(1) - xs[j];
    log(xs, logX, m);  // the `log` op's kernel (vectorised for float32)
    log(oneMinusX, log1mX, m);
    T* loss = reduction == kReductionNone ? out + i0 : oneMinusX;  // the block's losses
    for (size_t j = 0; j < m; ++j) {
      const T yi = y[i0 + j];
      const T a = static_cast<T>(yi * std::max(logX[j], floor));
      const T b = static_cast<T>(static_cast<T>(T(1) - yi) * std::max(log1mX[j], floor));
      loss[j] = -static_cast<T>(a + b);
    }
    if (reduction != kReductionNone) total.add(loss, m);
  }
  if (reduction == kReductionMean) out[0] = static_cast<T>(total.total() / static_cast<double>(n));
  if (reduction == kReductionSum) out[0] = static_cast<T>(total.total());
  return -1;
}

// PyTorch's BCE gradient: dx_i = g_i·(x − y) / max((1 − x)·x, ε), ε = 1e-12
// rounded to float (also in float64); g_i = dout[i], dout[0] / n or dout[0].
template <class T>
void bceBackward(const T* x, const T* y, size_t n, int reduction, const T* dout, T* dx) {
  const T eps = static_cast<T>(1e-12f);
  T g = T(0);
  if (reduction == kReductionMean) g = static_cast<T>(static_cast<double>(dout[0]) / static_cast<double>(n));
  if (reduction == kReductionSum) g = dout[0];
  for (size_t i = 0; i < n; ++i) {
    const T gi = reduction == kReductionNone ? dout[i] : g;
    const T num = static_cast<T>(gi * static_cast<T>(x[i] - y[i]));
    const T den = static_cast<T>(static_cast<T>(T(1) - x[i]) * x[i]);
    dx[i] = num / (den > eps || den != den ? den : eps);
  }
}

}  // namespace torchlet::kernels

// Layer normalization over the last `cols` elements of each of `rows` rows:
// per row mean and rstd = 1/√(var + eps) (biased variance), both accumulated
// in double, saved for the backward. Rows are independent, so the forward and
// the dx part of the backward split rows across the pool; dweight and dbias
// sum over rows and run on the calling thread.
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

#include "thread_pool.h"

namespace torchlet::kernels {

// Rows per part below which splitting costs more than it saves.
constexpr size_t kNormMinRowsPerPart = 16;

// Mean and 1/√(var + eps) of one row (an empty row: mean 0, variance 0).
template <class T>
void rowMoments(const T* x, size_t cols, double eps, double& mean, double& rstd) {
  double sum = 0;
  for (size_t j = 0; j < cols; ++j) sum += x[j];
  mean = cols > 0 ? sum / static_cast<double>(cols) : 0.0;
  double sq = 0;
  for (size_t j = 0; j < cols; ++j) {
    const double d = x[j] - mean;
    sq += d * d;
  }
  const double var = cols > 0 ? sq / static_cast<double>(cols) : 0.0;
  rstd = 1.0 / std::sqrt(var + eps);
}

// y = (x − mean)·rstd·weight + bias per row; weight and bias may be null.
template <class T>
void layerNorm(ThreadPool* pool, const T* x, const T* weight, const T* bias, size_t rows, size_t cols, double eps, T* y,
               T* meanOut, T* rstdOut) {
  ParallelRanges(pool, rows, kNormMinRowsPerPart, [&](size_t lo, size_t hi) {
    for (size_t r = lo; r < hi; ++r) {
      const T* xr = x + r * cols;
      T* yr = y + r * cols;
      double mean, rstd;
      rowMoments(xr, cols, eps, mean, rstd);
      for (size_t j = 0; j < cols; ++j) {
        double v = (xr[j] - mean) * rstd;
        if (weight != nullptr) v *= weight[j];
        if (bias != nullptr) v += bias[j];
        yr[j] = static_cast<T>(v);
      }
      meanOut[r] = static_cast<T>(mean);
      rstdOut[r] = static_cast<T>(rstd);
    }
  });
}

// With x̂ = (x − mean)·rstd and g = dy·weight: dx = rstd·(g − mean(g) − x̂·mean(g·x̂))
// per row; dweight = Σ_rows dy·x̂, dbias = Σ_rows dy. Each output may be null.
template <class T>
void layerNormBackward(ThreadPool* pool, const T* x, const T* weight, const T* mean, const T* rstd, const T* dy,
                       size_t rows, size_t cols, T* dx, T* dweight, T* dbias) {
  if (dx != nullptr) {
    ParallelRanges(pool, rows, kNormMinRowsPerPart, [&](size_t lo, size_t hi) {
      for (size_t r = lo; r < hi; ++r) {
        const T* xr = x + r * cols;
        const T* dyr = dy + r * cols;
        const double m = mean[r], s = rstd[r];
        double sumG = 0, sumGX = 0;
        for (size_t j = 0; j < cols; ++j) {
          const double g = weight != nullptr ? static_cast<double>(dyr[j]) * weight[j] : dyr[j];
          sumG += g;
          sumGX += g * (xr[j] - m) * s;
        }
        const double a = cols > 0 ? sumG / static_cast<double>(cols) : 0.0;
        const double b = cols > 0 ? sumGX / static_cast<double>(cols) : 0.0;
        T* dxr = dx + r * cols;
        for (size_t j = 0; j < cols; ++j) {
          const double g = weight != nullptr ? static_cast<double>(dyr[j]) * weight[j] : dyr[j];
          dxr[j] = static_cast<T>(s * (g - a - (xr[j] - m) * s * b));
        }
      }
    });
  }
  if (dweight == nullptr && dbias == nullptr) return;
  std::vector<double> sw(dweight != nullptr ? cols : 0, 0.0), sb(dbias != nullptr ? cols : 0, 0.0);
  for (size_t r = 0; r < rows; ++r) {
    const T* xr = x + r * cols;
    const T* dyr = dy + r * cols;
    const double m = mean[r], s = rstd[r];
    if (dweight != nullptr) {
      for (size_t j = 0; j < cols; ++j) sw[j] += static_cast<double>(dyr[j]) * ((xr[j] - m) * s);
    }
    if (dbias != nullptr) {
      for (size_t j = 0; j < cols; ++j) sb[j] += dyr[j];
    }
  }
  for (size_t j = 0; j < sw.size(); ++j) dweight[j] = static_cast<T>(sw[j]);
  for (size_t j = 0; j < sb.size(); ++j) dbias[j] = static_cast<T>(sb[j]);
}

}  // namespace torchlet::kernels

// Layer normalization over the last `cols` elements of each of `rows` rows:
// per row mean and rstd = 1/√(var + eps) (biased variance), both accumulated
// in double, saved for the backward. Rows are independent, so the forward and
// the dx part of the backward split rows across the pool; dweight and dbias
// sum over rows and run on the calling thread.
#pragma once

#include <cmath>
#include <cstddef>
#include <type_traits>
#include <vector>

#include "thread_pool.h"

namespace torchlet::kernels {

// Rows per part below which splitting costs more than it saves.
constexpr size_t kNormMinRowsPerPart = 16;

// Σ_j term(j) for j in [0, n) in eight independent double partial sums: one
// running sum is a chain of dependent adds, eight vectorise.
template <class F>
double laneSum(size_t n, F&& term) {
  constexpr size_t kLanes = 8;
  double lanes[kLanes] = {};
  size_t j = 0;
  for (; j + kLanes <= n; j += kLanes) {
    for (size_t l = 0; l < kLanes; ++l) lanes[l] += term(j + l);
  }
  double s = 0;
  for (; j < n; ++j) s += term(j);
  for (size_t l = 0; l < kLanes; ++l) s += lanes[l];
  return s;
}

// Calls f(std::bool_constant<W>{}, std::bool_constant<B>{}) for W = weight
// given, B = bias given, so the per-element loops carry no null tests.
template <class F>
void withAffine(bool weight, bool bias, F&& f) {
  if (weight) {
    if (bias) f(std::true_type{}, std::true_type{});
    else f(std::true_type{}, std::false_type{});
  } else {
    if (bias) f(std::false_type{}, std::true_type{});
    else f(std::false_type{}, std::false_type{});
  }
}

// y = (x − mean)·rstd·weight + bias per row; weight and bias may be null.
template <class T>
void layerNorm(ThreadPool* pool, const T* x, const T* weight, const T* bias, size_t rows, size_t cols, double eps, T* y,
               T* meanOut, T* rstdOut) {
  const double n = static_cast<double>(cols);
  withAffine(weight != nullptr, bias != nullptr, [&](auto hasW, auto hasB) {
    ParallelRanges(pool, rows, kNormMinRowsPerPart, [&](size_t lo, size_t hi) {
      for (size_t r = lo; r < hi; ++r) {
        const T* xr = x + r * cols;
        T* yr = y + r * cols;
        // An empty row: mean 0, variance 0.
        const double mean = cols > 0 ? laneSum(cols, [&](size_t j) { return static_cast<double>(xr[j]); }) / n : 0.0;
        const double var = cols > 0 ? laneSum(cols, [&](size_t j) {
          const double d = xr[j] - mean;
          return d * d;
        }) / n : 0.0;
        const double rstd = 1.0 / std::sqrt(var + eps);
        for (size_t j = 0; j < cols; ++j) {
          double v = (xr[j] - mean) * rstd;
          if constexpr (decltype(hasW)::value) v *= weight[j];
          if constexpr (decltype(hasB)::value) v += bias[j];
          yr[j] = static_cast<T>(v);
        }
        meanOut[r] = static_cast<T>(mean);
        rstdOut[r] = static_cast<T>(rstd);
      }
    });
  });
}

// With x̂ = (x − mean)·rstd and g = dy·weight: dx = rstd·(g − mean(g) − x̂·mean(g·x̂))
// per row; dweight = Σ_rows dy·x̂, dbias = Σ_rows dy. Each output may be null.
template <class T>
void layerNormBackward(ThreadPool* pool, const T* x, const T* weight, const T* mean, const T* rstd, const T* dy,
                       size_t rows, size_t cols, T* dx, T* dweight, T* dbias) {
  if (dx != nullptr) {
    const double n = static_cast<double>(cols);
    withAffine(weight != nullptr, false, [&](auto hasW, auto) {
      ParallelRanges(pool, rows, kNormMinRowsPerPart, [&](size_t lo, size_t hi) {
        for (size_t r = lo; r < hi; ++r) {
          const T* xr = x + r * cols;
          const T* dyr = dy + r * cols;
          const double m = mean[r], s = rstd[r];
          const auto g = [&](size_t j) {
            if constexpr (decltype(hasW)::value) {
              return static_cast<double>(dyr[j]) * weight[j];
            } else {
              return static_cast<double>(dyr[j]);
            }
          };
          const double a = cols > 0 ? laneSum(cols, g) / n : 0.0;
          const double b = cols > 0 ? laneSum(cols, [&](size_t j) { return g(j) * ((xr[j] - m) * s); }) / n : 0.0;
          T* dxr = dx + r * cols;
          for (size_t j = 0; j < cols; ++j) dxr[j] = static_cast<T>(s * (g(j) - a - (xr[j] - m) * s * b));
        }
      });
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

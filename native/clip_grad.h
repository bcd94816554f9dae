// The reduction of clipGradNorm_: Σ|x|^p of one gradient in one pass, in
// float64 and index order so both backends give the same number.
#pragma once

#include <cmath>
#include <cstddef>

namespace torchlet::kernels {

// Σ |x_i|^p, or max |x_i| for p = +inf; NaN propagates; 0 for n == 0.
template <class T>
double powerSum(const T* x, size_t n, double p) {
  double acc = 0;
  if (std::isinf(p) && p > 0) {
    for (size_t i = 0; i < n; ++i) {
      const double a = std::fabs(static_cast<double>(x[i]));
      if (a > acc || a != a) acc = a;
      if (acc != acc) break;
    }
  } else if (p == 2) {
    for (size_t i = 0; i < n; ++i) acc += static_cast<double>(x[i]) * static_cast<double>(x[i]);
  } else if (p == 1) {
    for (size_t i = 0; i < n; ++i) acc += std::fabs(static_cast<double>(x[i]));
  } else {
    for (size_t i = 0; i < n; ++i) acc += std::pow(std::fabs(static_cast<double>(x[i])), p);
  }
  return acc;
}

}  // namespace torchlet::kernels

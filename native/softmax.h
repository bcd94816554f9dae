// Softmax family over the middle axis of [outer, dim, inner]: numerically
// stable (the max is subtracted), sums accumulated in double. float32 over
// contiguous rows (inner == 1, the usual last axis) runs the vectorised
// kernels of simd/.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <type_traits>

#include "simd/simd.h"

namespace torchlet::kernels {

// Calls fn(offset) for each of the outer*inner lines; the line's elements are
// at offset + d*inner for d in [0, dim).
template <class Fn>
void forEachLine(size_t outer, size_t dim, size_t inner, Fn&& fn) {
  for (size_t o = 0; o < outer; ++o) {
    for (size_t i = 0; i < inner; ++i) fn(o * dim * inner + i);
  }
}

template <class T>
T lineMax(const T* x, size_t dim, size_t stride) {
  T m = -std::numeric_limits<T>::infinity();
  for (size_t d = 0; d < dim; ++d) {
    const T v = x[d * stride];
    if (v > m) m = v;
  }
  return m;
}

template <class T>
void softmax(const T* x, size_t outer, size_t dim, size_t inner, T* out) {
  if constexpr (std::is_same_v<T, float>) {
    if (inner == 1) return simd::table().softmaxRows(x, outer, dim, out);
  }
  forEachLine(outer, dim, inner, [&](size_t off) {
    const T* xl = x + off;
    T* ol = out + off;
    const T m = lineMax(xl, dim, inner);
    double s = 0;
    for (size_t d = 0; d < dim; ++d) {
      const T e = std::exp(xl[d * inner] - m);
      ol[d * inner] = e;
      s += e;
    }
    const T r = static_cast<T>(1.0 / s);
    for (size_t d = 0; d < dim; ++d) ol[d * inner] *= r;
  });
}

template <class T>
void logSoftmax(const T* x, size_t outer, size_t dim, size_t inner, T* out) {
  if constexpr (std::is_same_v<T, float>) {
    if (inner == 1) return simd::table().logSoftmaxRows(x, outer, dim, out);
  }
  forEachLine(outer, dim, inner, [&](size_t off) {
    const T* xl = x + off;
    T* ol = out + off;
    const T m = lineMax(xl, dim, inner);
    double s = 0;
    for (size_t d = 0; d < dim; ++d) s += std::exp(xl[d * inner] - m);
    // (x − m) − log(s), never m + log(s): adding the max back would round away
    // digits on the scale of m's last place.
    const double ls = std::log(s);
    for (size_t d = 0; d < dim; ++d) {
      ol[d * inner] = static_cast<T>((static_cast<double>(xl[d * inner]) - m) - ls);
    }
  });
}

// dx = y · (dy − Σ dy·y)
template <class T>
void softmaxBackward(const T* y, const T* dy, size_t outer, size_t dim, size_t inner, T* dx) {
  forEachLine(outer, dim, inner, [&](size_t off) {
    double dot = 0;
    for (size_t d = 0; d < dim; ++d) {
      dot += static_cast<double>(dy[off + d * inner]) * y[off + d * inner];
    }
    const T t = static_cast<T>(dot);
    for (size_t d = 0; d < dim; ++d) {
      const size_t j = off + d * inner;
      dx[j] = y[j] * (dy[j] - t);
    }
  });
}

// dx = dy − exp(y) · Σ dy
template <class T>
void logSoftmaxBackward(const T* y, const T* dy, size_t outer, size_t dim, size_t inner, T* dx) {
  forEachLine(outer, dim, inner, [&](size_t off) {
    double s = 0;
    for (size_t d = 0; d < dim; ++d) s += dy[off + d * inner];
    const T t = static_cast<T>(s);
    for (size_t d = 0; d < dim; ++d) {
      const size_t j = off + d * inner;
      dx[j] = dy[j] - std::exp(y[j]) * t;
    }
  });
}

}  // namespace torchlet::kernels

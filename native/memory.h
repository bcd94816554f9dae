// Memory kernels: copy, cast, fill, transpose2d, strided copy.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "numeric.h"

namespace torchlet::kernels {

template <class T>
void copy(const T* src, T* dst, size_t n) {
  if (n > 0) std::memcpy(dst, src, n * sizeof(T));
}

// dst[i] = src[i] converted as a TypedArray store would (float → int32 is JS
// ToInt32: truncation toward 0, NaN/±Infinity → 0, wrapping modulo 2^32).
template <class S, class D>
void cast(const S* src, D* dst, size_t n) {
  if constexpr (std::is_same_v<D, int32_t> && !std::is_integral_v<S>) {
    for (size_t i = 0; i < n; ++i) dst[i] = toInt32(static_cast<double>(src[i]));
  } else {
    for (size_t i = 0; i < n; ++i) dst[i] = static_cast<D>(src[i]);
  }
}

template <class T>
void fill(T* dst, size_t n, T value) {
  for (size_t i = 0; i < n; ++i) dst[i] = value;
}

// out[j, i] = x[i, j] for x [rows, cols], in cache-sized tiles.
template <class T>
void transpose2d(const T* x, size_t rows, size_t cols, T* out) {
  constexpr size_t B = 32;
  for (size_t r0 = 0; r0 < rows; r0 += B) {
    const size_t r1 = std::min(rows, r0 + B);
    for (size_t c0 = 0; c0 < cols; c0 += B) {
      const size_t c1 = std::min(cols, c0 + B);
      for (size_t r = r0; r < r1; ++r) {
        for (size_t c = c0; c < c1; ++c) out[c * rows + r] = x[r * cols + c];
      }
    }
  }
}

// One row of a strided copy: n elements, element strides ss (src) and ds (dst).
template <class T>
void copyRow(const T* src, int64_t ss, T* dst, int64_t ds, size_t n) {
  if (ss == 1 && ds == 1) {
    std::memcpy(dst, src, n * sizeof(T));
  } else if (ss == 0 && ds == 1) {
    const T v = *src;
    for (size_t i = 0; i < n; ++i) dst[i] = v;
  } else if (ds == 1) {
    for (size_t i = 0; i < n; ++i) dst[i] = src[static_cast<int64_t>(i) * ss];
  } else {
    for (size_t i = 0; i < n; ++i) {
      dst[static_cast<int64_t>(i) * ds] = src[static_cast<int64_t>(i) * ss];
    }
  }
}

}  // namespace torchlet::kernels

// Kernels behind torch.where / maskedFill, cumsum and sort / argsort / topk.
// Axis kernels view x as [outer, dim, inner] and walk one lane (fixed o, i) at
// a time. The binding has checked every length before these run.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <type_traits>
#include <vector>

#include "numeric.h"

namespace torchlet::kernels {

// out[i] = cond[i] != 0 ? a[i] : b[i] (NaN is nonzero).
template <class C, class T>
void where(const C* cond, const T* a, const T* b, T* out, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = cond[i] != 0 ? a[i] : b[i];
}

// Prefix sums along the middle axis (reverse: from the end). Float sums run in
// double and round each prefix once; int32 wraps modulo 2^32.
template <class T>
void cumsum(const T* x, size_t outer, size_t dim, size_t inner, bool reverse, T* out) {
  using Acc = std::conditional_t<std::is_integral_v<T>, int64_t, double>;
  const ptrdiff_t step = reverse ? -static_cast<ptrdiff_t>(inner) : static_cast<ptrdiff_t>(inner);
  for (size_t o = 0; o < outer; ++o) {
    for (size_t i = 0; i < inner; ++i) {
      ptrdiff_t j = static_cast<ptrdiff_t>(o * dim * inner + i + (reverse ? (dim - 1) * inner : 0));
      Acc s = 0;
      for (size_t d = 0; d < dim; ++d, j += step) {
        if constexpr (std::is_integral_v<T>) {
          s = wrap32(s + x[j]);
          out[j] = static_cast<T>(s);
        } else {
          s += x[j];
          out[j] = static_cast<T>(s);
        }
      }
    }
  }
}

// a before b in ascending order: smaller, or a number before NaN.
template <class T>
bool sortsBefore(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    return a < b;
  } else {
    return a < b || (std::isnan(b) && !std::isnan(a));
  }
}

// Stable sort of every lane into values and their source positions.
template <class T>
void sort(const T* x, size_t outer, size_t dim, size_t inner, bool descending, T* values, int32_t* indices) {
  std::vector<T> lane(dim);
  std::vector<int32_t> order(dim);
  for (size_t o = 0; o < outer; ++o) {
    for (size_t i = 0; i < inner; ++i) {
      const size_t base = o * dim * inner + i;
      for (size_t d = 0; d < dim; ++d) lane[d] = x[base + d * inner];
      std::iota(order.begin(), order.end(), 0);
      if (descending) {
        std::stable_sort(order.begin(), order.end(), [&](int32_t p, int32_t q) { return sortsBefore(lane[q], lane[p]); });
      } else {
        std::stable_sort(order.begin(), order.end(), [&](int32_t p, int32_t q) { return sortsBefore(lane[p], lane[q]); });
      }
      for (size_t d = 0; d < dim; ++d) {
        values[base + d * inner] = lane[order[d]];
        indices[base + d * inner] = order[d];
      }
    }
  }
}

}  // namespace torchlet::kernels

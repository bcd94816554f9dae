// Kernels behind torch.where / maskedFill, cumsum and sort / argsort / topk.
// Axis kernels view x as [outer, dim, inner] and walk one lane (fixed o, i) at
// a time. The binding has checked every length before these run.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
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

// Stable sort of every lane into values and their source positions. NaN sorts
// above every number: NaNs are set apart first (keeping their order), the
// numbers sorted as (value, position) pairs, the NaN block put at the end
// (ascending) or the front (descending).
template <class T>
void sort(const T* x, size_t outer, size_t dim, size_t inner, bool descending, T* values, int32_t* indices) {
  struct Item {
    T v;
    int32_t i;
  };
  std::vector<Item> lane(dim);
  for (size_t o = 0; o < outer; ++o) {
    for (size_t i = 0; i < inner; ++i) {
      const size_t base = o * dim * inner + i;
      for (size_t d = 0; d < dim; ++d) lane[d] = {x[base + d * inner], static_cast<int32_t>(d)};
      auto numbers = lane.end();
      if constexpr (!std::is_integral_v<T>) {
        numbers = std::stable_partition(lane.begin(), lane.end(), [](const Item& a) { return !std::isnan(a.v); });
      }
      if (descending) {
        std::stable_sort(lane.begin(), numbers, [](const Item& a, const Item& b) { return b.v < a.v; });
        std::rotate(lane.begin(), numbers, lane.end());
      } else {
        std::stable_sort(lane.begin(), numbers, [](const Item& a, const Item& b) { return a.v < b.v; });
      }
      for (size_t d = 0; d < dim; ++d) {
        values[base + d * inner] = lane[d].v;
        indices[base + d * inner] = lane[d].i;
      }
    }
  }
}

}  // namespace torchlet::kernels

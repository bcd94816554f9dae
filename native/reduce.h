// Reductions over the middle axis of [outer, dim, inner] into out[outer, inner].
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include "numeric.h"
#include "thread_pool.h"

namespace torchlet::kernels {

// Float sums accumulate in double; int32 sums in int64 and wrap when stored.
template <class T>
using Acc = std::conditional_t<std::is_integral_v<T>, int64_t, double>;

template <class T>
T storeAcc(Acc<T> v) {
  if constexpr (std::is_integral_v<T>) {
    return wrap32(v);
  } else {
    return static_cast<T>(v);
  }
}

// A sum in independent partial sums: one running sum is a dependency chain of
// 4-cycle adds; eight vectorise (the order changes only the last bits).
// Whole groups of eight values go to the lanes, the last m % 8 values of the
// last add are added after the lanes are combined: the `sum` and `mean` ops
// and the fused losses' reductions all add in this order.
template <class A>
struct LaneSum {
  static constexpr size_t kLanes = 8;
  A lanes[kLanes] = {};
  A tail[kLanes] = {};
  size_t tailCount = 0;

  // Adds v[0..m); every call but the last must pass a multiple of kLanes values.
  template <class T>
  void add(const T* v, size_t m) {
    size_t d = 0;
    for (; d + kLanes <= m; d += kLanes) {
      for (size_t l = 0; l < kLanes; ++l) lanes[l] += v[d + l];
    }
    tailCount = m - d;
    for (size_t j = 0; j < tailCount; ++j) tail[j] = v[d + j];
  }

  A total() const {
    A s = 0;
    for (size_t l = 0; l < kLanes; ++l) s += lanes[l];
    for (size_t j = 0; j < tailCount; ++j) s += tail[j];
    return s;
  }
};

// Elements below which a reduction over rows runs on one thread, and columns per part at least.
constexpr size_t kParallelReduceElems = size_t{1} << 16;
constexpr size_t kReduceMinColumns = 64;

// out[o, i] = scale(Σ_d x[o, d, i]) with scale = identity (sum) or 1/dim (mean).
template <class T, bool Mean>
void sumOrMean(ThreadPool* pool, const T* x, size_t outer, size_t dim, size_t inner, T* out) {
  if (outer == 0 || inner == 0) return;
  if (dim == 0) {
    const T v = Mean ? std::numeric_limits<T>::quiet_NaN() : T(0);
    for (size_t j = 0; j < outer * inner; ++j) out[j] = v;
    return;
  }
  if (inner == 1) {
    for (size_t o = 0; o < outer; ++o) {
      LaneSum<Acc<T>> sum;
      sum.add(x + o * dim, dim);
      const Acc<T> s = sum.total();
      if constexpr (Mean) {
        out[o] = static_cast<T>(s / static_cast<double>(dim));
      } else {
        out[o] = storeAcc<T>(s);
      }
    }
    return;
  }
  // Columns split across the pool for big inputs: each column's sum runs
  // over d in order whatever the split.
  ThreadPool* parts = outer * dim * inner >= kParallelReduceElems ? pool : nullptr;
  std::vector<Acc<T>> acc(inner);
  ParallelRanges(parts, inner, kReduceMinColumns, [&](size_t lo, size_t hi) {
    for (size_t o = 0; o < outer; ++o) {
      for (size_t i = lo; i < hi; ++i) acc[i] = 0;
      for (size_t d = 0; d < dim; ++d) {
        const T* row = x + (o * dim + d) * inner;
        for (size_t i = lo; i < hi; ++i) acc[i] += row[i];
      }
      T* dst = out + o * inner;
      for (size_t i = lo; i < hi; ++i) {
        if constexpr (Mean) {
          dst[i] = static_cast<T>(acc[i] / static_cast<double>(dim));
        } else {
          dst[i] = storeAcc<T>(acc[i]);
        }
      }
    }
  });
}

template <class T>
void sum(ThreadPool* pool, const T* x, size_t outer, size_t dim, size_t inner, T* out) {
  sumOrMean<T, false>(pool, x, outer, dim, inner, out);
}

template <class T>
void mean(ThreadPool* pool, const T* x, size_t outer, size_t dim, size_t inner, T* out) {
  sumOrMean<T, true>(pool, x, outer, dim, inner, out);
}

// Max (IsMax) or min over the axis with the index of the first extreme element;
// the first NaN wins and stays. dim >= 1.
template <class T, bool IsMax>
void argExtreme(const T* x, size_t outer, size_t dim, size_t inner, T* out, int32_t* indices) {
  for (size_t o = 0; o < outer; ++o) {
    const T* base = x + o * dim * inner;
    T* ov = out + o * inner;
    int32_t* oi = indices + o * inner;
    for (size_t i = 0; i < inner; ++i) {
      ov[i] = base[i];
      oi[i] = 0;
    }
    for (size_t d = 1; d < dim; ++d) {
      const T* row = base + d * inner;
      for (size_t i = 0; i < inner; ++i) {
        const T v = row[i];
        const T cur = ov[i];
        bool take = IsMax ? (v > cur) : (v < cur);
        if constexpr (!std::is_integral_v<T>) take = take || (v != v && cur == cur);
        if (take) {
          ov[i] = v;
          oi[i] = static_cast<int32_t>(d);
        }
      }
    }
  }
}

template <class T>
void max(const T* x, size_t outer, size_t dim, size_t inner, T* out, int32_t* indices) {
  argExtreme<T, true>(x, outer, dim, inner, out, indices);
}

template <class T>
void min(const T* x, size_t outer, size_t dim, size_t inner, T* out, int32_t* indices) {
  argExtreme<T, false>(x, outer, dim, inner, out, indices);
}

}  // namespace torchlet::kernels

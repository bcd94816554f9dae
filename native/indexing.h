// Indexing along the middle axis of [outer, dimX, inner]. Indices are checked
// by the binding before any of these run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace torchlet::kernels {

// out[o, j, i] = x[o, idx[j], i]
template <class T>
void indexSelect(const T* x, size_t outer, size_t dimX, size_t inner, const int32_t* idx,
                 size_t n, T* out) {
  for (size_t o = 0; o < outer; ++o) {
    for (size_t j = 0; j < n; ++j) {
      const T* src = x + (o * dimX + static_cast<size_t>(idx[j])) * inner;
      std::memcpy(out + (o * n + j) * inner, src, inner * sizeof(T));
    }
  }
}

// dx[o, idx[j], i] += dy[o, j, i]
template <class T>
void indexAdd(const T* dy, size_t outer, size_t dimX, size_t inner, const int32_t* idx, size_t n,
              T* dx) {
  for (size_t o = 0; o < outer; ++o) {
    for (size_t j = 0; j < n; ++j) {
      const T* src = dy + (o * n + j) * inner;
      T* dst = dx + (o * dimX + static_cast<size_t>(idx[j])) * inner;
      for (size_t i = 0; i < inner; ++i) dst[i] += src[i];
    }
  }
}

// out[o, j, i] = x[o, idx[o, j, i], i]
template <class T>
void gather(const T* x, size_t outer, size_t dimX, size_t inner, const int32_t* idx, size_t n,
            T* out) {
  for (size_t o = 0; o < outer; ++o) {
    const T* xo = x + o * dimX * inner;
    for (size_t j = 0; j < n; ++j) {
      const size_t row = (o * n + j) * inner;
      for (size_t i = 0; i < inner; ++i) {
        out[row + i] = xo[static_cast<size_t>(idx[row + i]) * inner + i];
      }
    }
  }
}

// dx[o, idx[o, j, i], i] += dy[o, j, i]
template <class T>
void scatterAdd(const T* dy, size_t outer, size_t dimX, size_t inner, const int32_t* idx,
                size_t n, T* dx) {
  for (size_t o = 0; o < outer; ++o) {
    T* dxo = dx + o * dimX * inner;
    for (size_t j = 0; j < n; ++j) {
      const size_t row = (o * n + j) * inner;
      for (size_t i = 0; i < inner; ++i) {
        dxo[static_cast<size_t>(idx[row + i]) * inner + i] += dy[row + i];
      }
    }
  }
}

}  // namespace torchlet::kernels

// im2col / col2im: the lowering of a 2-D convolution to GEMM, for the
// channels [c0, c1) of one image (the binding splits channels across the
// pool). Image x is [c, h, w], cols is [c·kH·kW, oH·oW]; window (y, x) of
// kernel tap (i, j) reads x[y·strideH − padTop + i·dilH, x·strideW − padLeft + j·dilW],
// positions outside the image are padding (0).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace torchlet::kernels {

struct ConvGeometry {
  int64_t h, w, kH, kW, strideH, strideW, padTop, padLeft, dilH, dilW, oH, oW;
};

// The grid columns [lo, hi) whose input column ix = x·stride − pad + off lies in [0, w).
inline void ValidRange(int64_t off, int64_t stride, int64_t w, int64_t oW, int64_t* lo, int64_t* hi) {
  if (stride == 0) {
    const bool in = off >= 0 && off < w;
    *lo = 0;
    *hi = in ? oW : 0;
    return;
  }
  // x ≥ ceil(−off / stride) and x ≤ floor((w − 1 − off) / stride)
  const int64_t first = off >= 0 ? 0 : (-off + stride - 1) / stride;
  const int64_t last = w - 1 - off < 0 ? -1 : (w - 1 - off) / stride;
  *lo = std::min(first, oW);
  *hi = std::max(*lo, std::min(last + 1, oW));
}

// Calls f(p, at, lo, hi) for every row of cols in channels [c0, c1): p is the
// row's offset in cols, [lo, hi) the grid columns that read inside the image
// (empty when the row's image row is padding) and at + x·strideW the image
// index column x reads (at is 0 for a padding row).
template <class F>
void EachColsRow(int64_t c0, int64_t c1, const ConvGeometry& g, F&& f) {
  int64_t p = c0 * g.kH * g.kW * g.oH * g.oW;
  for (int64_t ci = c0; ci < c1; ++ci) {
    for (int64_t i = 0; i < g.kH; ++i) {
      for (int64_t j = 0; j < g.kW; ++j) {
        const int64_t offX = j * g.dilW - g.padLeft;
        int64_t lo, hi;
        ValidRange(offX, g.strideW, g.w, g.oW, &lo, &hi);
        for (int64_t y = 0; y < g.oH; ++y, p += g.oW) {
          const int64_t iy = y * g.strideH - g.padTop + i * g.dilH;
          const bool inside = iy >= 0 && iy < g.h;
          if (inside) {
            f(p, (ci * g.h + iy) * g.w + offX, lo, hi);
          } else {
            f(p, int64_t{0}, int64_t{0}, int64_t{0});
          }
        }
      }
    }
  }
}

template <class T>
void im2col(const T* x, int64_t c0, int64_t c1, const ConvGeometry& g, T* cols) {
  EachColsRow(c0, c1, g, [&](int64_t p, int64_t at, int64_t lo, int64_t hi) {
    T* row = cols + p;
    std::fill(row, row + lo, T(0));
    if (g.strideW == 1) {
      std::copy(x + at + lo, x + at + hi, row + lo);
    } else {
      for (int64_t xo = lo; xo < hi; ++xo) row[xo] = x[at + xo * g.strideW];
    }
    std::fill(row + hi, row + g.oW, T(0));
  });
}

template <class T>
void col2im(const T* cols, int64_t c0, int64_t c1, const ConvGeometry& g, T* out) {
  std::fill(out + c0 * g.h * g.w, out + c1 * g.h * g.w, T(0));
  EachColsRow(c0, c1, g, [&](int64_t p, int64_t at, int64_t lo, int64_t hi) {
    for (int64_t xo = lo; xo < hi; ++xo) out[at + xo * g.strideW] += cols[p + xo];
  });
}

}  // namespace torchlet::kernels

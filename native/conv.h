// im2col / col2im: the lowering of a 2-D convolution to GEMM. Image x is
// [c, h, w], cols is [c·kH·kW, oH·oW]; window (y, x) of
// kernel tap (i, j) reads x[y·strideH − padTop + i·dilH, x·strideW − padLeft + j·dilW],
// positions outside the image are padding (0).
//
// convForward / convBackwardInput / convBackwardWeight: a whole batch of
// convolutions through im2col + GEMM (see ConvShape), or for small float32
// ones with stride 1 the direct path of conv_direct.h (UseDirectConv). The
// samples are split across the pool (a few parts per thread), each running
// part with its own im2col scratch and single-threaded GEMMs: a sample's
// columns (conv2 of PyTorch's MNIST net: 288×576 floats) stay in the core's L2
// between im2col and the GEMM that reads them, and no GEMM pays a hand-off per
// call. A batch smaller than the pool runs sample by sample with each GEMM
// split across the pool instead.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "conv_direct.h"
#include "conv_shape.h"
#include "gemm.h"
#include "thread_pool.h"

namespace torchlet::kernels {

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

// Calls f(p, at, lo, hi) for every row of cols of c channels: p is the
// row's offset in cols, [lo, hi) the grid columns that read inside the image
// (empty when the row's image row is padding) and at + x·strideW the image
// index column x reads (at is 0 for a padding row).
template <class F>
void EachColsRow(int64_t c, const ConvGeometry& g, F&& f) {
  int64_t p = 0;
  for (int64_t ci = 0; ci < c; ++ci) {
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

// Tap (ci, i, j) at a time: the grid rows whose image row lies inside the
// image form one range per tap, the rest are whole rows of zeros; plain loops,
// as rows are short (LeNet's are 10–28 elements), where a memcpy/memset call
// per segment costs more than the copy. 13–30% faster than walking the rows
// through EachColsRow on LeNet's and W7's shapes.
template <class T>
void im2col(const T* x, int64_t c, const ConvGeometry& g, T* cols) {
  const int64_t cells = g.oH * g.oW;
  T* out = cols;
  for (int64_t ci = 0; ci < c; ++ci) {
    for (int64_t i = 0; i < g.kH; ++i) {
      const int64_t offY = i * g.dilH - g.padTop;
      int64_t yLo, yHi;
      ValidRange(offY, g.strideH, g.h, g.oH, &yLo, &yHi);
      for (int64_t j = 0; j < g.kW; ++j, out += cells) {
        const int64_t offX = j * g.dilW - g.padLeft;
        int64_t lo, hi;
        ValidRange(offX, g.strideW, g.w, g.oW, &lo, &hi);
        std::fill(out, out + yLo * g.oW, T(0));
        std::fill(out + yHi * g.oW, out + cells, T(0));
        for (int64_t y = yLo; y < yHi; ++y) {
          T* row = out + y * g.oW;
          // Column xo reads x[at + xo·strideW] (at may be negative: xo ≥ lo keeps the index in the image).
          const int64_t at = (ci * g.h + y * g.strideH + offY) * g.w + offX;
          for (int64_t xo = 0; xo < lo; ++xo) row[xo] = T(0);
          if (g.strideW == 1) {
            for (int64_t xo = lo; xo < hi; ++xo) row[xo] = x[at + xo];
          } else {
            for (int64_t xo = lo; xo < hi; ++xo) row[xo] = x[at + xo * g.strideW];
          }
          for (int64_t xo = hi; xo < g.oW; ++xo) row[xo] = T(0);
        }
      }
    }
  }
}

template <class T>
void col2im(const T* cols, int64_t c, const ConvGeometry& g, T* out) {
  std::fill(out, out + c * g.h * g.w, T(0));
  EachColsRow(c, g, [&](int64_t p, int64_t at, int64_t lo, int64_t hi) {
    for (int64_t xo = lo; xo < hi; ++xo) out[at + xo * g.strideW] += cols[p + xo];
  });
}

// Calls f(part, i, first, inner, cols) for every sample-group i of the batch
// (i = sample·groups + group), split as `split` says: `first` when i belongs
// to its part's first sample, `inner` the pool for the GEMMs (null when the
// samples are split), cols an im2col scratch the part has to itself (null
// when pointwise).
template <class T, class F>
void EachSlice(ThreadPool* pool, const SampleSplit& split, const ConvShape& s, F&& f) {
  ScratchSet<T> cols(s.pointwise() ? 0 : split.workers, s.kk() * s.cells());
  RunSamples(pool, split, s.n, [&](int part, int64_t n0, int64_t n1, ThreadPool* inner) {
    int slot = 0;
    T* scratch = cols.take(&slot);
    for (int64_t i = n0 * s.groups; i < n1 * s.groups; ++i) f(part, i, i < (n0 + 1) * s.groups, inner, scratch);
    cols.give(slot);
  });
}

// The columns of image slice x: x itself when pointwise (no scratch), else im2col into cols.
template <class T>
const T* Unfold(const ConvShape& s, const T* x, T* cols) {
  if (cols == nullptr) return x;
  im2col(x, s.c, s.g, cols);
  return cols;
}

// grid[i, g] = weight[g] · im2col(image[i, g]) for every sample i and group g.
template <class T>
void convForward(ThreadPool* pool, const T* image, const T* weight, const ConvShape& s, T* grid) {
  if (s.n == 0 || s.grid() == 0) return;
  const SampleSplit split = SplitSamples(pool, s);
  if constexpr (std::is_same_v<T, float>) {
    if (UseDirectConv(s, split, ConvProduct::kForward)) return DirectForward(pool, split, image, weight, s, grid);
  }
  EachSlice<T>(pool, split, s, [&](int, int64_t i, bool, ThreadPool* inner, T* cols) {
    gemm<T>(inner, false, false, s.oc, s.cells(), s.kk(), T(1), weight + (i % s.groups) * s.weight(),
            Unfold(s, image + i * s.image(), cols), T(0), grid + i * s.grid());
  });
}

// image[i, g] = col2im(weight[g]ᵀ · grid[i, g]) for every sample i and group g.
template <class T>
void convBackwardInput(ThreadPool* pool, const T* grid, const T* weight, const ConvShape& s, T* image) {
  if (s.n == 0 || s.image() == 0) return;
  // No grid channels: a sum of nothing (and no im2col scratch, which a huge kernel would make giant).
  if (s.oc == 0) {
    std::fill(image, image + s.n * s.groups * s.image(), T(0));
    return;
  }
  const SampleSplit split = SplitSamples(pool, s);
  if constexpr (std::is_same_v<T, float>) {
    if (UseDirectConv(s, split, ConvProduct::kBackwardInput) && AllFinite(weight, s.weight())) {
      return DirectBackwardInput(pool, split, grid, weight, s, image);
    }
  }
  EachSlice<T>(pool, split, s, [&](int, int64_t i, bool, ThreadPool* inner, T* cols) {
    T* out = image + i * s.image();
    gemm<T>(inner, true, false, s.kk(), s.cells(), s.oc, T(1), weight + (i % s.groups) * s.weight(),
            grid + i * s.grid(), T(0), cols == nullptr ? out : cols);
    if (cols != nullptr) col2im(cols, s.c, s.g, out);
  });
}

// weight[g] = Σ_i grid[i, g] · im2col(image[i, g])ᵀ (overwritten). Each part
// sums its own samples, part 0 into weight and the others into scratch that is
// added to it in part order afterwards.
template <class T>
void convBackwardWeight(ThreadPool* pool, const T* image, const T* grid, const ConvShape& s, T* weight) {
  const size_t size = static_cast<size_t>(s.groups * s.weight());
  if (size == 0) return;
  // No samples, or no windows (a sum of nothing however many samples there are).
  if (s.n == 0 || s.cells() == 0) {
    std::fill(weight, weight + size, T(0));
    return;
  }
  const SampleSplit split = SplitSamples(pool, s);
  if constexpr (std::is_same_v<T, float>) {
    if (UseDirectConv(s, split, ConvProduct::kBackwardWeight) && AllFinite(image, s.n * s.image())) {
      return DirectBackwardWeight(pool, split, image, grid, s, weight);
    }
  }
  auto partial = Scratch<T>(split.parts - 1, static_cast<int64_t>(size));
  EachSlice<T>(pool, split, s, [&](int part, int64_t i, bool first, ThreadPool* inner, T* cols) {
    T* sum = part == 0 ? weight : partial[part - 1].get();
    // The part's first sample overwrites.
    gemm<T>(inner, false, true, s.oc, s.kk(), s.cells(), T(1), grid + i * s.grid(), Unfold(s, image + i * s.image(), cols),
            first ? T(0) : T(1), sum + (i % s.groups) * s.weight());
  });
  AddPartials(partial, static_cast<int64_t>(size), weight);
}

}  // namespace torchlet::kernels

// Direct convolution for float32 with stride 1, dilation 1 and one group:
// no im2col, no GEMM call. Each sample's image is copied once into a
// zero-padded layout [c, rows, cols] (the padding the windows read made real,
// so no bounds checks), each channel a flat row; window tap (ci, i, j) then
// reads that row from ci·rows·cols + i·cols + j, and every output channel is
// the sum over taps of a weight times a shifted window of the row (simd
// shiftedGemm: register-blocked over output channels × 64 columns, vectorised
// along the flattened output rows). The output comes out with rows `cols`
// apart; the kW − 1 columns past each row's end are computed and dropped.
//
//   forward         grid[o]  = Σ_(ci,i,j) w[o, ci, i, j] · pad(image)[ci] from tap
//   backward input  image[c] = Σ_(o,i,j) w[o, c, kH−1−i, kW−1−j] · pad(grid)[o] from tap
//                   (the "full" correlation with the flipped kernel)
//   backward weight w[o, p]  = Σ_t grid[o, t] · pad(image)[tap p + t] (simd
//                   shiftedDot; the grid laid out with the same row length,
//                   zeros in the dropped columns)
//
// These calls are tiny GEMMs (LeNet: M = 6, K = 25) where OpenBLAS's per-call
// overhead and im2col's short-row copies cost several times the
// multiply-adds; UseDirectConv says when the direct path is the faster one.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "conv_shape.h"
#include "simd/simd.h"

namespace torchlet::kernels {

// When the direct path is the faster one, measured per product against
// im2col + OpenBLAS (interleaved calls, batch 64, 2 threads, AVX-512; direct
// time / im2col time for forward, input gradient, weight gradient; two runs,
// one on a quiet machine, one beside other jobs, the range when they differ):
//   LeNet conv1 1→6 5×5 pad 2 28×28     0.45–0.54  0.82–0.85  0.50–0.53
//   LeNet conv2 6→16 5×5 14×14          0.68–0.70  0.80–1.15  0.69–0.71
//   CIFAR LeNet conv1 3→6 5×5 32×32     0.38–0.41  0.48–0.57  0.43–0.50
//   16→16 3×3 pad 1 14×14               0.73–0.77  0.53–0.62  0.52–0.59
//   8→8 3×3 pad 1 16×16                 0.42–0.55  0.56–0.61  0.64–0.76
//   MNIST CNN conv1 1→32 3×3 28×28      1.20–1.90  2.53–2.68  1.59–1.83
//   1→16 5×5 pad 2 28×28                1.07–1.18  1.40–1.41  0.94–1.05
//   MNIST CNN conv2 32→64 3×3 26×26     0.86–1.26  0.99–1.05  0.92–0.94
// Past kDirectConvMaxTaps taps per output (c·kH·kW; conv2 of the MNIST CNN
// has 288) OpenBLAS's GEMM runs near peak and the direct path wins nothing
// reliable; with more than kDirectConvMaxFanOut output channels per input
// channel each output sums few taps (short register blocks, a large output to
// crop) while im2col copies a small image; and the input gradient, a full
// correlation over the grid padded by kH − 1 and kW − 1, wins nothing
// reliable once that border holds more than half the padded grid (LeNet
// conv2: 10×10 of 18×18), whose zeros it multiplies. At AVX2
// (TORCHLET_SIMD=avx2) the five shapes the rule selects measured 0.48–0.91
// forward and 0.68–1.35 weight gradient (8 lanes, half the FMA width).
constexpr int64_t kDirectConvMaxTaps = 150;
constexpr int64_t kDirectConvMaxFanOut = 8;

enum class ConvProduct { kForward, kBackwardInput, kBackwardWeight };

// The direct kernels run at AVX2 and AVX-512 only: at the baseline level
// (4-wide SSE2 without FMA; NEON elsewhere, not measured) LeNet's products
// measured 0.9–7× the time of im2col + OpenBLAS, whose own kernels use the
// CPU's widest units whatever TORCHLET_SIMD says.
inline bool DirectConvLevel() {
  const char* level = simd::table().level;
  return std::strcmp(level, "avx2") == 0 || std::strcmp(level, "avx512") == 0;
}

// The direct path applies (float32 only; the caller checks the type): an
// AVX2 or AVX-512 level, stride 1, dilation 1, one group, nothing empty, the
// samples split across the pool or run on one thread (a batch smaller than the
// pool splits each GEMM instead), and the measured rule above.
inline bool UseDirectConv(const ConvShape& s, const SampleSplit& split, ConvProduct product) {
  const ConvGeometry& g = s.g;
  const bool applies = DirectConvLevel() && split.inner == nullptr && s.groups == 1 && g.strideH == 1 && g.strideW == 1 && g.dilH == 1 &&
                       g.dilW == 1 && s.c > 0 && s.oc > 0 && g.h > 0 && g.w > 0 && s.cells() > 0;
  if (!applies || s.kk() > kDirectConvMaxTaps || s.oc > kDirectConvMaxFanOut * s.c) return false;
  const int64_t paddedGrid = (g.h + g.kH - 1) * (g.w + g.kW - 1);
  return product != ConvProduct::kBackwardInput || 2 * s.cells() >= paddedGrid;
}

// One side of a direct product: `planes` channels of an [h, w] image padded
// into [rows, cols] (image row y at padded row y + top, column x at x + left;
// top and left may be negative: those image rows and columns are never read),
// read by taps of a kH × kW window for `outRows` output rows.
struct PaddedSide {
  int64_t planes, h, w, top, left, rows, cols, outRows;
  int64_t plane() const { return rows * cols; }
  // The output's flattened length, rounded up to the simd kernels' unit.
  int64_t span() const {
    const int64_t unit = static_cast<int64_t>(simd::kShiftColumns);
    return (outRows * cols + unit - 1) / unit * unit;
  }
};

// The offset of every tap (ch, i, j) of a window over `side`, in (ch, i, j) order.
inline std::vector<ptrdiff_t> TapOffsets(const PaddedSide& side, int64_t kH, int64_t kW) {
  std::vector<ptrdiff_t> off;
  off.reserve(static_cast<size_t>(side.planes * kH * kW));
  for (int64_t ch = 0; ch < side.planes; ++ch) {
    for (int64_t i = 0; i < kH; ++i) {
      for (int64_t j = 0; j < kW; ++j) off.push_back(ch * side.plane() + i * side.cols + j);
    }
  }
  return off;
}

// out[0, total): channel ch's padded [rows, cols] at ch·stride, zeros
// everywhere else; each value written once (the padded grid of a wide layer
// is larger than L1, where a zero fill then a copy would pass over it twice).
inline void PadPlanes(const float* x, const PaddedSide& side, int64_t stride, int64_t total, float* out) {
  // The image rows [y0, y1) and columns [x0, x1) inside the layout, at padded
  // rows [r0, r1) and columns [q0, q1) (all empty when the layout reads none:
  // the grid size is given, so the padding may lie past every window).
  const int64_t y0 = std::max<int64_t>(0, -side.top);
  const int64_t y1 = std::min(side.h, side.rows - side.top);
  const int64_t x0 = std::max<int64_t>(0, -side.left);
  const int64_t x1 = std::min(side.w, side.cols - side.left);
  const bool any = y0 < y1 && x0 < x1;
  const int64_t r0 = any ? y0 + side.top : 0;
  const int64_t r1 = any ? y1 + side.top : 0;
  const int64_t q0 = any ? x0 + side.left : 0;
  const int64_t q1 = any ? x1 + side.left : 0;
  float* end = out;
  for (int64_t ch = 0; ch < side.planes; ++ch) {
    float* plane = out + ch * stride;
    std::fill(end, plane + r0 * side.cols, 0.0f);
    for (int64_t r = r0; r < r1; ++r) {
      const float* src = x + (ch * side.h + r - side.top) * side.w;
      float* dst = plane + r * side.cols;
      for (int64_t q = 0; q < q0; ++q) dst[q] = 0.0f;
      for (int64_t q = q0; q < q1; ++q) dst[q] = src[q - side.left];
      for (int64_t q = q1; q < side.cols; ++q) dst[q] = 0.0f;
    }
    end = plane + r1 * side.cols;
  }
  std::fill(end, out + total, 0.0f);
}

// The length of a padded side's buffer: every tap reads span() values from its offset.
inline int64_t PaddedLength(const std::vector<ptrdiff_t>& off, const PaddedSide& side) {
  return static_cast<int64_t>(off.back()) + side.span();
}

// out [planes, outRows, outW] = the first outW columns of each row of y [planes, span] (rows `cols` apart).
inline void Crop(const float* y, int64_t planes, int64_t span, int64_t outRows, int64_t cols, int64_t outW, float* out) {
  for (int64_t ch = 0; ch < planes; ++ch) {
    for (int64_t r = 0; r < outRows; ++r) {
      const float* src = y + ch * span + r * cols;
      float* dst = out + (ch * outRows + r) * outW;
      for (int64_t xi = 0; xi < outW; ++xi) dst[xi] = src[xi];
    }
  }
}

// The image side of the forward product and of the weight gradient.
inline PaddedSide ImageSide(const ConvShape& s) {
  const ConvGeometry& g = s.g;
  return {s.c, g.h, g.w, g.padTop, g.padLeft, g.oH + g.kH - 1, g.oW + g.kW - 1, g.oH};
}

// out [oc, outRows, outW] = a [oc, taps] times the taps of `side` over each
// sample (in [n, planes, h, w]), with one pad + product scratch per running part.
inline void DirectProduct(ThreadPool* pool, const SampleSplit& split, const ConvShape& s, const float* x, const float* a,
                          int64_t outPlanes, const PaddedSide& side, int64_t kH, int64_t kW, int64_t outW, float* out) {
  const std::vector<ptrdiff_t> off = TapOffsets(side, kH, kW);
  const int64_t padded = PaddedLength(off, side);
  const int64_t span = side.span();
  const int64_t inSize = side.planes * side.h * side.w;
  const int64_t outSize = outPlanes * side.outRows * outW;
  ScratchSet<float> scratch(split.workers, padded + outPlanes * span);
  const simd::Table& simd = simd::table();
  RunSamples(pool, split, s.n, [&](int, int64_t n0, int64_t n1, ThreadPool*) {
    int slot = 0;
    float* xp = scratch.take(&slot);
    float* yp = xp + padded;
    for (int64_t i = n0; i < n1; ++i) {
      PadPlanes(x + i * inSize, side, side.plane(), padded, xp);
      simd.shiftedGemm(a, xp, off.data(), static_cast<size_t>(outPlanes), off.size(), static_cast<size_t>(span),
                       static_cast<size_t>(span), yp);
      Crop(yp, outPlanes, span, side.outRows, side.cols, outW, out + i * outSize);
    }
    scratch.give(slot);
  });
}

inline void DirectForward(ThreadPool* pool, const SampleSplit& split, const float* image, const float* weight,
                          const ConvShape& s, float* grid) {
  DirectProduct(pool, split, s, image, weight, s.oc, ImageSide(s), s.g.kH, s.g.kW, s.g.oW, grid);
}

// image = the full correlation of the grid with the flipped kernel: the grid
// padded by kH − 1 − padTop rows on top and kW − 1 − padLeft columns on the
// left, so that image cell (y, x) reads grid cell (y + padTop − i,
// x + padLeft − j) through tap (kH − 1 − i, kW − 1 − j) of the weight flipped
// and its channels swapped ([c, oc, kH, kW]).
inline void DirectBackwardInput(ThreadPool* pool, const SampleSplit& split, const float* grid, const float* weight,
                                const ConvShape& s, float* image) {
  const ConvGeometry& g = s.g;
  const PaddedSide side{s.oc, g.oH, g.oW, g.kH - 1 - g.padTop, g.kW - 1 - g.padLeft, g.h + g.kH - 1, g.w + g.kW - 1, g.h};
  const int64_t taps = g.kH * g.kW;
  std::vector<float> flipped(static_cast<size_t>(s.c * s.oc * taps));
  for (int64_t o = 0; o < s.oc; ++o) {
    for (int64_t ci = 0; ci < s.c; ++ci) {
      for (int64_t t = 0; t < taps; ++t) flipped[(ci * s.oc + o) * taps + t] = weight[(o * s.c + ci) * taps + taps - 1 - t];
    }
  }
  DirectProduct(pool, split, s, grid, flipped.data(), s.c, side, g.kH, g.kW, g.w, image);
}

// Whether every value is finite: an OR over the exponent bits, which
// vectorises. The weight gradient's dropped columns multiply image values by
// the grid's zero padding, and the input gradient's full correlation the
// weights by the grid's zero border, products im2col never forms: 0·Inf would
// turn an infinite sum into NaN, so a non-finite image (weight gradient) or
// weight (input gradient) takes the im2col path.
inline bool AllFinite(const float* x, int64_t n) {
  uint32_t bad = 0;
  for (int64_t i = 0; i < n; ++i) {
    uint32_t u;
    std::memcpy(&u, x + i, sizeof u);
    bad |= static_cast<uint32_t>((u & 0x7f800000u) == 0x7f800000u);
  }
  return bad == 0;
}

// Samples per shiftedDot call of the weight gradient: their padded images and
// grids (LeNet's conv2: 8 × 14 KB) stay in L2, and each sum's lanes are added
// once per this many samples.
constexpr int64_t kDirectDotSamples = 8;

// weight = Σ_i grid[i] · taps(image[i]) (overwritten): each part sums its
// samples kDirectDotSamples at a time (its first group overwrites), part 0
// into weight and the others into scratch added to it in part order.
inline void DirectBackwardWeight(ThreadPool* pool, const SampleSplit& split, const float* image, const float* grid,
                                 const ConvShape& s, float* weight) {
  const PaddedSide side = ImageSide(s);
  const PaddedSide gridSide{s.oc, s.g.oH, s.g.oW, 0, 0, s.g.oH, side.cols, s.g.oH};
  const std::vector<ptrdiff_t> off = TapOffsets(side, s.g.kH, s.g.kW);
  const int64_t padded = PaddedLength(off, side);
  const int64_t span = side.span();
  const int64_t gridLength = s.oc * span;
  const int64_t size = s.weight();
  auto partial = Scratch<float>(split.parts - 1, size);
  ScratchSet<float> scratch(split.workers, kDirectDotSamples * (padded + gridLength));
  const simd::Table& simd = simd::table();
  RunSamples(pool, split, s.n, [&](int part, int64_t n0, int64_t n1, ThreadPool*) {
    int slot = 0;
    float* xp = scratch.take(&slot);
    float* gp = xp + kDirectDotSamples * padded;
    float* sum = part == 0 ? weight : partial[static_cast<size_t>(part - 1)].get();
    for (int64_t i0 = n0; i0 < n1; i0 += kDirectDotSamples) {
      const int64_t count = std::min(kDirectDotSamples, n1 - i0);
      for (int64_t k = 0; k < count; ++k) {
        PadPlanes(image + (i0 + k) * s.image(), side, side.plane(), padded, xp + k * padded);
        PadPlanes(grid + (i0 + k) * s.grid(), gridSide, span, gridLength, gp + k * gridLength);
      }
      simd.shiftedDot(gp, static_cast<size_t>(gridLength), xp, static_cast<size_t>(padded), off.data(),
                      static_cast<size_t>(s.oc), off.size(), static_cast<size_t>(span), static_cast<size_t>(count),
                      i0 != n0, sum);
    }
    scratch.give(slot);
  });
  AddPartials(partial, size, weight);
}

}  // namespace torchlet::kernels

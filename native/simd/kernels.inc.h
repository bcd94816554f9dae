// The float32 kernels behind simd::Table, written in plain C++ so that GCC,
// Clang and MSVC auto-vectorise the SAME source under each instruction set:
// branch-free selects, bit casts through memcpy, no calls in the loops.
//
// Included once per translation unit (portable.cc; avx2.cc and avx512.cc
// through isa.inc.h) with TORCHLET_SIMD_ISA naming the namespace. Everything here lives in
// torchlet::simd::<ISA>::(anonymous): functions compiled with -mavx512f must
// never be shared with (ODR-merged into) the baseline code, so this file uses
// no inline function from any other header (only memcpy/log, which are libc,
// and compile-time constants such as codes.h's).
//
// Accuracy (float32, measured by test/native/simd.test.ts against libm/double):
// exp and log ≤ 2 ulp, sigmoid and tanh ≤ 3 ulp, over the whole range including
// denormal results; NaN, ±Inf, ±0 handled as libm does.
#ifndef TORCHLET_SIMD_ISA
#error "define TORCHLET_SIMD_ISA before including kernels.inc.h"
#endif

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "../codes.h"
#include "simd.h"

#if defined(__FMA__) || defined(__AVX2__)
#if defined(__GNUC__) || defined(__clang__)
#define TORCHLET_FMADD(a, b, c) __builtin_fmaf((a), (b), (c))
#endif
#endif
#ifndef TORCHLET_FMADD
#define TORCHLET_FMADD(a, b, c) ((a) * (b) + (c))
#endif

namespace torchlet::simd::TORCHLET_SIMD_ISA {
namespace {

inline uint32_t bitsOf(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}
inline float fromBits(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

constexpr float kInf = HUGE_VALF;

// c ? a : b as bit operations (vectorises as a blend; never becomes a branch).
inline float blend(bool c, float a, float b) {
  const uint32_t m = 0u - static_cast<uint32_t>(c);
  return fromBits((bitsOf(a) & m) | (bitsOf(b) & ~m));
}

// e^x: k = round(x/ln2) by the 1.5·2^23 trick (no float→int conversion, so
// NaN is harmless), r = x − k·ln2 in two parts (Cody–Waite), Cephes' degree-6
// polynomial on |r| ≤ ln2/2, then ·2^k as two powers of two so results down
// to the denormals round once and 2^128 overflows to Inf as it should.
inline float expF(float x) {
  // Clamp to [-104, 89] (e^-104 < 2^-150 rounds to 0, e^89 > FLT_MAX is Inf),
  // NaN passing through. Bit blends, not ?: — GCC would thread a select into
  // branches (a constant result per clamped side) that it cannot vectorise.
  x = blend(x < -104.0f, -104.0f, x);
  x = blend(x > 89.0f, 89.0f, x);
  const float magic = 12582912.0f;  // 1.5·2^23
  const float t = x * 1.44269504088896341f + magic;
  const float k = t - magic;
  const int32_t n = static_cast<int32_t>(bitsOf(t) - bitsOf(magic));  // k as an integer
  float r = x - k * 0.693359375f;  // exact: 0.693359375 has 9 bits, |k| ≤ 151
  r = r - k * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = TORCHLET_FMADD(p, r, 1.3981999507e-3f);
  p = TORCHLET_FMADD(p, r, 8.3334519073e-3f);
  p = TORCHLET_FMADD(p, r, 4.1665795894e-2f);
  p = TORCHLET_FMADD(p, r, 1.6666665459e-1f);
  p = TORCHLET_FMADD(p, r, 5.0000001201e-1f);
  const float y = TORCHLET_FMADD(p, r * r, r) + 1.0f;
  // k ∈ [-150, 128]: 2^k = 2^n1 · 2^n2 with both halves normal.
  const int32_t n1 = n / 2;
  const int32_t n2 = n - n1;
  const float s1 = fromBits(static_cast<uint32_t>(n1 + 127) << 23);
  const float s2 = fromBits(static_cast<uint32_t>(n2 + 127) << 23);
  return (y * s1) * s2;
}

// log x: x = m·2^e with m ∈ [√½, √2) read off the bits (denormals scaled by
// 2^23 first), then Cephes' degree-9 polynomial for log(1 + f), f = m − 1,
// and e·ln2 in two parts. x < 0 and NaN give NaN, 0 gives −Inf, Inf gives Inf.
inline float logF(float x) {
  const bool tiny = x < 1.17549435e-38f;  // below FLT_MIN (0, denormals, negatives)
  const float xs = blend(tiny, x * 8388608.0f, x);
  const uint32_t bits = bitsOf(xs);
  // Integer selects as arithmetic: a ?: on ints would become a branch GCC cannot vectorise.
  int32_t e = static_cast<int32_t>((bits >> 23) & 0xffu) - 126 - 23 * static_cast<int32_t>(tiny);
  float m = fromBits((bits & 0x007fffffu) | 0x3f000000u);  // [0.5, 1)
  const bool low = m < 0.707106781186547524f;
  e -= static_cast<int32_t>(low);
  m = blend(low, m + m, m) - 1.0f;
  const float z = m * m;
  float p = 7.0376836292e-2f;
  p = TORCHLET_FMADD(p, m, -1.1514610310e-1f);
  p = TORCHLET_FMADD(p, m, 1.1676998740e-1f);
  p = TORCHLET_FMADD(p, m, -1.2420140846e-1f);
  p = TORCHLET_FMADD(p, m, 1.4249322787e-1f);
  p = TORCHLET_FMADD(p, m, -1.6668057665e-1f);
  p = TORCHLET_FMADD(p, m, 2.0000714765e-1f);
  p = TORCHLET_FMADD(p, m, -2.4999993993e-1f);
  p = TORCHLET_FMADD(p, m, 3.3333331174e-1f);
  const float fe = static_cast<float>(e);
  float y = p * m * z;
  y = TORCHLET_FMADD(fe, -2.12194440e-4f, y);
  y = TORCHLET_FMADD(-0.5f, z, y);
  float r = m + y;
  r = TORCHLET_FMADD(fe, 0.693359375f, r);
  // Specials last, as blends: NaN and negatives → NaN, ±0 → −Inf, +Inf → +Inf.
  r = blend(x == 0.0f, -kInf, r);
  r = blend((x < 0.0f) | (x != x), fromBits(0x7fc00000u), r);
  r = blend(x == kInf, kInf, r);
  return r;
}

// tanh: Cephes' odd polynomial for |x| < 0.625, else 1 − 2/(e^{2|x|} + 1)
// (→ exactly 1 once e^{2|x|} is Inf); the sign of x is put back last so −0
// stays −0 and NaN stays NaN.
inline float tanhF(float x) {
  const uint32_t sign = bitsOf(x) & 0x80000000u;
  const float ax = fromBits(bitsOf(x) & 0x7fffffffu);
  const float z = ax * ax;
  float p = -5.70498872745e-3f;
  p = TORCHLET_FMADD(p, z, 2.06390887954e-2f);
  p = TORCHLET_FMADD(p, z, -5.37397155531e-2f);
  p = TORCHLET_FMADD(p, z, 1.33314422036e-1f);
  p = TORCHLET_FMADD(p, z, -3.33332819422e-1f);
  const float small = TORCHLET_FMADD(p * z, ax, ax);
  const float e = expF(ax + ax);
  const float large = 1.0f - 2.0f / (e + 1.0f);
  const float r = blend(ax < 0.625f, small, large);
  return fromBits(bitsOf(r) | sign);
}

// 1/(1 + e^−x) as e^−|x| over (1 + e^−|x|) for x < 0: accurate (not 0) down
// to the denormals, one division.
inline float sigmoidF(float x) {
  const float ax = fromBits(bitsOf(x) & 0x7fffffffu);
  const float e = expF(-ax);
  const float num = blend(x >= 0.0f, 1.0f, e);  // NaN: e is NaN
  return num / (1.0f + e);
}

// out[i] = f(x[i]) through a stack block, so the vectorised loop never needs
// a run-time alias check to allow out == x.
template <class F>
inline void mapBlocks(const float* x, float* out, size_t n, F f) {
  constexpr size_t kBlock = 256;
  float tmp[kBlock];
  for (size_t i = 0; i < n; i += kBlock) {
    const size_t m = n - i < kBlock ? n - i : kBlock;
    const float* xs = x + i;
    for (size_t j = 0; j < m; ++j) tmp[j] = f(xs[j]);
    float* os = out + i;
    for (size_t j = 0; j < m; ++j) os[j] = tmp[j];
  }
}

void expK(const float* x, float* out, size_t n) { mapBlocks(x, out, n, [](float v) { return expF(v); }); }
void sigmoidK(const float* x, float* out, size_t n) { mapBlocks(x, out, n, [](float v) { return sigmoidF(v); }); }
void tanhK(const float* x, float* out, size_t n) { mapBlocks(x, out, n, [](float v) { return tanhF(v); }); }
void logK(const float* x, float* out, size_t n) { mapBlocks(x, out, n, [](float v) { return logF(v); }); }

template <class F>
inline void biasRows(float* y, const float* b, size_t rows, size_t out, F f) {
  if (out == 1 && b != nullptr) {  // one output (logistic regression): one loop over the rows, not a loop of one per row
    const float b0 = b[0];
    for (size_t r = 0; r < rows; ++r) y[r] = f(y[r] + b0);
    return;
  }
  for (size_t r = 0; r < rows; ++r) {
    float* yr = y + r * out;
    if (b != nullptr) {
      for (size_t j = 0; j < out; ++j) yr[j] = f(yr[j] + b[j]);
    } else {
      for (size_t j = 0; j < out; ++j) yr[j] = f(yr[j]);
    }
  }
}

// y = f(y) over n contiguous values (in place: no aliasing question for the vectoriser).
template <class F>
inline void mapInPlace(float* y, size_t n, F f) {
  for (size_t i = 0; i < n; ++i) y[i] = f(y[i]);
}

void biasActK(int act, float* y, const float* b, size_t rows, size_t out, float slope) {
  // Narrow rows (logistic regression's out = 1) leave the per-row loop too short
  // to vectorise: add the bias first, then run the activation over all rows at once.
  if (out < 16 && act != kActNone) {
    if (b != nullptr) biasRows(y, b, rows, out, [](float z) { return z; });
    const size_t n = rows * out;
    switch (act) {
      case kActRelu: mapInPlace(y, n, [](float z) { return z < 0.0f ? 0.0f : z; }); return;
      case kActLeakyRelu: mapInPlace(y, n, [slope](float z) { return z > 0.0f ? z : slope * z; }); return;
      case kActSigmoid: mapInPlace(y, n, [](float z) { return sigmoidF(z); }); return;
      case kActTanh: mapInPlace(y, n, [](float z) { return tanhF(z); }); return;
      default: return;
    }
  }
  switch (act) {
    case kActRelu: biasRows(y, b, rows, out, [](float z) { return z < 0.0f ? 0.0f : z; }); break;
    case kActLeakyRelu: biasRows(y, b, rows, out, [slope](float z) { return z > 0.0f ? z : slope * z; }); break;
    case kActSigmoid: biasRows(y, b, rows, out, [](float z) { return sigmoidF(z); }); break;
    case kActTanh: biasRows(y, b, rows, out, [](float z) { return tanhF(z); }); break;
    default: biasRows(y, b, rows, out, [](float z) { return z; }); break;
  }
}

// Max of x[0..n) ignoring NaN (as `if (v > m) m = v`), in kLanes partial maxima.
constexpr size_t kLanes = 16;

inline float rowMax(const float* x, size_t n) {
  float acc[kLanes];
  for (size_t l = 0; l < kLanes; ++l) acc[l] = -kInf;
  size_t j = 0;
  for (; j + kLanes <= n; j += kLanes) {
    for (size_t l = 0; l < kLanes; ++l) acc[l] = x[j + l] > acc[l] ? x[j + l] : acc[l];
  }
  float m = -kInf;
  for (size_t l = 0; l < kLanes; ++l) m = acc[l] > m ? acc[l] : m;
  for (; j < n; ++j) m = x[j] > m ? x[j] : m;
  return m;
}

// Σ x[0..n) in double, in kLanes partial sums.
inline double rowSum(const float* x, size_t n) {
  double acc[kLanes];
  for (size_t l = 0; l < kLanes; ++l) acc[l] = 0.0;
  size_t j = 0;
  for (; j + kLanes <= n; j += kLanes) {
    for (size_t l = 0; l < kLanes; ++l) acc[l] += static_cast<double>(x[j + l]);
  }
  double s = 0.0;
  for (size_t l = 0; l < kLanes; ++l) s += acc[l];
  for (; j < n; ++j) s += static_cast<double>(x[j]);
  return s;
}

// e[j] = exp(x[j] − m); x and e do not overlap.
inline void expShifted(const float* x, float m, size_t n, float* e) {
  for (size_t j = 0; j < n; ++j) e[j] = expF(x[j] - m);
}

void softmaxRowsK(const float* x, size_t rows, size_t dim, float* out) {
  for (size_t r = 0; r < rows; ++r) {
    const float* xr = x + r * dim;
    float* orow = out + r * dim;
    const float m = rowMax(xr, dim);
    expShifted(xr, m, dim, orow);
    const float inv = static_cast<float>(1.0 / rowSum(orow, dim));
    for (size_t j = 0; j < dim; ++j) orow[j] *= inv;
  }
}

void logSoftmaxRowsK(const float* x, size_t rows, size_t dim, float* out) {
  for (size_t r = 0; r < rows; ++r) {
    const float* xr = x + r * dim;
    float* orow = out + r * dim;
    const float m = rowMax(xr, dim);
    expShifted(xr, m, dim, orow);
    const double ls = std::log(rowSum(orow, dim));
    const double md = m;
    // (x − m) − log s in double, rounded once (as the generic kernel).
    for (size_t j = 0; j < dim; ++j) {
      orow[j] = static_cast<float>((static_cast<double>(xr[j]) - md) - ls);
    }
  }
}

void rowLogSumExpK(const float* x, size_t c, float* max, double* logSum) {
  const float m = rowMax(x, c);
  constexpr size_t kBlock = 256;
  float tmp[kBlock];
  double s = 0.0;
  for (size_t i = 0; i < c; i += kBlock) {
    const size_t k = c - i < kBlock ? c - i : kBlock;
    expShifted(x + i, m, k, tmp);
    s += rowSum(tmp, k);
  }
  *max = m;
  *logSum = std::log(s);
}

// R rows × J columns of c: R·J accumulators (R·J/16 registers at AVX-512)
// over the whole k, each row of b streamed once per block.
template <size_t R, size_t J, bool Beta>
inline void gemmBlock(const float* a, const float* b, const float* bias, size_t k, size_t stride, float beta, float* c) {
  float acc[R][J];
  for (size_t r = 0; r < R; ++r) {
    for (size_t j = 0; j < J; ++j) acc[r][j] = 0.0f;
  }
  for (size_t p = 0; p < k; ++p) {
    const float* bp = b + p * stride;
    for (size_t r = 0; r < R; ++r) {
      const float ar = a[r * k + p];
      for (size_t j = 0; j < J; ++j) acc[r][j] = TORCHLET_FMADD(ar, bp[j], acc[r][j]);
    }
  }
  for (size_t r = 0; r < R; ++r) {
    float* cr = c + r * stride;
    for (size_t j = 0; j < J; ++j) {
      float v = bias != nullptr ? acc[r][j] + bias[j] : acc[r][j];
      if constexpr (Beta) v += beta * cr[j];
      cr[j] = v;
    }
  }
}

// Every row of a J-column strip: 4 rows at a time, then one by one.
template <size_t J, bool Beta>
inline void gemmStrip(const float* a, const float* b, const float* bias, size_t m, size_t k, size_t stride, float beta, float* c) {
  size_t i = 0;
  for (; i + 4 <= m; i += 4) gemmBlock<4, J, Beta>(a + i * k, b, bias, k, stride, beta, c + i * stride);
  for (; i < m; ++i) gemmBlock<1, J, Beta>(a + i * k, b, bias, k, stride, beta, c + i * stride);
}

// The widest strip whose 4·J accumulators fit in the registers: 16 zmm at
// AVX-512, 8 ymm at AVX2 (of 16), 8 xmm at the baseline.
#if defined(__AVX512F__)
constexpr size_t kWideStrip = 64;
#else
constexpr size_t kWideStrip = 16;
#endif

template <bool Beta>
inline void gemmColumns(const float* a, const float* b, const float* bias, size_t m, size_t k, size_t cols, size_t stride, float beta, float* c) {
  const auto at = [&](size_t j) { return bias != nullptr ? bias + j : nullptr; };
  size_t j = 0;
  for (; j + kWideStrip <= cols; j += kWideStrip) gemmStrip<kWideStrip, Beta>(a, b + j, at(j), m, k, stride, beta, c + j);
  for (; j + 16 <= cols; j += 16) gemmStrip<16, Beta>(a, b + j, at(j), m, k, stride, beta, c + j);
  for (; j < cols; ++j) gemmStrip<1, Beta>(a, b + j, at(j), m, k, stride, beta, c + j);
}

void gemmRowsK(const float* a, const float* b, const float* bias, size_t m, size_t k, size_t cols, size_t stride, float beta, float* c) {
  if (beta == 0.0f) gemmColumns<false>(a, b, bias, m, k, cols, stride, beta, c);
  else gemmColumns<true>(a, b, bias, m, k, cols, stride, beta, c);
}

// GCC's unroll-and-jam (-O3) unrolls a one-row block's tap loop into the
// column loop and leaves that scalar (10× slower); keep it off these blocks.
#if defined(__GNUC__) && !defined(__clang__)
#define TORCHLET_NO_JAM __attribute__((optimize("no-loop-unroll-and-jam")))
#else
#define TORCHLET_NO_JAM
#endif
// Unroll the next loop completely (GCC and Clang; others decide for themselves).
#if defined(__GNUC__) || defined(__clang__)
#define TORCHLET_UNROLL _Pragma("GCC unroll 16")
#else
#define TORCHLET_UNROLL
#endif

// shiftedGemm: R rows × J columns of c in R·J accumulators over every tap,
// as gemmBlock, tap p's row of b starting at off[p]. The accumulators are
// R·J/L runs of L lanes in one flat loop the compiler unrolls completely and
// vectorises along the lanes (left to itself, GCC vectorises some shapes
// across the rows instead, with shuffles, several times slower).
template <size_t R, size_t J>
TORCHLET_NO_JAM void shiftedBlock(const float* a, const float* b, const ptrdiff_t* off, size_t k, size_t ldc, float* c) {
  constexpr size_t L = kShiftColumns;
  constexpr size_t V = J / L;  // runs per row
  float acc[R * V][L];
  for (size_t q = 0; q < R * V; ++q) {
    for (size_t l = 0; l < L; ++l) acc[q][l] = 0.0f;
  }
  for (size_t p = 0; p < k; ++p) {
    const float* bp = b + off[p];
    TORCHLET_UNROLL
    for (size_t q = 0; q < R * V; ++q) {
      const float ar = a[(q / V) * k + p];
      const float* bv = bp + (q % V) * L;
      for (size_t l = 0; l < L; ++l) acc[q][l] = TORCHLET_FMADD(ar, bv[l], acc[q][l]);
    }
  }
  for (size_t q = 0; q < R * V; ++q) {
    float* cq = c + (q / V) * ldc + (q % V) * L;
    for (size_t l = 0; l < L; ++l) cq[l] = acc[q][l];
  }
}

// Every J-column strip of R rows.
template <size_t R, size_t J>
inline void shiftedRows(const float* a, const float* b, const ptrdiff_t* off, size_t k, size_t cols, size_t ldc, float* c) {
  size_t j = 0;
  for (; j + J <= cols; j += J) shiftedBlock<R, J>(a, b + j, off, k, ldc, c + j);
  for (; j < cols; j += kShiftColumns) shiftedBlock<R, kShiftColumns>(a, b + j, off, k, ldc, c + j);
}

void shiftedGemmK(const float* a, const float* b, const ptrdiff_t* off, size_t m, size_t k, size_t cols, size_t ldc, float* c) {
  size_t r = 0;
  for (; r + 4 <= m; r += 4) shiftedRows<4, kWideStrip>(a + r * k, b, off, k, cols, ldc, c + r * ldc);
  switch (m - r) {
    case 3: shiftedRows<3, kWideStrip>(a + r * k, b, off, k, cols, ldc, c + r * ldc); break;
    case 2: shiftedRows<2, kWideStrip>(a + r * k, b, off, k, cols, ldc, c + r * ldc); break;
    case 1: shiftedRows<1, kWideStrip>(a + r * k, b, off, k, cols, ldc, c + r * ldc); break;
    default: break;
  }
}

// shiftedDot's lanes (one vector register) and taps per block: 4 rows × 4
// taps are 16 zmm accumulators at AVX-512, 4 × 2 are 8 ymm at AVX2 and 8 xmm
// at the baseline, leaving registers for the loads.
#if defined(__AVX512F__)
constexpr size_t kDotLanes = 16;
constexpr size_t kDotTaps = 4;
#elif defined(__AVX2__)
constexpr size_t kDotLanes = 8;
constexpr size_t kDotTaps = 2;
#else
constexpr size_t kDotLanes = 4;
constexpr size_t kDotTaps = 2;
#endif
static_assert(kShiftColumns % kDotLanes == 0, "shiftedDot's columns come in whole vectors");

// shiftedDot: R rows × P taps, each in kDotLanes lane accumulators, over
// every sample and column, then each summed lane by lane in a fixed tree. The
// R·P sums run as one flat loop that the compiler unrolls completely.
template <size_t R, size_t P>
TORCHLET_NO_JAM void dotBlock(const float* a, size_t aSample, const float* b, size_t bSample, const ptrdiff_t* off,
                              size_t k, size_t cols, size_t samples, bool accumulate, float* c) {
  constexpr size_t L = kDotLanes;
  constexpr size_t Q = R * P;
  float acc[Q][L];
  for (size_t q = 0; q < Q; ++q) {
    for (size_t l = 0; l < L; ++l) acc[q][l] = 0.0f;
  }
  for (size_t s = 0; s < samples; ++s) {
    const float* as = a + s * aSample;
    const float* bs = b + s * bSample;
    for (size_t t = 0; t < cols; t += L) {
      TORCHLET_UNROLL
      for (size_t q = 0; q < Q; ++q) {
        const float* ar = as + (q / P) * cols + t;
        const float* bp = bs + off[q % P] + t;
        for (size_t l = 0; l < L; ++l) acc[q][l] = TORCHLET_FMADD(ar[l], bp[l], acc[q][l]);
      }
    }
  }
  for (size_t q = 0; q < Q; ++q) {
    float* v = acc[q];
    for (size_t h = L / 2; h > 0; h /= 2) {
      for (size_t l = 0; l < h; ++l) v[l] += v[l + h];
    }
    float* cq = c + (q / P) * k + q % P;
    *cq = accumulate ? *cq + v[0] : v[0];
  }
}

// The taps of R rows: kDotTaps at a time, then the rest one by one.
template <size_t R>
inline void dotRows(const float* a, size_t aSample, const float* b, size_t bSample, const ptrdiff_t* off, size_t k,
                    size_t cols, size_t samples, bool accumulate, float* c) {
  size_t p = 0;
  for (; p + kDotTaps <= k; p += kDotTaps) {
    dotBlock<R, kDotTaps>(a, aSample, b, bSample, off + p, k, cols, samples, accumulate, c + p);
  }
  for (; p < k; ++p) dotBlock<R, 1>(a, aSample, b, bSample, off + p, k, cols, samples, accumulate, c + p);
}

void shiftedDotK(const float* a, size_t aSample, const float* b, size_t bSample, const ptrdiff_t* off, size_t m, size_t k,
                 size_t cols, size_t samples, bool accumulate, float* c) {
  size_t r = 0;
  for (; r + 4 <= m; r += 4) dotRows<4>(a + r * cols, aSample, b, bSample, off, k, cols, samples, accumulate, c + r * k);
  for (; r < m; ++r) dotRows<1>(a + r * cols, aSample, b, bSample, off, k, cols, samples, accumulate, c + r * k);
}

}  // namespace
}  // namespace torchlet::simd::TORCHLET_SIMD_ISA

// The table of this translation unit's kernels, e.g. TORCHLET_SIMD_TABLE("avx2").
#define TORCHLET_SIMD_TABLE(LEVEL)                                                         \
  {                                                                                        \
    LEVEL, &TORCHLET_SIMD_ISA::expK, &TORCHLET_SIMD_ISA::sigmoidK, &TORCHLET_SIMD_ISA::tanhK, \
        &TORCHLET_SIMD_ISA::biasActK, &TORCHLET_SIMD_ISA::softmaxRowsK,                     \
        &TORCHLET_SIMD_ISA::logSoftmaxRowsK, &TORCHLET_SIMD_ISA::rowLogSumExpK,             \
        &TORCHLET_SIMD_ISA::logK, &TORCHLET_SIMD_ISA::gemmRowsK, &TORCHLET_SIMD_ISA::shiftedGemmK, \
        &TORCHLET_SIMD_ISA::shiftedDotK                                                     \
  }

// Runtime-dispatched float32 kernels: the hot transcendental loops (exp, log,
// sigmoid, tanh, the fused linear epilogue, softmax rows, a row's log-sum-exp)
// the few-row GEMM of a recurrent step and a direct convolution's
// shifted-window products (conv_direct.h), compiled several times from ONE source (kernels.inc.h), each time in its own
// translation unit with its own instruction-set flags:
//
//   portable.cc  the baseline flags of the build (SSE2 on x86-64, NEON on arm64)
//   avx2.cc      -mavx2 -mfma            (x86-64 only)
//   avx512.cc    -mavx512f/dq/vl -mfma   (x86-64 only)
//
// table() picks one of them once, at first use, from cpuid/XGETBV (what the
// CPU and the OS support) capped by TORCHLET_SIMD=avx512|avx2|sse2|portable
// ("at most this level"). No -march=native, no target_clones: the binary runs
// on any x86-64 and the wide code only ever runs where cpuid says it may.
//
// float64 keeps libm in the generic templates (the polynomials here are
// float32-accurate only).
#pragma once

#include <cstddef>

#if defined(__x86_64__) || defined(_M_X64)
#define TORCHLET_SIMD_X86 1
#else
#define TORCHLET_SIMD_X86 0
#endif

namespace torchlet::simd {

// One instruction-set level's kernels. Every pointer is set.
struct Table {
  // "avx512", "avx2", "sse2" (x86-64 baseline) or the baseline of another
  // architecture ("neon", "scalar").
  const char* level;
  // out[i] = f(x[i]); out may be exactly x.
  void (*exp)(const float* x, float* out, size_t n);
  void (*sigmoid)(const float* x, float* out, size_t n);
  void (*tanh)(const float* x, float* out, size_t n);
  // y[r, j] = act(y[r, j] + b[j]) in place (b may be null); act is a codes.h Act.
  void (*biasAct)(int act, float* y, const float* b, size_t rows, size_t out, float slope);
  // Contiguous rows [rows, dim] (softmax over the last axis); out must not overlap x.
  void (*softmaxRows)(const float* x, size_t rows, size_t dim, float* out);
  void (*logSoftmaxRows)(const float* x, size_t rows, size_t dim, float* out);
  // Max and log Σ exp(x − max) of one row of c values (sum in double).
  void (*rowLogSumExp)(const float* x, size_t c, float* max, double* logSum);
  // out[i] = log(x[i]) (≤ 2 ulp); out may be exactly x.
  void (*log)(const float* x, float* out, size_t n);
  // Columns [0, cols) of c[i, j] = Σ_p a[i, p]·b[p, j] + bias[j] (bias may be
  // null) + beta·c[i, j] (c not read when beta is 0), for a [m, k] and b, c
  // with rows `stride` apart: a register-blocked product that streams b as it
  // lies (no packing; b should fit in cache), for a recurrent step's few rows.
  void (*gemmRows)(const float* a, const float* b, const float* bias, size_t m, size_t k, size_t cols, size_t stride,
                   float beta, float* c);
  // A direct convolution's products over a zero-padded image flattened to one
  // row per channel: window tap p reads b from off[p], so with k taps the
  // image is never unfolded. cols is a multiple of kShiftColumns; b is
  // readable (and finite) up to off[p] + cols.
  //
  // c[r, t] = Σ_p a[r, p]·b[off[p] + t] for r < m, t < cols (rows of c ldc apart), a [m, k].
  void (*shiftedGemm)(const float* a, const float* b, const ptrdiff_t* off, size_t m, size_t k, size_t cols,
                      size_t ldc, float* c);
  // c[r, p] (+)= Σ_s Σ_t a[s·aSample + r·cols + t]·b[s·bSample + off[p] + t]
  // for r < m, p < k (c [m, k], overwritten unless accumulate), over `samples`
  // pairs of (a, b) and t < cols: each sum in one vector register's lanes
  // (samples in order), the lanes added in a fixed tree.
  void (*shiftedDot)(const float* a, size_t aSample, const float* b, size_t bSample, const ptrdiff_t* off, size_t m,
                     size_t k, size_t cols, size_t samples, bool accumulate, float* c);
};

// shiftedGemm's and shiftedDot's cols are a multiple of this.
constexpr size_t kShiftColumns = 16;

// The level in use (chosen once; see simd.cc). Immutable afterwards, shared by
// every thread.
const Table& table();

// The tables compiled into this binary (defined in portable.cc, avx2.cc, avx512.cc).
extern const Table kPortableTable;
#if TORCHLET_SIMD_X86
extern const Table kAvx2Table;
extern const Table kAvx512Table;
#endif

}  // namespace torchlet::simd

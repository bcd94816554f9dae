// Bindings: gemm, gemmBatched, cblasSgemm.
#include "gemm.h"

#include <string>

#include "exports.h"
#include "spec.h"

namespace torchlet {
namespace {

// gemm(transA, transB, m, n, k, alpha, a, b, beta, c)
constexpr Kernel kGemm = {
    "gemm",
    {Boolean("transA"), Boolean("transB"), Size("m"), Size("n"), Size("k"), Number("alpha"), Array("a", kFloat),
     Array("b", kFloat), Number("beta"), Array("c", kFloat)},
    {SameType(6, {7, 9}), AtLeast(6, {2, 4}), AtLeast(7, {4, 3}), AtLeast(9, {2, 3}), NoOverlap(9, {6, 7})},
    [](const Call& c) {
      return ForType<kFloat>(c, 9, [&](auto zero) {
        using T = decltype(zero);
        kernels::gemm<T>(c.pool(), c.flag(0), c.flag(1), c.size(2), c.size(3), c.size(4), static_cast<T>(c.number(5)),
                         c.ptr<T>(6), c.ptr<T>(7), static_cast<T>(c.number(8)), c.ptr<T>(9));
      });
    }};

// gemmBatched(batch, transA, transB, m, n, k, alpha, a, strideA, b, strideB, beta, c, strideC)
enum { kBatch = 0, kM = 3, kN = 4, kK = 5, kStrideA = 8, kStrideB = 10, kStrideC = 13 };

// Elements spanned by `batch` matrices of `size` elements spaced `stride` apart.
int64_t BatchSpan(const Call& c, int stride, int64_t size) {
  const int64_t batch = c.size(kBatch);
  if (batch == 0 || size == 0) return 0;
  return c.args().Add(c.args().Mul(batch - 1, c.size(stride)), size);
}

// Only buffers that are actually read need to be long enough.
int64_t SpanA(const Call& c) {
  if (c.size(kM) * c.size(kN) == 0) return 0;
  return BatchSpan(c, kStrideA, c.args().Mul(c.size(kM), c.size(kK)));
}
int64_t SpanB(const Call& c) {
  if (c.size(kM) * c.size(kN) == 0) return 0;
  return BatchSpan(c, kStrideB, c.args().Mul(c.size(kK), c.size(kN)));
}
int64_t SpanC(const Call& c) { return BatchSpan(c, kStrideC, c.size(kM) * c.size(kN)); }

void CheckStrideC(const Call& c) {
  const int64_t mn = c.size(kM) * c.size(kN);
  const int64_t strideC = c.size(kStrideC);
  if (c.size(kBatch) > 1 && mn > 0 && strideC < mn) {
    c.args().RangeError("strideC (" + std::to_string(strideC) + ") is smaller than m*n (" + std::to_string(mn) +
                        "): the output matrices would overlap");
  }
}

constexpr Kernel kGemmBatched = {
    "gemmBatched",
    {Size("batch"), Boolean("transA"), Boolean("transB"), Size("m"), Size("n"), Size("k"), Number("alpha"),
     Array("a", kFloat), Size("strideA", kMaxOffset), Array("b", kFloat), Size("strideB", kMaxOffset),
     Number("beta"), Array("c", kFloat), Size("strideC", kMaxOffset)},
    {SameType(7, {9, 12}), Custom(CheckStrideC), AtLeast(7, SpanA, "(batch-1)*strideA + m*k"),
     AtLeast(9, SpanB, "(batch-1)*strideB + k*n"), AtLeast(12, SpanC, "(batch-1)*strideC + m*n"),
     NoOverlap(12, {7, 9})},
    [](const Call& c) {
      if (c.size(kBatch) == 0) return c.undefined();
      return ForType<kFloat>(c, 12, [&](auto zero) {
        using T = decltype(zero);
        kernels::gemmBatched<T>(c.pool(), c.size(kBatch), c.flag(1), c.flag(2), c.size(kM), c.size(kN), c.size(kK),
                                static_cast<T>(c.number(6)), c.ptr<T>(7), c.size(kStrideA), c.ptr<T>(9),
                                c.size(kStrideB), static_cast<T>(c.number(11)), c.ptr<T>(12), c.size(kStrideC));
      });
    }};

// cblasSgemm(m, n, k, a, b, c): raw row-major sgemm, alpha 1, beta 0 (for benchmarks).
Napi::Value CblasSgemm(const Call& c) {
  const int64_t m = c.size(0), n = c.size(1), k = c.size(2);
  if (m > 0 && n > 0 && k > 0) {
#if !defined(TORCHLET_ACCELERATE)
    // OpenBLAS's own threading, as many threads as the pool: the baseline
    // torchlet's split GEMM is measured against (bench/gemm.js). Back to 1
    // afterwards. The setting is process-wide: a benchmark export, not for
    // use while other threads run GEMMs.
    openblas_set_num_threads(c.pool()->threads());
#endif
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(m), static_cast<int>(n),
                static_cast<int>(k), 1.0f, c.ptr<float>(3), static_cast<int>(k), c.ptr<float>(4),
                static_cast<int>(n), 0.0f, c.ptr<float>(5), static_cast<int>(n));
#if !defined(TORCHLET_ACCELERATE)
    openblas_set_num_threads(1);
#endif
  } else {
    kernels::scale(c.ptr<float>(5), static_cast<size_t>(m * n), 0.0f);
  }
  return c.undefined();
}

constexpr Kernel kCblasSgemm = {
    "cblasSgemm",
    {Size("m"), Size("n"), Size("k"), Array("a", kF32), Array("b", kF32), Array("c", kF32)},
    {AtLeast(3, {0, 2}), AtLeast(4, {2, 1}), AtLeast(5, {0, 1}), NoOverlap(5, {3, 4})},
    CblasSgemm};

}  // namespace

void RegisterGemm(Napi::Env env, Napi::Object exports) { Register<kGemm, kGemmBatched, kCblasSgemm>(env, exports); }

}  // namespace torchlet

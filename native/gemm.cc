// Bindings: gemm, gemmBatched, cblasSgemm.
#include "gemm.h"

#include "args.h"
#include "exports.h"
#include "instance.h"

namespace torchlet {
namespace {

// Elements spanned by `batch` matrices of `size` elements spaced `stride` apart.
int64_t BatchSpan(const Args& args, int64_t batch, int64_t stride, int64_t size) {
  if (batch == 0 || size == 0) return 0;
  return args.Add(args.Mul(batch - 1, stride), size);
}

// gemm(transA, transB, m, n, k, alpha, a, b, beta, c)
Napi::Value Gemm(const Napi::CallbackInfo& info) {
  Args args(info, "gemm", 10);
  const bool transA = args.Boolean(0, "transA");
  const bool transB = args.Boolean(1, "transB");
  const int64_t m = args.Size(2, "m");
  const int64_t n = args.Size(3, "n");
  const int64_t k = args.Size(4, "k");
  const double alpha = args.Number(5, "alpha");
  Buf a = args.Array(6, "a", kFloat);
  Buf b = args.Array(7, "b", kFloat);
  const double beta = args.Number(8, "beta");
  Buf c = args.Array(9, "c", kFloat);
  args.SameType(a, b);
  args.SameType(a, c);
  args.AtLeast(a, args.Mul(m, k), "m*k");
  args.AtLeast(b, args.Mul(k, n), "k*n");
  args.AtLeast(c, args.Mul(m, n), "m*n");
  args.NoOverlap(c, a);
  args.NoOverlap(c, b);
  DispatchFloat(c.dtype, [&](auto zero) {
    using T = decltype(zero);
    kernels::gemm<T>(&InstanceOf(info.Env()).pool, transA, transB, m, n, k, static_cast<T>(alpha), a.as<T>(), b.as<T>(),
                     static_cast<T>(beta), c.as<T>());
  });
  return info.Env().Undefined();
}

// gemmBatched(batch, transA, transB, m, n, k, alpha, a, strideA, b, strideB, beta, c, strideC)
Napi::Value GemmBatched(const Napi::CallbackInfo& info) {
  Args args(info, "gemmBatched", 14);
  const int64_t batch = args.Size(0, "batch");
  const bool transA = args.Boolean(1, "transA");
  const bool transB = args.Boolean(2, "transB");
  const int64_t m = args.Size(3, "m");
  const int64_t n = args.Size(4, "n");
  const int64_t k = args.Size(5, "k");
  const double alpha = args.Number(6, "alpha");
  Buf a = args.Array(7, "a", kFloat);
  const int64_t strideA = args.Size(8, "strideA", kMaxOffset);
  Buf b = args.Array(9, "b", kFloat);
  const int64_t strideB = args.Size(10, "strideB", kMaxOffset);
  const double beta = args.Number(11, "beta");
  Buf c = args.Array(12, "c", kFloat);
  const int64_t strideC = args.Size(13, "strideC", kMaxOffset);
  args.SameType(a, b);
  args.SameType(a, c);
  const int64_t mn = args.Mul(m, n);
  if (batch > 1 && mn > 0 && strideC < mn) {
    args.RangeError("strideC (" + std::to_string(strideC) + ") is smaller than m*n (" +
                    std::to_string(mn) + "): the output matrices would overlap");
  }
  // Only buffers that are actually read need to be long enough.
  if (mn > 0) {
    args.AtLeast(a, BatchSpan(args, batch, strideA, args.Mul(m, k)), "(batch-1)*strideA + m*k");
    args.AtLeast(b, BatchSpan(args, batch, strideB, args.Mul(k, n)), "(batch-1)*strideB + k*n");
  }
  args.AtLeast(c, BatchSpan(args, batch, strideC, mn), "(batch-1)*strideC + m*n");
  args.NoOverlap(c, a);
  args.NoOverlap(c, b);
  if (batch == 0) return info.Env().Undefined();
  DispatchFloat(c.dtype, [&](auto zero) {
    using T = decltype(zero);
    kernels::gemmBatched<T>(&InstanceOf(info.Env()).pool, batch, transA, transB, m, n, k, static_cast<T>(alpha), a.as<T>(),
                            strideA, b.as<T>(), strideB, static_cast<T>(beta), c.as<T>(),
                            strideC);
  });
  return info.Env().Undefined();
}

// cblasSgemm(m, n, k, a, b, c): raw row-major sgemm, alpha 1, beta 0 (for benchmarks).
Napi::Value CblasSgemm(const Napi::CallbackInfo& info) {
  Args args(info, "cblasSgemm", 6);
  const int64_t m = args.Size(0, "m");
  const int64_t n = args.Size(1, "n");
  const int64_t k = args.Size(2, "k");
  Buf a = args.Array(3, "a", kF32);
  Buf b = args.Array(4, "b", kF32);
  Buf c = args.Array(5, "c", kF32);
  args.AtLeast(a, args.Mul(m, k), "m*k");
  args.AtLeast(b, args.Mul(k, n), "k*n");
  args.AtLeast(c, args.Mul(m, n), "m*n");
  args.NoOverlap(c, a);
  args.NoOverlap(c, b);
  if (m > 0 && n > 0 && k > 0) {
#if !defined(TORCHLET_ACCELERATE)
    // OpenBLAS's own threading, as many threads as the pool: the baseline
    // torchlet's split GEMM is measured against (bench/gemm.js). Back to 1
    // afterwards. The setting is process-wide: a benchmark export, not for
    // use while other threads run GEMMs.
    openblas_set_num_threads(InstanceOf(info.Env()).pool.threads());
#endif
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(m),
                static_cast<int>(n), static_cast<int>(k), 1.0f, a.as<float>(),
                static_cast<int>(k), b.as<float>(), static_cast<int>(n), 0.0f, c.as<float>(),
                static_cast<int>(n));
#if !defined(TORCHLET_ACCELERATE)
    openblas_set_num_threads(1);
#endif
  } else {
    kernels::scale(c.as<float>(), static_cast<size_t>(m * n), 0.0f);
  }
  return info.Env().Undefined();
}

}  // namespace

void RegisterGemm(Napi::Env env, Napi::Object exports) {
  exports.Set("gemm", Napi::Function::New<Gemm>(env, "gemm"));
  exports.Set("gemmBatched", Napi::Function::New<GemmBatched>(env, "gemmBatched"));
  exports.Set("cblasSgemm", Napi::Function::New<CblasSgemm>(env, "cblasSgemm"));
}

}  // namespace torchlet

// Bindings: copy, cast, fill, transpose2d, copyStrided.
#include "memory.h"

#include "args.h"
#include "exports.h"
#include "strided.h"

namespace torchlet {
namespace {

// copy(src, dst)
Napi::Value Copy(const Napi::CallbackInfo& info) {
  Args args(info, "copy", 2);
  Buf src = args.Array(0, "src", kNum);
  Buf dst = args.Array(1, "dst", kNum);
  args.SameType(src, dst);
  args.AtLeast(dst, static_cast<int64_t>(src.length), "src.length");
  args.NoOverlap(dst, src);
  DispatchNum(src.dtype, [&](auto zero) {
    using T = decltype(zero);
    kernels::copy(src.as<T>(), dst.as<T>(), src.length);
  });
  return info.Env().Undefined();
}

// cast(src, dst): any pair of types.
Napi::Value Cast(const Napi::CallbackInfo& info) {
  Args args(info, "cast", 2);
  Buf src = args.Array(0, "src", kNum);
  Buf dst = args.Array(1, "dst", kNum);
  args.AtLeast(dst, static_cast<int64_t>(src.length), "src.length");
  args.NoOverlap(dst, src);
  DispatchNum(src.dtype, [&](auto s) {
    DispatchNum(dst.dtype, [&](auto d) {
      using S = decltype(s);
      using D = decltype(d);
      kernels::cast(src.as<S>(), dst.as<D>(), src.length);
    });
  });
  return info.Env().Undefined();
}

// fill(dst, value)
Napi::Value Fill(const Napi::CallbackInfo& info) {
  Args args(info, "fill", 2);
  Buf dst = args.Array(0, "dst", kNum);
  const double value = args.Number(1, "value");
  DispatchNum(dst.dtype, [&](auto zero) {
    using T = decltype(zero);
    kernels::fill(dst.as<T>(), dst.length, kernels::fromDouble<T>(value));
  });
  return info.Env().Undefined();
}

// transpose2d(x, rows, cols, out)
Napi::Value Transpose2d(const Napi::CallbackInfo& info) {
  Args args(info, "transpose2d", 4);
  Buf x = args.Array(0, "x", kNum);
  const int64_t rows = args.Size(1, "rows");
  const int64_t cols = args.Size(2, "cols");
  Buf out = args.Array(3, "out", kNum);
  args.SameType(x, out);
  const int64_t count = args.Mul(rows, cols);
  args.AtLeast(x, count, "rows*cols");
  args.AtLeast(out, count, "rows*cols");
  args.NoOverlap(out, x);
  if (count == 0) return info.Env().Undefined();
  DispatchNum(x.dtype, [&](auto zero) {
    using T = decltype(zero);
    kernels::transpose2d(x.as<T>(), rows, cols, out.as<T>());
  });
  return info.Env().Undefined();
}

// Memory (bytes) touched by the reachable element range of a buffer.
Buf Touched(const Buf& b, const Reach& r) {
  Buf t = b;
  const size_t elem = b.length > 0 ? b.bytes / b.length : 0;
  t.data = static_cast<char*>(b.data) + r.lo * elem;
  t.bytes = static_cast<size_t>(r.hi - r.lo + 1) * elem;
  t.length = static_cast<size_t>(r.hi - r.lo + 1);
  return t;
}

// copyStrided(src, srcOffset, srcStrides, dst, dstOffset, dstStrides, shape)
Napi::Value CopyStrided(const Napi::CallbackInfo& info) {
  Args args(info, "copyStrided", 7);
  Buf src = args.Array(0, "src", kNum);
  const int64_t srcOffset = args.Size(1, "srcOffset", kMaxOffset);
  Buf dst = args.Array(3, "dst", kNum);
  const int64_t dstOffset = args.Size(4, "dstOffset", kMaxOffset);
  args.SameType(src, dst);
  const Shape shape = ReadShape(args, 6, "shape");
  int64_t ss[kMaxDims];
  int64_t ds[kMaxDims];
  ReadStrides(args, 2, "srcStrides", shape, ss);
  ReadStrides(args, 5, "dstStrides", shape, ds);
  if (shape.numel == 0) return info.Env().Undefined();
  const Reach rs = Reachable(args, shape, ss, srcOffset);
  const Reach rd = Reachable(args, shape, ds, dstOffset);
  CheckReach(args, src, rs);
  CheckReach(args, dst, rd);
  CheckNoSelfOverlap(args, shape, ds, "dstStrides");
  args.NoOverlap(Touched(dst, rd), Touched(src, rs));
  DispatchNum(src.dtype, [&](auto zero) {
    using T = decltype(zero);
    const T* s = src.as<T>();
    T* d = dst.as<T>();
    if (shape.ndim == 0) {
      d[dstOffset] = s[srcOffset];
      return;
    }
    const size_t nd = shape.ndim;
    const size_t row = static_cast<size_t>(shape.dims[nd - 1]);
    ForEachRow(shape, ss, ds, srcOffset, dstOffset, [&](int64_t ps, int64_t pd, int64_t) {
      kernels::copyRow(s + ps, ss[nd - 1], d + pd, ds[nd - 1], row);
    });
  });
  return info.Env().Undefined();
}

}  // namespace

void RegisterMemory(Napi::Env env, Napi::Object exports) {
  exports.Set("copy", Napi::Function::New<Copy>(env, "copy"));
  exports.Set("cast", Napi::Function::New<Cast>(env, "cast"));
  exports.Set("fill", Napi::Function::New<Fill>(env, "fill"));
  exports.Set("transpose2d", Napi::Function::New<Transpose2d>(env, "transpose2d"));
  exports.Set("copyStrided", Napi::Function::New<CopyStrided>(env, "copyStrided"));
}

}  // namespace torchlet

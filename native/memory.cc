// Bindings: copy, cast, fill, transpose2d, copyStrided.
#include "memory.h"

#include "exports.h"
#include "spec.h"
#include "strided.h"

namespace torchlet {
namespace {

int64_t SrcLength(const Call& c) { return static_cast<int64_t>(c.length(0)); }

// copy(src, dst)
constexpr Kernel kCopy = {
    "copy", {Array("src", kNum), Array("dst", kNum)},
    {SameType(0, {1}), AtLeast(1, SrcLength, "src.length"), NoOverlap(1, {0})}, [](const Call& c) {
      return ForType<kNum>(c, 0, [&](auto zero) {
        using T = decltype(zero);
        kernels::copy(c.ptr<T>(0), c.ptr<T>(1), c.length(0));
      });
    }};

// cast(src, dst): any pair of types.
constexpr Kernel kCast = {
    "cast", {Array("src", kNum), Array("dst", kNum)}, {AtLeast(1, SrcLength, "src.length"), NoOverlap(1, {0})},
    [](const Call& c) {
      DispatchNum(c.dtype(0), [&](auto s) {
        DispatchNum(c.dtype(1), [&](auto d) {
          kernels::cast(c.ptr<decltype(s)>(0), c.ptr<decltype(d)>(1), c.length(0));
        });
      });
      return c.undefined();
    }};

// fill(dst, value)
constexpr Kernel kFill = {"fill", {Array("dst", kNum), Number("value")}, {}, [](const Call& c) {
                            return ForType<kNum>(c, 0, [&](auto zero) {
                              using T = decltype(zero);
                              kernels::fill(c.ptr<T>(0), c.length(0), kernels::fromDouble<T>(c.number(1)));
                            });
                          }};

// transpose2d(x, rows, cols, out)
constexpr Kernel kTranspose2d = {
    "transpose2d", {Array("x", kNum), Size("rows"), Size("cols"), Array("out", kNum)},
    {SameType(0, {3}), AtLeast(0, {1, 2}), AtLeast(3, {1, 2}), NoOverlap(3, {0})}, [](const Call& c) {
      if (c.size(1) * c.size(2) == 0) return c.undefined();
      return ForType<kNum>(c, 0, [&](auto zero) {
        using T = decltype(zero);
        kernels::transpose2d(c.ptr<T>(0), c.size(1), c.size(2), c.ptr<T>(3));
      });
    }};

// Memory (bytes) touched by the reachable element range of a buffer.
Buf Touched(const Buf& b, const Reach& r) {
  Buf t = b;
  const size_t elem = b.length > 0 ? b.bytes / b.length : 0;
  t.data = static_cast<char*>(b.data) + r.lo * elem;
  t.bytes = static_cast<size_t>(r.hi - r.lo + 1) * elem;
  t.length = static_cast<size_t>(r.hi - r.lo + 1);
  return t;
}

// copyStrided(src, srcOffset, srcStrides, dst, dstOffset, dstStrides, shape):
// the shape and strides are read and checked here, after the buffers' types.
Napi::Value CopyStrided(const Call& c) {
  const Args& args = c.args();
  const Buf& src = c.buf(0);
  const Buf& dst = c.buf(3);
  const int64_t srcOffset = c.size(1);
  const int64_t dstOffset = c.size(4);
  const Shape shape = ReadShape(args, 6, "shape");
  int64_t ss[kMaxDims];
  int64_t ds[kMaxDims];
  ReadStrides(args, 2, "srcStrides", shape, ss);
  ReadStrides(args, 5, "dstStrides", shape, ds);
  if (shape.numel == 0) return c.undefined();
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
  return c.undefined();
}

constexpr Kernel kCopyStrided = {"copyStrided",
                                 {Array("src", kNum), Size("srcOffset", kMaxOffset), Raw("srcStrides"),
                                  Array("dst", kNum), Size("dstOffset", kMaxOffset), Raw("dstStrides"),
                                  Raw("shape")},
                                 {SameType(0, {3})},
                                 CopyStrided};

}  // namespace

void RegisterMemory(Napi::Env env, Napi::Object exports) {
  Register<kCopy, kCast, kFill, kTranspose2d, kCopyStrided>(env, exports);
}

}  // namespace torchlet

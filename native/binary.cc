// Bindings: the broadcast binary kernels of binary.h's list, all
// (a, aStrides, b, bStrides, out, shape).
#include "binary.h"

#include "exports.h"
#include "spec.h"
#include "strided.h"

namespace torchlet {
namespace {

// out may be exactly `in` only when `in` is read element i for output i.
void CheckAlias(const Args& args, const Buf& out, const Buf& in, const Shape& shape,
                const int64_t* strides) {
  if (!args.NoOverlapOrSame(out, in)) return;
  if (!IsContiguous(shape, strides)) {
    args.RangeError(std::string("output overlaps an input (") + out.name + " is " + in.name +
                    ", which is broadcast or strided; in-place needs a contiguous input)");
  }
}

template <class Op, class T>
void RunBinary(const T* a, const int64_t* sa, const T* b, const int64_t* sb, T* out,
               const Shape& shape) {
  const bool ca = IsContiguous(shape, sa);
  const bool cb = IsContiguous(shape, sb);
  const size_t n = static_cast<size_t>(shape.numel);
  if (ca && cb) {
    kernels::binaryRow<Op>(a, 1, b, 1, out, n);
  } else if (ca && IsBroadcastScalar(shape, sb)) {
    kernels::binaryRow<Op>(a, 1, b, 0, out, n);
  } else if (cb && IsBroadcastScalar(shape, sa)) {
    kernels::binaryRow<Op>(a, 0, b, 1, out, n);
  } else {
    const size_t nd = shape.ndim;
    const size_t row = static_cast<size_t>(shape.dims[nd - 1]);
    ForEachRow(shape, sa, sb, 0, 0, [&](int64_t pa, int64_t pb, int64_t r) {
      kernels::binaryRow<Op>(a + pa, sa[nd - 1], b + pb, sb[nd - 1], out + r * row, row);
    });
  }
}

// (a, aStrides, b, bStrides, out, shape): the shape and strides are read and
// checked here, after the buffers' types.
template <class Op, unsigned Allowed>
Napi::Value Run(const Call& c) {
  const Args& args = c.args();
  const Buf& a = c.buf(0);
  const Buf& b = c.buf(2);
  const Buf& out = c.buf(4);
  const Shape shape = ReadShape(args, 5, "shape");
  int64_t sa[kMaxDims];
  int64_t sb[kMaxDims];
  ReadStrides(args, 1, "aStrides", shape, sa);
  ReadStrides(args, 3, "bStrides", shape, sb);
  args.AtLeast(out, shape.numel, "prod(shape)");
  if (shape.numel == 0) return c.undefined();
  CheckReach(args, a, Reachable(args, shape, sa, 0));
  CheckReach(args, b, Reachable(args, shape, sb, 0));
  CheckAlias(args, out, a, shape, sa);
  CheckAlias(args, out, b, shape, sb);
  Dispatch<Allowed>(out.dtype, [&](auto zero) {
    using T = decltype(zero);
    RunBinary<Op, T>(a.as<T>(), sa, b.as<T>(), sb, out.as<T>(), shape);
  });
  return c.undefined();
}

template <class Op, unsigned Allowed>
constexpr Kernel BinaryKernel(const char* name) {
  return {name,
          {Array("a", Allowed), Raw("aStrides"), Array("b", Allowed), Raw("bStrides"), Array("out", Allowed),
           Raw("shape")},
          {SameType(0, {2, 4})},
          Run<Op, Allowed>};
}

#define TORCHLET_BINARY_ROW(NAME, OP, CLASS) constexpr Kernel k_##NAME = BinaryKernel<kernels::OP, k##CLASS>(#NAME);
TORCHLET_BINARY_KERNELS(TORCHLET_BINARY_ROW)
#undef TORCHLET_BINARY_ROW

}  // namespace

void RegisterBinary(Napi::Env env, Napi::Object exports) {
#define TORCHLET_BINARY_EXPORT(NAME, ...) Register<k_##NAME>(env, exports);
  TORCHLET_BINARY_KERNELS(TORCHLET_BINARY_EXPORT)
#undef TORCHLET_BINARY_EXPORT
}

}  // namespace torchlet

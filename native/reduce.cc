// Bindings: sum, mean (ReduceKernel) and max, min (ArgReduceKernel).
#include "reduce.h"

#include "args.h"
#include "exports.h"

namespace torchlet {
namespace {

struct Axis {
  int64_t outer, dim, inner;
};

Axis ReadAxis(const Args& args, size_t first) {
  return Axis{args.Size(first, "outer"), args.Size(first + 1, "dim"), args.Size(first + 2, "inner")};
}

// sum/mean(x, outer, dim, inner, out)
template <bool Mean>
Napi::Value Reduce(const Napi::CallbackInfo& info) {
  const char* name = Mean ? "mean" : "sum";
  Args args(info, name, 5);
  const unsigned allowed = Mean ? kFloat : kNum;
  Buf x = args.Array(0, "x", allowed);
  const Axis ax = ReadAxis(args, 1);
  Buf out = args.Array(4, "out", allowed);
  args.SameType(x, out);
  args.AtLeast(x, args.Mul(args.Mul(ax.outer, ax.dim), ax.inner), "outer*dim*inner");
  args.AtLeast(out, args.Mul(ax.outer, ax.inner), "outer*inner");
  args.NoOverlap(out, x);
  DispatchNum(x.dtype, [&](auto zero) {
    using T = decltype(zero);
    if constexpr (Mean && std::is_integral_v<T>) {
      return;  // unreachable: Array() rejected Int32Array
    } else if constexpr (Mean) {
      kernels::mean(x.as<T>(), ax.outer, ax.dim, ax.inner, out.as<T>());
    } else {
      kernels::sum(x.as<T>(), ax.outer, ax.dim, ax.inner, out.as<T>());
    }
  });
  return info.Env().Undefined();
}

// max/min(x, outer, dim, inner, out, indices)
template <bool IsMax>
Napi::Value ArgReduce(const Napi::CallbackInfo& info) {
  Args args(info, IsMax ? "max" : "min", 6);
  Buf x = args.Array(0, "x", kNum);
  const Axis ax = ReadAxis(args, 1);
  Buf out = args.Array(4, "out", kNum);
  Buf indices = args.Array(5, "indices", kI32);
  args.SameType(x, out);
  if (ax.dim < 1) args.RangeError("dim must be >= 1 (cannot reduce an empty axis)");
  args.AtLeast(x, args.Mul(args.Mul(ax.outer, ax.dim), ax.inner), "outer*dim*inner");
  const int64_t count = args.Mul(ax.outer, ax.inner);
  args.AtLeast(out, count, "outer*inner");
  args.AtLeast(indices, count, "outer*inner");
  args.NoOverlap(out, x);
  args.NoOverlap(indices, x);
  args.NoOverlap(indices, out);
  DispatchNum(x.dtype, [&](auto zero) {
    using T = decltype(zero);
    if constexpr (IsMax) {
      kernels::max(x.as<T>(), ax.outer, ax.dim, ax.inner, out.as<T>(), indices.as<int32_t>());
    } else {
      kernels::min(x.as<T>(), ax.outer, ax.dim, ax.inner, out.as<T>(), indices.as<int32_t>());
    }
  });
  return info.Env().Undefined();
}

}  // namespace

void RegisterReduce(Napi::Env env, Napi::Object exports) {
  exports.Set("sum", Napi::Function::New<Reduce<false>>(env, "sum"));
  exports.Set("mean", Napi::Function::New<Reduce<true>>(env, "mean"));
  exports.Set("max", Napi::Function::New<ArgReduce<true>>(env, "max"));
  exports.Set("min", Napi::Function::New<ArgReduce<false>>(env, "min"));
}

}  // namespace torchlet

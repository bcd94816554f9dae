// Bindings: indexSelect, indexAdd, gather, scatterAdd. Every index is checked
// against [0, dimX) before anything is written.
#include "indexing.h"

#include "args.h"
#include "exports.h"

namespace torchlet {
namespace {

void CheckIndices(const Args& args, const Buf& idx, size_t count, int64_t dimX) {
  const int32_t* p = idx.as<int32_t>();
  for (size_t j = 0; j < count; ++j) {
    if (p[j] < 0 || p[j] >= dimX) {
      args.RangeError("idx[" + std::to_string(j) + "] = " + std::to_string(p[j]) +
                      " is out of range for a dimension of size " + std::to_string(dimX));
    }
  }
}

// indexSelect(x, outer, dimX, inner, idx, out) / indexAdd(dy, outer, dimX, inner, idx, dx)
template <bool Add>
Napi::Value IndexSelectOrAdd(const Napi::CallbackInfo& info) {
  Args args(info, Add ? "indexAdd" : "indexSelect", 6);
  Buf src = args.Array(0, Add ? "dy" : "x", Add ? kFloat : kNum);
  const int64_t outer = args.Size(1, "outer");
  const int64_t dimX = args.Size(2, "dimX");
  const int64_t inner = args.Size(3, "inner");
  Buf idx = args.Array(4, "idx", kI32);
  Buf dst = args.Array(5, Add ? "dx" : "out", Add ? kFloat : kNum);
  args.SameType(src, dst);
  const int64_t n = static_cast<int64_t>(idx.length);
  const int64_t big = args.Mul(args.Mul(outer, dimX), inner);
  const int64_t small = args.Mul(args.Mul(outer, n), inner);
  args.AtLeast(Add ? dst : src, big, "outer*dimX*inner");
  args.AtLeast(Add ? src : dst, small, "outer*idx.length*inner");
  args.NoOverlap(dst, src);
  args.NoOverlap(dst, idx);
  CheckIndices(args, idx, idx.length, dimX);
  if (small == 0) return info.Env().Undefined();
  DispatchNum(src.dtype, [&](auto zero) {
    using T = decltype(zero);
    if constexpr (Add) {
      if constexpr (!std::is_integral_v<T>) {
        kernels::indexAdd(src.as<T>(), outer, dimX, inner, idx.as<int32_t>(), n, dst.as<T>());
      }
    } else {
      kernels::indexSelect(src.as<T>(), outer, dimX, inner, idx.as<int32_t>(), n, dst.as<T>());
    }
  });
  return info.Env().Undefined();
}

// gather(x, outer, dimX, inner, idx, n, out) / scatterAdd(dy, outer, dimX, inner, idx, n, dx)
template <bool Add>
Napi::Value GatherOrScatter(const Napi::CallbackInfo& info) {
  Args args(info, Add ? "scatterAdd" : "gather", 7);
  Buf src = args.Array(0, Add ? "dy" : "x", Add ? kFloat : kNum);
  const int64_t outer = args.Size(1, "outer");
  const int64_t dimX = args.Size(2, "dimX");
  const int64_t inner = args.Size(3, "inner");
  Buf idx = args.Array(4, "idx", kI32);
  const int64_t n = args.Size(5, "n");
  Buf dst = args.Array(6, Add ? "dx" : "out", Add ? kFloat : kNum);
  args.SameType(src, dst);
  const int64_t big = args.Mul(args.Mul(outer, dimX), inner);
  const int64_t small = args.Mul(args.Mul(outer, n), inner);
  args.AtLeast(Add ? dst : src, big, "outer*dimX*inner");
  args.AtLeast(Add ? src : dst, small, "outer*n*inner");
  args.AtLeast(idx, small, "outer*n*inner");
  args.NoOverlap(dst, src);
  args.NoOverlap(dst, idx);
  CheckIndices(args, idx, static_cast<size_t>(small), dimX);
  if (small == 0) return info.Env().Undefined();
  DispatchNum(src.dtype, [&](auto zero) {
    using T = decltype(zero);
    if constexpr (Add) {
      if constexpr (!std::is_integral_v<T>) {
        kernels::scatterAdd(src.as<T>(), outer, dimX, inner, idx.as<int32_t>(), n, dst.as<T>());
      }
    } else {
      kernels::gather(src.as<T>(), outer, dimX, inner, idx.as<int32_t>(), n, dst.as<T>());
    }
  });
  return info.Env().Undefined();
}

}  // namespace

void RegisterIndexing(Napi::Env env, Napi::Object exports) {
  exports.Set("indexSelect", Napi::Function::New<IndexSelectOrAdd<false>>(env, "indexSelect"));
  exports.Set("indexAdd", Napi::Function::New<IndexSelectOrAdd<true>>(env, "indexAdd"));
  exports.Set("gather", Napi::Function::New<GatherOrScatter<false>>(env, "gather"));
  exports.Set("scatterAdd", Napi::Function::New<GatherOrScatter<true>>(env, "scatterAdd"));
}

}  // namespace torchlet

// Bindings: indexSelect(x, outer, dimX, inner, idx, out),
// indexAdd(dy, outer, dimX, inner, idx, dx), gather(x, outer, dimX, inner, idx, n, out),
// scatterAdd(dy, outer, dimX, inner, idx, n, dx). Every index is checked
// against [0, dimX) before anything is written.
#include "indexing.h"

#include <string>

#include "exports.h"
#include "spec.h"

namespace torchlet {
namespace {

// Positions shared by the four kernels; gather and scatterAdd take n before dst.
enum { kSrc = 0, kOuter = 1, kDimX = 2, kInner = 3, kIdx = 4 };

// Index count: idx.length for indexSelect/indexAdd, the n argument otherwise.
template <bool HasN>
int64_t Count(const Call& c) {
  return HasN ? c.size(5) : static_cast<int64_t>(c.length(kIdx));
}
int64_t Big(const Call& c) { return c.args().Mul(c.args().Mul(c.size(kOuter), c.size(kDimX)), c.size(kInner)); }
template <bool HasN>
int64_t Small(const Call& c) { return c.args().Mul(c.args().Mul(c.size(kOuter), Count<HasN>(c)), c.size(kInner)); }

// Both products are formed (and overflow-checked) before any length check.
template <bool HasN>
void Products(const Call& c) {
  Big(c);
  Small<HasN>(c);
}

template <bool HasN>
void CheckIndices(const Call& c) {
  const int32_t* p = c.ptr<int32_t>(kIdx);
  const int64_t dimX = c.size(kDimX);
  const size_t count = HasN ? static_cast<size_t>(Small<HasN>(c)) : c.length(kIdx);
  for (size_t j = 0; j < count; ++j) {
    if (p[j] < 0 || p[j] >= dimX) {
      c.args().RangeError("idx[" + std::to_string(j) + "] = " + std::to_string(p[j]) +
                          " is out of range for a dimension of size " + std::to_string(dimX));
    }
  }
}

// Add: the backward (float only, scatters into the big dst); else the forward.
template <bool Add, bool HasN>
Napi::Value Run(const Call& c) {
  constexpr int dst = HasN ? 6 : 5;
  const int64_t n = Count<HasN>(c);
  if (Small<HasN>(c) == 0) return c.undefined();
  Dispatch<Add ? kFloat : kNum>(c.dtype(kSrc), [&](auto zero) {
    using T = decltype(zero);
    const T* src = c.ptr<T>(kSrc);
    const int32_t* idx = c.ptr<int32_t>(kIdx);
    T* out = c.ptr<T>(dst);
    if constexpr (Add && HasN) {
      kernels::scatterAdd(src, c.size(kOuter), c.size(kDimX), c.size(kInner), idx, n, out);
    } else if constexpr (Add) {
      kernels::indexAdd(src, c.size(kOuter), c.size(kDimX), c.size(kInner), idx, n, out);
    } else if constexpr (HasN) {
      kernels::gather(src, c.size(kOuter), c.size(kDimX), c.size(kInner), idx, n, out);
    } else {
      kernels::indexSelect(src, c.size(kOuter), c.size(kDimX), c.size(kInner), idx, n, out);
    }
  });
  return c.undefined();
}

template <bool Add, bool HasN>
constexpr Kernel IndexKernel(const char* name) {
  constexpr unsigned types = Add ? kFloat : kNum;
  constexpr int dst = HasN ? 6 : 5;
  constexpr int big = Add ? dst : kSrc;
  constexpr int small = Add ? kSrc : dst;
  const Param src = Array(Add ? "dy" : "x", types);
  const Param out = Array(Add ? "dx" : "out", types);
  const Param idx = Array("idx", kI32);
  const Check same = SameType(kSrc, {dst});
  const Check bigLength = AtLeast(big, Big, "outer*dimX*inner");
  const Check noOverlap = NoOverlap(dst, {kSrc, kIdx});
  if constexpr (HasN) {
    return {name,
            {src, Size("outer"), Size("dimX"), Size("inner"), idx, Size("n"), out},
            {same, Custom(Products<true>), bigLength, AtLeast(small, Small<true>, "outer*n*inner"),
             AtLeast(kIdx, Small<true>, "outer*n*inner"), noOverlap, Custom(CheckIndices<true>)},
            Run<Add, true>};
  } else {
    return {name,
            {src, Size("outer"), Size("dimX"), Size("inner"), idx, out},
            {same, Custom(Products<false>), bigLength, AtLeast(small, Small<false>, "outer*idx.length*inner"),
             noOverlap, Custom(CheckIndices<false>)},
            Run<Add, false>};
  }
}

constexpr Kernel kIndexSelect = IndexKernel<false, false>("indexSelect");
constexpr Kernel kIndexAdd = IndexKernel<true, false>("indexAdd");
constexpr Kernel kGather = IndexKernel<false, true>("gather");
constexpr Kernel kScatterAdd = IndexKernel<true, true>("scatterAdd");

}  // namespace

void RegisterIndexing(Napi::Env env, Napi::Object exports) {
  Register<kIndexSelect, kIndexAdd, kGather, kScatterAdd>(env, exports);
}

}  // namespace torchlet

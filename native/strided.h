// Shapes and element strides given as Int32Arrays (broadcast binary kernels,
// copyStrided): reading them, checking what they reach, iterating over them.
#pragma once

#include <cstddef>
#include <cstdint>

#include "args.h"

namespace torchlet {

struct Shape {
  size_t ndim = 0;
  int64_t dims[kMaxDims];
  int64_t numel = 1;  // product of dims (1 for ndim == 0)
};

// Element offsets reachable through (shape, strides) from an offset, inclusive.
struct Reach {
  int64_t lo = 0;
  int64_t hi = 0;
};

// An Int32Array of non-negative dims (at most kMaxDims of them).
Shape ReadShape(const Args& args, size_t i, const char* name);
// An Int32Array with one stride per dim of `shape`, into out[0..ndim).
void ReadStrides(const Args& args, size_t i, const char* name, const Shape& shape, int64_t* out);
// Min and max element offset reached (shape.numel must be > 0).
Reach Reachable(const Args& args, const Shape& shape, const int64_t* strides, int64_t offset);
// RangeError unless the reached offsets lie inside `buf`.
void CheckReach(const Args& args, const Buf& buf, const Reach& r);
// True when strides are the C-order strides of shape (dims of size 1 ignored).
bool IsContiguous(const Shape& shape, const int64_t* strides);
// True when every stride of a dim of size > 1 is 0 (a broadcast scalar).
bool IsBroadcastScalar(const Shape& shape, const int64_t* strides);
// RangeError unless (shape, strides) writes every position at most once. The
// test is sufficient, not necessary (as PyTorch's): sorted by |stride|, each
// stride must step over everything the smaller strides span.
void CheckNoSelfOverlap(const Args& args, const Shape& shape, const int64_t* strides,
                        const char* name);

// Walks an n-d index space row by row: fn(offsetA, offsetB, outerIndex) is called
// once per innermost row; offsets are the starting element offsets of the
// row in two strided operands. ndim >= 1 and numel > 0.
template <class Fn>
void ForEachRow(const Shape& shape, const int64_t* sa, const int64_t* sb, int64_t offA,
                int64_t offB, Fn&& fn) {
  const size_t nd = shape.ndim;
  const int64_t rows = shape.numel / shape.dims[nd - 1];
  int64_t idx[kMaxDims] = {0};
  int64_t pa = offA;
  int64_t pb = offB;
  for (int64_t r = 0; r < rows; ++r) {
    fn(pa, pb, r);
    for (size_t d = nd - 1; d-- > 0;) {
      if (++idx[d] < shape.dims[d]) {
        pa += sa[d];
        pb += sb[d];
        break;
      }
      pa -= sa[d] * (shape.dims[d] - 1);
      pb -= sb[d] * (shape.dims[d] - 1);
      idx[d] = 0;
    }
  }
}

}  // namespace torchlet

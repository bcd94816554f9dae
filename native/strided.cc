#include "strided.h"

#include <algorithm>
#include <string>

namespace torchlet {

Shape ReadShape(const Args& args, size_t i, const char* name) {
  Buf b = args.Array(i, name, kI32);
  if (b.length > kMaxDims) {
    args.RangeError(std::string(name) + " has " + std::to_string(b.length) +
                    " dims; at most " + std::to_string(kMaxDims) + " are supported");
  }
  Shape s;
  s.ndim = b.length;
  const int32_t* d = b.as<int32_t>();
  int64_t numel = 1;
  bool empty = false;
  for (size_t j = 0; j < s.ndim; ++j) {
    if (d[j] < 0) {
      args.RangeError(std::string(name) + "[" + std::to_string(j) + "] is negative (" +
                      std::to_string(d[j]) + ")");
    }
    s.dims[j] = d[j];
    if (d[j] == 0) empty = true;
  }
  if (!empty) {
    for (size_t j = 0; j < s.ndim; ++j) numel = args.Mul(numel, s.dims[j]);
  }
  s.numel = empty ? 0 : numel;
  return s;
}

void ReadStrides(const Args& args, size_t i, const char* name, const Shape& shape, int64_t* out) {
  Buf b = args.Array(i, name, kI32);
  if (b.length != shape.ndim) {
    args.RangeError(std::string(name) + " has " + std::to_string(b.length) +
                    " entries but shape has " + std::to_string(shape.ndim) + " dims");
  }
  const int32_t* s = b.as<int32_t>();
  for (size_t j = 0; j < shape.ndim; ++j) out[j] = s[j];
}

Reach Reachable(const Args& args, const Shape& shape, const int64_t* strides, int64_t offset) {
  Reach r{offset, offset};
  for (size_t j = 0; j < shape.ndim; ++j) {
    const int64_t span = args.Mul(shape.dims[j] - 1, strides[j]);
    if (span < 0) {
      r.lo = args.Add(r.lo, span);
    } else {
      r.hi = args.Add(r.hi, span);
    }
  }
  return r;
}

void CheckReach(const Args& args, const Buf& buf, const Reach& r) {
  if (r.lo < 0 || static_cast<uint64_t>(r.hi) >= buf.length) {
    args.RangeError(std::string(buf.name) + " has " + std::to_string(buf.length) +
                    " elements but the strides reach offsets " + std::to_string(r.lo) + ".." +
                    std::to_string(r.hi));
  }
}

bool IsContiguous(const Shape& shape, const int64_t* strides) {
  int64_t expected = 1;
  for (size_t j = shape.ndim; j-- > 0;) {
    if (shape.dims[j] != 1 && strides[j] != expected) return false;
    expected *= shape.dims[j];
  }
  return true;
}

bool IsBroadcastScalar(const Shape& shape, const int64_t* strides) {
  for (size_t j = 0; j < shape.ndim; ++j) {
    if (shape.dims[j] != 1 && strides[j] != 0) return false;
  }
  return true;
}

void CheckNoSelfOverlap(const Args& args, const Shape& shape, const int64_t* strides,
                        const char* name) {
  if (shape.numel <= 1) return;
  struct Dim {
    int64_t size;
    int64_t stride;
  };
  Dim dims[kMaxDims];
  size_t nd = 0;
  for (size_t j = 0; j < shape.ndim; ++j) {
    if (shape.dims[j] == 1) continue;
    const int64_t s = strides[j] < 0 ? -strides[j] : strides[j];
    dims[nd++] = Dim{shape.dims[j], s};
  }
  std::sort(dims, dims + nd, [](const Dim& a, const Dim& b) { return a.stride < b.stride; });
  int64_t extent = 0;  // max offset spanned by the smaller dims
  for (size_t j = 0; j < nd; ++j) {
    if (dims[j].stride <= extent) {
      args.RangeError(std::string(name) + " write some dst positions more than once "
                      "(overlapping destination)");
    }
    extent = args.Add(extent, args.Mul(dims[j].size - 1, dims[j].stride));
  }
}

}  // namespace torchlet

// Scalar conversions shared by the kernels: JS's ToInt32 and wrapping int32 math.
#pragma once

#include <cmath>
#include <cstdint>
#include <type_traits>

namespace torchlet::kernels {

// JS ToInt32: NaN/±Infinity → 0, else truncate toward 0 and wrap modulo 2^32
// (exactly what storing a number into an Int32Array does).
inline int32_t toInt32(double v) {
  if (v > -2147483649.0 && v < 2147483648.0) return static_cast<int32_t>(v);  // truncates
  if (!std::isfinite(v)) return 0;
  double t = std::fmod(std::trunc(v), 4294967296.0);
  if (t < 0) t += 4294967296.0;
  return static_cast<int32_t>(static_cast<uint32_t>(t));
}

// Converts a JS number to element type T as a TypedArray store would.
template <class T>
inline T fromDouble(double v) {
  if constexpr (std::is_same_v<T, int32_t>) {
    return toInt32(v);
  } else {
    return static_cast<T>(v);
  }
}

// Wraps an exact 64-bit integer result to int32 (two's complement).
inline int32_t wrap32(int64_t v) {
  return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(v)));
}

}  // namespace torchlet::kernels

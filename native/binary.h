// Broadcast binary kernels: out[idx] = op(a[idx·aStrides], b[idx·bStrides]).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "numeric.h"

namespace torchlet::kernels {

// ---- scalar ops ---------------------------------------------------------
// Integer add/sub/mul wrap modulo 2^32 (computed unsigned: no UB).
struct Add {
  template <class T>
  static T f(T a, T b) {
    if constexpr (std::is_integral_v<T>) {
      return static_cast<T>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
    } else {
      return a + b;
    }
  }
};
struct Sub {
  template <class T>
  static T f(T a, T b) {
    if constexpr (std::is_integral_v<T>) {
      return static_cast<T>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b));
    } else {
      return a - b;
    }
  }
};
struct Mul {
  template <class T>
  static T f(T a, T b) {
    if constexpr (std::is_integral_v<T>) {
      return static_cast<T>(static_cast<uint32_t>(a) * static_cast<uint32_t>(b));
    } else {
      return a * b;
    }
  }
};
struct Div {
  template <class T>
  static T f(T a, T b) { return a / b; }
};
struct Pow {
  template <class T>
  static T f(T a, T b) {
    return static_cast<T>(std::pow(static_cast<double>(a), static_cast<double>(b)));
  }
};
// NaN-propagating max/min (a NaN in either input gives NaN).
struct Maximum {
  template <class T>
  static T f(T a, T b) { return (a > b || a != a) ? a : b; }
};
struct Minimum {
  template <class T>
  static T f(T a, T b) { return (a < b || a != a) ? a : b; }
};
struct Eq {
  template <class T>
  static T f(T a, T b) { return a == b ? T(1) : T(0); }
};
struct Gt {
  template <class T>
  static T f(T a, T b) { return a > b ? T(1) : T(0); }
};
struct Lt {
  template <class T>
  static T f(T a, T b) { return a < b ? T(1) : T(0); }
};
struct Ge {
  template <class T>
  static T f(T a, T b) { return a >= b ? T(1) : T(0); }
};
struct Le {
  template <class T>
  static T f(T a, T b) { return a <= b ? T(1) : T(0); }
};

// ---- loops ------------------------------------------------------------------
// One row of n outputs; sa/sb are the element strides of a and b (0 = broadcast).
// The common stride patterns get their own loops so the compiler vectorises them.
template <class Op, class T>
void binaryRow(const T* a, int64_t sa, const T* b, int64_t sb, T* out, size_t n) {
  if (sa == 1 && sb == 1) {
    for (size_t i = 0; i < n; ++i) out[i] = Op::f(a[i], b[i]);
  } else if (sa == 1 && sb == 0) {
    const T bv = *b;
    for (size_t i = 0; i < n; ++i) out[i] = Op::f(a[i], bv);
  } else if (sa == 0 && sb == 1) {
    const T av = *a;
    for (size_t i = 0; i < n; ++i) out[i] = Op::f(av, b[i]);
  } else {
    for (size_t i = 0; i < n; ++i) {
      out[i] = Op::f(a[static_cast<int64_t>(i) * sa], b[static_cast<int64_t>(i) * sb]);
    }
  }
}

}  // namespace torchlet::kernels

// Exported as name(a, aStrides, b, bStrides, out, shape) with the scalar op
// above. Num: Float32Array, Float64Array or Int32Array; Float: the first two.
#define TORCHLET_BINARY_KERNELS(X) \
  X(add, Add, Num)                 \
  X(sub, Sub, Num)                 \
  X(mul, Mul, Num)                 \
  X(div, Div, Float)               \
  X(pow, Pow, Float)               \
  X(maximum, Maximum, Num)         \
  X(minimum, Minimum, Num)         \
  X(eq, Eq, Num)                   \
  X(gt, Gt, Num)                   \
  X(lt, Lt, Num)                   \
  X(ge, Ge, Num)                   \
  X(le, Le, Num)

// Elementwise unary kernels and their backward rules: plain loops over raw
// pointers (out may be exactly x, so no restrict). float32 exp, log, sigmoid
// and tanh run the vectorised kernels of simd/ (chosen for this CPU at load);
// float64 keeps libm. The lists at the end export them (bound by unary.cc).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "numeric.h"
#include "simd/simd.h"

namespace torchlet::kernels {

template <class T>
void neg(const T* x, T* out, size_t n) {
  if constexpr (std::is_integral_v<T>) {
    for (size_t i = 0; i < n; ++i) out[i] = static_cast<T>(0u - static_cast<uint32_t>(x[i]));
  } else {
    for (size_t i = 0; i < n; ++i) out[i] = -x[i];
  }
}

template <class T>
void abs(const T* x, T* out, size_t n) {
  if constexpr (std::is_integral_v<T>) {
    // |INT32_MIN| wraps to INT32_MIN, as in JS and PyTorch.
    for (size_t i = 0; i < n; ++i) {
      const uint32_t u = static_cast<uint32_t>(x[i]);
      out[i] = static_cast<T>(x[i] < 0 ? 0u - u : u);
    }
  } else {
    for (size_t i = 0; i < n; ++i) out[i] = std::fabs(x[i]);
  }
}

// -1, 0 or 1; NaN (and ±0) stay as they are.
template <class T>
void sign(const T* x, T* out, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const T v = x[i];
    out[i] = v > 0 ? T(1) : (v < 0 ? T(-1) : v);
  }
}

template <class T>
void exp(const T* x, T* out, size_t n) {
  if constexpr (std::is_same_v<T, float>) {
    simd::table().exp(x, out, n);
  } else {
    for (size_t i = 0; i < n; ++i) out[i] = std::exp(x[i]);
  }
}

template <class T>
void log(const T* x, T* out, size_t n) {
  if constexpr (std::is_same_v<T, float>) {
    simd::table().log(x, out, n);
  } else {
    for (size_t i = 0; i < n; ++i) out[i] = std::log(x[i]);
  }
}

template <class T>
void sqrt(const T* x, T* out, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = std::sqrt(x[i]);
}

template <class T>
void sin(const T* x, T* out, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = std::sin(x[i]);
}

template <class T>
void cos(const T* x, T* out, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = std::cos(x[i]);
}

// max(x, 0) with NaN propagating (as PyTorch).
template <class T>
void relu(const T* x, T* out, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = x[i] < T(0) ? T(0) : x[i];
}

template <class T>
void sigmoid(const T* x, T* out, size_t n) {
  if constexpr (std::is_same_v<T, float>) {
    simd::table().sigmoid(x, out, n);
  } else {
    for (size_t i = 0; i < n; ++i) out[i] = T(1) / (T(1) + std::exp(-x[i]));
  }
}

template <class T>
void tanh(const T* x, T* out, size_t n) {
  if constexpr (std::is_same_v<T, float>) {
    simd::table().tanh(x, out, n);
  } else {
    for (size_t i = 0; i < n; ++i) out[i] = std::tanh(x[i]);
  }
}

template <class T>
void leakyRelu(const T* x, T slope, T* out, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = x[i] > T(0) ? x[i] : slope * x[i];
}

template <class T>
void powScalar(const T* x, double p, T* out, size_t n) {
  if (p == 2.0) {
    for (size_t i = 0; i < n; ++i) out[i] = x[i] * x[i];
  } else if (p == 1.0) {
    for (size_t i = 0; i < n; ++i) out[i] = x[i];
  } else {
    for (size_t i = 0; i < n; ++i) {
      out[i] = static_cast<T>(std::pow(static_cast<double>(x[i]), p));
    }
  }
}

// min(max(x, lo), hi) computed in double, stored as a TypedArray store would.
// A NaN bound gives NaN (Math.min/Math.max semantics), 0 for int32.
template <class T>
void clamp(const T* x, double lo, double hi, T* out, size_t n) {
  if (lo != lo || hi != hi) {
    const T v = fromDouble<T>(std::numeric_limits<double>::quiet_NaN());
    for (size_t i = 0; i < n; ++i) out[i] = v;
    return;
  }
  if constexpr (std::is_integral_v<T>) {
    for (size_t i = 0; i < n; ++i) {
      double v = x[i];
      v = v < lo ? lo : v;
      v = v > hi ? hi : v;
      out[i] = toInt32(v);
    }
  } else {
    for (size_t i = 0; i < n; ++i) {
      double v = x[i];
      v = v < lo ? lo : v;
      v = v > hi ? hi : v;
      out[i] = static_cast<T>(v);
    }
  }
}

// PyTorch's softplus: x·beta above the threshold gives x (log(1 + eᶻ) is z to
// working precision there), else log(1 + e^(x·beta)) / beta.
template <class T>
void softplusScaled(const T* x, T beta, T threshold, T* out, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const T v = x[i];
    const T bx = v * beta;
    out[i] = bx > threshold ? v : std::log1p(std::exp(bx)) / beta;
  }
}

// ---- GELU, SiLU, ELU (PyTorch's formulas) -------------------------------------
constexpr double kSqrt1_2 = 0.70710678118654752440;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;  // 1/√(2π)
constexpr double kGeluBeta = 0.79788456080286535588;    // √(2/π)
constexpr double kGeluKappa = 0.044715;

// x · Φ(x) = x/2 · (1 + erf(x/√2)).
template <class T>
void gelu(const T* x, T* out, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const T v = x[i];
    out[i] = v * T(0.5) * (T(1) + std::erf(v * T(kSqrt1_2)));
  }
}

// x/2 · (1 + tanh(√(2/π)·(x + 0.044715·x³))).
template <class T>
void geluTanh(const T* x, T* out, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const T v = x[i];
    out[i] = T(0.5) * v * (T(1) + std::tanh(T(kGeluBeta) * (v + T(kGeluKappa) * v * v * v)));
  }
}

// x · σ(x).
template <class T>
void silu(const T* x, T* out, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const T v = x[i];
    out[i] = v / (T(1) + std::exp(-v));
  }
}

template <class T>
void elu(const T* x, T alpha, T* out, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const T v = x[i];
    out[i] = v > T(0) ? v : alpha * std::expm1(v);
  }
}

// ---- backward ----------------------------------------------------------------
// dy is read unconditionally so that the select compiles to a vector blend:
// a conditional load stays a branch, mispredicted on every other element of a
// ReLU's input (~5 ns each, 10× the loop's memory time).
template <class T>
void reluBackward(const T* x, const T* dy, T* dx, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const T g = dy[i];
    dx[i] = x[i] > T(0) ? g : T(0);
  }
}

template <class T>
void sigmoidBackward(const T* y, const T* dy, T* dx, size_t n) {
  for (size_t i = 0; i < n; ++i) dx[i] = dy[i] * y[i] * (T(1) - y[i]);
}

template <class T>
void tanhBackward(const T* y, const T* dy, T* dx, size_t n) {
  for (size_t i = 0; i < n; ++i) dx[i] = dy[i] * (T(1) - y[i] * y[i]);
}

template <class T>
void softplusScaledBackward(const T* x, T beta, T threshold, const T* dy, T* dx, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const T bx = x[i] * beta;
    if (bx > threshold) {
      dx[i] = dy[i];
    } else {
      const T z = std::exp(bx);
      dx[i] = dy[i] * z / (z + T(1));
    }
  }
}

// dy · (Φ(x) + x·φ(x)).
template <class T>
void geluBackward(const T* x, const T* dy, T* dx, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const T v = x[i];
    const T cdf = T(0.5) * (T(1) + std::erf(v * T(kSqrt1_2)));
    const T pdf = std::exp(T(-0.5) * v * v) * T(kInvSqrt2Pi);
    dx[i] = dy[i] * (cdf + v * pdf);
  }
}

template <class T>
void geluTanhBackward(const T* x, const T* dy, T* dx, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const T v = x[i];
    const T v2 = v * v;
    const T t = std::tanh(T(kGeluBeta) * (v + T(kGeluKappa) * v2 * v));
    const T right = T(0.5) * v * (T(1) - t * t) * T(kGeluBeta) * (T(1) + T(3 * kGeluKappa) * v2);
    dx[i] = dy[i] * (T(0.5) * (T(1) + t) + right);
  }
}

// dy · σ(x) · (1 + x·(1 − σ(x))).
template <class T>
void siluBackward(const T* x, const T* dy, T* dx, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const T v = x[i];
    const T s = T(1) / (T(1) + std::exp(-v));
    dx[i] = dy[i] * s * (T(1) + v * (T(1) - s));
  }
}

template <class T>
void eluBackward(const T* x, T alpha, const T* dy, T* dx, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const T v = x[i];
    dx[i] = v > T(0) ? dy[i] : dy[i] * alpha * std::exp(v);
  }
}

template <class T>
void leakyReluBackward(const T* x, T slope, const T* dy, T* dx, size_t n) {
  for (size_t i = 0; i < n; ++i) dx[i] = x[i] > T(0) ? dy[i] : dy[i] * slope;
}

template <class T>
void clampBackward(const T* x, double lo, double hi, const T* dy, T* dx, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const double v = x[i];
    const T g = dy[i];  // unconditional load: a blend, not a branch (see reluBackward)
    dx[i] = (v >= lo && v <= hi) ? g : T(0);
  }
}

}  // namespace torchlet::kernels

// Exported as name(x, out), out of x's length and type, possibly x itself.
// Num: Float32Array, Float64Array or Int32Array; Float: the first two.
#define TORCHLET_UNARY_KERNELS(X) \
  X(neg, Num)                     \
  X(abs, Num)                     \
  X(sign, Num)                    \
  X(exp, Float)                   \
  X(log, Float)                   \
  X(sqrt, Float)                  \
  X(sin, Float)                   \
  X(cos, Float)                   \
  X(relu, Float)                  \
  X(sigmoid, Float)               \
  X(tanh, Float)                  \
  X(gelu, Float)                  \
  X(geluTanh, Float)              \
  X(silu, Float)

// Exported as name(saved, dy, dx): float buffers of one length and type, dx
// possibly saved or dy itself.
#define TORCHLET_UNARY_BACKWARD_KERNELS(X) \
  X(reluBackward)                          \
  X(sigmoidBackward)                       \
  X(tanhBackward)                          \
  X(geluBackward)                          \
  X(geluTanhBackward)                      \
  X(siluBackward)

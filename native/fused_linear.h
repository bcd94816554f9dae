// Fused linear layer: y = act(x·wᵀ + b) as one GEMM plus ONE pass over its
// output (bias and activation), and the backward as the activation gradient,
// the bias-gradient column sums and the two GEMMs.
#pragma once

#include <cmath>
#include <cstddef>
#include <type_traits>

#include "codes.h"
#include "gemm.h"
#include "reduce.h"
#include "simd/simd.h"

namespace torchlet::kernels {

// Each activation and its gradient from the forward OUTPUT y (so the
// pre-activation need not be kept). Formulas are those of unary.h exactly.
struct ActNone {
  template <class T> static T f(T z, T) { return z; }
  template <class T> static T df(T, T dy, T) { return dy; }
};
struct ActRelu {
  template <class T> static T f(T z, T) { return z < T(0) ? T(0) : z; }
  // y > 0 exactly where z > 0.
  template <class T> static T df(T y, T dy, T) { return y > T(0) ? dy : T(0); }
};
struct ActLeakyRelu {
  template <class T> static T f(T z, T s) { return z > T(0) ? z : s * z; }
  // y > 0 exactly where z > 0 when slope >= 0 (the binding checks that).
  template <class T> static T df(T y, T dy, T s) { return y > T(0) ? dy : dy * s; }
};
struct ActSigmoid {
  template <class T> static T f(T z, T) { return T(1) / (T(1) + std::exp(-z)); }
  template <class T> static T df(T y, T dy, T) { return dy * y * (T(1) - y); }
};
struct ActTanh {
  template <class T> static T f(T z, T) { return std::tanh(z); }
  template <class T> static T df(T y, T dy, T) { return dy * (T(1) - y * y); }
};

// Calls fn(A{}) with the activation struct for `act` (0..kActMax).
template <class Fn>
void dispatchAct(int act, Fn&& fn) {
  switch (act) {
    case kActRelu: fn(ActRelu{}); break;
    case kActLeakyRelu: fn(ActLeakyRelu{}); break;
    case kActSigmoid: fn(ActSigmoid{}); break;
    case kActTanh: fn(ActTanh{}); break;
    default: fn(ActNone{}); break;
  }
}

// y[r, j] = act(y[r, j] + b[j]) in place (b may be null: no bias).
template <class A, class T>
void biasAct(T* y, const T* b, size_t rows, size_t out, T slope) {
  if (out == 1) {  // one output (logistic regression): one loop over the rows, not a loop of one per row
    const T b0 = b != nullptr ? b[0] : T(0);
    for (size_t r = 0; r < rows; ++r) y[r] = A::f(static_cast<T>(y[r] + b0), slope);
    return;
  }
  for (size_t r = 0; r < rows; ++r) {
    T* yr = y + r * out;
    if (b != nullptr) {
      for (size_t j = 0; j < out; ++j) yr[j] = A::f(static_cast<T>(yr[j] + b[j]), slope);
    } else {
      for (size_t j = 0; j < out; ++j) yr[j] = A::f(yr[j], slope);
    }
  }
}

// y [rows, out] = act(x [rows, in] · w [out, in]ᵀ + b [out]).
template <class T>
void linearForward(ThreadPool* pool, const T* x, const T* w, const T* b, size_t rows, size_t in, size_t out,
                   int act, T slope, T* y) {
  if (rows == 0 || out == 0) return;
  gemm(pool, false, true, rows, out, in, T(1), x, w, T(0), y);
  if constexpr (std::is_same_v<T, float>) {
    simd::table().biasAct(act, y, b, rows, out, slope);  // vectorised for this CPU
  } else {
    dispatchAct(act, [&](auto a) { biasAct<decltype(a)>(y, b, rows, out, slope); });
  }
}

// dz = dy · act'(from y); db[j] = Σ_r dz[r, j] (accumulated in double);
// dx = dz · w; dw = dzᵀ · x. Any of dx, dw, db may be null (not wanted).
// Every output is overwritten (no accumulation). dz may be exactly dy or y.
template <class T>
void linearBackward(ThreadPool* pool, const T* x, const T* w, const T* y, const T* dy, size_t rows,
                    size_t in, size_t out, int act, T slope, T* dz, T* dx, T* dw, T* db) {
  // The activation gradient over all rows at once: elementwise, so it
  // vectorises whatever the layer's width (one output: logistic regression).
  const size_t total = rows * out;
  dispatchAct(act, [&](auto a) {
    using A = decltype(a);
    // Without an activation dz = dy: nothing to write when they are one buffer.
    if (std::is_same_v<A, ActNone> && dz == dy) return;
    for (size_t i = 0; i < total; ++i) dz[i] = A::df(y[i], dy[i], slope);
  });
  if (db != nullptr) sum(pool, dz, 1, rows, out, db);  // column sums, in double
  if (dx != nullptr) gemm(pool, false, false, rows, in, out, T(1), dz, w, T(0), dx);
  if (dw != nullptr) gemm(pool, true, false, out, in, rows, T(1), dz, x, T(0), dw);
}

}  // namespace torchlet::kernels

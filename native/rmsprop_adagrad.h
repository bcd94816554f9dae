// One-pass RMSprop and Adagrad updates of one parameter, in PyTorch 1.13's
// single-tensor operation order exactly as lib/optim/{rmsprop,adagrad}-update.ts
// compose it from tensor ops: every intermediate and every scalar is rounded
// to T as those ops store them (see optim_step.h).
#pragma once

#include <cmath>
#include <cstddef>

#include "optim_step.h"

namespace torchlet::kernels {

struct RmspropScalars {
  double lr, alpha, eps, weightDecay, momentum;
  bool centered, maximize;
};

// The RMSprop loop for one option set (see rmspropStep).
template <class T, bool kMaximize, bool kDecay, bool kCentered, bool kMomentum>
void rmspropLoop(T* __restrict param, const T* __restrict grad, T* __restrict sq, T* __restrict gavg,
                 T* __restrict buf, size_t n, T a, T oma, T eps, T wd, T mom, T negLr) {
  for (size_t i = 0; i < n; ++i) {
    T g = kMaximize ? -grad[i] : grad[i];
    if (kDecay) g = g + static_cast<T>(param[i] * wd);
    const T v = static_cast<T>(sq[i] * a) + static_cast<T>(static_cast<T>(g * oma) * g);
    sq[i] = v;
    T avg;
    if (kCentered) {
      const T m = static_cast<T>(gavg[i] * a) + static_cast<T>(g * oma);
      gavg[i] = m;
      avg = std::sqrt(static_cast<T>(v - static_cast<T>(m * m)));
    } else {
      avg = std::sqrt(v);
    }
    avg = avg + eps;
    if (kMomentum) {
      const T b = static_cast<T>(buf[i] * mom) + static_cast<T>(g / avg);
      buf[i] = b;
      param[i] = param[i] + static_cast<T>(b * negLr);
    } else {
      param[i] = param[i] + static_cast<T>(static_cast<T>(g * negLr) / avg);
    }
  }
}

// g ← −g if maximize; g ← g + λθ; v ← αv + ((1−α)g)g; centered: ḡ ← αḡ + (1−α)g,
// d = √(v − ḡḡ) + eps, else d = √v + eps; momentum > 0: b ← μb + g/d, θ ← θ − lr·b,
// else θ ← θ + (−lr·g)/d. No two buffers overlap (the binding checks).
template <class T>
void rmspropStep(T* param, const T* grad, T* sq, T* gavg, T* buf, size_t n, const RmspropScalars& s) {
  const T a = static_cast<T>(s.alpha);
  const T oma = static_cast<T>(1 - s.alpha);
  const T eps = static_cast<T>(s.eps);
  const T wd = static_cast<T>(s.weightDecay);
  const T mom = static_cast<T>(s.momentum);
  const T negLr = static_cast<T>(-s.lr);
  withFlag(s.maximize, [&](auto maximize) {
    withFlag(s.weightDecay != 0, [&](auto decay) {
      withFlag(s.centered, [&](auto centered) {
        withFlag(s.momentum > 0, [&](auto momentum) {
          rmspropLoop<T, decltype(maximize)::value, decltype(decay)::value, decltype(centered)::value,
                      decltype(momentum)::value>(param, grad, sq, gavg, buf, n, a, oma, eps, wd, mom, negLr);
        });
      });
    });
  });
}

struct AdagradScalars {
  double step, lr, lrDecay, eps, weightDecay;
  bool maximize;
};

// The Adagrad loop for one option set (see adagradStep).
template <class T, bool kMaximize, bool kDecay>
void adagradLoop(T* __restrict param, const T* __restrict grad, T* __restrict sum, size_t n, T negClr, T eps, T wd) {
  for (size_t i = 0; i < n; ++i) {
    T g = kMaximize ? -grad[i] : grad[i];
    if (kDecay) g = g + static_cast<T>(param[i] * wd);
    const T s = sum[i] + static_cast<T>(g * g);
    sum[i] = s;
    const T std = static_cast<T>(std::sqrt(s)) + eps;
    param[i] = param[i] + static_cast<T>(static_cast<T>(g * negClr) / std);
  }
}

// g ← −g if maximize; g ← g + λθ; clr = lr / (1 + (t−1)·lrDecay); s ← s + g·g;
// θ ← θ + (−clr·g)/(√s + eps). `step` is t (already incremented).
template <class T>
void adagradStep(T* param, const T* grad, T* sum, size_t n, const AdagradScalars& s) {
  const T negClr = static_cast<T>(-(s.lr / (1 + (s.step - 1) * s.lrDecay)));
  const T eps = static_cast<T>(s.eps);
  const T wd = static_cast<T>(s.weightDecay);
  withFlag(s.maximize, [&](auto maximize) {
    withFlag(s.weightDecay != 0, [&](auto decay) {
      adagradLoop<T, decltype(maximize)::value, decltype(decay)::value>(param, grad, sum, n, negClr, eps, wd);
    });
  });
}

}  // namespace torchlet::kernels

// One-pass optimizer updates of one parameter, in PyTorch 1.13's single-tensor
// operation order exactly as lib/optim/{sgd,adam}-update.ts compose it from
// tensor ops: every intermediate is rounded to T (as each op stores it) and
// every scalar is first rounded to T (as a scalar operand of a T tensor is).
#pragma once

#include <cmath>
#include <cstddef>
#include <type_traits>

namespace torchlet::kernels {

struct SgdScalars {
  double lr, momentum, dampening, weightDecay;
  bool nesterov, maximize, firstStep;
};

// Calls f(std::true_type) or f(std::false_type): turns a run-time flag into a
// template argument, so each option set gets its own branch-free loop that the
// compiler vectorises (a flag tested inside the loop keeps it scalar: 4× slower).
template <class F>
void withFlag(bool flag, F&& f) {
  if (flag) {
    f(std::true_type{});
  } else {
    f(std::false_type{});
  }
}

// The SGD loop for one option set (see sgdStep).
template <class T, bool kMaximize, bool kDecay, bool kMomentum, bool kFirst, bool kNesterov>
void sgdLoop(T* __restrict param, const T* __restrict grad, T* __restrict buf, size_t n, T wd, T mom, T keep,
             T negLr) {
  for (size_t i = 0; i < n; ++i) {
    T g = kMaximize ? -grad[i] : grad[i];
    if (kDecay) g = g + static_cast<T>(param[i] * wd);
    if (kMomentum) {
      const T b = kFirst ? g : static_cast<T>(static_cast<T>(buf[i] * mom) + static_cast<T>(g * keep));
      buf[i] = b;
      g = kNesterov ? static_cast<T>(g + static_cast<T>(b * mom)) : b;
    }
    param[i] = param[i] + static_cast<T>(g * negLr);
  }
}

// g ← −g if maximize; g ← g + λθ; b ← g (first step) or μb + (1−τ)g;
// g ← g + μb (nesterov) or b; θ ← θ − lr·g. buf is unused when momentum == 0.
// param, grad and buf do not overlap (the binding checks).
template <class T>
void sgdStep(T* param, const T* grad, T* buf, size_t n, const SgdScalars& s) {
  const T wd = static_cast<T>(s.weightDecay);
  const T mom = static_cast<T>(s.momentum);
  const T keep = static_cast<T>(1 - s.dampening);
  const T negLr = static_cast<T>(-s.lr);
  withFlag(s.maximize, [&](auto maximize) {
    withFlag(s.weightDecay != 0, [&](auto decay) {
      withFlag(s.momentum != 0, [&](auto momentum) {
        withFlag(s.firstStep, [&](auto first) {
          withFlag(s.nesterov, [&](auto nesterov) {
            sgdLoop<T, decltype(maximize)::value, decltype(decay)::value, decltype(momentum)::value,
                    decltype(first)::value, decltype(nesterov)::value>(param, grad, buf, n, wd, mom, keep, negLr);
          });
        });
      });
    });
  });
}

struct AdamScalars {
  double step, lr, beta1, beta2, eps, weightDecay;
  bool decoupled, amsgrad, maximize;
};

// The Adam loop for one option set (see adamStep).
template <class T, bool kMaximize, bool kDecoupled, bool kL2, bool kAmsgrad>
void adamLoop(T* __restrict param, const T* __restrict grad, T* __restrict m, T* __restrict v,
              T* __restrict vmax, size_t n, T decayMul, T wd, T b1, T omb1, T b2, T omb2, T negStep, T sqrtBc2,
              T eps) {
  for (size_t i = 0; i < n; ++i) {
    T g = kMaximize ? -grad[i] : grad[i];
    T p = param[i];
    if (kDecoupled) p = p * decayMul;
    if (kL2) g = g + static_cast<T>(p * wd);
    const T mi = static_cast<T>(m[i] * b1) + static_cast<T>(g * omb1);
    const T vi = static_cast<T>(v[i] * b2) + static_cast<T>(static_cast<T>(g * omb2) * g);
    m[i] = mi;
    v[i] = vi;
    T vv = vi;
    if (kAmsgrad) {
      const T a = vmax[i];
      vv = (a > vi || a != a) ? a : vi;  // NaN-propagating maximum
      vmax[i] = vv;
    }
    const T denom = static_cast<T>(static_cast<T>(std::sqrt(vv)) / sqrtBc2) + eps;
    param[i] = p + static_cast<T>(static_cast<T>(mi * negStep) / denom);
  }
}

// g ← −g if maximize; θ ← θ(1 − lr·λ) (decoupled) or g ← g + λθ;
// m ← β1m + (1−β1)g; v ← β2v + ((1−β2)g)g; v̂ = max(v̂, v) with amsgrad;
// θ ← θ + (−lr/(1−β1ᵗ)·m) / (√v̂/√(1−β2ᵗ) + eps). `step` is t (already incremented).
// No two buffers overlap (the binding checks).
template <class T>
void adamStep(T* param, const T* grad, T* m, T* v, T* vmax, size_t n, const AdamScalars& s) {
  const T decayMul = static_cast<T>(1 - s.lr * s.weightDecay);
  const T wd = static_cast<T>(s.weightDecay);
  const T b1 = static_cast<T>(s.beta1);
  const T omb1 = static_cast<T>(1 - s.beta1);
  const T b2 = static_cast<T>(s.beta2);
  const T omb2 = static_cast<T>(1 - s.beta2);
  const double bc1 = 1 - std::pow(s.beta1, s.step);
  const double bc2 = 1 - std::pow(s.beta2, s.step);
  const T negStep = static_cast<T>(-(s.lr / bc1));
  const T sqrtBc2 = static_cast<T>(std::sqrt(bc2));
  const T eps = static_cast<T>(s.eps);
  withFlag(s.maximize, [&](auto maximize) {
    withFlag(s.decoupled, [&](auto decoupled) {
      withFlag(!s.decoupled && s.weightDecay != 0, [&](auto l2) {
        withFlag(s.amsgrad, [&](auto amsgrad) {
          adamLoop<T, decltype(maximize)::value, decltype(decoupled)::value, decltype(l2)::value,
                   decltype(amsgrad)::value>(param, grad, m, v, vmax, n, decayMul, wd, b1, omb1, b2, omb2, negStep,
                                             sqrtBc2, eps);
        });
      });
    });
  });
}

}  // namespace torchlet::kernels

// Pooling over planes [h, w] and batch norm over [n, c, inner]. The binding
// has checked that every window covers an input element. Sums run in double
// and every formula is written in the js backend's order (lib/backend/js/pool.ts),
// so both backends agree to the last bit or nearly.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>

namespace torchlet::kernels {

// One axis of a pooling window geometry.
struct PoolAxis {
  int64_t size, k, s, p, d, out;
};

// First tap >= 0 of a window starting at t with taps d apart.
inline int64_t FirstTap(int64_t t, int64_t d) { return t < 0 ? t + (-t + d - 1) / d * d : t; }

// Max and first arg-max over nr x nc taps of a plane from (r0, c0), rd and cd
// apart. A NaN wins, the last one as in PyTorch.
template <class T>
inline void WindowMax(const T* xp, int64_t w, int64_t r0, int64_t nr, int64_t c0, int64_t nc, int64_t rd, int64_t cd,
                      T* out, int32_t* index) {
  T best = -std::numeric_limits<T>::infinity();
  int32_t at = static_cast<int32_t>(r0 * w + c0);
  for (int64_t a = 0; a < nr; ++a) {
    const int32_t base = static_cast<int32_t>((r0 + a * rd) * w + c0);
    const T* row = xp + base;
    for (int64_t b = 0; b < nc; ++b) {
      const T v = row[b * cd];
      if (v > best || v != v) {
        best = v;
        at = base + static_cast<int32_t>(b * cd);
      }
    }
  }
  *out = best;
  *index = at;
}

// The taps of window o along one axis that lie inside the input: first tap and count.
inline std::pair<int64_t, int64_t> Taps(const PoolAxis& a, int64_t o) {
  const int64_t t = o * a.s - a.p;
  const int64_t first = FirstTap(t, a.d), end = std::min(t + (a.k - 1) * a.d + 1, a.size);
  return {first, (end - first + a.d - 1) / a.d};
}

// The outputs [lo, hi) along one axis whose windows lie wholly inside the input.
inline std::pair<int64_t, int64_t> Interior(const PoolAxis& a) {
  const int64_t span = (a.k - 1) * a.d + 1;
  const int64_t lo = std::min((a.p + a.s - 1) / a.s, a.out);
  const int64_t hi = a.size + a.p >= span ? std::min((a.size + a.p - span) / a.s + 1, a.out) : 0;
  return {lo, std::max(lo, hi)};
}

// (best, at) = (v, i) when v is larger or NaN: WindowMax's rule, as selects
// (a branch on random data is mispredicted half the time).
template <class T>
inline void TakeMax(T v, int32_t i, T& best, int32_t& at) {
  const bool take = (v > best) | (v != v);
  best = take ? v : best;
  at = take ? i : at;
}

// Max pooling of the columns [jLo, jHi) of one output row, whose windows lie
// inside the input along the columns: taps (row r0 + a·rd, column j·s − p + b·cd)
// in the same order as WindowMax, but with the outputs j innermost, so that the
// windows' independent max chains overlap instead of running one after another.
template <class T>
void RowMax(const T* xp, int64_t w, int64_t r0, int64_t nr, int64_t rd, const PoolAxis& c, int64_t jLo, int64_t jHi,
            T* __restrict out, int32_t* __restrict index) {
  for (int64_t j = jLo; j < jHi; ++j) {
    out[j] = -std::numeric_limits<T>::infinity();
    index[j] = static_cast<int32_t>(r0 * w + j * c.s - c.p);
  }
  for (int64_t a = 0; a < nr; ++a) {
    const int64_t y = r0 + a * rd;
    const T* __restrict row = xp + y * w;
    for (int64_t b = 0; b < c.k; ++b) {
      const int64_t off = b * c.d - c.p;
      const int32_t base = static_cast<int32_t>(y * w + off);
      for (int64_t j = jLo; j < jHi; ++j) {
        TakeMax(row[j * c.s + off], base + static_cast<int32_t>(j * c.s), out[j], index[j]);
      }
    }
  }
}

// 2×2 windows at stride 2 without padding or dilation, all inside the input
// (LeNet's pooling and most CNNs'): four loads and selects per output, taps in
// WindowMax's order. The general path's loops over taps and strided columns
// took ~3 ns per input element on LeNet's first pooling. False when the
// geometry is another.
template <class T>
bool maxPool2x2(const T* x, size_t lo, size_t hi, const PoolAxis& r, const PoolAxis& c, T* out, int32_t* indices) {
  const bool fits = r.k == 2 && c.k == 2 && r.s == 2 && c.s == 2 && r.p == 0 && c.p == 0 && r.d == 1 && c.d == 1 &&
                    2 * r.out <= r.size && 2 * c.out <= c.size;
  if (!fits) return false;
  const int64_t w = c.size;
  for (size_t p = lo; p < hi; ++p) {
    const T* xp = x + p * static_cast<size_t>(r.size * w);
    for (int64_t i = 0; i < r.out; ++i) {
      const int32_t top = static_cast<int32_t>(2 * i * w);
      const T* a = xp + top;
      const T* b = a + w;
      const size_t row = (p * r.out + i) * c.out;
      for (int64_t j = 0; j < c.out; ++j) {
        const int32_t at0 = top + static_cast<int32_t>(2 * j);
        T best = a[2 * j];
        int32_t at = at0;
        TakeMax(a[2 * j + 1], at0 + 1, best, at);
        TakeMax(b[2 * j], at0 + static_cast<int32_t>(w), best, at);
        TakeMax(b[2 * j + 1], at0 + static_cast<int32_t>(w) + 1, best, at);
        out[row + j] = best;
        indices[row + j] = at;
      }
    }
  }
  return true;
}

// Planes [lo, hi) of max pooling; indices are flat within the plane.
template <class T>
void maxPool2d(const T* x, size_t lo, size_t hi, const PoolAxis& r, const PoolAxis& c, T* out, int32_t* indices) {
  if (maxPool2x2(x, lo, hi, r, c, out, indices)) return;
  const int64_t w = c.size;
  const auto [jLo, jHi] = Interior(c);
  for (size_t p = lo; p < hi; ++p) {
    const T* xp = x + p * static_cast<size_t>(r.size * w);
    for (int64_t i = 0; i < r.out; ++i) {
      const auto [r0, nr] = Taps(r, i);
      const size_t row = (p * r.out + i) * c.out;
      const auto border = [&](int64_t j) {
        const auto [c0, nc] = Taps(c, j);
        WindowMax(xp, w, r0, nr, c0, nc, r.d, c.d, out + row + j, indices + row + j);
      };
      for (int64_t j = 0; j < jLo; ++j) border(j);
      RowMax(xp, w, r0, nr, r.d, c, jLo, jHi, out + row, indices + row);
      for (int64_t j = jHi; j < c.out; ++j) border(j);
    }
  }
}

// Planes [lo, hi): dx = 0, then dy added at the recorded indices.
template <class T>
void maxPool2dBackward(const T* dy, const int32_t* indices, size_t lo, size_t hi, size_t inSize, size_t outSize, T* dx) {
  for (size_t p = lo; p < hi; ++p) {
    T* dxp = dx + p * inSize;
    std::fill(dxp, dxp + inSize, T(0));
    for (size_t o = 0; o < outSize; ++o) dxp[indices[p * outSize + o]] += dy[p * outSize + o];
  }
}

// Calls f(output index, plane offset, r0, r1, c0, c1, divisor) for every
// average-pooling window of planes [lo, hi) (PyTorch's divisor rules).
template <class F>
void AvgWindows(size_t lo, size_t hi, const PoolAxis& r, const PoolAxis& c, bool countIncludePad, double divisor, F&& f) {
  for (size_t p = lo; p < hi; ++p) {
    for (int64_t i = 0; i < r.out; ++i) {
      const int64_t t = i * r.s - r.p, tEnd = std::min(t + r.k, r.size + r.p);
      const int64_t r0 = std::max<int64_t>(t, 0), r1 = std::min(tEnd, r.size);
      for (int64_t j = 0; j < c.out; ++j) {
        const int64_t u = j * c.s - c.p, uEnd = std::min(u + c.k, c.size + c.p);
        const int64_t c0 = std::max<int64_t>(u, 0), c1 = std::min(uEnd, c.size);
        const double div = divisor != 0 ? divisor
                           : countIncludePad ? static_cast<double>((tEnd - t) * (uEnd - u))
                                             : static_cast<double>((r1 - r0) * (c1 - c0));
        f((p * r.out + i) * c.out + j, p * static_cast<size_t>(r.size * c.size), r0, r1, c0, c1, div);
      }
    }
  }
}

// Calls f(output index, plane offset, r0, r1, c0, c1, count) for every adaptive window
// (rows floor(i·h/oh) .. ceil((i+1)·h/oh)) of planes [lo, hi).
template <class F>
void AdaptiveWindows(size_t lo, size_t hi, int64_t h, int64_t w, int64_t oh, int64_t ow, F&& f) {
  for (size_t p = lo; p < hi; ++p) {
    for (int64_t i = 0; i < oh; ++i) {
      const int64_t r0 = i * h / oh, r1 = ((i + 1) * h + oh - 1) / oh;
      for (int64_t j = 0; j < ow; ++j) {
        const int64_t c0 = j * w / ow, c1 = ((j + 1) * w + ow - 1) / ow;
        f((p * oh + i) * ow + j, p * static_cast<size_t>(h * w), r0, r1, c0, c1, static_cast<double>((r1 - r0) * (c1 - c0)));
      }
    }
  }
}

// out[o] = (Σ window) / div
template <class T>
auto MeanInto(const T* x, int64_t w, T* out) {
  return [=](size_t o, size_t base, int64_t r0, int64_t r1, int64_t c0, int64_t c1, double div) {
    double s = 0;
    for (int64_t y = r0; y < r1; ++y) {
      for (int64_t z = c0; z < c1; ++z) s += static_cast<double>(x[base + y * w + z]);
    }
    out[o] = static_cast<T>(s / div);
  };
}

// window of dx += dy[o] / div (dx zeroed by the caller)
template <class T>
auto SpreadInto(const T* dy, int64_t w, T* dx) {
  return [=](size_t o, size_t base, int64_t r0, int64_t r1, int64_t c0, int64_t c1, double div) {
    const double g = static_cast<double>(dy[o]) / div;
    for (int64_t y = r0; y < r1; ++y) {
      for (int64_t z = c0; z < c1; ++z) {
        T& d = dx[base + y * w + z];
        d = static_cast<T>(static_cast<double>(d) + g);
      }
    }
  };
}

struct BatchNormScalars {
  bool training;
  double momentum, eps;
};

// Channels [lo, hi) of batch norm over x [n, c, inner] (see the kernel table's batchNormForward).
template <class T>
void batchNormForward(const T* x, size_t n, size_t c, size_t inner, const T* weight, const T* bias, T* runningMean,
                      T* runningVar, const BatchNormScalars& s, T* y, T* saveMean, T* saveInvstd, size_t lo, size_t hi) {
  const double m = static_cast<double>(n * inner);
  for (size_t ch = lo; ch < hi; ++ch) {
    double mean, invstd;
    if (s.training) {
      double sum = 0;
      for (size_t i = 0; i < n; ++i) {
        const T* xr = x + (i * c + ch) * inner;
        for (size_t j = 0; j < inner; ++j) sum += static_cast<double>(xr[j]);
      }
      mean = sum / m;
      double q = 0;
      for (size_t i = 0; i < n; ++i) {
        const T* xr = x + (i * c + ch) * inner;
        for (size_t j = 0; j < inner; ++j) {
          const double d = static_cast<double>(xr[j]) - mean;
          q += d * d;
        }
      }
      const double variance = q / m;
      invstd = 1 / std::sqrt(variance + s.eps);
      if (runningMean != nullptr) {
        runningMean[ch] = static_cast<T>((1 - s.momentum) * static_cast<double>(runningMean[ch]) + s.momentum * mean);
      }
      if (runningVar != nullptr) {
        runningVar[ch] = static_cast<T>((1 - s.momentum) * static_cast<double>(runningVar[ch]) +
                                        s.momentum * (variance * m / (m - 1)));
      }
    } else {
      mean = static_cast<double>(runningMean[ch]);
      invstd = 1 / std::sqrt(static_cast<double>(runningVar[ch]) + s.eps);
    }
    saveMean[ch] = static_cast<T>(mean);
    saveInvstd[ch] = static_cast<T>(invstd);
    const double scale = weight == nullptr ? 1 : static_cast<double>(weight[ch]);
    const double shift = bias == nullptr ? 0 : static_cast<double>(bias[ch]);
    for (size_t i = 0; i < n; ++i) {
      const size_t at = (i * c + ch) * inner;
      for (size_t j = 0; j < inner; ++j) {
        y[at + j] = static_cast<T>((static_cast<double>(x[at + j]) - mean) * invstd * scale + shift);
      }
    }
  }
}

// Channels [lo, hi) of batch norm's backward (see the kernel table's batchNormBackward).
template <class T>
void batchNormBackward(const T* x, const T* dy, size_t n, size_t c, size_t inner, const T* weight, const T* saveMean,
                       const T* saveInvstd, bool training, T* dx, T* dweight, T* dbias, size_t lo, size_t hi) {
  const double m = static_cast<double>(n * inner);
  for (size_t ch = lo; ch < hi; ++ch) {
    const double mean = static_cast<double>(saveMean[ch]), invstd = static_cast<double>(saveInvstd[ch]);
    double sumDy = 0, sumDyXhat = 0;
    for (size_t i = 0; i < n; ++i) {
      const size_t at = (i * c + ch) * inner;
      for (size_t j = 0; j < inner; ++j) {
        const double g = static_cast<double>(dy[at + j]);
        sumDy += g;
        sumDyXhat += g * (static_cast<double>(x[at + j]) - mean) * invstd;
      }
    }
    if (dweight != nullptr) dweight[ch] = static_cast<T>(sumDyXhat);
    if (dbias != nullptr) dbias[ch] = static_cast<T>(sumDy);
    if (dx == nullptr) continue;
    const double scale = (weight == nullptr ? 1 : static_cast<double>(weight[ch])) * invstd;
    const double meanDy = sumDy / m, meanDyXhat = sumDyXhat / m;
    for (size_t i = 0; i < n; ++i) {
      const size_t at = (i * c + ch) * inner;
      for (size_t j = 0; j < inner; ++j) {
        const double g = static_cast<double>(dy[at + j]);
        dx[at + j] = static_cast<T>(
            training ? scale * (g - meanDy - (static_cast<double>(x[at + j]) - mean) * invstd * meanDyXhat) : scale * g);
      }
    }
  }
}

}  // namespace torchlet::kernels

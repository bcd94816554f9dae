// A convolution's epilogue over its output [n, c, cells]: bias and fused ReLU
// forward, the bias gradient, the gradient through the fused ReLU. Memory
// passes over the whole batch, split across the pool: elementwise work by
// rows (n·c of them), the bias gradient by channel, each part visiting its
// channels' rows sample by sample so that every channel's sum runs in the
// documented order whatever the split (results do not depend on the threads).
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "thread_pool.h"

namespace torchlet::kernels {

// Below about this many elements a part is not worth a hand-off.
constexpr size_t kEpilogueMinPerPart = size_t{1} << 15;

// Items per part such that a part holds at least kEpilogueMinPerPart elements.
inline size_t EpilogueItems(size_t elementsPerItem) {
  return std::max<size_t>(1, kEpilogueMinPerPart / std::max<size_t>(1, elementsPerItem));
}

// y [n, c, cells] in place: y += bias[ch] (bias may be null), then
// y = max(y, 0) when relu, with relu's formula (a NaN stays).
template <class T>
void convBiasRelu(ThreadPool* pool, T* y, const T* bias, size_t n, size_t c, size_t cells, bool relu) {
  // No bias added (adding 0 would turn −0 into +0).
  if (bias == nullptr && !relu) return;
  ParallelBlocks(pool, n * c, EpilogueItems(cells), [&](size_t lo, size_t hi) {
    for (size_t r = lo; r < hi; ++r) {
      T* __restrict row = y + r * cells;
      if (bias == nullptr) {
        for (size_t j = 0; j < cells; ++j) row[j] = row[j] < T(0) ? T(0) : row[j];
        continue;
      }
      const T b = bias[r % c];
      if (relu) {
        for (size_t j = 0; j < cells; ++j) {
          const T v = row[j] + b;
          row[j] = v < T(0) ? T(0) : v;
        }
      } else {
        for (size_t j = 0; j < cells; ++j) row[j] += b;
      }
    }
  });
}

// Lanes of the bias gradient's sums: independent float64 chains that the
// compiler keeps in vector registers (one chain would wait on every add).
constexpr size_t kBiasLanes = 8;

// acc[j mod kBiasLanes] += row[j] for j in [0, cells), in float64.
template <class T>
void AddToLanes(const T* __restrict row, size_t cells, double* __restrict acc) {
  size_t j = 0;
  for (; j + kBiasLanes <= cells; j += kBiasLanes) {
    for (size_t l = 0; l < kBiasLanes; ++l) acc[l] += static_cast<double>(row[j + l]);
  }
  for (; j < cells; ++j) acc[j % kBiasLanes] += static_cast<double>(row[j]);
}

// db[ch] for the channels [lo, hi) of [n, c, cells]: the rows row(at)
// returns (row may write them), sample by sample, each into its channel's
// lanes, then the lanes summed in order.
template <class T, class Row>
void ChannelSums(size_t lo, size_t hi, size_t n, size_t c, size_t cells, T* db, Row&& row) {
  std::vector<double> acc((hi - lo) * kBiasLanes, 0.0);
  for (size_t i = 0; i < n; ++i) {
    for (size_t ch = lo; ch < hi; ++ch) AddToLanes(row((i * c + ch) * cells), cells, acc.data() + (ch - lo) * kBiasLanes);
  }
  for (size_t ch = lo; ch < hi; ++ch) {
    double sum = 0;
    for (size_t l = 0; l < kBiasLanes; ++l) sum += acc[(ch - lo) * kBiasLanes + l];
    db[ch] = static_cast<T>(sum);
  }
}

// db[ch] = Σ x[·, ch, ·] over [n, c, cells] in float64: cell j of every
// sample into lane j mod kBiasLanes of its channel, sample by sample, the lanes
// then summed in order (the js kernels' order). Split by channel.
template <class T>
void convBiasBackward(ThreadPool* pool, const T* x, size_t n, size_t c, size_t cells, T* db) {
  ParallelBlocks(pool, c, EpilogueItems(n * cells), [&](size_t lo, size_t hi) {
    ChannelSums(lo, hi, n, c, cells, db, [&](size_t at) { return x + at; });
  });
}

// dz = dy·(y > 0) over [n, c, cells] and, when db is not null,
// db = convBiasBackward(dz), each row summed just after it is written (in L1).
// Split by channel (with db) or by row.
template <class T>
void convReluBackward(ThreadPool* pool, const T* y, const T* dy, size_t n, size_t c, size_t cells, T* dz, T* db) {
  const auto mask = [&](size_t at) {
    const T* __restrict ya = y + at;
    const T* __restrict ga = dy + at;
    T* __restrict za = dz + at;
    for (size_t j = 0; j < cells; ++j) {
      const T g = ga[j];  // unconditional load: a blend, not a branch (see reluBackward)
      za[j] = ya[j] > T(0) ? g : T(0);
    }
    return static_cast<const T*>(za);
  };
  if (db == nullptr) {
    ParallelBlocks(pool, n * c, EpilogueItems(cells), [&](size_t lo, size_t hi) {
      for (size_t r = lo; r < hi; ++r) mask(r * cells);
    });
    return;
  }
  ParallelBlocks(pool, c, EpilogueItems(n * cells), [&](size_t lo, size_t hi) {
    ChannelSums(lo, hi, n, c, cells, db, mask);
  });
}

}  // namespace torchlet::kernels

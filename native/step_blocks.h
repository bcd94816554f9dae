// What the optimizer-step bindings share: the split of one update into
// per-thread blocks, and offsetting an optional state buffer.
#pragma once

#include <cstddef>

#include "spec.h"
#include "thread_pool.h"

namespace torchlet {

// Below this many elements an update runs on one thread. Above it the update
// is split into one contiguous block per pool thread, as the split GEMM that
// wrote the weight gradient split its rows (up to the 16-element rounding), so
// each core mostly updates what its own cache holds.
constexpr size_t kParallelStep = size_t{1} << 15;

// Calls step(T{}, lo, hi) over the blocks of [0, length of `param`).
template <class F>
void StepBlocks(const Call& c, int param, F&& step) {
  DispatchFloat(c.dtype(param), [&](auto zero) {
    ParallelRanges(c.pool(), c.length(param), kParallelStep, [&](size_t lo, size_t hi) { step(zero, lo, hi); });
  });
}

// p + lo, or nullptr for an absent buffer.
template <class T>
T* At(T* p, size_t lo) {
  return p == nullptr ? nullptr : p + lo;
}

}  // namespace torchlet

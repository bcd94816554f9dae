// lstmSequence / lstmSequenceBackward: a whole LSTM layer's time loop in one
// call (see the table entries). The rows of the batch never mix in a
// recurrence (h_t of a row depends on that row's h_{t−1}, c_{t−1} and input
// only; so does the backward), so the batch is split into row ranges across
// the pool and each part runs every step for its rows with no hand-off
// between steps. Per step and row the work is the step kernels' own code
// (gemmCols for the recurrent GEMM, lstmGatesRow / lstmGatesBackwardRow), so
// a sequence gives the values of stepGemm and the gate kernels run step by step.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "memory.h"
#include "recurrent.h"

namespace torchlet::kernels {

// Rows per part at least (the simd GEMM's row block), when a sequence's
// recurrent GEMM (batch × 4·hidden × hidden per step) is big enough to split.
constexpr size_t kSequenceMinRows = 4;

// Calls f(b0, b1) over the batch rows split across the pool when the step is big enough.
template <class F>
void EachRowRange(ThreadPool* pool, size_t batch, size_t hidden, F&& f) {
  const bool split = uint64_t{batch} * 4 * hidden * hidden >= kParallelGemmMacs;
  ParallelRanges(split ? pool : nullptr, batch, kSequenceMinRows, f, 1);
}

// gi [steps, batch, 4·H] → y [steps, batch, H] (every h, time order), cells
// (every c) and saved [steps, batch, 5·H] (lstmGates' saved rows); `reverse`
// runs from the last step to the first.
template <class T>
void lstmSequence(ThreadPool* pool, const T* gi, const T* h0, const T* c0, const T* weight, const T* bias, size_t steps,
                  size_t batch, size_t H, bool reverse, T* y, T* cells, T* saved) {
  if (steps == 0 || batch == 0 || H == 0) return;
  const size_t G = 4 * H;
  std::vector<T> weightT(H * G);  // W_hhᵀ [H, 4·H], laid out once for the sequence
  transpose2d(weight, G, H, weightT.data());
  std::vector<T> gh(batch * G);
  EachRowRange(pool, batch, H, [&](size_t b0, size_t b1) {
    const size_t rows = b1 - b0;
    T* ghRows = gh.data() + b0 * G;
    const T* h = h0 + b0 * H;
    const T* c = c0 + b0 * H;
    for (size_t i = 0; i < steps; ++i) {
      const size_t t = reverse ? steps - 1 - i : i;
      const size_t at = t * batch + b0;  // the part's first row of step t
      T* hOut = y + at * H;
      T* cOut = cells + at * H;
      gemmCols(h, weightT.data(), bias, rows, H, 0, G, G, T(0), ghRows);
      for (size_t b = 0; b < rows; ++b) {
        lstmGatesRow(gi + (at + b) * G, ghRows + b * G, c + b * H, H, 0, H, hOut + b * H, cOut + b * H,
                     saved + (at + b) * 5 * H);
      }
      h = hOut;
      c = cOut;
    }
  });
}

// Back through lstmSequence from dy [steps, batch, H] (every h's gradient) and
// dcN (the last c's): dgates [steps, batch, 4·H] (the gradient of gi and of
// gh alike), dh0 and dc0. saved and cells are lstmSequence's, c0 its initial c.
template <class T>
void lstmSequenceBackward(ThreadPool* pool, const T* saved, const T* cells, const T* c0, const T* weight, const T* dy,
                          const T* dcN, size_t steps, size_t batch, size_t H, bool reverse, T* dgates, T* dh0, T* dc0) {
  if (batch == 0 || H == 0) return;
  const size_t G = 4 * H;
  const size_t bh = batch * H;
  if (steps == 0) {  // the initial state is the final one
    for (size_t e = 0; e < bh; ++e) dh0[e] = T(0);
    for (size_t e = 0; e < bh; ++e) dc0[e] = dcN[e];
    return;
  }
  const auto timeOf = [&](size_t i) { return reverse ? steps - 1 - i : i; };
  // dh_t = dy_t + the gradient flowing back from step t + 1; dc_{t−1}
  // alternates between two buffers (a step reads one and writes the other).
  std::vector<T> dh(bh), dhNext(bh), dcA(bh), dcB(bh);
  EachRowRange(pool, batch, H, [&](size_t b0, size_t b1) {
    const size_t rows = b1 - b0;
    const T* dc = dcN + b0 * H;
    for (size_t i = steps; i-- > 0;) {
      const size_t at = timeOf(i) * batch + b0;  // the part's first row of step i
      const T* dht = dy + at * H;                // the last step's h gets only the output's gradient
      if (i + 1 < steps) {
        gemmCols(dgates + (timeOf(i + 1) * batch + b0) * G, weight, static_cast<const T*>(nullptr), rows, G, 0, H, H,
                 T(0), dhNext.data() + b0 * H);
        for (size_t e = b0 * H; e < b1 * H; ++e) dh[e] = dy[at * H - b0 * H + e] + dhNext[e];
        dht = dh.data() + b0 * H;
      }
      const T* cPrev = i == 0 ? c0 + b0 * H : cells + (timeOf(i - 1) * batch + b0) * H;
      T* dcOut = i == 0 ? dc0 + b0 * H : (i % 2 == 0 ? dcA.data() : dcB.data()) + b0 * H;
      for (size_t b = 0; b < rows; ++b) {
        lstmGatesBackwardRow<T, true>(saved + (at + b) * 5 * H, cPrev + b * H, dht + b * H, dc + b * H, H, H,
                                      dgates + (at + b) * G, dcOut + b * H);
      }
      dc = dcOut;
    }
    gemmCols(dgates + (timeOf(0) * batch + b0) * G, weight, static_cast<const T*>(nullptr), rows, G, 0, H, H, T(0),
             dh0 + b0 * H);
  });
}

}  // namespace torchlet::kernels

// lstmSequence / gruSequence / rnnSequence and their backward: a whole
// recurrent layer's time loop in one call (see the table entries). The rows of the batch never
// mix in a recurrence (h_t of a row depends on that row's h_{t−1}, c_{t−1} and
// input only; so does the backward), so the batch is split into row ranges
// across the pool and each part runs every step for its rows with no hand-off
// between steps. Per step and row the work is the step kernels' own code
// (gemmCols for the recurrent GEMM, the gates' row functions), so a sequence
// gives the values of stepGemm and the gate kernels run step by step.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "memory.h"
#include "recurrent.h"

namespace torchlet::kernels {

// Rows per part at least (the simd GEMM's row block), when a sequence's
// recurrent GEMM (batch × gates·hidden × hidden per step) is big enough to split.
constexpr size_t kSequenceMinRows = 4;

// Calls f(b0, b1) over the batch's rows, split across the pool when a step's GEMM is big enough.
template <class F>
void EachRowRange(ThreadPool* pool, size_t batch, size_t gates, size_t hidden, F&& f) {
  const bool split = uint64_t{batch} * gates * hidden * hidden >= kParallelGemmMacs;
  ParallelBlocks(split ? pool : nullptr, batch, kSequenceMinRows, f);
}

// Where a step's rows lie: the step run i-th is time step t(i) (from the last
// to the first when `reverse`), its rows [t·batch, (t + 1)·batch) of every
// [steps, batch, ·] buffer.
struct StepRows {
  size_t steps, batch;
  bool reverse;
  size_t time(size_t i) const { return reverse ? steps - 1 - i : i; }
  // The index of row b of the step run i-th.
  size_t row(size_t i, size_t b) const { return time(i) * batch + b; }
};

// The forward time loop of `Gates` gates: per step gh = h·W_hhᵀ + b_hh for the
// part's rows, then step(i, b, gh row, previous h row) for each of them.
template <class T, class Step>
void RunForward(ThreadPool* pool, const T* h0, const T* weight, const T* bias, const StepRows& at, size_t H,
                size_t gates, const T* y, Step&& step) {
  const size_t G = gates * H;
  std::vector<T> weightT(H * G);  // W_hhᵀ [H, G], laid out once for the sequence
  transpose2d(weight, G, H, weightT.data());
  std::vector<T> gh(at.batch * G);
  EachRowRange(pool, at.batch, gates, H, [&](size_t b0, size_t b1) {
    T* ghRows = gh.data() + b0 * G;
    const T* h = h0 + b0 * H;
    for (size_t i = 0; i < at.steps; ++i) {
      gemmCols(h, weightT.data(), bias, b1 - b0, H, 0, G, G, T(0), ghRows);
      for (size_t b = b0; b < b1; ++b) step(i, b, ghRows + (b - b0) * G, h + (b - b0) * H);
      h = y + at.row(i, b0) * H;
    }
  });
}

// gi [steps, batch, 4·H] → y [steps, batch, H] (every h, time order), cells
// (every c) and saved [steps, batch, 5·H] (lstmGates' saved rows).
template <class T>
void lstmSequence(ThreadPool* pool, const T* gi, const T* h0, const T* c0, const T* weight, const T* bias, size_t steps,
                  size_t batch, size_t H, bool reverse, T* y, T* cells, T* saved) {
  if (steps == 0 || batch == 0 || H == 0) return;
  const StepRows at{steps, batch, reverse};
  RunForward(pool, h0, weight, bias, at, H, 4, y, [&](size_t i, size_t b, const T* gh, const T*) {
    const size_t r = at.row(i, b);
    const T* c = i == 0 ? c0 + b * H : cells + at.row(i - 1, b) * H;
    lstmGatesRow(gi + r * 4 * H, gh, c, H, y + r * H, cells + r * H, saved + r * 5 * H);
  });
}

// gi [steps, batch, 3·H] → y [steps, batch, H] (every h, time order) and
// saved [steps, batch, 4·H] (gruGates' saved rows).
template <class T>
void gruSequence(ThreadPool* pool, const T* gi, const T* h0, const T* weight, const T* bias, size_t steps, size_t batch,
                 size_t H, bool reverse, T* y, T* saved) {
  if (steps == 0 || batch == 0 || H == 0) return;
  const StepRows at{steps, batch, reverse};
  RunForward(pool, h0, weight, bias, at, H, 3, y, [&](size_t i, size_t b, const T* gh, const T* h) {
    const size_t r = at.row(i, b);
    gruGatesRow(gi + r * 3 * H, gh, h, H, y + r * H, saved + r * 4 * H);
  });
}

// gi [steps, batch, H] → y [steps, batch, H]: h' = tanh (relu when `relu`)
// of gi_t + gh, the unary kernels' formulas.
template <class T>
void rnnSequence(ThreadPool* pool, const T* gi, const T* h0, const T* weight, const T* bias, size_t steps, size_t batch,
                 size_t H, bool reverse, bool relu, T* y) {
  if (steps == 0 || batch == 0 || H == 0) return;
  const StepRows at{steps, batch, reverse};
  RunForward(pool, h0, weight, bias, at, H, 1, y, [&](size_t i, size_t b, const T* gh, const T*) {
    const size_t r = at.row(i, b);
    T* h = y + r * H;
    for (size_t j = 0; j < H; ++j) h[j] = gi[r * H + j] + gh[j];
    if (relu) {
      kernels::relu(h, h, H);
    } else {
      kernels::tanh(h, h, H);
    }
  });
}

// The backward time loop: per step (last run first) dh = dy_t + the gradient
// flowing back from the step after it (dhNext, which `gates` wrote for the
// part's rows; the last step's h gets dy_t alone), then gates(i, b0, b1, dh)
// for the part's rows, which leaves the next dhNext in `flow`.
template <class T, class Gates>
void RunBackward(ThreadPool* pool, const T* dy, const StepRows& at, size_t H, size_t gates, T* flow, Gates&& step) {
  std::vector<T> dh(at.batch * H);
  EachRowRange(pool, at.batch, gates, H, [&](size_t b0, size_t b1) {
    for (size_t i = at.steps; i-- > 0;) {
      const T* dyt = dy + at.row(i, b0) * H;
      const T* dht = dyt;
      if (i + 1 < at.steps) {
        for (size_t e = 0; e < (b1 - b0) * H; ++e) dh[b0 * H + e] = dyt[e] + flow[b0 * H + e];
        dht = dh.data() + b0 * H;
      }
      step(i, b0, b1, dht);
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
  const StepRows at{steps, batch, reverse};
  // dh_{t−1} = dgates_t·W_hh; dc_{t−1} alternates between two buffers (a step reads one and writes the other).
  std::vector<T> flow(bh), dcA(bh), dcB(bh);
  RunBackward(pool, dy, at, H, 4, flow.data(), [&](size_t i, size_t b0, size_t b1, const T* dh) {
    T* dcOut = i == 0 ? dc0 : (i % 2 == 0 ? dcA.data() : dcB.data());
    const T* dc = i + 1 == steps ? dcN : (i % 2 == 0 ? dcB.data() : dcA.data());
    for (size_t b = b0; b < b1; ++b) {
      const T* c = i == 0 ? c0 + b * H : cells + at.row(i - 1, b) * H;
      const size_t r = at.row(i, b);
      lstmGatesBackwardRow<T, true>(saved + r * 5 * H, c, dh + (b - b0) * H, dc + b * H, H, dgates + r * G,
                                    dcOut + b * H);
    }
    T* into = (i == 0 ? dh0 : flow.data()) + b0 * H;
    gemmCols(dgates + at.row(i, b0) * G, weight, static_cast<const T*>(nullptr), b1 - b0, G, 0, H, H, T(0), into);
  });
}

// Back through gruSequence from dy [steps, batch, H] (every h's gradient):
// dgi and dgh [steps, batch, 3·H] (gruGatesBackward's) and dh0. saved and y
// are gruSequence's, h0 its initial h.
template <class T>
void gruSequenceBackward(ThreadPool* pool, const T* saved, const T* y, const T* h0, const T* weight, const T* dy,
                         size_t steps, size_t batch, size_t H, bool reverse, T* dgi, T* dgh, T* dh0) {
  if (batch == 0 || H == 0) return;
  const size_t G = 3 * H;
  if (steps == 0) {
    for (size_t e = 0; e < batch * H; ++e) dh0[e] = T(0);
    return;
  }
  const StepRows at{steps, batch, reverse};
  // dh_{t−1} = dh_t·z (the gates' direct part) + dgh_t·W_hh.
  std::vector<T> flow(batch * H);
  RunBackward(pool, dy, at, H, 3, flow.data(), [&](size_t i, size_t b0, size_t b1, const T* dh) {
    T* into = i == 0 ? dh0 : flow.data();
    for (size_t b = b0; b < b1; ++b) {
      const T* h = i == 0 ? h0 + b * H : y + at.row(i - 1, b) * H;
      const size_t r = at.row(i, b);
      gruGatesBackwardRow(saved + r * 4 * H, h, dh + (b - b0) * H, H, dgi + r * G, dgh + r * G, into + b * H);
    }
    gemmCols(dgh + at.row(i, b0) * G, weight, static_cast<const T*>(nullptr), b1 - b0, G, 0, H, H, T(1), into + b0 * H);
  });
}

// Back through rnnSequence from dy [steps, batch, H] (every h's gradient):
// dgates [steps, batch, H] (the gradient of gi and of gh alike) and dh0. y is
// rnnSequence's (its h's, whose signs are relu's input's).
template <class T>
void rnnSequenceBackward(ThreadPool* pool, const T* y, const T* weight, const T* dy, size_t steps, size_t batch,
                         size_t H, bool reverse, bool relu, T* dgates, T* dh0) {
  if (batch == 0 || H == 0) return;
  if (steps == 0) {
    for (size_t e = 0; e < batch * H; ++e) dh0[e] = T(0);
    return;
  }
  const StepRows at{steps, batch, reverse};
  std::vector<T> flow(batch * H);  // dh_{t−1} = dgates_t·W_hh
  RunBackward(pool, dy, at, H, 1, flow.data(), [&](size_t i, size_t b0, size_t b1, const T* dh) {
    const size_t r = at.row(i, b0);
    const size_t n = (b1 - b0) * H;
    if (relu) {
      reluBackward(y + r * H, dh, dgates + r * H, n);
    } else {
      tanhBackward(y + r * H, dh, dgates + r * H, n);
    }
    T* into = (i == 0 ? dh0 : flow.data()) + b0 * H;
    gemmCols(dgates + r * H, weight, static_cast<const T*>(nullptr), b1 - b0, H, 0, H, H, T(0), into);
  });
}

}  // namespace torchlet::kernels

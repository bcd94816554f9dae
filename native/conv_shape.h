// The sizes of a batch of 2-D convolutions (ConvShape) and how a call's
// samples are split across the pool (SampleSplit, RunSamples), with the
// per-part scratch buffers: shared by the im2col + GEMM path (conv.h) and
// the direct one (conv_direct.h).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "thread_pool.h"

namespace torchlet::kernels {

struct ConvGeometry {
  int64_t h, w, kH, kW, strideH, strideW, padTop, padLeft, dilH, dilW, oH, oW;
};

// A batch of n samples in `groups` groups: image [n, groups, c, h, w],
// grid [n, groups, oc, oH, oW], weight [groups, oc, c, kH, kW]. A convolution
// maps image to grid; a transposed one grid to image (the same products).
struct ConvShape {
  int64_t n, groups, c, oc;
  ConvGeometry g;
  int64_t kk() const { return c * g.kH * g.kW; }
  int64_t cells() const { return g.oH * g.oW; }
  int64_t image() const { return c * g.h * g.w; }
  int64_t grid() const { return oc * cells(); }
  int64_t weight() const { return oc * kk(); }
  // im2col would copy the image unchanged (1×1 kernel, stride 1, no padding):
  // the GEMMs read the image in place.
  bool pointwise() const {
    return g.kH == 1 && g.kW == 1 && g.strideH == 1 && g.strideW == 1 && g.padTop == 0 && g.padLeft == 0 &&
           g.oH == g.h && g.oW == g.w;
  }
};

// Below this many multiply-adds per call the batch runs on one thread.
constexpr uint64_t kParallelConvMacs = uint64_t{1} << 18;

// Parts per pool thread when the samples are split: parts are claimed as
// threads come free, so a thread the OS preempts (other processes on these
// cores) delays its own part only, while the others take the rest.
constexpr int64_t kPartsPerThread = 4;

// How a call's samples are split: `parts` contiguous sample ranges, at most
// `workers` of them running at once, with single-threaded GEMMs (inner null);
// or one part over the whole batch with GEMMs split across `inner` (a batch
// smaller than the pool) or on one thread (a small call).
struct SampleSplit {
  int parts;
  int workers;
  ThreadPool* inner;
};

inline SampleSplit SplitSamples(ThreadPool* pool, const ConvShape& s) {
  const uint64_t macs = static_cast<uint64_t>(s.n * s.groups) * s.oc * s.kk() * s.cells();
  const int threads = pool == nullptr ? 1 : pool->threads();
  if (threads == 1 || macs < kParallelConvMacs) return {1, 1, nullptr};
  if (s.n < threads) return {1, 1, pool};
  return {static_cast<int>(std::min<int64_t>(s.n, threads * kPartsPerThread)), threads, nullptr};
}

// Calls f(part, n0, n1, inner) for every part of the split.
template <class F>
void RunSamples(ThreadPool* pool, const SampleSplit& split, int64_t n, F&& f) {
  if (split.parts <= 1) {
    f(0, int64_t{0}, n, split.inner);
    return;
  }
  struct Job {
    F* f;
    int64_t n;
    SampleSplit split;
    static void Part(void* self, int part) {
      const Job& j = *static_cast<const Job*>(self);
      const int parts = j.split.parts;
      (*j.f)(part, j.n * part / parts, j.n * (part + 1) / parts, j.split.inner);
    }
  };
  Job job{&f, n, split};
  pool->run(split.parts, &Job::Part, &job);
}

// `count` scratch buffers of `size` elements each, allocated before the parts
// run (an allocation failure then throws on the calling thread).
template <class T>
std::vector<std::unique_ptr<T[]>> Scratch(int count, int64_t size) {
  std::vector<std::unique_ptr<T[]>> out(static_cast<size_t>(count));
  for (auto& p : out) p.reset(new T[static_cast<size_t>(size)]);
  return out;
}

// sum[e] += each partial sum's [e], in order (a fixed order: the same result every run).
template <class T>
void AddPartials(const std::vector<std::unique_ptr<T[]>>& partial, int64_t size, T* sum) {
  for (const auto& add : partial) {
    for (int64_t e = 0; e < size; ++e) sum[e] += add[static_cast<size_t>(e)];
  }
}

// One scratch buffer per running part: a part takes a free one and gives it
// back when done (at most `workers` parts run at once, so one is always free).
template <class T>
class ScratchSet {
 public:
  ScratchSet(int workers, int64_t size) : buffers_(Scratch<T>(workers, size)), busy_(new std::atomic<bool>[workers]) {
    for (int i = 0; i < workers; ++i) busy_[i].store(false, std::memory_order_relaxed);
  }
  // A free buffer (null when the set is empty) and its slot.
  T* take(int* slot) {
    if (buffers_.empty()) return nullptr;
    for (size_t i = 0;; i = (i + 1) % buffers_.size()) {
      if (!busy_[i].exchange(true, std::memory_order_acquire)) {
        *slot = static_cast<int>(i);
        return buffers_[i].get();
      }
    }
  }
  void give(int slot) {
    if (!buffers_.empty()) busy_[slot].store(false, std::memory_order_release);
  }

 private:
  std::vector<std::unique_ptr<T[]>> buffers_;
  std::unique_ptr<std::atomic<bool>[]> busy_;
};

}  // namespace torchlet::kernels

// Splits one kernel call across cores. The calling thread and up to
// threads() − 1 helper threads claim parts [0, parts) of a job until none is
// left; run() returns when every claimed part is done.
//
// Why not OpenBLAS's own threads: after each call they busy-wait ~0.1 s for
// the next one (sched_yield in a loop), which on these VMs slows the
// memory-bound work the main thread does between GEMMs (an SGD step ran 3×
// slower), and their wake-up is too slow to turn off the spinning
// (OPENBLAS_THREAD_TIMEOUT). So OpenBLAS runs single-threaded in each caller
// and this pool does the splitting. Helpers spin only briefly (the calls of a
// training step come tens of µs apart), then sleep on a condition variable,
// so an idle pool costs no CPU. Parts are claimed, not assigned: a helper
// still waking up never delays the caller, which takes the parts itself.
//
// One pool per addon instance (each Node thread that loads the addon has its
// own, see instance.h); only that thread calls run() and setThreads().
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace torchlet {

class ThreadPool {
 public:
  using PartFn = void (*)(void* ctx, int part);
  static constexpr int kMaxParts = 24;

  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Parallelism including the calling thread (≥ 1).
  int threads() const { return threads_; }
  // Changes the parallelism; helpers start at the next run() that needs them.
  void setThreads(int threads);
  // Calls fn(ctx, p) once for every p in [0, parts), spread over the caller
  // and the helpers: part 0 goes to the caller and part i to helper i when
  // they are awake, so repeated splits of the same data stay on the same
  // cores (a core reads what its own cache holds); an unclaimed part is taken
  // by whoever is free. fn must not throw. More than kMaxParts parts run in
  // rounds of at most kMaxParts.
  void run(int parts, PartFn fn, void* ctx);

 private:
  void startHelpers();
  void stopHelpers();
  void helperLoop(int index, uint32_t seen);
  // One round: parts [base, base + count), count ≤ kMaxParts.
  void runRound(int base, int count);
  // Claims and runs parts of job `gen`, part `preferred` first, until none is left.
  void work(uint32_t gen, int preferred);

  int threads_;
  std::vector<std::thread> helpers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<bool> stop_{false};  // written under mutex_
  // The current job in one word: generation (32 bits) | parts (8) | a bit
  // per claimed part (24). A claim is a compare-exchange on the whole word,
  // so a helper late from a finished job can never take a part of the next
  // one, and fn_/ctx_ are only read after a successful claim (while the job
  // they belong to cannot finish).
  std::atomic<uint64_t> claim_{0};
  std::atomic<int> done_{0};
  PartFn fn_ = nullptr;
  void* ctx_ = nullptr;
  int base_ = 0;  // the first part of the current round
};

namespace detail {

// Calls f(lo, hi) over [0, n) split into contiguous blocks, one per pool
// thread (pool may be null), each at least `minPerPart` items long and a
// multiple of `align` items except the last.
template <class F>
void SplitBlocks(ThreadPool* pool, size_t n, size_t minPerPart, size_t align, F& f) {
  size_t parts = pool == nullptr ? 1 : static_cast<size_t>(pool->threads());
  if (minPerPart > 0 && n / minPerPart < parts) parts = n / minPerPart;
  if (parts <= 1) {
    f(size_t{0}, n);
    return;
  }
  struct Job {
    F* f;
    size_t n, block;
    static void Part(void* self, int part) {
      const Job& j = *static_cast<const Job*>(self);
      const size_t lo = static_cast<size_t>(part) * j.block;
      if (lo < j.n) (*j.f)(lo, lo + j.block < j.n ? lo + j.block : j.n);
    }
  };
  Job job{&f, n, ((n + parts - 1) / parts + align - 1) / align * align};
  pool->run(static_cast<int>(parts), &Job::Part, &job);
}

}  // namespace detail

// Calls f(lo, hi) over [0, n) split into contiguous ranges, one per pool
// thread (pool may be null), each at least `minPerPart` long and a multiple of
// 16 elements except the last. For elementwise kernels over large buffers.
template <class F>
void ParallelRanges(ThreadPool* pool, size_t n, size_t minPerPart, F&& f) {
  detail::SplitBlocks(pool, n, minPerPart, 16, f);
}

// As ParallelRanges, with blocks not rounded to 16 items: for splits over a
// few large items (the planes of a pooling, the channels of a bias gradient).
template <class F>
void ParallelBlocks(ThreadPool* pool, size_t count, size_t minPerPart, F&& f) {
  detail::SplitBlocks(pool, count, minPerPart, 1, f);
}

}  // namespace torchlet

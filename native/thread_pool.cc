#include "thread_pool.h"

#include <chrono>

#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__) || defined(_M_IX86)
#include <immintrin.h>
#define TORCHLET_CPU_RELAX() _mm_pause()
#elif defined(__aarch64__) || defined(__arm__)
#define TORCHLET_CPU_RELAX() __asm__ __volatile__("yield")
#else
#define TORCHLET_CPU_RELAX() ((void)0)
#endif

namespace torchlet {
namespace {

// How long an idle helper spins before it sleeps: longer than the gaps
// between the GEMMs of one training step, far shorter than OpenBLAS's ~0.1 s.
constexpr std::chrono::microseconds kSpin{60};

uint32_t generationOf(uint64_t claim) { return static_cast<uint32_t>(claim >> 32); }
int partsOf(uint64_t claim) { return static_cast<int>((claim >> 24) & 0xffu); }
uint32_t claimedOf(uint64_t claim) { return static_cast<uint32_t>(claim & 0xffffffu); }

}  // namespace

ThreadPool::ThreadPool(int threads) : threads_(threads < 1 ? 1 : threads) {}

ThreadPool::~ThreadPool() { stopHelpers(); }

void ThreadPool::setThreads(int threads) {
  if (threads < 1) threads = 1;
  if (threads == threads_) return;
  stopHelpers();
  threads_ = threads;
}

void ThreadPool::startHelpers() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_.store(false);
  }
  // Helpers wait for the job after the current one (the caller publishes it next).
  const uint32_t current = generationOf(claim_.load(std::memory_order_relaxed));
  for (int i = 1; i < threads_; ++i) helpers_.emplace_back([this, i, current] { helperLoop(i, current); });
}

void ThreadPool::stopHelpers() {
  if (helpers_.empty()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_.store(true);
  }
  wake_.notify_all();
  for (std::thread& t : helpers_) t.join();
  helpers_.clear();
}

void ThreadPool::run(int parts, PartFn fn, void* ctx) {
  if (parts <= 0) return;
  if (parts == 1 || threads_ == 1) {
    for (int p = 0; p < parts; ++p) fn(ctx, p);
    return;
  }
  if (helpers_.empty()) startHelpers();
  fn_ = fn;
  ctx_ = ctx;
  for (int base = 0; base < parts; base += kMaxParts) runRound(base, parts - base < kMaxParts ? parts - base : kMaxParts);
}

void ThreadPool::runRound(int base, int count) {
  base_ = base;
  done_.store(0, std::memory_order_relaxed);
  const uint32_t gen = generationOf(claim_.load(std::memory_order_relaxed)) + 1;
  {
    // Publishing under the mutex orders it with a helper's check before it sleeps.
    std::lock_guard<std::mutex> lock(mutex_);
    claim_.store((static_cast<uint64_t>(gen) << 32) | (static_cast<uint64_t>(count) << 24),
                 std::memory_order_release);
  }
  wake_.notify_all();
  work(gen, 0);
  while (done_.load(std::memory_order_acquire) < count) TORCHLET_CPU_RELAX();
}

void ThreadPool::work(uint32_t gen, int preferred) {
  uint64_t cur = claim_.load(std::memory_order_acquire);
  for (;;) {
    if (generationOf(cur) != gen) return;
    const uint32_t claimed = claimedOf(cur);
    const int parts = partsOf(cur);
    int part = preferred;
    if (part >= parts || (claimed >> part) & 1u) {
      part = 0;  // ours is taken (or there is none): the first free one
      while (part < parts && ((claimed >> part) & 1u)) ++part;
      if (part >= parts) return;
    }
    if (!claim_.compare_exchange_weak(cur, cur | (uint64_t{1} << part), std::memory_order_acq_rel,
                                      std::memory_order_acquire)) {
      continue;
    }
    fn_(ctx_, base_ + part);
    done_.fetch_add(1, std::memory_order_acq_rel);
    cur = claim_.load(std::memory_order_acquire);
  }
}

void ThreadPool::helperLoop(int index, uint32_t seen) {
  for (;;) {
    // Spin a little for the next job, then sleep until one is published.
    const auto until = std::chrono::steady_clock::now() + kSpin;
    uint32_t gen = generationOf(claim_.load(std::memory_order_acquire));
    for (unsigned i = 0; gen == seen && !stop_.load(std::memory_order_relaxed); ++i) {
      if ((i & 63) == 63 && std::chrono::steady_clock::now() > until) break;
      TORCHLET_CPU_RELAX();
      gen = generationOf(claim_.load(std::memory_order_acquire));
    }
    if (gen == seen) {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stop_.load() || generationOf(claim_.load(std::memory_order_acquire)) != seen; });
      gen = generationOf(claim_.load(std::memory_order_acquire));
    }
    if (stop_.load()) return;
    seen = gen;
    work(gen, index);
  }
}

}  // namespace torchlet

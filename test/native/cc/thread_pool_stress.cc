// Stress test of native/thread_pool.{h,cc} under ThreadSanitizer
// (scripts/test-tsan-pool.sh builds and runs it; CI runs that script).
// Many jobs of varying part counts, back to back and with pauses longer than
// the helpers' spin (so they sleep and wake), thread-count changes between
// jobs, and ParallelRanges: every part must run exactly once per job, and
// TSan must see no data race.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "../../../native/thread_pool.h"

using torchlet::ParallelRanges;
using torchlet::ThreadPool;

namespace {

struct Job {
  std::vector<std::atomic<int>>* hits;
  std::atomic<long>* sum;
};

void Part(void* ctx, int part) {
  Job& j = *static_cast<Job*>(ctx);
  (*j.hits)[part].fetch_add(1, std::memory_order_relaxed);
  j.sum->fetch_add(part + 1, std::memory_order_relaxed);
}

int Fail(const char* what, int round) {
  std::fprintf(stderr, "thread_pool_stress: %s (round %d)\n", what, round);
  return 1;
}

}  // namespace

int main() {
  ThreadPool pool(3);
  std::vector<int> plain(4096);
  for (int round = 0; round < 20000; ++round) {
    if (round % 5000 == 4999) pool.setThreads(2 + (round / 5000) % 3);
    const int parts = 1 + round % ThreadPool::kMaxParts;
    std::vector<std::atomic<int>> hits(parts);
    std::atomic<long> sum{0};
    Job job{&hits, &sum};
    pool.run(parts, &Part, &job);
    for (int p = 0; p < parts; ++p) {
      if (hits[p].load() != 1) return Fail("a part did not run exactly once", round);
    }
    if (sum.load() != static_cast<long>(parts) * (parts + 1) / 2) return Fail("wrong sum", round);
    // Plain (non-atomic) writes to disjoint ranges, read afterwards by this thread.
    ParallelRanges(&pool, plain.size(), 64, [&](size_t lo, size_t hi) {
      for (size_t i = lo; i < hi; ++i) plain[i] = round;
    });
    for (int v : plain) {
      if (v != round) return Fail("ParallelRanges missed an element", round);
    }
    if (round % 1000 == 0) std::this_thread::sleep_for(std::chrono::microseconds(300));  // helpers fall asleep
  }
  // More threads and parts than one round holds (kMaxParts): rounds, each part once.
  ThreadPool wide(40);
  for (int round = 0; round < 200; ++round) {
    const int parts = 1 + round % 70;
    std::vector<std::atomic<int>> hits(parts);
    std::atomic<long> sum{0};
    Job job{&hits, &sum};
    wide.run(parts, &Part, &job);
    for (int p = 0; p < parts; ++p) {
      if (hits[p].load() != 1) return Fail("wide: a part did not run exactly once", round);
    }
    std::vector<int> cover(1000, 0);
    ParallelRanges(&wide, cover.size(), 16, [&](size_t lo, size_t hi) {
      for (size_t i = lo; i < hi; ++i) cover[i] += 1;
    });
    for (int v : cover) {
      if (v != 1) return Fail("wide: ParallelRanges covered an element more or less than once", round);
    }
  }
  std::puts("thread_pool_stress: OK");
  return 0;
}

// Per-instance state of the addon. Every Node thread (the main thread, each
// worker_thread) that loads the addon gets its own instance, created by
// binding.cc's Init and deleted when that thread's environment shuts down.
#pragma once

#include <napi.h>

#include "thread_pool.h"

namespace torchlet {

struct Instance {
  explicit Instance(int threads) : pool(threads) {}
  // Splits GEMMs (and other large kernels) across cores; see thread_pool.h.
  ThreadPool pool;
};

// The number of threads a new instance's pool starts with (runtime.cc).
int DefaultThreads();

// The instance of the environment `env` belongs to.
inline Instance& InstanceOf(Napi::Env env) { return *env.GetInstanceData<Instance>(); }

}  // namespace torchlet

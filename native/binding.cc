// The addon's entry: registers every concern's kernels on the exports object.
// Context-aware (Node-API module, no mutable global state: per-thread state
// lives in instance.h), so it loads in the main thread and in any number of
// worker_threads.
#include <napi.h>

#include "distributed.h"
#include "exports.h"
#include "instance.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  // Deleted (helpers joined) when this thread's environment shuts down.
  env.SetInstanceData(new torchlet::Instance(torchlet::DefaultThreads()));
  torchlet::RegisterGemm(env, exports);
  torchlet::RegisterBinary(env, exports);
  torchlet::RegisterUnary(env, exports);
  torchlet::RegisterReduce(env, exports);
  torchlet::RegisterSoftmax(env, exports);
  torchlet::RegisterIndexing(env, exports);
  torchlet::RegisterMemory(env, exports);
  torchlet::RegisterRuntime(env, exports);
  torchlet::RegisterFusedLinear(env, exports);
  torchlet::RegisterFusedLoss(env, exports);
  torchlet::RegisterOptimStep(env, exports);
  torchlet::RegisterSeqops(env, exports);
  torchlet::RegisterNorm(env, exports);
  torchlet::RegisterConv(env, exports);
  torchlet::RegisterPool(env, exports);
  torchlet::RegisterRmspropAdagrad(env, exports);
  torchlet::RegisterClipGrad(env, exports);
  torchlet::RegisterRecurrent(env, exports);
  torchlet::RegisterDistributed(env, exports);
  exports.Set("name", Napi::String::New(env, "native"));
  return exports;
}

}  // namespace

NODE_API_MODULE(torchlet, Init)

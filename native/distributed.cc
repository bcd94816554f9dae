// Binding of torch.distributed's MPI process group (lib/distributed). The
// entry points (exports.distributed.*) check their arguments and hand the
// collective to the group's comm thread (distributed_group.h); the JS side
// either waits for it (distributed.wait) or gets a callback on the JS thread
// when it is done. The buffers a collective reads or writes are held by
// references until then.
#include <napi.h>

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "args.h"
#include "distributed.h"
#include "distributed_group.h"
#include "distributed_mpi.h"

namespace torchlet {

namespace {

// A callback-form collective between its submission and its callback.
struct Pending {
  std::shared_ptr<Work> work;
  Napi::ObjectReference keep_send;
  Napi::ObjectReference keep_recv;
  Napi::FunctionReference callback;
};

struct GroupHandle;
void CallJs(Napi::Env env, Napi::Function, std::shared_ptr<GroupHandle>* context, Work* work);
using Tsfn = Napi::TypedThreadSafeFunction<std::shared_ptr<GroupHandle>, Work, CallJs>;

// JS-thread state of a process group. Owned jointly by the handle JS holds and
// the thread-safe function (so late callbacks still find it); only touched on
// the JS thread.
struct GroupHandle {
  std::unique_ptr<Group> group;
  Tsfn tsfn;
  bool tsfn_released = false;
  int in_flight = 0;  // callback-form collectives not yet called back (keeps the event loop alive)
  std::map<Work*, Pending> pending;

  // Stops the comm thread (finishing queued work when `finalize`), then lets the tsfn go.
  void Close(bool finalize) {
    group->Shutdown(finalize);
    if (!tsfn_released) {
      tsfn_released = true;
      tsfn.Release();
    }
  }
};

// A wait-form collective: JS waits for it with distributedWait.
struct WorkHandle {
  std::shared_ptr<Work> work;
  Napi::ObjectReference keep_send;
  Napi::ObjectReference keep_recv;
};

// Holder behind the process-group External. The environment's cleanup hook
// (teardown without destroyProcessGroup) and the External's finalizer (the
// handle collected) both close the group; the finalizer removes the hook
// unless it already ran.
struct GroupBox {
  std::shared_ptr<GroupHandle> handle;
  bool hook_ran = false;
};

void TeardownHook(void* data) {
  auto* box = static_cast<GroupBox*>(data);
  box->hook_ran = true;
  box->handle->Close(true);
}

void FinalizeBox(Napi::Env env, GroupBox* box) {
  if (!box->hook_ran) napi_remove_env_cleanup_hook(env, TeardownHook, box);
  box->handle->Close(false);
  delete box;
}

void CallJs(Napi::Env env, Napi::Function, std::shared_ptr<GroupHandle>* context, Work* work) {
  if (env == nullptr || context == nullptr) return;
  GroupHandle& g = **context;
  auto it = g.pending.find(work);
  if (it == g.pending.end()) return;
  Pending p = std::move(it->second);
  g.pending.erase(it);
  if (--g.in_flight == 0 && !g.tsfn_released) g.tsfn.Unref(env);
  Napi::Value arg = p.work->error.empty() ? env.Null() : Napi::Error::New(env, p.work->error).Value();
  try {
    p.callback.Call({arg});
  } catch (const Napi::Error& e) {
    e.ThrowAsJavaScriptException();  // an uncaught exception of the callback, reported as such
  }
}

void FinalizeContext(Napi::Env, void*, std::shared_ptr<GroupHandle>* context) { delete context; }

// Type tags of the two kinds of External, so one is never taken for the other.
constexpr napi_type_tag kGroupTag = {0x6d70692d67726f75ULL, 0x70e1a3c5b7d94f21ULL};
constexpr napi_type_tag kWorkTag = {0x6d70692d776f726bULL, 0x1f3b5d7092a4c6e8ULL};

bool HasTag(const Napi::CallbackInfo& info, size_t i, const napi_type_tag& tag) {
  if (!info[i].IsExternal()) return false;
  bool tagged = false;
  return napi_check_object_type_tag(info.Env(), info[i], &tag, &tagged) == napi_ok && tagged;
}

Napi::Value Tagged(Napi::Value v, const napi_type_tag& tag) {
  NAPI_THROW_IF_FAILED(v.Env(), napi_type_tag_object(v.Env(), v, &tag), Napi::Value());
  return v;
}

GroupHandle& GroupArg(const Args& a, const Napi::CallbackInfo& info, size_t i) {
  if (!HasTag(info, i, kGroupTag)) a.TypeError("group must be the handle distributedInit returned");
  GroupBox* box = info[i].As<Napi::External<GroupBox>>().Data();
  if (box == nullptr) a.TypeError("group must be the handle distributedInit returned");
  return *box->handle;
}

ReduceOp OpArg(const Args& a, const Napi::CallbackInfo& info, size_t i) {
  if (!info[i].IsString()) a.TypeError("op must be one of 'sum', 'avg', 'product', 'min', 'max'");
  const std::string s = info[i].As<Napi::String>().Utf8Value();
  if (s == "sum") return ReduceOp::Sum;
  if (s == "avg") return ReduceOp::Avg;
  if (s == "product") return ReduceOp::Product;
  if (s == "min") return ReduceOp::Min;
  if (s == "max") return ReduceOp::Max;
  a.RangeError("op must be one of 'sum', 'avg', 'product', 'min', 'max' (got '" + s + "')");
}

// distributedInit(timeoutMs) -> { group, rank, worldSize }
Napi::Value Init(const Napi::CallbackInfo& info) {
  Args a(info, "distributedInit", 1);
  const double timeout = a.Number(0, "timeoutMs");
  if (!(timeout > 0) || timeout > 1e12) a.RangeError("timeoutMs must be a positive number of milliseconds");
  std::string error;
  const mpi::Api* api = mpi::Load(error);
  if (api == nullptr) throw Napi::Error::New(info.Env(), "initProcessGroup: " + error);
  auto handle = std::make_shared<GroupHandle>();
  try {
    handle->group = std::make_unique<Group>(*api, timeout);
  } catch (const std::runtime_error& e) {
    throw Napi::Error::New(info.Env(), std::string("initProcessGroup: ") + e.what());
  }
  Napi::Env env = info.Env();
  handle->tsfn = Tsfn::New(env, "torchlet.distributed", 0, 1, new std::shared_ptr<GroupHandle>(handle),
                           FinalizeContext, static_cast<void*>(nullptr));
  handle->tsfn.Unref(env);
  auto* box = new GroupBox{handle};
  auto ext = Napi::External<GroupBox>::New(env, box, FinalizeBox);
  if (napi_add_env_cleanup_hook(env, TeardownHook, box) != napi_ok) box->hook_ran = true;
  Napi::Object out = Napi::Object::New(env);
  out.Set("group", Tagged(ext, kGroupTag));
  out.Set("rank", Napi::Number::New(env, handle->group->rank()));
  out.Set("worldSize", Napi::Number::New(env, handle->group->size()));
  return out;
}

// Checks the group can take work, then queues `w` with the buffers to keep
// alive. With a function at `callback_index`, it is called (error or null) on
// the JS thread when done and undefined is returned; otherwise a work handle
// for distributedWait.
Napi::Value Submit(const Args& a, const Napi::CallbackInfo& info, GroupHandle& g, std::shared_ptr<Work> w,
                   Napi::Value send, Napi::Value recv, size_t callback_index) {
  Napi::Env env = info.Env();
  const bool has_callback = info.Length() > callback_index && !info[callback_index].IsUndefined();
  if (has_callback && !info[callback_index].IsFunction()) a.TypeError("callback must be a function or undefined");
  if (std::string why = g.group->Unusable(); !why.empty()) {
    throw Napi::Error::New(env, std::string(CollectiveName(w->kind)) + ": " + why);
  }
  auto keep = [](Napi::Value v) {
    return v.IsObject() ? Napi::Persistent(v.As<Napi::Object>()) : Napi::ObjectReference();
  };
  if (has_callback) {
    Work* key = w.get();
    g.pending.emplace(key, Pending{w, keep(send), keep(recv), Napi::Persistent(info[callback_index].As<Napi::Function>())});
    if (g.in_flight++ == 0) g.tsfn.Ref(env);
    Tsfn tsfn = g.tsfn;
    g.group->Submit(std::move(w), [tsfn, key]() mutable { tsfn.NonBlockingCall(key); });
    return env.Undefined();
  }
  auto* handle = new WorkHandle{w, keep(send), keep(recv)};
  g.group->Submit(std::move(w), nullptr);
  return Tagged(Napi::External<WorkHandle>::New(env, handle, [](Napi::Env, WorkHandle* h) {
    // Collected without a wait: the buffers must outlive the collective.
    h->work->Wait();
    delete h;
  }), kWorkTag);
}

std::shared_ptr<Work> NewWork(Collective kind, const Buf& b) {
  auto w = std::make_shared<Work>();
  w->kind = kind;
  w->dtype = b.dtype;
  w->recv = b.data;
  w->count = static_cast<int>(b.length);
  return w;
}

// distributedAllReduce(group, tensor, op, callback?)
Napi::Value AllReduce(const Napi::CallbackInfo& info) {
  Args a(info, "distributedAllReduce", 3);
  GroupHandle& g = GroupArg(a, info, 0);
  Buf t = a.Array(1, "tensor", kNum);
  ReduceOp op = OpArg(a, info, 2);
  if (op == ReduceOp::Avg && t.dtype == Dtype::I32) a.TypeError("op 'avg' needs a float32 or float64 tensor (got int32)");
  auto w = NewWork(Collective::AllReduce, t);
  w->op = op;
  return Submit(a, info, g, std::move(w), info.Env().Undefined(), info[1], 3);
}

// distributedBroadcast(group, tensor, src, callback?)
Napi::Value Broadcast(const Napi::CallbackInfo& info) {
  Args a(info, "distributedBroadcast", 3);
  GroupHandle& g = GroupArg(a, info, 0);
  Buf t = a.Array(1, "tensor", kNum);
  const int64_t src = a.Size(2, "src");
  if (src >= g.group->size()) {
    a.RangeError("src must be a rank in [0, " + std::to_string(g.group->size() - 1) + "] (got " + std::to_string(src) + ")");
  }
  auto w = NewWork(Collective::Broadcast, t);
  w->root = static_cast<int>(src);
  return Submit(a, info, g, std::move(w), info.Env().Undefined(), info[1], 3);
}

// Checks that `big` holds worldSize times `small`'s elements, of the same type, apart from it.
void CheckGathered(const Args& a, const Buf& small, const Buf& big, int world) {
  a.SameType(small, big);
  if (static_cast<int64_t>(big.length) != a.Mul(static_cast<int64_t>(small.length), world)) {
    a.RangeError(std::string(big.name) + " must have worldSize (" + std::to_string(world) + ") times the " +
                 small.name + "'s " + std::to_string(small.length) + " elements (got " + std::to_string(big.length) + ")");
  }
  a.NoOverlap(small, big);
}

// distributedAllGather(group, input, output, callback?): output = every rank's input, in rank order.
Napi::Value AllGather(const Napi::CallbackInfo& info) {
  Args a(info, "distributedAllGather", 3);
  GroupHandle& g = GroupArg(a, info, 0);
  Buf in = a.Array(1, "input", kNum);
  Buf out = a.Array(2, "output", kNum);
  CheckGathered(a, in, out, g.group->size());
  auto w = NewWork(Collective::AllGather, in);
  w->send = in.data;
  w->recv = out.data;
  return Submit(a, info, g, std::move(w), info[1], info[2], 3);
}

// distributedReduceScatter(group, input, output, op, callback?): output = rank r's block of the reduced input.
Napi::Value ReduceScatter(const Napi::CallbackInfo& info) {
  Args a(info, "distributedReduceScatter", 4);
  GroupHandle& g = GroupArg(a, info, 0);
  Buf in = a.Array(1, "input", kNum);
  Buf out = a.Array(2, "output", kNum);
  ReduceOp op = OpArg(a, info, 3);
  CheckGathered(a, out, in, g.group->size());
  if (op == ReduceOp::Avg && out.dtype == Dtype::I32) a.TypeError("op 'avg' needs float32 or float64 tensors (got int32)");
  auto w = NewWork(Collective::ReduceScatter, out);
  w->send = in.data;
  w->op = op;
  return Submit(a, info, g, std::move(w), info[1], info[2], 4);
}

// distributedBarrier(group, callback?)
Napi::Value Barrier(const Napi::CallbackInfo& info) {
  Args a(info, "distributedBarrier", 1);
  GroupHandle& g = GroupArg(a, info, 0);
  auto w = std::make_shared<Work>();
  w->kind = Collective::Barrier;
  return Submit(a, info, g, std::move(w), info.Env().Undefined(), info.Env().Undefined(), 1);
}

// distributedWait(work): blocks until the collective is done; throws its error.
Napi::Value Wait(const Napi::CallbackInfo& info) {
  Args a(info, "distributedWait", 1);
  if (!HasTag(info, 0, kWorkTag)) a.TypeError("work must be a handle a collective returned");
  WorkHandle* h = info[0].As<Napi::External<WorkHandle>>().Data();
  if (h == nullptr) a.TypeError("work must be a handle a collective returned");
  h->work->Wait();
  h->keep_send.Reset();
  h->keep_recv.Reset();
  if (!h->work->error.empty()) throw Napi::Error::New(info.Env(), h->work->error);
  return info.Env().Undefined();
}

// distributedDestroy(group): finishes the queued collectives, then MPI_Finalize.
Napi::Value Destroy(const Napi::CallbackInfo& info) {
  Args a(info, "distributedDestroy", 1);
  GroupArg(a, info, 0).Close(true);
  return info.Env().Undefined();
}

}  // namespace

// One object, exports.distributed: these entry points start MPI and keep
// state, unlike the stateless kernels beside them.
void RegisterDistributed(Napi::Env env, Napi::Object exports) {
  Napi::Object d = Napi::Object::New(env);
  d.Set("init", Napi::Function::New(env, Init, "distributedInit"));
  d.Set("allReduce", Napi::Function::New(env, AllReduce, "distributedAllReduce"));
  d.Set("broadcast", Napi::Function::New(env, Broadcast, "distributedBroadcast"));
  d.Set("allGather", Napi::Function::New(env, AllGather, "distributedAllGather"));
  d.Set("reduceScatter", Napi::Function::New(env, ReduceScatter, "distributedReduceScatter"));
  d.Set("barrier", Napi::Function::New(env, Barrier, "distributedBarrier"));
  d.Set("wait", Napi::Function::New(env, Wait, "distributedWait"));
  d.Set("destroy", Napi::Function::New(env, Destroy, "distributedDestroy"));
  exports.Set("distributed", d);
}

}  // namespace torchlet

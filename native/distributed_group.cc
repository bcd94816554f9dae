#include "distributed_group.h"

#include <chrono>
#include <stdexcept>

namespace torchlet {

namespace {

const char* OpName(ReduceOp o) {
  switch (o) {
    case ReduceOp::Sum: return "sum";
    case ReduceOp::Avg: return "avg";
    case ReduceOp::Product: return "product";
    case ReduceOp::Min: return "min";
    case ReduceOp::Max: return "max";
  }
  return "?";
}

const char* const kCollectiveNames[] = {"allReduce", "broadcast", "allGather", "reduceScatter", "barrier"};

template <class T>
void DivideBy(void* data, int count, int by) {
  T* p = static_cast<T*>(data);
  const T d = static_cast<T>(by);
  for (int i = 0; i < count; i++) p[i] /= d;
}

}  // namespace

const char* CollectiveName(Collective c) { return kCollectiveNames[static_cast<int>(c)]; }

void Work::Wait() {
  std::unique_lock<std::mutex> lock(mutex);
  cv.wait(lock, [this] { return done; });
}

Group::Group(const mpi::Api& api, double timeout_ms) : api_(api), timeout_ms_(timeout_ms) {
  std::string start_error;
  bool started = false;
  thread_ = std::thread(&Group::Run, this, &start_error, &started);
  std::unique_lock<std::mutex> lock(mutex_);
  cv_.wait(lock, [&] { return started; });
  if (!start_error.empty()) {
    lock.unlock();
    thread_.join();
    throw std::runtime_error(start_error);
  }
}

Group::~Group() { Shutdown(false); }

std::string Group::Unusable() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (stopping_) return "the process group was destroyed";
  return broken_ ? "the process group cannot be used after an earlier failure (" + broken_reason_ + ")" : std::string();
}

void Group::Submit(std::shared_ptr<Work> work, std::function<void()> notify) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(Item{std::move(work), std::move(notify)});
  }
  cv_.notify_all();
}

void Group::Shutdown(bool finalize) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!thread_.joinable()) return;
    stopping_ = true;
    finalize_ = finalize;
  }
  cv_.notify_all();
  thread_.join();
}

void Group::Run(std::string* start_error, bool* started) {
  std::string error;
  int initialized = 0, finalized = 0, provided = 0;
  if (!mpi::ClaimInit() || api_.Initialized(&initialized) != mpi::kSuccess || initialized ||
      api_.Finalized(&finalized) != mpi::kSuccess || finalized) {
    error = "MPI was already started in this process (it starts once per process and cannot start again after "
            "destroyProcessGroup)";
  } else if (int rc = api_.Init_thread(nullptr, nullptr, mpi::kThreadFunneled, &provided); rc != mpi::kSuccess) {
    error = "MPI_Init_thread failed: " + mpi::ErrorString(api_, rc);
  } else if (provided < mpi::kThreadFunneled) {
    error = "the MPI library does not support MPI_THREAD_FUNNELED (provided level " + std::to_string(provided) + ")";
    api_.Finalize();
  } else {
    // Our own communicator; errors come back as codes instead of aborting the job.
    api_.Comm_set_errhandler(api_.comm_world, api_.errors_return);
    if (int rc = api_.Comm_dup(api_.comm_world, &comm_); rc != mpi::kSuccess) {
      error = "MPI_Comm_dup failed: " + mpi::ErrorString(api_, rc);
    } else {
      api_.Comm_set_errhandler(comm_, api_.errors_return);
      api_.Comm_rank(comm_, &rank_);
      api_.Comm_size(comm_, &size_);
    }
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    *start_error = error;
    *started = true;
  }
  cv_.notify_all();
  if (!error.empty()) return;

  for (;;) {
    Item item;
    bool broken;
    std::string reason;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      // destroyProcessGroup finishes the queued work; teardown without it drops it.
      if (queue_.empty() || (stopping_ && !finalize_)) break;
      item = std::move(queue_.front());
      queue_.pop_front();
      broken = broken_;
      reason = broken_reason_;
    }
    std::string result = broken ? reason : Execute(*item.work);
    {
      std::lock_guard<std::mutex> lock(item.work->mutex);
      item.work->error = std::move(result);
      item.work->done = true;
    }
    item.work->cv.notify_all();
    if (item.notify) item.notify();
  }
  std::deque<Item> dropped;
  bool finalize;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    dropped.swap(queue_);
    finalize = finalize_ && !broken_;
  }
  for (Item& item : dropped) {
    {
      std::lock_guard<std::mutex> lock(item.work->mutex);
      item.work->error = std::string(CollectiveName(item.work->kind)) + ": the process group was shut down";
      item.work->done = true;
    }
    item.work->cv.notify_all();
    if (item.notify) item.notify();
  }
  // After an abandoned collective MPI_Finalize could wait forever on the
  // other ranks: leave the process without it (mpirun then ends the job).
  if (finalize) {
    api_.Comm_free(&comm_);
    api_.Finalize();
  }
}

mpi::Handle Group::Type(Dtype d) const {
  switch (d) {
    case Dtype::F32: return api_.type_float;
    case Dtype::F64: return api_.type_double;
    case Dtype::I32: return api_.type_int;
  }
  return api_.type_float;
}

mpi::Handle Group::Op(ReduceOp o) const {
  switch (o) {
    case ReduceOp::Sum:
    case ReduceOp::Avg: return api_.op_sum;
    case ReduceOp::Product: return api_.op_prod;
    case ReduceOp::Min: return api_.op_min;
    case ReduceOp::Max: return api_.op_max;
  }
  return api_.op_sum;
}

std::string Group::Poll(mpi::Handle* request, const char* what) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  for (long spins = 0;; spins++) {
    int flag = 0;
    if (int rc = api_.Test(request, &flag, nullptr); rc != mpi::kSuccess) {
      return std::string(what) + ": MPI error: " + mpi::ErrorString(api_, rc);
    }
    if (flag) return std::string();
    const double waited = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    bool give_up = false;
    std::string reason;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_ && !finalize_) {
        give_up = true;
        reason = std::string(what) + ": the process group was shut down while the collective was in flight";
      } else if (waited > timeout_ms_) {
        give_up = true;
        reason = std::string(what) + ": no answer from the other ranks within " +
                 std::to_string(static_cast<long long>(timeout_ms_)) +
                 " ms (a rank failed, exited, or called a different collective or none); the process group cannot "
                 "be used any more: end this process (mpirun then stops the others)";
      }
      if (give_up) {
        broken_ = true;
        broken_reason_ = reason;
      }
    }
    if (give_up) return reason;
    // Progress happens inside MPI_Test: spin briefly, then back off so the
    // comm thread does not take a core from the computation.
    if (spins > 2000) std::this_thread::sleep_for(std::chrono::microseconds(50));
    else std::this_thread::yield();
  }
}

std::string Group::Agree(const Work& w) {
  // Max of each value and of its negation: all ranks learn the range and so
  // all raise the same error.
  const int n = 5;
  int values[2 * n] = {static_cast<int>(w.kind), static_cast<int>(w.dtype), w.count, w.root, static_cast<int>(w.op)};
  for (int i = 0; i < n; i++) values[n + i] = -values[i];
  mpi::Handle request = nullptr;
  const char* what = CollectiveName(w.kind);
  if (int rc = api_.Iallreduce(api_.in_place, values, 2 * n, api_.type_int, api_.op_max, comm_, &request);
      rc != mpi::kSuccess) {
    return std::string(what) + ": MPI error: " + mpi::ErrorString(api_, rc);
  }
  if (std::string e = Poll(&request, what); !e.empty()) return e;
  auto differs = [&](int i) { return values[i] != -values[n + i]; };
  const std::string rule = "; every rank must call the same collectives in the same order on tensors of the same shape and dtype";
  if (differs(0)) return std::string(what) + ": the ranks called different collectives (this rank: " + what + ")" + rule;
  if (differs(1)) return std::string(what) + ": the tensors' dtypes differ across ranks (this rank: " + DtypeName(w.dtype) + ")" + rule;
  if (differs(2)) {
    return std::string(what) + ": the tensors' sizes differ across ranks (this rank: " + std::to_string(w.count) +
           " elements; the ranks have " + std::to_string(-values[n + 2]) + " to " + std::to_string(values[2]) + ")" + rule;
  }
  if (differs(3)) return std::string(what) + ": the ranks passed different src ranks (this rank: " + std::to_string(w.root) + ")" + rule;
  if (differs(4)) return std::string(what) + ": the ranks passed different ops (this rank: " + OpName(w.op) + ")" + rule;
  return std::string();
}

std::string Group::Execute(Work& w) {
  const char* what = CollectiveName(w.kind);
  if (std::string e = Agree(w); !e.empty()) return e;
  if (w.count == 0 && w.kind != Collective::Barrier) return std::string();
  mpi::Handle request = nullptr;
  const mpi::Handle type = Type(w.dtype);
  int rc = mpi::kSuccess;
  switch (w.kind) {
    case Collective::AllReduce:
      rc = api_.Iallreduce(api_.in_place, w.recv, w.count, type, Op(w.op), comm_, &request);
      break;
    case Collective::Broadcast:
      rc = api_.Ibcast(w.recv, w.count, type, w.root, comm_, &request);
      break;
    case Collective::AllGather:
      rc = api_.Iallgather(w.send, w.count, type, w.recv, w.count, type, comm_, &request);
      break;
    case Collective::ReduceScatter:
      rc = api_.Ireduce_scatter_block(w.send, w.recv, w.count, type, Op(w.op), comm_, &request);
      break;
    case Collective::Barrier:
      rc = api_.Ibarrier(comm_, &request);
      break;
  }
  if (rc != mpi::kSuccess) return std::string(what) + ": MPI error: " + mpi::ErrorString(api_, rc);
  if (std::string e = Poll(&request, what); !e.empty()) return e;
  if (w.op == ReduceOp::Avg) {
    DispatchFloat(w.dtype, [&](auto t) { DivideBy<decltype(t)>(w.recv, w.count, size_); });
  }
  return std::string();
}

}  // namespace torchlet

// A process group over MPI: one communication thread per process owns every
// MPI call (MPI_THREAD_FUNNELED, as Horovod's background thread), so
// collectives run in the order they were submitted on every rank while the
// JavaScript thread goes on. Each collective first checks, with a tiny
// allreduce, that all ranks called the same collective on the same size and
// type (a mismatch is an error on every rank, not undefined behaviour), then
// runs MPI's nonblocking form, polled until done or until the group's timeout
// (a rank that failed or exited gives an error, not a hang).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "args.h"
#include "distributed_mpi.h"

namespace torchlet {

enum class Collective { AllReduce, Broadcast, AllGather, ReduceScatter, Barrier };
enum class ReduceOp { Sum, Avg, Product, Min, Max };

const char* CollectiveName(Collective c);

// One submitted collective: its buffers (raw memory kept alive by the JS
// side until `done`) and its outcome.
struct Work {
  Collective kind = Collective::Barrier;
  ReduceOp op = ReduceOp::Sum;
  Dtype dtype = Dtype::F32;
  void* send = nullptr;   // input (allGather, reduceScatter); nullptr when in place
  void* recv = nullptr;   // the tensor written (in place for allReduce and broadcast)
  int count = 0;          // elements per rank
  int root = 0;

  std::mutex mutex;
  std::condition_variable cv;
  bool done = false;
  std::string error;  // empty on success

  // Blocks until the comm thread has finished this work.
  void Wait();
};

class Group {
 public:
  // Starts the comm thread, which initialises MPI. Throws std::runtime_error
  // with the reason when MPI cannot start.
  Group(const mpi::Api& api, double timeout_ms);
  ~Group();  // Shutdown(false) if not done yet
  Group(const Group&) = delete;
  Group& operator=(const Group&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  // An error message when the group can take no more work (timed out, shut down), else empty.
  std::string Unusable();

  // Queues `work`; `notify` runs on the comm thread once it is done.
  void Submit(std::shared_ptr<Work> work, std::function<void()> notify);

  // Stops the comm thread after the queued work. With `finalize`, and when no
  // collective was abandoned, frees the communicator and calls MPI_Finalize.
  void Shutdown(bool finalize);

 private:
  struct Item {
    std::shared_ptr<Work> work;
    std::function<void()> notify;
  };
  void Run(std::string* start_error, bool* started);
  std::string Execute(Work& w);
  std::string Poll(mpi::Handle* request, const char* what);
  std::string Agree(const Work& w);
  mpi::Handle Type(Dtype d) const;
  mpi::Handle Op(ReduceOp o) const;

  const mpi::Api& api_;
  const double timeout_ms_;
  mpi::Handle comm_ = nullptr;
  int rank_ = 0;
  int size_ = 1;

  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Item> queue_;
  bool stopping_ = false;
  bool finalize_ = false;
  bool broken_ = false;  // a collective timed out: MPI state is undefined from here on
  std::string broken_reason_;
  std::thread thread_;
};

}  // namespace torchlet

#include "distributed_mpi.h"

#ifndef _WIN32
#include <dlfcn.h>
#endif

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <utility>

namespace torchlet {
namespace mpi {

namespace {

const char* const kInstallHint =
    "torchlet.distributed needs Open MPI: on Debian/Ubuntu `sudo apt-get install -y openmpi-bin libopenmpi-dev`, "
    "on macOS `brew install open-mpi`; then launch with `mpirun -np 2 node script.js` "
    "(TORCHLET_MPI_LIBRARY=/path/to/libmpi.so selects the library file)";

template <class F>
bool Resolve(void* lib, const char* name, F& out, std::string& missing) {
  void* sym = dlsym(lib, name);
  if (sym == nullptr) {
    missing += missing.empty() ? name : std::string(", ") + name;
    return false;
  }
  out = reinterpret_cast<F>(sym);
  return true;
}

// The process's one MPI library: dlopen state is process-wide by nature, and
// the function table never changes once loaded (read-only after call_once).
struct Loaded {
  std::once_flag once;
  Api api{};
  std::string error;
  bool ok = false;
  std::atomic<bool> claimed{false};
};

Loaded& Instance() {
  static Loaded loaded;
  return loaded;
}

void LoadOnce(Loaded& l) {
#ifdef _WIN32
  l.error = "torchlet.distributed supports Open MPI on Linux and macOS only";
#else
  const char* env = std::getenv("TORCHLET_MPI_LIBRARY");
#ifdef __APPLE__
  const char* fallback = "libmpi.40.dylib";
#else
  const char* fallback = "libmpi.so.40";
#endif
  const char* name = env != nullptr && *env != '\0' ? env : fallback;
  void* lib = dlopen(name, RTLD_NOW | RTLD_GLOBAL);
  if (lib == nullptr) {
    const char* why = dlerror();
    l.error = std::string("cannot load the MPI library ") + name + " (" + (why ? why : "unknown error") + "). " +
              kInstallHint;
    return;
  }
  Api& a = l.api;
  std::string missing;
  Resolve(lib, "MPI_Init_thread", a.Init_thread, missing);
  Resolve(lib, "MPI_Initialized", a.Initialized, missing);
  Resolve(lib, "MPI_Finalized", a.Finalized, missing);
  Resolve(lib, "MPI_Finalize", a.Finalize, missing);
  Resolve(lib, "MPI_Comm_dup", a.Comm_dup, missing);
  Resolve(lib, "MPI_Comm_free", a.Comm_free, missing);
  Resolve(lib, "MPI_Comm_rank", a.Comm_rank, missing);
  Resolve(lib, "MPI_Comm_size", a.Comm_size, missing);
  Resolve(lib, "MPI_Comm_set_errhandler", a.Comm_set_errhandler, missing);
  Resolve(lib, "MPI_Error_string", a.Error_string, missing);
  Resolve(lib, "MPI_Iallreduce", a.Iallreduce, missing);
  Resolve(lib, "MPI_Ibcast", a.Ibcast, missing);
  Resolve(lib, "MPI_Iallgather", a.Iallgather, missing);
  Resolve(lib, "MPI_Ireduce_scatter_block", a.Ireduce_scatter_block, missing);
  Resolve(lib, "MPI_Ibarrier", a.Ibarrier, missing);
  Resolve(lib, "MPI_Test", a.Test, missing);
  if (!missing.empty()) {
    l.error = std::string(name) + " is not a usable MPI library (missing " + missing + "). " + kInstallHint;
    return;
  }
  // Open MPI's predefined objects: the handle is the object's address.
  std::string objects;
  const std::pair<const char*, Handle*> predefined[] = {
      {"ompi_mpi_comm_world", &a.comm_world}, {"ompi_mpi_errors_return", &a.errors_return},
      {"ompi_mpi_float", &a.type_float},      {"ompi_mpi_double", &a.type_double},
      {"ompi_mpi_int", &a.type_int},          {"ompi_mpi_op_sum", &a.op_sum},
      {"ompi_mpi_op_prod", &a.op_prod},       {"ompi_mpi_op_max", &a.op_max},
      {"ompi_mpi_op_min", &a.op_min},
  };
  for (const auto& [symbol, slot] : predefined) Resolve(lib, symbol, *slot, objects);
  if (!objects.empty()) {
    l.error = std::string(name) + " is an MPI library but not Open MPI (missing " + objects +
              "); torchlet.distributed supports Open MPI only. " + kInstallHint;
    return;
  }
  a.in_place = reinterpret_cast<void*>(1);
  l.ok = true;
#endif
}

}  // namespace

const Api* Load(std::string& error) {
  Loaded& l = Instance();
  std::call_once(l.once, LoadOnce, std::ref(l));
  if (!l.ok) {
    error = l.error;
    return nullptr;
  }
  return &l.api;
}

bool ClaimInit() { return !Instance().claimed.exchange(true); }

std::string ErrorString(const Api& api, int code) {
  char text[kMaxErrorString] = {0};
  int len = 0;
  if (api.Error_string(code, text, &len) != kSuccess) return "MPI error " + std::to_string(code);
  return std::string(text, static_cast<size_t>(len));
}

}  // namespace mpi
}  // namespace torchlet

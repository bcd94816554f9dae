// The MPI library, loaded at run time (dlopen) so the addon never links it:
// torchlet works without MPI installed, and initProcessGroup says how to get it.
// Handles (communicator, datatypes, ops) are implementation-defined; this
// resolves Open MPI's predefined objects by name (its ABI: every handle is a
// pointer to a predefined object, MPI_IN_PLACE is (void*)1).
#pragma once

#include <string>

namespace torchlet {
namespace mpi {

using Handle = void*;  // MPI_Comm, MPI_Datatype, MPI_Op, MPI_Request, MPI_Errhandler in Open MPI

constexpr int kSuccess = 0;
constexpr int kThreadFunneled = 1;
constexpr int kMaxErrorString = 256;

// The MPI functions and predefined handles torchlet uses. Loaded once per
// process; the library stays loaded until exit (unloading Open MPI while its
// plugins are loaded is unsafe).
struct Api {
  int (*Init_thread)(int*, char***, int, int*);
  int (*Initialized)(int*);
  int (*Finalized)(int*);
  int (*Finalize)();
  int (*Comm_dup)(Handle, Handle*);
  int (*Comm_free)(Handle*);
  int (*Comm_rank)(Handle, int*);
  int (*Comm_size)(Handle, int*);
  int (*Comm_set_errhandler)(Handle, Handle);
  int (*Error_string)(int, char*, int*);
  int (*Iallreduce)(const void*, void*, int, Handle, Handle, Handle, Handle*);
  int (*Ibcast)(void*, int, Handle, int, Handle, Handle*);
  int (*Iallgather)(const void*, int, Handle, void*, int, Handle, Handle, Handle*);
  int (*Ireduce_scatter_block)(const void*, void*, int, Handle, Handle, Handle, Handle*);
  int (*Ibarrier)(Handle, Handle*);
  int (*Test)(Handle*, int*, void*);

  Handle comm_world;
  Handle errors_return;
  Handle type_float;
  Handle type_double;
  Handle type_int;
  Handle op_sum;
  Handle op_prod;
  Handle op_max;
  Handle op_min;
  void* in_place;
};

// Loads the library named by TORCHLET_MPI_LIBRARY, else libmpi.so.40 (Open
// MPI 4/5; libmpi.40.dylib on macOS), with RTLD_GLOBAL so Open MPI's plugins find its symbols. On
// failure returns nullptr and sets `error` to what failed and how to install
// Open MPI. Thread-safe; the first successful load is kept.
const Api* Load(std::string& error);

// True for the first caller in this process only: MPI starts once per process
// and cannot start again after MPI_Finalize.
bool ClaimInit();

// MPI's text for an error code.
std::string ErrorString(const Api& api, int code);

}  // namespace mpi
}  // namespace torchlet

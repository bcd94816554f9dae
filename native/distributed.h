// torch.distributed's MPI process group: the addon's distributed* entry points.
#pragma once

#include <napi.h>

namespace torchlet {

void RegisterDistributed(Napi::Env env, Napi::Object exports);

}  // namespace torchlet

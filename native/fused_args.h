// Optional (nullable) buffer arguments of the fused kernels: JS null means
// "absent"; anything else must be a valid buffer (undefined is an error).
#pragma once

#include <napi.h>

#include "args.h"

namespace torchlet {

struct OptBuf {
  bool present = false;
  Buf buf;
};

inline OptBuf OptionalArray(const Args& args, const Napi::CallbackInfo& info, size_t i,
                            const char* name, unsigned allowed) {
  OptBuf o;
  if (info[i].IsNull()) {
    o.buf.name = name;
    return o;
  }
  o.present = true;
  o.buf = args.Array(i, name, allowed);
  return o;
}

// Reduction codes shared with lib/backend/kernels.ts (REDUCTION_*).
enum Reduction : int { kReduceNone = 0, kReduceMean = 1, kReduceSum = 2 };

}  // namespace torchlet

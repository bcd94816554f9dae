#include "spec.h"

#include <cmath>
#include <cstdlib>
#include <string>

namespace torchlet {

int64_t Call::ReadInt32(const Args& args, size_t i, const char* name) {
  const double v = args.Number(i, name);
  if (!(v >= -2147483648.0 && v <= 2147483647.0) || std::trunc(v) != v) {
    args.RangeError(std::string(name) + " must be a 32-bit integer");
  }
  return static_cast<int64_t>(v);
}

void FailAtLeast(const Kernel& k, const Check& c, const Call& call, int64_t need) {
  std::string what;
  if (c.what != nullptr) {
    what = c.what;
  } else {
    for (size_t j = 0; j < c.count; ++j) {
      if (j > 0) what += '*';
      what += k.params[c.operands[j]].name;
    }
  }
  call.args().AtLeast(call.buf(c.target), need, what.c_str());
  // AtLeast threw: need exceeds the length.
  std::abort();
}

}  // namespace torchlet

// Bindings: softmax, logSoftmax (AxisKernel) and their backward (AxisBackwardKernel).
#include "softmax.h"

#include "args.h"
#include "exports.h"

namespace torchlet {
namespace {

struct SoftmaxFn {
  static constexpr const char* name = "softmax";
  template <class T>
  static void run(const T* x, size_t o, size_t d, size_t i, T* out) {
    kernels::softmax(x, o, d, i, out);
  }
};
struct LogSoftmaxFn {
  static constexpr const char* name = "logSoftmax";
  template <class T>
  static void run(const T* x, size_t o, size_t d, size_t i, T* out) {
    kernels::logSoftmax(x, o, d, i, out);
  }
};
struct SoftmaxBackwardFn {
  static constexpr const char* name = "softmaxBackward";
  template <class T>
  static void run(const T* y, const T* dy, size_t o, size_t d, size_t i, T* dx) {
    kernels::softmaxBackward(y, dy, o, d, i, dx);
  }
};
struct LogSoftmaxBackwardFn {
  static constexpr const char* name = "logSoftmaxBackward";
  template <class T>
  static void run(const T* y, const T* dy, size_t o, size_t d, size_t i, T* dx) {
    kernels::logSoftmaxBackward(y, dy, o, d, i, dx);
  }
};

// (x, outer, dim, inner, out)
template <class K>
Napi::Value Forward(const Napi::CallbackInfo& info) {
  Args args(info, K::name, 5);
  Buf x = args.Array(0, "x", kFloat);
  const int64_t outer = args.Size(1, "outer");
  const int64_t dim = args.Size(2, "dim");
  const int64_t inner = args.Size(3, "inner");
  Buf out = args.Array(4, "out", kFloat);
  args.SameType(x, out);
  const int64_t count = args.Mul(args.Mul(outer, dim), inner);
  args.AtLeast(x, count, "outer*dim*inner");
  args.AtLeast(out, count, "outer*dim*inner");
  args.NoOverlap(out, x);
  if (count == 0) return info.Env().Undefined();
  DispatchFloat(x.dtype, [&](auto zero) {
    using T = decltype(zero);
    K::run(x.as<T>(), outer, dim, inner, out.as<T>());
  });
  return info.Env().Undefined();
}

// (y, dy, outer, dim, inner, dx)
template <class K>
Napi::Value Backward(const Napi::CallbackInfo& info) {
  Args args(info, K::name, 6);
  Buf y = args.Array(0, "y", kFloat);
  Buf dy = args.Array(1, "dy", kFloat);
  const int64_t outer = args.Size(2, "outer");
  const int64_t dim = args.Size(3, "dim");
  const int64_t inner = args.Size(4, "inner");
  Buf dx = args.Array(5, "dx", kFloat);
  args.SameType(y, dy);
  args.SameType(y, dx);
  const int64_t count = args.Mul(args.Mul(outer, dim), inner);
  args.AtLeast(y, count, "outer*dim*inner");
  args.AtLeast(dy, count, "outer*dim*inner");
  args.AtLeast(dx, count, "outer*dim*inner");
  args.NoOverlap(dx, y);
  args.NoOverlap(dx, dy);
  if (count == 0) return info.Env().Undefined();
  DispatchFloat(y.dtype, [&](auto zero) {
    using T = decltype(zero);
    K::run(y.as<T>(), dy.as<T>(), outer, dim, inner, dx.as<T>());
  });
  return info.Env().Undefined();
}

}  // namespace

void RegisterSoftmax(Napi::Env env, Napi::Object exports) {
  exports.Set("softmax", Napi::Function::New<Forward<SoftmaxFn>>(env, "softmax"));
  exports.Set("logSoftmax", Napi::Function::New<Forward<LogSoftmaxFn>>(env, "logSoftmax"));
  exports.Set("softmaxBackward",
              Napi::Function::New<Backward<SoftmaxBackwardFn>>(env, "softmaxBackward"));
  exports.Set("logSoftmaxBackward",
              Napi::Function::New<Backward<LogSoftmaxBackwardFn>>(env, "logSoftmaxBackward"));
}

}  // namespace torchlet

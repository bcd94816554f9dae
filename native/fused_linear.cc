// Bindings: linearForward, linearBackward (see fused_linear.h).
#include "fused_linear.h"

#include <string>

#include "args.h"
#include "exports.h"
#include "fused_args.h"
#include "instance.h"

namespace torchlet {
namespace {

int ReadAct(const Args& args, size_t i) {
  return static_cast<int>(args.Size(i, "act", kernels::kActMax));
}

// linearForward(x, w, b|null, rows, in, out, act, slope, y)
Napi::Value LinearForward(const Napi::CallbackInfo& info) {
  Args args(info, "linearForward", 9);
  Buf x = args.Array(0, "x", kFloat);
  Buf w = args.Array(1, "w", kFloat);
  OptBuf b = OptionalArray(args, info, 2, "b", kFloat);
  const int64_t rows = args.Size(3, "rows");
  const int64_t in = args.Size(4, "in");
  const int64_t out = args.Size(5, "out");
  const int act = ReadAct(args, 6);
  const double slope = args.Number(7, "slope");
  Buf y = args.Array(8, "y", kFloat);
  args.SameType(x, w);
  if (b.present) args.SameType(x, b.buf);
  args.SameType(x, y);
  args.AtLeast(x, args.Mul(rows, in), "rows*in");
  args.AtLeast(w, args.Mul(out, in), "out*in");
  if (b.present) args.AtLeast(b.buf, out, "out");
  args.AtLeast(y, args.Mul(rows, out), "rows*out");
  args.NoOverlap(y, x);
  args.NoOverlap(y, w);
  if (b.present) args.NoOverlap(y, b.buf);
  DispatchFloat(x.dtype, [&](auto zero) {
    using T = decltype(zero);
    kernels::linearForward<T>(&InstanceOf(info.Env()).pool, x.as<T>(), w.as<T>(), b.present ? b.buf.as<T>() : nullptr, rows, in,
                              out, act, static_cast<T>(slope), y.as<T>());
  });
  return info.Env().Undefined();
}

// linearBackward(x, w, y, dy, rows, in, out, act, slope, dz, dx|null, dw|null, db|null)
Napi::Value LinearBackward(const Napi::CallbackInfo& info) {
  Args args(info, "linearBackward", 13);
  Buf x = args.Array(0, "x", kFloat);
  Buf w = args.Array(1, "w", kFloat);
  Buf y = args.Array(2, "y", kFloat);
  Buf dy = args.Array(3, "dy", kFloat);
  const int64_t rows = args.Size(4, "rows");
  const int64_t in = args.Size(5, "in");
  const int64_t out = args.Size(6, "out");
  const int act = ReadAct(args, 7);
  const double slope = args.Number(8, "slope");
  Buf dz = args.Array(9, "dz", kFloat);
  OptBuf dx = OptionalArray(args, info, 10, "dx", kFloat);
  OptBuf dw = OptionalArray(args, info, 11, "dw", kFloat);
  OptBuf db = OptionalArray(args, info, 12, "db", kFloat);
  if (act == kernels::kActLeakyRelu && !(slope >= 0)) {
    args.RangeError("slope must be >= 0 for leakyRelu (the gradient is read from the sign of y), got " +
                    std::to_string(slope));
  }
  args.SameType(x, w);
  args.SameType(x, y);
  args.SameType(x, dy);
  args.SameType(x, dz);
  if (dx.present) args.SameType(x, dx.buf);
  if (dw.present) args.SameType(x, dw.buf);
  if (db.present) args.SameType(x, db.buf);
  const int64_t ro = args.Mul(rows, out);
  args.AtLeast(x, args.Mul(rows, in), "rows*in");
  args.AtLeast(w, args.Mul(out, in), "out*in");
  args.AtLeast(y, ro, "rows*out");
  args.AtLeast(dy, ro, "rows*out");
  args.AtLeast(dz, ro, "rows*out");
  if (dx.present) args.AtLeast(dx.buf, args.Mul(rows, in), "rows*in");
  if (dw.present) args.AtLeast(dw.buf, args.Mul(out, in), "out*in");
  if (db.present) args.AtLeast(db.buf, out, "out");
  // dz is elementwise in (y, dy): exactly one of them is fine; x and w are read by the GEMMs after it.
  args.NoOverlapOrSame(dz, y);
  args.NoOverlapOrSame(dz, dy);
  args.NoOverlap(dz, x);
  args.NoOverlap(dz, w);
  const Buf* inputs[] = {&x, &w, &y, &dy, &dz};
  OptBuf* outs[] = {&dx, &dw, &db};
  for (OptBuf* o : outs) {
    if (!o->present) continue;
    for (const Buf* i : inputs) args.NoOverlap(o->buf, *i);
    for (OptBuf* p : outs) {
      if (p != o && p->present) args.NoOverlap(o->buf, p->buf);
    }
  }
  DispatchFloat(x.dtype, [&](auto zero) {
    using T = decltype(zero);
    kernels::linearBackward<T>(&InstanceOf(info.Env()).pool, x.as<T>(), w.as<T>(), y.as<T>(), dy.as<T>(), rows, in, out, act,
                               static_cast<T>(slope), dz.as<T>(),
                               dx.present ? dx.buf.as<T>() : nullptr,
                               dw.present ? dw.buf.as<T>() : nullptr,
                               db.present ? db.buf.as<T>() : nullptr);
  });
  return info.Env().Undefined();
}

}  // namespace

void RegisterFusedLinear(Napi::Env env, Napi::Object exports) {
  exports.Set("linearForward", Napi::Function::New<LinearForward>(env, "linearForward"));
  exports.Set("linearBackward", Napi::Function::New<LinearBackward>(env, "linearBackward"));
}

}  // namespace torchlet

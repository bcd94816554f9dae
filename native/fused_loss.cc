// Bindings: softmaxCrossEntropy(+Backward), sigmoidBCE(+Backward), bce(+Backward)
// (see fused_loss.h).
#include "fused_loss.h"

#include <string>

#include "args.h"
#include "exports.h"
#include "fused_args.h"

namespace torchlet {
namespace {

int ReadReduction(const Args& args, size_t i) {
  return static_cast<int>(args.Size(i, "reduction", kReduceSum));
}

// An int32 scalar (ignoreIndex): TypeError if not a number, RangeError unless an int32.
int32_t ReadInt32(const Args& args, size_t i, const char* name) {
  const double v = args.Number(i, name);
  if (!(v >= -2147483648.0 && v <= 2147483647.0) || std::trunc(v) != v) {
    args.RangeError(std::string(name) + " must be a 32-bit integer");
  }
  return static_cast<int32_t>(v);
}

// Elements of the output (reduction 0: count, else 1).
int64_t ReducedLength(int reduction, int64_t count) { return reduction == kReduceNone ? count : 1; }

struct CeArgs {
  Buf x, t, out;
  OptBuf w;
  int64_t n = 0, c = 0;
  int32_t ignore = 0;
  int reduction = 0;
};

// (x, t, w|null, n, c, ignoreIndex, reduction, [dout,] out): the shared checks.
CeArgs ReadCe(const Args& args, const Napi::CallbackInfo& info) {
  CeArgs a;
  a.x = args.Array(0, "logits", kFloat);
  a.t = args.Array(1, "targets", kI32);
  a.w = OptionalArray(args, info, 2, "weight", kFloat);
  a.n = args.Size(3, "n");
  a.c = args.Size(4, "c");
  a.ignore = ReadInt32(args, 5, "ignoreIndex");
  a.reduction = ReadReduction(args, 6);
  if (a.w.present) args.SameType(a.x, a.w.buf);
  args.AtLeast(a.x, args.Mul(a.n, a.c), "n*c");
  args.AtLeast(a.t, a.n, "n");
  if (a.w.present) args.AtLeast(a.w.buf, a.c, "c");
  const int32_t* t = a.t.as<int32_t>();
  for (int64_t r = 0; r < a.n; ++r) {
    if (t[r] != a.ignore && (t[r] < 0 || t[r] >= a.c)) {
      args.RangeError("target " + std::to_string(t[r]) + " at targets[" + std::to_string(r) +
                      "] is out of range for " + std::to_string(a.c) + " classes");
    }
  }
  return a;
}

// softmaxCrossEntropy(logits, targets, weight|null, n, c, ignoreIndex, reduction, out)
Napi::Value SoftmaxCrossEntropy(const Napi::CallbackInfo& info) {
  Args args(info, "softmaxCrossEntropy", 8);
  CeArgs a = ReadCe(args, info);
  Buf out = args.Array(7, "out", kFloat);
  args.SameType(a.x, out);
  args.AtLeast(out, ReducedLength(a.reduction, a.n), a.reduction == 0 ? "n" : "1");
  args.NoOverlap(out, a.x);
  args.NoOverlap(out, a.t);  // targets were range-checked: a write into them would undo that
  if (a.w.present) args.NoOverlap(out, a.w.buf);
  DispatchFloat(a.x.dtype, [&](auto zero) {
    using T = decltype(zero);
    kernels::softmaxCrossEntropy<T>(a.x.as<T>(), a.t.as<int32_t>(),
                                    a.w.present ? a.w.buf.as<T>() : nullptr, a.n, a.c, a.ignore,
                                    a.reduction, out.as<T>());
  });
  return info.Env().Undefined();
}

// softmaxCrossEntropyBackward(logits, targets, weight|null, n, c, ignoreIndex, reduction, dout, dlogits)
Napi::Value SoftmaxCrossEntropyBackward(const Napi::CallbackInfo& info) {
  Args args(info, "softmaxCrossEntropyBackward", 9);
  CeArgs a = ReadCe(args, info);
  Buf dout = args.Array(7, "dout", kFloat);
  Buf dx = args.Array(8, "dlogits", kFloat);
  args.SameType(a.x, dout);
  args.SameType(a.x, dx);
  args.AtLeast(dout, ReducedLength(a.reduction, a.n), a.reduction == 0 ? "n" : "1");
  args.AtLeast(dx, args.Mul(a.n, a.c), "n*c");
  args.NoOverlap(dx, a.x);
  args.NoOverlap(dx, a.t);  // targets were range-checked: a write into them would undo that
  args.NoOverlap(dx, dout);
  if (a.w.present) args.NoOverlap(dx, a.w.buf);
  DispatchFloat(a.x.dtype, [&](auto zero) {
    using T = decltype(zero);
    kernels::softmaxCrossEntropyBackward<T>(a.x.as<T>(), a.t.as<int32_t>(),
                                            a.w.present ? a.w.buf.as<T>() : nullptr, a.n, a.c,
                                            a.ignore, a.reduction, dout.as<T>(), dx.as<T>());
  });
  return info.Env().Undefined();
}

struct BceArgs {
  Buf x, y;
  OptBuf pw;
  int64_t n = 0, p = 0;
  int reduction = 0;
};

// (x, y, posWeight|null, n, p, reduction, ...): the shared checks.
BceArgs ReadBce(const Args& args, const Napi::CallbackInfo& info) {
  BceArgs a;
  a.x = args.Array(0, "x", kFloat);
  a.y = args.Array(1, "y", kFloat);
  a.pw = OptionalArray(args, info, 2, "posWeight", kFloat);
  a.n = args.Size(3, "n");
  a.p = args.Size(4, "p");
  a.reduction = ReadReduction(args, 5);
  args.SameType(a.x, a.y);
  if (a.pw.present) args.SameType(a.x, a.pw.buf);
  args.AtLeast(a.x, a.n, "n");
  args.AtLeast(a.y, a.n, "n");
  if (a.pw.present) {
    if (a.p == 0 || a.n % a.p != 0) {
      args.RangeError("p (" + std::to_string(a.p) + ") must be positive and divide n (" +
                      std::to_string(a.n) + ") when posWeight is given");
    }
    args.AtLeast(a.pw.buf, a.p, "p");
  }
  return a;
}

// sigmoidBCE(x, y, posWeight|null, n, p, reduction, out)
Napi::Value SigmoidBCE(const Napi::CallbackInfo& info) {
  Args args(info, "sigmoidBCE", 7);
  BceArgs a = ReadBce(args, info);
  Buf out = args.Array(6, "out", kFloat);
  args.SameType(a.x, out);
  args.AtLeast(out, ReducedLength(a.reduction, a.n), a.reduction == 0 ? "n" : "1");
  args.NoOverlap(out, a.x);
  args.NoOverlap(out, a.y);
  if (a.pw.present) args.NoOverlap(out, a.pw.buf);
  DispatchFloat(a.x.dtype, [&](auto zero) {
    using T = decltype(zero);
    kernels::sigmoidBCE<T>(a.x.as<T>(), a.y.as<T>(), a.pw.present ? a.pw.buf.as<T>() : nullptr,
                           a.n, a.p, a.reduction, out.as<T>());
  });
  return info.Env().Undefined();
}

// The (dout, dx) pair of a binary cross-entropy backward at arguments i, i + 1:
// x's type, dout of the reduced length, dx of n, dx disjoint from x, y and dout.
struct BceGradients {
  Buf dout, dx;
};

BceGradients ReadBceGradients(const Args& args, size_t i, const Buf& x, const Buf& y, int64_t n, int reduction) {
  Buf dout = args.Array(i, "dout", kFloat);
  Buf dx = args.Array(i + 1, "dx", kFloat);
  args.SameType(x, dout);
  args.SameType(x, dx);
  args.AtLeast(dout, ReducedLength(reduction, n), reduction == 0 ? "n" : "1");
  args.AtLeast(dx, n, "n");
  args.NoOverlap(dx, x);
  args.NoOverlap(dx, y);
  args.NoOverlap(dx, dout);
  return BceGradients{dout, dx};
}

// sigmoidBCEBackward(x, y, posWeight|null, n, p, reduction, dout, dx)
Napi::Value SigmoidBCEBackward(const Napi::CallbackInfo& info) {
  Args args(info, "sigmoidBCEBackward", 8);
  BceArgs a = ReadBce(args, info);
  const BceGradients g = ReadBceGradients(args, 6, a.x, a.y, a.n, a.reduction);
  const Buf& dout = g.dout;
  const Buf& dx = g.dx;
  if (a.pw.present) args.NoOverlap(dx, a.pw.buf);
  DispatchFloat(a.x.dtype, [&](auto zero) {
    using T = decltype(zero);
    kernels::sigmoidBCEBackward<T>(a.x.as<T>(), a.y.as<T>(),
                                   a.pw.present ? a.pw.buf.as<T>() : nullptr, a.n, a.p,
                                   a.reduction, dout.as<T>(), dx.as<T>());
  });
  return info.Env().Undefined();
}

// (x, y, n, reduction, ...): the checks bce and bceBackward share.
struct ProbArgs {
  Buf x, y;
  int64_t n = 0;
  int reduction = 0;
};

ProbArgs ReadProb(const Args& args) {
  ProbArgs a;
  a.x = args.Array(0, "x", kFloat);
  a.y = args.Array(1, "y", kFloat);
  a.n = args.Size(2, "n");
  a.reduction = ReadReduction(args, 3);
  args.SameType(a.x, a.y);
  args.AtLeast(a.x, a.n, "n");
  args.AtLeast(a.y, a.n, "n");
  return a;
}

// bce(x, y, n, reduction, out) → −1, or the index of the first x outside [0, 1]
Napi::Value Bce(const Napi::CallbackInfo& info) {
  Args args(info, "bce", 5);
  ProbArgs a = ReadProb(args);
  Buf out = args.Array(4, "out", kFloat);
  args.SameType(a.x, out);
  args.AtLeast(out, ReducedLength(a.reduction, a.n), a.reduction == 0 ? "n" : "1");
  args.NoOverlap(out, a.x);
  args.NoOverlap(out, a.y);
  int64_t bad = -1;
  DispatchFloat(a.x.dtype, [&](auto zero) {
    using T = decltype(zero);
    bad = kernels::bce<T>(a.x.as<T>(), a.y.as<T>(), a.n, a.reduction, out.as<T>());
  });
  return Napi::Number::New(info.Env(), static_cast<double>(bad));
}

// bceBackward(x, y, n, reduction, dout, dx)
Napi::Value BceBackward(const Napi::CallbackInfo& info) {
  Args args(info, "bceBackward", 6);
  ProbArgs a = ReadProb(args);
  const BceGradients g = ReadBceGradients(args, 4, a.x, a.y, a.n, a.reduction);
  const Buf& dout = g.dout;
  const Buf& dx = g.dx;
  DispatchFloat(a.x.dtype, [&](auto zero) {
    using T = decltype(zero);
    kernels::bceBackward<T>(a.x.as<T>(), a.y.as<T>(), a.n, a.reduction, dout.as<T>(), dx.as<T>());
  });
  return info.Env().Undefined();
}

}  // namespace

void RegisterFusedLoss(Napi::Env env, Napi::Object exports) {
  exports.Set("softmaxCrossEntropy",
              Napi::Function::New<SoftmaxCrossEntropy>(env, "softmaxCrossEntropy"));
  exports.Set("softmaxCrossEntropyBackward",
              Napi::Function::New<SoftmaxCrossEntropyBackward>(env, "softmaxCrossEntropyBackward"));
  exports.Set("sigmoidBCE", Napi::Function::New<SigmoidBCE>(env, "sigmoidBCE"));
  exports.Set("sigmoidBCEBackward",
              Napi::Function::New<SigmoidBCEBackward>(env, "sigmoidBCEBackward"));
  exports.Set("bce", Napi::Function::New<Bce>(env, "bce"));
  exports.Set("bceBackward", Napi::Function::New<BceBackward>(env, "bceBackward"));
}

}  // namespace torchlet

// Bindings: softmaxCrossEntropy(+Backward), sigmoidBCE(+Backward), bce(+Backward)
// (see fused_loss.h). The leading arguments are checked before the outputs
// are read.
#include "fused_loss.h"

#include <string>

#include "exports.h"
#include "spec.h"

namespace torchlet {
namespace {

// The buffer at Out holds the reduced loss (or its gradient): n elements
// without reduction, else 1.
template <int Out, int Reduction, int N>
void CheckReduced(const Call& c) {
  const bool none = c.size(Reduction) == kReductionNone;
  c.args().AtLeast(c.buf(Out), none ? c.size(N) : 1, none ? "n" : "1");
}

// softmaxCrossEntropy(logits, targets, weight|null, n, c, ignoreIndex, reduction, out)
// softmaxCrossEntropyBackward(logits, targets, weight|null, n, c, ignoreIndex, reduction, dout, dlogits)
enum { kLogits, kTargets, kWeight, kCeN, kCeC, kIgnore, kCeReduction, kCeOut, kDlogits };

void CheckTargets(const Call& c) {
  const int32_t* t = c.ptr<int32_t>(kTargets);
  const int64_t classes = c.size(kCeC);
  const int64_t ignore = c.size(kIgnore);
  for (int64_t r = 0; r < c.size(kCeN); ++r) {
    if (t[r] != ignore && (t[r] < 0 || t[r] >= classes)) {
      c.args().RangeError("target " + std::to_string(t[r]) + " at targets[" + std::to_string(r) +
                          "] is out of range for " + std::to_string(classes) + " classes");
    }
  }
}

#define TORCHLET_CE_PARAMS                                                                                 \
  Array("logits", kFloat), Array("targets", kI32), Nullable("weight", kFloat), Size("n"), Size("c"),       \
      Int32("ignoreIndex"), Size("reduction", kReductionMax)
#define TORCHLET_CE_CHECKS \
  SameType(kLogits, {kWeight}), AtLeast(kLogits, {kCeN, kCeC}), AtLeast(kTargets, {kCeN}), AtLeast(kWeight, {kCeC}), \
      Custom(CheckTargets)

constexpr Kernel kSoftmaxCrossEntropy = {
    "softmaxCrossEntropy", {TORCHLET_CE_PARAMS, Late(Array("out", kFloat))},
    {TORCHLET_CE_CHECKS, Read(kCeOut), SameType(kLogits, {kCeOut}), Custom(CheckReduced<kCeOut, kCeReduction, kCeN>),
     // targets were range-checked: a write into them would undo that
     NoOverlap(kCeOut, {kLogits, kTargets, kWeight})},
    [](const Call& c) {
      return ForType<kFloat>(c, kLogits, [&](auto zero) {
        using T = decltype(zero);
        kernels::softmaxCrossEntropy<T>(c.ptr<T>(kLogits), c.ptr<int32_t>(kTargets), c.ptr<T>(kWeight), c.size(kCeN),
                                        c.size(kCeC), static_cast<int32_t>(c.size(kIgnore)),
                                        static_cast<int>(c.size(kCeReduction)), c.ptr<T>(kCeOut));
      });
    }};

constexpr Kernel kSoftmaxCrossEntropyBackward = {
    "softmaxCrossEntropyBackward", {TORCHLET_CE_PARAMS, Late(Array("dout", kFloat)), Late(Array("dlogits", kFloat))},
    {TORCHLET_CE_CHECKS, Read(kCeOut), Read(kDlogits), SameType(kLogits, {kCeOut, kDlogits}),
     Custom(CheckReduced<kCeOut, kCeReduction, kCeN>), AtLeast(kDlogits, {kCeN, kCeC}),
     NoOverlap(kDlogits, {kLogits, kTargets, kCeOut, kWeight})},
    [](const Call& c) {
      return ForType<kFloat>(c, kLogits, [&](auto zero) {
        using T = decltype(zero);
        kernels::softmaxCrossEntropyBackward<T>(c.ptr<T>(kLogits), c.ptr<int32_t>(kTargets), c.ptr<T>(kWeight),
                                                c.size(kCeN), c.size(kCeC), static_cast<int32_t>(c.size(kIgnore)),
                                                static_cast<int>(c.size(kCeReduction)), c.ptr<T>(kCeOut),
                                                c.ptr<T>(kDlogits));
      });
    }};

#undef TORCHLET_CE_PARAMS
#undef TORCHLET_CE_CHECKS

// sigmoidBCE(x, y, posWeight|null, n, p, reduction, out)
// sigmoidBCEBackward(x, y, posWeight|null, n, p, reduction, dout, dx)
enum { kX, kY, kPosWeight, kN, kP, kReduction, kOut, kDx };

void CheckPosWeight(const Call& c) {
  const int64_t n = c.size(kN), p = c.size(kP);
  if (c.present(kPosWeight) && (p == 0 || n % p != 0)) {
    c.args().RangeError("p (" + std::to_string(p) + ") must be positive and divide n (" + std::to_string(n) +
                        ") when posWeight is given");
  }
}

#define TORCHLET_BCE_PARAMS                                                                                  \
  Array("x", kFloat), Array("y", kFloat), Nullable("posWeight", kFloat), Size("n"), Size("p"),               \
      Size("reduction", kReductionMax)
#define TORCHLET_BCE_CHECKS                                                                                  \
  SameType(kX, {kY, kPosWeight}), AtLeast(kX, {kN}), AtLeast(kY, {kN}), Custom(CheckPosWeight),              \
      AtLeast(kPosWeight, {kP})

constexpr Kernel kSigmoidBCE = {
    "sigmoidBCE", {TORCHLET_BCE_PARAMS, Late(Array("out", kFloat))},
    {TORCHLET_BCE_CHECKS, Read(kOut), SameType(kX, {kOut}), Custom(CheckReduced<kOut, kReduction, kN>),
     NoOverlap(kOut, {kX, kY, kPosWeight})},
    [](const Call& c) {
      return ForType<kFloat>(c, kX, [&](auto zero) {
        using T = decltype(zero);
        kernels::sigmoidBCE<T>(c.ptr<T>(kX), c.ptr<T>(kY), c.ptr<T>(kPosWeight), c.size(kN), c.size(kP),
                               static_cast<int>(c.size(kReduction)), c.ptr<T>(kOut));
      });
    }};

constexpr Kernel kSigmoidBCEBackward = {
    "sigmoidBCEBackward", {TORCHLET_BCE_PARAMS, Late(Array("dout", kFloat)), Late(Array("dx", kFloat))},
    {TORCHLET_BCE_CHECKS, Read(kOut), Read(kDx), SameType(kX, {kOut, kDx}), Custom(CheckReduced<kOut, kReduction, kN>),
     AtLeast(kDx, {kN}), NoOverlap(kDx, {kX, kY, kOut, kPosWeight})},
    [](const Call& c) {
      return ForType<kFloat>(c, kX, [&](auto zero) {
        using T = decltype(zero);
        kernels::sigmoidBCEBackward<T>(c.ptr<T>(kX), c.ptr<T>(kY), c.ptr<T>(kPosWeight), c.size(kN), c.size(kP),
                                       static_cast<int>(c.size(kReduction)), c.ptr<T>(kOut), c.ptr<T>(kDx));
      });
    }};

#undef TORCHLET_BCE_PARAMS
#undef TORCHLET_BCE_CHECKS

// bce(x, y, n, reduction, out) → −1, or the index of the first x outside [0, 1]
// bceBackward(x, y, n, reduction, dout, dx)
enum { kProbN = 2, kProbReduction = 3, kProbOut = 4, kProbDx = 5 };

#define TORCHLET_PROB_PARAMS Array("x", kFloat), Array("y", kFloat), Size("n"), Size("reduction", kReductionMax)
#define TORCHLET_PROB_CHECKS SameType(kX, {kY}), AtLeast(kX, {kProbN}), AtLeast(kY, {kProbN})

constexpr Kernel kBce = {
    "bce", {TORCHLET_PROB_PARAMS, Late(Array("out", kFloat))},
    {TORCHLET_PROB_CHECKS, Read(kProbOut), SameType(kX, {kProbOut}),
     Custom(CheckReduced<kProbOut, kProbReduction, kProbN>), NoOverlap(kProbOut, {kX, kY})},
    [](const Call& c) {
      int64_t bad = -1;
      DispatchFloat(c.dtype(kX), [&](auto zero) {
        using T = decltype(zero);
        bad = kernels::bce<T>(c.ptr<T>(kX), c.ptr<T>(kY), c.size(kProbN), static_cast<int>(c.size(kProbReduction)),
                              c.ptr<T>(kProbOut));
      });
      return Napi::Value(Napi::Number::New(c.env(), static_cast<double>(bad)));
    }};

constexpr Kernel kBceBackward = {
    "bceBackward", {TORCHLET_PROB_PARAMS, Late(Array("dout", kFloat)), Late(Array("dx", kFloat))},
    {TORCHLET_PROB_CHECKS, Read(kProbOut), Read(kProbDx), SameType(kX, {kProbOut, kProbDx}),
     Custom(CheckReduced<kProbOut, kProbReduction, kProbN>), AtLeast(kProbDx, {kProbN}),
     NoOverlap(kProbDx, {kX, kY, kProbOut})},
    [](const Call& c) {
      return ForType<kFloat>(c, kX, [&](auto zero) {
        using T = decltype(zero);
        kernels::bceBackward<T>(c.ptr<T>(kX), c.ptr<T>(kY), c.size(kProbN), static_cast<int>(c.size(kProbReduction)),
                                c.ptr<T>(kProbOut), c.ptr<T>(kProbDx));
      });
    }};

#undef TORCHLET_PROB_PARAMS
#undef TORCHLET_PROB_CHECKS

}  // namespace

void RegisterFusedLoss(Napi::Env env, Napi::Object exports) {
  Register<kSoftmaxCrossEntropy, kSoftmaxCrossEntropyBackward, kSigmoidBCE, kSigmoidBCEBackward, kBce, kBceBackward>(
      env, exports);
}

}  // namespace torchlet

// Bindings: lstmGates, lstmGatesBackward, gruGates, gruGatesBackward, stepGemm (see recurrent.h).
#include "recurrent.h"

#include "exports.h"
#include "spec.h"

namespace torchlet {
namespace {

// batch·Gates·hidden, from the sizes at positions Batch and Hidden, in checked int64.
template <int Batch, int Hidden, int Gates>
int64_t Rows(const Call& c) {
  return c.args().Mul(c.args().Mul(c.size(Batch), Gates), c.size(Hidden));
}

// lstmGates(gi, gh, c, batch, hidden, h, cOut, saved)
enum { kGi, kGh, kC, kBatch, kHidden, kH, kCOut, kSaved };

constexpr Kernel kLstmGates = {
    "lstmGates",
    {Array("gi", kFloat), Array("gh", kFloat), Array("c", kFloat), Size("batch"), Size("hidden"), Array("h", kFloat),
     Array("cOut", kFloat), Array("saved", kFloat)},
    {SameType(kGi, {kGh, kC, kH, kCOut, kSaved}), AtLeast(kGi, Rows<kBatch, kHidden, 4>, "batch*4*hidden"),
     AtLeast(kGh, Rows<kBatch, kHidden, 4>, "batch*4*hidden"), AtLeast(kC, {kBatch, kHidden}),
     AtLeast(kH, {kBatch, kHidden}), AtLeast(kCOut, {kBatch, kHidden}),
     AtLeast(kSaved, Rows<kBatch, kHidden, 5>, "batch*5*hidden"), NoOverlap(kH, {kGi, kGh, kC}),
     NoOverlap(kCOut, {kGi, kGh, kC, kH}), NoOverlap(kSaved, {kGi, kGh, kC, kH, kCOut})},
    [](const Call& c) {
      return ForType<kFloat>(c, kGi, [&](auto zero) {
        using T = decltype(zero);
        kernels::lstmGates<T>(c.pool(), c.ptr<T>(kGi), c.ptr<T>(kGh), c.ptr<T>(kC), c.size(kBatch), c.size(kHidden),
                              c.ptr<T>(kH), c.ptr<T>(kCOut), c.ptr<T>(kSaved));
      });
    }};

// lstmGatesBackward(saved, c, dh, dc, batch, hidden, dgates, dcPrev|null)
enum { kLbSaved, kLbC, kLbDh, kLbDc, kLbBatch, kLbHidden, kLbDgates, kLbDcPrev };

constexpr Kernel kLstmGatesBackward = {
    "lstmGatesBackward",
    {Array("saved", kFloat), Array("c", kFloat), Array("dh", kFloat), Array("dc", kFloat), Size("batch"),
     Size("hidden"), Array("dgates", kFloat), Nullable("dcPrev", kFloat)},
    {SameType(kLbSaved, {kLbC, kLbDh, kLbDc, kLbDgates, kLbDcPrev}),
     AtLeast(kLbSaved, Rows<kLbBatch, kLbHidden, 5>, "batch*5*hidden"), AtLeast(kLbC, {kLbBatch, kLbHidden}),
     AtLeast(kLbDh, {kLbBatch, kLbHidden}), AtLeast(kLbDc, {kLbBatch, kLbHidden}),
     AtLeast(kLbDgates, Rows<kLbBatch, kLbHidden, 4>, "batch*4*hidden"), AtLeast(kLbDcPrev, {kLbBatch, kLbHidden}),
     NoOverlap(kLbDgates, {kLbSaved, kLbC, kLbDh, kLbDc}),
     NoOverlap(kLbDcPrev, {kLbSaved, kLbC, kLbDh, kLbDc, kLbDgates})},
    [](const Call& c) {
      return ForType<kFloat>(c, kLbSaved, [&](auto zero) {
        using T = decltype(zero);
        kernels::lstmGatesBackward<T>(c.pool(), c.ptr<T>(kLbSaved), c.ptr<T>(kLbC), c.ptr<T>(kLbDh), c.ptr<T>(kLbDc),
                                      c.size(kLbBatch), c.size(kLbHidden), c.ptr<T>(kLbDgates), c.ptr<T>(kLbDcPrev));
      });
    }};

// gruGates(gi, gh, h, batch, hidden, hOut, saved)
enum { kGGi, kGGh, kGH, kGBatch, kGHidden, kGHOut, kGSaved };

constexpr Kernel kGruGates = {
    "gruGates",
    {Array("gi", kFloat), Array("gh", kFloat), Array("h", kFloat), Size("batch"), Size("hidden"),
     Array("hOut", kFloat), Array("saved", kFloat)},
    {SameType(kGGi, {kGGh, kGH, kGHOut, kGSaved}), AtLeast(kGGi, Rows<kGBatch, kGHidden, 3>, "batch*3*hidden"),
     AtLeast(kGGh, Rows<kGBatch, kGHidden, 3>, "batch*3*hidden"), AtLeast(kGH, {kGBatch, kGHidden}),
     AtLeast(kGHOut, {kGBatch, kGHidden}), AtLeast(kGSaved, Rows<kGBatch, kGHidden, 4>, "batch*4*hidden"),
     NoOverlap(kGHOut, {kGGi, kGGh, kGH}), NoOverlap(kGSaved, {kGGi, kGGh, kGH, kGHOut})},
    [](const Call& c) {
      return ForType<kFloat>(c, kGGi, [&](auto zero) {
        using T = decltype(zero);
        kernels::gruGates<T>(c.pool(), c.ptr<T>(kGGi), c.ptr<T>(kGGh), c.ptr<T>(kGH), c.size(kGBatch),
                             c.size(kGHidden), c.ptr<T>(kGHOut), c.ptr<T>(kGSaved));
      });
    }};

// gruGatesBackward(saved, h, dh, batch, hidden, dgi, dgh, dhPrev)
enum { kGbSaved, kGbH, kGbDh, kGbBatch, kGbHidden, kGbDgi, kGbDgh, kGbDhPrev };

constexpr Kernel kGruGatesBackward = {
    "gruGatesBackward",
    {Array("saved", kFloat), Array("h", kFloat), Array("dh", kFloat), Size("batch"), Size("hidden"),
     Array("dgi", kFloat), Array("dgh", kFloat), Array("dhPrev", kFloat)},
    {SameType(kGbSaved, {kGbH, kGbDh, kGbDgi, kGbDgh, kGbDhPrev}),
     AtLeast(kGbSaved, Rows<kGbBatch, kGbHidden, 4>, "batch*4*hidden"), AtLeast(kGbH, {kGbBatch, kGbHidden}),
     AtLeast(kGbDh, {kGbBatch, kGbHidden}), AtLeast(kGbDgi, Rows<kGbBatch, kGbHidden, 3>, "batch*3*hidden"),
     AtLeast(kGbDgh, Rows<kGbBatch, kGbHidden, 3>, "batch*3*hidden"), AtLeast(kGbDhPrev, {kGbBatch, kGbHidden}),
     NoOverlap(kGbDgi, {kGbSaved, kGbH, kGbDh}), NoOverlap(kGbDgh, {kGbSaved, kGbH, kGbDh, kGbDgi}),
     NoOverlap(kGbDhPrev, {kGbSaved, kGbH, kGbDh, kGbDgi, kGbDgh})},
    [](const Call& c) {
      return ForType<kFloat>(c, kGbSaved, [&](auto zero) {
        using T = decltype(zero);
        kernels::gruGatesBackward<T>(c.pool(), c.ptr<T>(kGbSaved), c.ptr<T>(kGbH), c.ptr<T>(kGbDh), c.size(kGbBatch),
                                     c.size(kGbHidden), c.ptr<T>(kGbDgi), c.ptr<T>(kGbDgh), c.ptr<T>(kGbDhPrev));
      });
    }};

// stepGemm(a, b, bias|null, m, k, n, beta, c)
enum { kSa, kSb, kSBias, kSm, kSk, kSn, kSBeta, kSc };

constexpr Kernel kStepGemm = {
    "stepGemm",
    {Array("a", kFloat), Array("b", kFloat), Nullable("bias", kFloat), Size("m"), Size("k"), Size("n"), Number("beta"),
     Array("c", kFloat)},
    {SameType(kSa, {kSb, kSBias, kSc}), AtLeast(kSa, {kSm, kSk}), AtLeast(kSb, {kSk, kSn}), AtLeast(kSBias, {kSn}),
     AtLeast(kSc, {kSm, kSn}), NoOverlap(kSc, {kSa, kSb, kSBias})},
    [](const Call& c) {
      return ForType<kFloat>(c, kSa, [&](auto zero) {
        using T = decltype(zero);
        kernels::stepGemm<T>(c.pool(), c.ptr<T>(kSa), c.ptr<T>(kSb), c.ptr<T>(kSBias), c.size(kSm), c.size(kSk),
                             c.size(kSn), static_cast<T>(c.number(kSBeta)), c.ptr<T>(kSc));
      });
    }};

}  // namespace

void RegisterRecurrent(Napi::Env env, Napi::Object exports) {
  Register<kLstmGates, kLstmGatesBackward, kGruGates, kGruGatesBackward, kStepGemm>(env, exports);
}

}  // namespace torchlet

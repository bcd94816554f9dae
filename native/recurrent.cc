// Bindings: lstmGates, lstmGatesBackward, gruGates, gruGatesBackward, stepGemm (see recurrent.h),
// lstmSequence, gruSequence, rnnSequence and their backward (see recurrent_sequence.h).
#include "recurrent.h"

#include "recurrent_sequence.h"

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

// Width·hidden, from the size at position Hidden, in checked int64.
template <int Hidden, int Width>
int64_t Units(const Call& c) {
  return c.args().Mul(c.size(Hidden), Width);
}

// steps·batch·Width·hidden, from the sizes at positions Steps, Batch and Hidden, in checked int64.
template <int Steps, int Batch, int Hidden, int Width>
int64_t SeqRows(const Call& c) {
  return c.args().Mul(c.args().Mul(c.args().Mul(c.size(Steps), c.size(Batch)), Width), c.size(Hidden));
}

// lstmSequence(gi, h0, c0, weight, bias|null, steps, batch, hidden, reverse, y, cells, saved)
enum { kQGi, kQH0, kQC0, kQWeight, kQBias, kQSteps, kQBatch, kQHidden, kQReverse, kQY, kQCells, kQSaved };

constexpr Kernel kLstmSequence = {
    "lstmSequence",
    {Array("gi", kFloat), Array("h0", kFloat), Array("c0", kFloat), Array("weight", kFloat), Nullable("bias", kFloat),
     Size("steps"), Size("batch"), Size("hidden"), Boolean("reverse"), Array("y", kFloat), Array("cells", kFloat),
     Array("saved", kFloat)},
    {SameType(kQGi, {kQH0, kQC0, kQWeight, kQBias, kQY, kQCells, kQSaved}),
     AtLeast(kQGi, SeqRows<kQSteps, kQBatch, kQHidden, 4>, "steps*batch*4*hidden"), AtLeast(kQH0, {kQBatch, kQHidden}),
     AtLeast(kQC0, {kQBatch, kQHidden}), AtLeast(kQWeight, Rows<kQHidden, kQHidden, 4>, "4*hidden*hidden"),
     AtLeast(kQBias, Units<kQHidden, 4>, "4*hidden"),
     AtLeast(kQY, SeqRows<kQSteps, kQBatch, kQHidden, 1>, "steps*batch*hidden"),
     AtLeast(kQCells, SeqRows<kQSteps, kQBatch, kQHidden, 1>, "steps*batch*hidden"),
     AtLeast(kQSaved, SeqRows<kQSteps, kQBatch, kQHidden, 5>, "steps*batch*5*hidden"),
     NoOverlap(kQY, {kQGi, kQH0, kQC0, kQWeight, kQBias}), NoOverlap(kQCells, {kQGi, kQH0, kQC0, kQWeight, kQBias, kQY}),
     NoOverlap(kQSaved, {kQGi, kQH0, kQC0, kQWeight, kQBias, kQY, kQCells})},
    [](const Call& c) {
      return ForType<kFloat>(c, kQGi, [&](auto zero) {
        using T = decltype(zero);
        kernels::lstmSequence<T>(c.pool(), c.ptr<T>(kQGi), c.ptr<T>(kQH0), c.ptr<T>(kQC0), c.ptr<T>(kQWeight),
                                 c.ptr<T>(kQBias), c.size(kQSteps), c.size(kQBatch), c.size(kQHidden), c.flag(kQReverse),
                                 c.ptr<T>(kQY), c.ptr<T>(kQCells), c.ptr<T>(kQSaved));
      });
    }};

// lstmSequenceBackward(saved, cells, c0, weight, dy, dcN, steps, batch, hidden, reverse, dgates, dh0, dc0)
enum { kRSaved, kRCells, kRC0, kRWeight, kRDy, kRDcN, kRSteps, kRBatch, kRHidden, kRReverse, kRDgates, kRDh0, kRDc0 };

constexpr Kernel kLstmSequenceBackward = {
    "lstmSequenceBackward",
    {Array("saved", kFloat), Array("cells", kFloat), Array("c0", kFloat), Array("weight", kFloat), Array("dy", kFloat),
     Array("dcN", kFloat), Size("steps"), Size("batch"), Size("hidden"), Boolean("reverse"), Array("dgates", kFloat),
     Array("dh0", kFloat), Array("dc0", kFloat)},
    {SameType(kRSaved, {kRCells, kRC0, kRWeight, kRDy, kRDcN, kRDgates, kRDh0}), SameType(kRSaved, {kRDc0}),
     AtLeast(kRSaved, SeqRows<kRSteps, kRBatch, kRHidden, 5>, "steps*batch*5*hidden"),
     AtLeast(kRCells, SeqRows<kRSteps, kRBatch, kRHidden, 1>, "steps*batch*hidden"), AtLeast(kRC0, {kRBatch, kRHidden}),
     AtLeast(kRWeight, Rows<kRHidden, kRHidden, 4>, "4*hidden*hidden"),
     AtLeast(kRDy, SeqRows<kRSteps, kRBatch, kRHidden, 1>, "steps*batch*hidden"), AtLeast(kRDcN, {kRBatch, kRHidden}),
     AtLeast(kRDgates, SeqRows<kRSteps, kRBatch, kRHidden, 4>, "steps*batch*4*hidden"),
     AtLeast(kRDh0, {kRBatch, kRHidden}), AtLeast(kRDc0, {kRBatch, kRHidden}),
     NoOverlap(kRDgates, {kRSaved, kRCells, kRC0, kRWeight, kRDy, kRDcN}),
     NoOverlap(kRDh0, {kRSaved, kRCells, kRC0, kRWeight, kRDy, kRDcN, kRDgates}),
     NoOverlap(kRDc0, {kRSaved, kRCells, kRC0, kRWeight, kRDy, kRDcN}), NoOverlap(kRDc0, {kRDgates, kRDh0})},
    [](const Call& c) {
      return ForType<kFloat>(c, kRSaved, [&](auto zero) {
        using T = decltype(zero);
        kernels::lstmSequenceBackward<T>(c.pool(), c.ptr<T>(kRSaved), c.ptr<T>(kRCells), c.ptr<T>(kRC0),
                                         c.ptr<T>(kRWeight), c.ptr<T>(kRDy), c.ptr<T>(kRDcN), c.size(kRSteps),
                                         c.size(kRBatch), c.size(kRHidden), c.flag(kRReverse), c.ptr<T>(kRDgates),
                                         c.ptr<T>(kRDh0), c.ptr<T>(kRDc0));
      });
    }};

// gruSequence(gi, h0, weight, bias|null, steps, batch, hidden, reverse, y, saved)
enum { kUGi, kUH0, kUWeight, kUBias, kUSteps, kUBatch, kUHidden, kUReverse, kUY, kUSaved };

constexpr Kernel kGruSequence = {
    "gruSequence",
    {Array("gi", kFloat), Array("h0", kFloat), Array("weight", kFloat), Nullable("bias", kFloat), Size("steps"),
     Size("batch"), Size("hidden"), Boolean("reverse"), Array("y", kFloat), Array("saved", kFloat)},
    {SameType(kUGi, {kUH0, kUWeight, kUBias, kUY, kUSaved}),
     AtLeast(kUGi, SeqRows<kUSteps, kUBatch, kUHidden, 3>, "steps*batch*3*hidden"), AtLeast(kUH0, {kUBatch, kUHidden}),
     AtLeast(kUWeight, Rows<kUHidden, kUHidden, 3>, "3*hidden*hidden"), AtLeast(kUBias, Units<kUHidden, 3>, "3*hidden"),
     AtLeast(kUY, SeqRows<kUSteps, kUBatch, kUHidden, 1>, "steps*batch*hidden"),
     AtLeast(kUSaved, SeqRows<kUSteps, kUBatch, kUHidden, 4>, "steps*batch*4*hidden"),
     NoOverlap(kUY, {kUGi, kUH0, kUWeight, kUBias}), NoOverlap(kUSaved, {kUGi, kUH0, kUWeight, kUBias, kUY})},
    [](const Call& c) {
      return ForType<kFloat>(c, kUGi, [&](auto zero) {
        using T = decltype(zero);
        kernels::gruSequence<T>(c.pool(), c.ptr<T>(kUGi), c.ptr<T>(kUH0), c.ptr<T>(kUWeight), c.ptr<T>(kUBias),
                                c.size(kUSteps), c.size(kUBatch), c.size(kUHidden), c.flag(kUReverse), c.ptr<T>(kUY),
                                c.ptr<T>(kUSaved));
      });
    }};

// gruSequenceBackward(saved, y, h0, weight, dy, steps, batch, hidden, reverse, dgi, dgh, dh0)
enum { kVSaved, kVY, kVH0, kVWeight, kVDy, kVSteps, kVBatch, kVHidden, kVReverse, kVDgi, kVDgh, kVDh0 };

constexpr Kernel kGruSequenceBackward = {
    "gruSequenceBackward",
    {Array("saved", kFloat), Array("y", kFloat), Array("h0", kFloat), Array("weight", kFloat), Array("dy", kFloat),
     Size("steps"), Size("batch"), Size("hidden"), Boolean("reverse"), Array("dgi", kFloat), Array("dgh", kFloat),
     Array("dh0", kFloat)},
    {SameType(kVSaved, {kVY, kVH0, kVWeight, kVDy, kVDgi, kVDgh}), SameType(kVSaved, {kVDh0}),
     AtLeast(kVSaved, SeqRows<kVSteps, kVBatch, kVHidden, 4>, "steps*batch*4*hidden"),
     AtLeast(kVY, SeqRows<kVSteps, kVBatch, kVHidden, 1>, "steps*batch*hidden"), AtLeast(kVH0, {kVBatch, kVHidden}),
     AtLeast(kVWeight, Rows<kVHidden, kVHidden, 3>, "3*hidden*hidden"),
     AtLeast(kVDy, SeqRows<kVSteps, kVBatch, kVHidden, 1>, "steps*batch*hidden"),
     AtLeast(kVDgi, SeqRows<kVSteps, kVBatch, kVHidden, 3>, "steps*batch*3*hidden"),
     AtLeast(kVDgh, SeqRows<kVSteps, kVBatch, kVHidden, 3>, "steps*batch*3*hidden"), AtLeast(kVDh0, {kVBatch, kVHidden}),
     NoOverlap(kVDgi, {kVSaved, kVY, kVH0, kVWeight, kVDy}), NoOverlap(kVDgh, {kVSaved, kVY, kVH0, kVWeight, kVDy, kVDgi}),
     NoOverlap(kVDh0, {kVSaved, kVY, kVH0, kVWeight, kVDy, kVDgi, kVDgh})},
    [](const Call& c) {
      return ForType<kFloat>(c, kVSaved, [&](auto zero) {
        using T = decltype(zero);
        kernels::gruSequenceBackward<T>(c.pool(), c.ptr<T>(kVSaved), c.ptr<T>(kVY), c.ptr<T>(kVH0), c.ptr<T>(kVWeight),
                                        c.ptr<T>(kVDy), c.size(kVSteps), c.size(kVBatch), c.size(kVHidden),
                                        c.flag(kVReverse), c.ptr<T>(kVDgi), c.ptr<T>(kVDgh), c.ptr<T>(kVDh0));
      });
    }};

// rnnSequence(gi, h0, weight, bias|null, steps, batch, hidden, reverse, relu, y)
enum { kNGi, kNH0, kNWeight, kNBias, kNSteps, kNBatch, kNHidden, kNReverse, kNRelu, kNY };

constexpr Kernel kRnnSequence = {
    "rnnSequence",
    {Array("gi", kFloat), Array("h0", kFloat), Array("weight", kFloat), Nullable("bias", kFloat), Size("steps"),
     Size("batch"), Size("hidden"), Boolean("reverse"), Boolean("relu"), Array("y", kFloat)},
    {SameType(kNGi, {kNH0, kNWeight, kNBias, kNY}),
     AtLeast(kNGi, SeqRows<kNSteps, kNBatch, kNHidden, 1>, "steps*batch*hidden"), AtLeast(kNH0, {kNBatch, kNHidden}),
     AtLeast(kNWeight, {kNHidden, kNHidden}), AtLeast(kNBias, {kNHidden}),
     AtLeast(kNY, SeqRows<kNSteps, kNBatch, kNHidden, 1>, "steps*batch*hidden"),
     NoOverlap(kNY, {kNGi, kNH0, kNWeight, kNBias})},
    [](const Call& c) {
      return ForType<kFloat>(c, kNGi, [&](auto zero) {
        using T = decltype(zero);
        kernels::rnnSequence<T>(c.pool(), c.ptr<T>(kNGi), c.ptr<T>(kNH0), c.ptr<T>(kNWeight), c.ptr<T>(kNBias),
                                c.size(kNSteps), c.size(kNBatch), c.size(kNHidden), c.flag(kNReverse), c.flag(kNRelu),
                                c.ptr<T>(kNY));
      });
    }};

// rnnSequenceBackward(y, weight, dy, steps, batch, hidden, reverse, relu, dgates, dh0)
enum { kMY, kMWeight, kMDy, kMSteps, kMBatch, kMHidden, kMReverse, kMRelu, kMDgates, kMDh0 };

constexpr Kernel kRnnSequenceBackward = {
    "rnnSequenceBackward",
    {Array("y", kFloat), Array("weight", kFloat), Array("dy", kFloat), Size("steps"), Size("batch"), Size("hidden"),
     Boolean("reverse"), Boolean("relu"), Array("dgates", kFloat), Array("dh0", kFloat)},
    {SameType(kMY, {kMWeight, kMDy, kMDgates, kMDh0}),
     AtLeast(kMY, SeqRows<kMSteps, kMBatch, kMHidden, 1>, "steps*batch*hidden"), AtLeast(kMWeight, {kMHidden, kMHidden}),
     AtLeast(kMDy, SeqRows<kMSteps, kMBatch, kMHidden, 1>, "steps*batch*hidden"),
     AtLeast(kMDgates, SeqRows<kMSteps, kMBatch, kMHidden, 1>, "steps*batch*hidden"), AtLeast(kMDh0, {kMBatch, kMHidden}),
     NoOverlap(kMDgates, {kMY, kMWeight, kMDy}), NoOverlap(kMDh0, {kMY, kMWeight, kMDy, kMDgates})},
    [](const Call& c) {
      return ForType<kFloat>(c, kMY, [&](auto zero) {
        using T = decltype(zero);
        kernels::rnnSequenceBackward<T>(c.pool(), c.ptr<T>(kMY), c.ptr<T>(kMWeight), c.ptr<T>(kMDy), c.size(kMSteps),
                                        c.size(kMBatch), c.size(kMHidden), c.flag(kMReverse), c.flag(kMRelu),
                                        c.ptr<T>(kMDgates), c.ptr<T>(kMDh0));
      });
    }};

}  // namespace

void RegisterRecurrent(Napi::Env env, Napi::Object exports) {
  Register<kLstmGates, kLstmGatesBackward, kGruGates, kGruGatesBackward, kStepGemm, kLstmSequence,
           kLstmSequenceBackward, kGruSequence, kGruSequenceBackward, kRnnSequence, kRnnSequenceBackward>(
      env, exports);
}

}  // namespace torchlet

// The integer codes the fused kernels take, the same numbers as the ACT_* and
// REDUCTION_* constants of lib/backend/kernels.ts (test/native/codes.test.ts
// compares them). No Node-API here: every kernel and both SIMD builds include it.
#pragma once

namespace torchlet {

// Activation applied by linearForward / linearBackward (and simd biasAct).
enum Act : int { kActNone = 0, kActRelu = 1, kActLeakyRelu = 2, kActSigmoid = 3, kActTanh = 4 };
constexpr int kActMax = kActTanh;

// How a fused loss reduces its per-sample values.
enum Reduction : int { kReductionNone = 0, kReductionMean = 1, kReductionSum = 2 };
constexpr int kReductionMax = kReductionSum;

}  // namespace torchlet

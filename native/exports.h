// Each concern's binding file registers its entry points on the addon's exports.
#pragma once

#include <napi.h>

namespace torchlet {

void RegisterGemm(Napi::Env env, Napi::Object exports);
void RegisterBinary(Napi::Env env, Napi::Object exports);
void RegisterUnary(Napi::Env env, Napi::Object exports);
void RegisterReduce(Napi::Env env, Napi::Object exports);
void RegisterSoftmax(Napi::Env env, Napi::Object exports);
void RegisterIndexing(Napi::Env env, Napi::Object exports);
void RegisterMemory(Napi::Env env, Napi::Object exports);
void RegisterRuntime(Napi::Env env, Napi::Object exports);
void RegisterFusedLinear(Napi::Env env, Napi::Object exports);
void RegisterFusedLoss(Napi::Env env, Napi::Object exports);
void RegisterOptimStep(Napi::Env env, Napi::Object exports);
void RegisterSeqops(Napi::Env env, Napi::Object exports);
void RegisterNorm(Napi::Env env, Napi::Object exports);
void RegisterConv(Napi::Env env, Napi::Object exports);
void RegisterPool(Napi::Env env, Napi::Object exports);
void RegisterRmspropAdagrad(Napi::Env env, Napi::Object exports);
void RegisterClipGrad(Napi::Env env, Napi::Object exports);
void RegisterRecurrent(Napi::Env env, Napi::Object exports);

}  // namespace torchlet

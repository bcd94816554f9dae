/**
 * torchlet: PyTorch's training loop for Node.js.
 *
 *   import * as torch from 'torchlet';
 *   const x = torch.randn(4, 3, { requiresGrad: true });
 *   x.matmul(x.t()).sum().backward();
 */
import './tensor-methods';
export { Tensor, type Operand, type NestedArray, type DeepArray } from './tensor';
export type { DType } from './dtype';
export type { Num as TensorData } from './backend/kernels';
export type { ShapeArg } from './shape';
export {
  tensor, zeros, ones, full, zerosLike, onesLike, fullLike, arange, linspace, eye,
  rand, randn, randint, randperm, type TensorOptions, type RandomOptions, type NestedNumbers,
} from './ops/creation';
// Every export of the elementwise op files is an op: a new one is public without an edit here.
export * from './ops/arith';
export * from './ops/unary';
export * from './ops/activation';
export * from './ops/compare';
export { sum, mean, max, min, argmax, argmin } from './ops/reduce';
export { matmul } from './ops/matmul';
export { reshape, flatten, squeeze, unsqueeze, transpose, t, permute, narrow } from './ops/shape';
export { to, detach, clone } from './ops/convert';
export { indexSelect, gather } from './ops/indexing';
export { cat, stack } from './ops/join';
export { where, maskedFill } from './ops/where';
export { sort, argsort, topk } from './ops/sort';
export { cumsum } from './ops/cumsum';
export { variance as var, std, logsumexp, type VarOptions, type VarDim } from './ops/statistics';
export { slice, select, type SliceIndex, type SliceRange, type SliceBound } from './ops/slice';
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from './autograd/grad-mode';
export * as autograd from './autograd';
export { Generator, manualSeed, defaultGenerator } from './random';
export { getBackend, setBackend, getNumThreads, setNumThreads, type BackendName } from './backend';
export * as nn from './nn';
export * as optim from './optim';
export * as data from './data';
export * as distributed from './distributed';
export { save, load, loadWithMetadata, serialize, deserialize, SafetensorsError, saveCheckpoint, loadCheckpoint } from './io';
export * as io from './io';
export { info, type RuntimeInfo, type AddonInfo, type AddonSource, type BlasRuntimeInfo, type SimdInfo } from './runtime/info';
export * as worker from './worker';
export * as utils from './utils';
export * as onnx from './onnx';
export { setMaxElements, getMaxElements } from './storage/limits';
export { emptyCache } from './runtime/memory';
export { setFusion, fusionEnabled } from './ops/fused-switch';
export { device, cuda, Device, type DeviceLike } from './device';
export { detectAnomaly, setDetectAnomaly, isAnomalyEnabled, AnomalyError } from './autograd/anomaly';

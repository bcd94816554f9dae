/**
 * torch.nn.functional: activations, dropout and losses as functions
 * (`const F = nn.functional; F.crossEntropy(logits, labels)`).
 */
export { linear } from '../../ops/matmul';
export { relu, leakyRelu, sigmoid, tanh, softmax, logSoftmax } from '../../ops/activation';
export { dropout, type DropoutFnOptions } from './dropout';
export { mseLoss, l1Loss } from './regression';
export { binaryCrossEntropy, binaryCrossEntropyWithLogits, type BCEOptions, type BCEWithLogitsOptions } from './bce';
export { nllLoss, type NLLOptions } from './nll';
export { crossEntropy, type CrossEntropyOptions } from './cross-entropy';
export type { Reduction, ReductionOptions } from './checks';
export {
  maxPool1d, maxPool2d, avgPool1d, avgPool2d, adaptiveAvgPool2d,
  type AdaptiveSize, type AvgPoolOptions, type AvgPool1dOptions, type MaxPoolOptions, type PoolSize,
} from './pooling';
export { batchNorm, type BatchNormOptions } from './batch-norm';

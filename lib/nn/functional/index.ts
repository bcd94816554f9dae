/**
 * torch.nn.functional: activations, dropout, embedding, layer norm and losses as functions
 * (`const F = nn.functional; F.crossEntropy(logits, labels)`).
 */
export { linear } from '../../ops/matmul';
export { relu, leakyRelu, sigmoid, tanh, silu, softmax, logSoftmax, type GeluApproximate } from '../../ops/activation';
export { gelu, elu, softplus, type GeluOptions, type EluOptions, type SoftplusOptions } from './activation';
export {
  conv1d, conv2d, convTranspose2d, type ConvOptions, type ConvTransposeOptions, type PaddingArg, type SpatialArg,
} from '../../ops/conv';
export { dropout, type DropoutFnOptions } from './dropout';
export { embedding, type EmbeddingFnOptions } from './embedding';
export { layerNorm, type LayerNormFnOptions } from './layer-norm';
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

/**
 * torch.nn: modules, layers, losses, `functional` and `init`.
 *
 *   const model = new nn.Sequential(new nn.Linear(2, 8), new nn.Sigmoid(), new nn.Linear(8, 1));
 *   const loss = new nn.MSELoss().forward(model.forward(x), y);
 */
import '../tensor-methods';
export { Module, type AnyModule, type MemberOptions, type BufferOptions } from './module';
export { Parameter, isParameter } from './parameter';
export type { StateDict, LoadStateDictOptions, LoadStateDictResult } from './state-dict';
export { Linear, type LinearOptions } from './linear';
export { Conv1d, Conv2d, ConvTranspose2d, type ConvModuleOptions, type ConvTransposeModuleOptions } from './conv';
export { Sequential, type Layer } from './sequential';
export { ModuleList } from './module-list';
export { ModuleDict, type ModuleDictInput } from './module-dict';
export { ReLU, LeakyReLU, Sigmoid, Tanh, GELU, SiLU, ELU, Softplus, Softmax, LogSoftmax } from './activation';
export { Dropout, type DropoutOptions } from './dropout';
export { Embedding, type EmbeddingOptions, type FromPretrainedOptions } from './embedding';
export { LayerNorm, type LayerNormOptions } from './layer-norm';
export { RNNCell, LSTMCell, GRUCell, type RNNCellOptions, type RNNCellBaseOptions } from './rnn-cell';
export { RNN, LSTM, GRU, type RNNOptions, type RNNBaseOptions } from './rnn';
export { Flatten, Identity } from './flatten';
export { MaxPool1d, MaxPool2d, AvgPool1d, AvgPool2d, AdaptiveAvgPool2d } from './pooling';
export { BatchNorm1d, BatchNorm2d, type BatchNormModuleOptions } from './batchnorm';
export { MSELoss, L1Loss, BCELoss, BCEWithLogitsLoss, NLLLoss, CrossEntropyLoss } from './loss';
export type { Reduction, ReductionOptions } from './functional/checks';
export * as functional from './functional';
export * as init from './init';
export * as parallel from './parallel';
export * as utils from './utils';

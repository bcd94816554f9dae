/** lr schedulers: `optim.lrScheduler.StepLR`, `ExponentialLR`, `CosineAnnealingLR`, `LambdaLR`, `OneCycleLR`, `ReduceLROnPlateau`. */
export {
  LRScheduler, type AnyOptimizer, type LRSchedulerOptions, type LRSchedulerStateDict, type Hyperparameter,
} from './lr-scheduler';
export { StepLR, type StepLROptions } from './step-lr';
export { ExponentialLR } from './exponential-lr';
export { CosineAnnealingLR, type CosineAnnealingLROptions } from './cosine-annealing-lr';
export { LambdaLR, type LrLambda } from './lambda-lr';
export { OneCycleLR, type OneCycleLROptions } from './one-cycle-lr';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions, type ReduceLROnPlateauStateDict } from './reduce-lr-on-plateau';

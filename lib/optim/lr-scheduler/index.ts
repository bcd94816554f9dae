/** lr schedulers: `optim.lrScheduler.StepLR`, `ExponentialLR`, `CosineAnnealingLR`. */
export { LRScheduler, type AnyOptimizer, type LRSchedulerOptions, type LRSchedulerStateDict } from './lr-scheduler';
export { StepLR, type StepLROptions } from './step-lr';
export { ExponentialLR } from './exponential-lr';
export { CosineAnnealingLR, type CosineAnnealingLROptions } from './cosine-annealing-lr';

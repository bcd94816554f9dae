/**
 * Optimizers and lr schedulers (torch.optim):
 *
 *   const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 *   const sched = new optim.lrScheduler.StepLR(opt, 30, { gamma: 0.1 });
 */
import '../tensor-methods';
export {
  Optimizer, type BaseOptions, type ParamGroup, type ParamGroupInput, type Params, type StateValue,
  type SavedParamGroup, type OptimizerStateDict, type ZeroGradOptions, type ZeroGradArg,
} from './optimizer';
export { SGD, type SGDOptions, type SGDGroupOptions, type SGDState } from './sgd';
export { Adam, type AdamOptions, type AdamGroupOptions, type AdamState } from './adam';
export { AdamW } from './adamw';
export { RMSprop, type RMSpropOptions, type RMSpropGroupOptions, type RMSpropState } from './rmsprop';
export { Adagrad, type AdagradOptions, type AdagradGroupOptions, type AdagradState } from './adagrad';
export * as lrScheduler from './lr-scheduler';

/** torch.autograd: grad mode, gradcheck and the tape node type. */
import '../tensor-methods';
export { gradcheck, type GradcheckOptions } from './gradcheck';
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from './grad-mode';
export { Node, type BackwardFn } from './node';
export type { PostAccumulateGradHook, RemovableHandle } from './hooks';
export type { BackwardOptions } from './engine';
export {
  detectAnomaly, setDetectAnomaly, isAnomalyEnabled, AnomalyError, type AnomalyPhase,
} from './anomaly';

/**
 * torchlet.worker: train in a worker_threads Worker, serve from the main
 * thread. State dicts travel as plain messages whose ArrayBuffers are
 * transferred, not copied; see message.ts for when the sender must copy.
 *
 *   // worker:      torch.worker.postStateDict(model.stateDict(), { epoch });
 *   // main thread: for await (const { stateDict } of torch.worker.trainInWorker('train.js')) model.loadStateDict(stateDict);
 */
import '../tensor-methods';
export {
  stateDictToMessage, stateDictFromMessage,
  type TensorMessage, type StateDictMessage, type ToMessageOptions, type EncodedStateDict,
} from './message';
export {
  trainInWorker, postStateDict, isStateDictEnvelope, lowerThreadPriority, TrainingWorker, STATE_DICT_MESSAGE,
  type EpochUpdate, type StateDictEnvelope, type PostTarget, type PostStateDictOptions, type TrainInWorkerOptions,
} from './train';
export { pacer, type Pacer } from './pace';

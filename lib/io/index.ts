/**
 * torchlet.io: tensors to and from safetensors files (huggingface/safetensors
 * format, readable by PyTorch's `safetensors.torch.load_file`).
 *
 *   await save(model.stateDict(), 'model.safetensors', { epoch: '3' });
 *   model.loadStateDict(await load('model.safetensors'));
 *   const { tensors, metadata } = deserialize(serialize(sd, meta));
 */
import '../tensor-methods';
export { SafetensorsError } from './errors';
export { serialize, deserialize, type Safetensors } from './codec';
export { save, load, loadWithMetadata, DEFAULT_MAX_BYTES, type LoadOptions } from './file';
export { MAX_HEADER_BYTES } from './header';
export type { TensorDict, Metadata } from './layout';
export {
  optimizerStateToSafetensors, optimizerStateFromSafetensors, OPTIMIZER_METADATA_KEY,
  type SafetensorsContent, type SavedOptimizerState, type OptimizerLike,
} from './optimizer-state';
export { saveCheckpoint, loadCheckpoint, type Checkpoint, type CheckpointInput, type CheckpointTargets, type ModuleLike } from './checkpoint';

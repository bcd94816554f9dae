/**
 * A protobufjs Root built from a JSON descriptor on first use. protobufjs and
 * the descriptor's parse cost ~30 ms, which `require('torchlet')` should not
 * pay for users who never export ONNX or write TensorBoard files.
 */
import { createRequire } from 'module';
import type { INamespace, Root } from 'protobufjs';

/** Returns a function that builds the Root from `descriptor` once, on its first call. */
export function lazyProtoRoot(descriptor: INamespace): () => Root {
  let root: Root | undefined;
  return () => {
    if (root === undefined) {
      const protobuf = createRequire(__filename)('protobufjs') as typeof import('protobufjs');
      root = protobuf.Root.fromJSON(descriptor);
    }
    return root;
  };
}

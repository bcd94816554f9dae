import type { Tensor } from '../tensor';
import { storageSerial } from '../storage/storage';
import { noGrad } from './grad-mode';
import type { Node } from './node';
import { promoteTypes } from '../dtype';
import { runBinary } from '../ops/broadcast';
import { clone, to } from '../ops/convert';
import { add_ } from '../ops/inplace';
import { ownedBy, usesOf } from './reuse';
import { release } from '../storage/allocate';
import { fmtShape, sameShape } from '../shape';
import { anomalyState, checkGradients, withoutForwardChecks } from './anomaly';
import { forEachGradEdge } from './graph-walk';
import { gradientAccumulated, hookedLeafEdges, passFinished, runPostAccumulateGradHooks } from './hooks';

/** Options of `Tensor.backward`. */
export interface BackwardOptions {
  /** Keep the graph so backward can run through it again (PyTorch's retain_graph). */
  retainGraph?: boolean;
}

/**
 * Reverse-mode pass from `root`: gradients flow to every leaf that requires
 * grad and accumulate into its `.grad`. The traversal is iterative (explicit
 * stacks), so graphs tens of thousands of ops deep do not overflow the stack.
 * With anomaly detection on (autograd.detectAnomaly), every gradient a node
 * returns is checked for NaN/±Infinity and the first bad one throws an
 * AnomalyError naming the node and where its forward op was called.
 */
export function runBackward(root: Tensor, grad: Tensor, options: BackwardOptions = {}): void {
  // In anomaly mode the ops inside backward rules are not checked one by one:
  // each node's returned gradients are (checkGradients), as in PyTorch.
  if (anomalyState.enabled) withoutForwardChecks(() => backwardPass(root, grad, options));
  else backwardPass(root, grad, options);
}

function backwardPass(root: Tensor, grad: Tensor, options: BackwardOptions): void {
  noGrad(() => {
    const rootNode = root.gradFn;
    if (rootNode === null) {
      accumulateLeaf(root, grad, false);
      runPostAccumulateGradHooks(root);
      return;
    }
    const deps = countDependencies(rootNode);
    const hooked = hookedLeafEdges(rootNode);
    const grads = new Map<Node, Tensor>([[rootNode, grad]]);
    // Pending gradients that only this pass can reach (see ownedBy): summed in
    // place, and their buffers reused once the node they flow into has run.
    const owned = new Set<Tensor>();
    const ready: Node[] = [rootNode];
    const visited: Node[] = [];
    while (ready.length > 0) {
      const node = ready.pop() as Node;
      visited.push(node);
      const g = grads.get(node) as Tensor;
      grads.delete(node);
      if (node.retained !== null) accumulateLeaf(node.retained, g, false);
      const before = storageSerial();
      const inputGrads = node.apply(g);
      if (anomalyState.enabled) checkGradients(node, inputGrads, g);
      for (let i = 0; i < node.inputs.length; i++) {
        const input = node.inputs[i];
        const gi = inputGrads[i];
        if (gi === null || gi === undefined || !input.requiresGrad) continue;
        if (!sameShape(gi.shape, input.shape)) {
          throw new Error(`${node.name}: backward returned a gradient of shape ${fmtShape(gi.shape)} for input ${i} of shape ${fmtShape(input.shape)}`);
        }
        const mine = ownedBy(gi, before, inputGrads);
        const next = input.gradFn;
        if (next === null) {
          if (!accumulateLeaf(input, gi, mine) && mine) release(gi.data);
          gradientAccumulated(hooked, input);
          continue;
        }
        const prev = grads.get(next);
        if (prev === undefined) {
          grads.set(next, gi);
          if (mine) owned.add(gi);
        } else if (owned.has(prev) && prev.dtype === gi.dtype) {
          add_(prev, gi);
          if (mine) release(gi.data);
        } else {
          const sum = sumGradients(prev, gi);
          grads.set(next, sum);
          owned.add(sum);
          if (owned.delete(prev)) release(prev.data);
          if (mine) release(gi.data);
        }
        const left = (deps.get(next) as number) - 1;
        deps.set(next, left);
        if (left === 0) ready.push(next);
      }
      // The node's gradient is dead now, unless a returned gradient shares its buffer (passed through or a view).
      if (owned.delete(g) && usesOf(g, inputGrads) === 0) release(g.data);
    }
    passFinished(hooked);
    if (!options.retainGraph) for (const node of visited) node.release();
  });
}

/** How many edges reach each node from `root` (the engine's dependency count). */
function countDependencies(root: Node): Map<Node, number> {
  const deps = new Map<Node, number>();
  forEachGradEdge(root, (input) => {
    const next = input.gradFn;
    if (next !== null) deps.set(next, (deps.get(next) ?? 0) + 1);
  });
  return deps;
}

/** prev + g in a new buffer, through the add kernel (both have the input's shape). */
function sumGradients(prev: Tensor, g: Tensor): Tensor {
  const dtype = promoteTypes(prev.dtype, g.dtype);
  return runBinary('add', 'backward', to(prev, dtype), to(g, dtype), dtype);
}

/**
 * `.grad += g` for a leaf (or a non-leaf that called retainGrad). The first
 * gradient becomes `.grad` itself when `owned` (see ownedBy), else a copy of it,
 * since backward rules may hand the same tensor to several inputs; later ones
 * add in place into that buffer. Returns true when `g` itself became `.grad`.
 * A `.grad` set here is private to the library until user code reads it
 * (Tensor._gradPrivate), so zeroGrad may reuse its buffer.
 */
function accumulateLeaf(t: Tensor, g: Tensor, owned: boolean): boolean {
  const current = t._grad;
  if (current !== null && sameShape(current.shape, t.shape)) {
    add_(current, g);
    return false;
  }
  const taken = owned && g.dtype === t.dtype;
  t._grad = taken ? g : g.dtype === t.dtype ? clone(g) : to(g, t.dtype);
  t._gradPrivate = true;
  return taken;
}

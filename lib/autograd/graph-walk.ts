/** A walk over the recorded graph, shared by the engine's passes that count edges before backward runs. */
import type { Tensor } from '../tensor';
import type { Node } from './node';

/**
 * Calls `visit` on every input edge that carries a gradient (its tensor
 * requires grad) of every node reachable from `root`, each node once; the
 * walk goes on into the node that produced each such input.
 */
export function forEachGradEdge(root: Node, visit: (input: Tensor) => void): void {
  const stack: Node[] = [root];
  const seen = new Set<Node>([root]);
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    for (const input of node.inputs) {
      if (!input.requiresGrad) continue;
      visit(input);
      const next = input.gradFn;
      if (next !== null && !seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
}

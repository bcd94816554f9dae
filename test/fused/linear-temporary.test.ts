// The fused linear backward's temporary dz: handed back to the buffer pool
// (lib/storage/pool.ts) right after the kernel call.
import { expect, it } from 'vitest';
import * as torch from '../../lib';
import { clearPool, pooledByteCount } from '../../lib/storage/pool';
import { linearAct } from '../../lib/ops/fused-linear';

it('hands its activation-gradient temporary back to the pool, per dtype', () => {
  for (const [dtype, width] of [['float32', 4], ['float64', 8]] as const) {
    const x = torch.randn([64, 7], { dtype });
    const w = torch.randn([32, 7], { dtype }).requiresGrad_();
    const y = linearAct(x, w, null, 'tanh');
    clearPool();
    // A gradient the caller holds is not the engine's to reuse: only dz (64 × 32) comes back.
    y.backward(torch.onesLike(y));
    expect(pooledByteCount()).toBe(64 * 32 * width);
  }
});

it('two fused layers in one graph, backward twice (retainGraph): the shared temporary does not leak between them', () => {
  torch.manualSeed(3);
  const x = torch.randn([5, 4]);
  const w1 = torch.randn([6, 4]).requiresGrad_();
  const w2 = torch.randn([3, 6]).requiresGrad_();
  const loss = () => linearAct(linearAct(x, w1, null, 'tanh'), w2, null, 'sigmoid').sum();
  const l = loss();
  l.backward(undefined, { retainGraph: true });
  const g1 = w1.grad!.toArray();
  const g2 = w2.grad!.toArray();
  w1.grad = null;
  w2.grad = null;
  l.backward();
  expect(w1.grad!.toArray()).toEqual(g1);
  expect(w2.grad!.toArray()).toEqual(g2);
  // and equal to the composite path
  w1.grad = null;
  w2.grad = null;
  torch.sigmoid(torch.tanh(x.matmul(w1.t())).matmul(w2.t())).sum().backward();
  const close = (a: unknown, b: unknown) => (a as number[][]).flat().forEach((v, i) => expect(v).toBeCloseTo((b as number[][]).flat()[i]!, 5));
  close(w1.grad!.toArray(), g1);
  close(w2.grad!.toArray(), g2);
});

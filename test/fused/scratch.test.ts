// lib/ops/scratch.ts: the reused temporary of the fused linear backward.
import { expect, it } from 'vitest';
import * as torch from '../../lib';
import { scratch } from '../../lib/ops/scratch';
import { linearAct } from '../../lib/ops/fused-linear';

it('hands out views of one kept buffer per dtype, a fresh one above the cap', () => {
  const a = scratch('float32', 100, 'test');
  const b = scratch('float32', 300, 'test');
  expect(a.length).toBe(100);
  expect(b.length).toBe(300);
  expect(b.buffer).toBe(a.buffer);
  expect(scratch('float64', 10, 'test')).toBeInstanceOf(Float64Array);
  const big = scratch('float32', (1 << 20) + 1, 'test');
  expect(big.buffer).not.toBe(a.buffer);
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

/**
 * Tensor's op methods are installed by the op files (defineMethods): every
 * one is there from the package entry, non-enumerable like a class method.
 */
import { describe, expect, it } from 'vitest';
import * as torch from '../../lib';

const METHODS = [
  'add', 'sub', 'mul', 'div', 'pow', 'neg', 'maximum', 'minimum',
  'exp', 'log', 'sqrt', 'abs', 'sign', 'sin', 'cos', 'clamp',
  'relu', 'leakyRelu', 'sigmoid', 'tanh', 'softmax', 'logSoftmax',
  'eq', 'gt', 'lt', 'ge', 'le',
  'sum', 'mean', 'max', 'min', 'argmax', 'argmin',
  'matmul', 't', 'reshape', 'view', 'flatten', 'squeeze', 'unsqueeze', 'transpose', 'permute', 'expand', 'narrow',
  'index', 'indexSelect', 'gather',
  'to', 'float', 'double', 'int', 'detach', 'clone', 'contiguous',
  'add_', 'sub_', 'mul_', 'div_', 'clamp_', 'zero_', 'fill_', 'copy_',
  'backward',
] as const;

describe('Tensor methods', () => {
  it('are all installed, as non-enumerable functions on the prototype', () => {
    for (const name of METHODS) {
      const d = Object.getOwnPropertyDescriptor(torch.Tensor.prototype, name);
      expect(typeof d?.value, name).toBe('function');
      expect(d?.enumerable, name).toBe(false);
    }
    const t = torch.ones([2]);
    const keys: string[] = [];
    for (const k in t) keys.push(k);
    expect(keys.filter((k) => (METHODS as readonly string[]).includes(k))).toEqual([]);
  });

  it('call the op with the tensor as first argument', () => {
    const x = torch.tensor([[1, -2], [3, 4]], { requiresGrad: true });
    expect(x.add(1, 2).toArray()).toEqual([[3, 0], [5, 6]]);
    expect(x.max(1)[1].toArray()).toEqual([0, 1]);
    expect(x.max().item()).toBe(4);
    expect(x.reshape(4).shape).toEqual([4]);
    expect(x.view([-1, 1]).shape).toEqual([4, 1]);
    x.relu().sum().backward();
    expect(x.grad?.toArray()).toEqual([[1, 0], [1, 1]]);
  });
});

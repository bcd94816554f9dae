/**
 * LayerTraits: a layer class declares what nn.Sequential may assume about it
 * (`static readonly traits`); Sequential knows no layer class by name.
 */
import { describe, expect, it } from 'vitest';
import * as torch from '../../lib';
import { nn } from '../../lib';
import { traitsOf, type LayerTraits } from '../../lib/nn/layer-traits';
import { setFusion } from '../../lib/ops/fused-switch';
import { clearPool, pooledByteCount } from '../../lib/storage/pool';

/** A user activation that declares the fusion trait: x ↦ tanh(x). */
class MyTanh extends nn.Module<[torch.Tensor], torch.Tensor> {
  static readonly traits: LayerTraits<MyTanh> = { keepsNoTensors: true, activation: () => ['tanh', 0] };
  forward(x: torch.Tensor): torch.Tensor {
    return x.tanh();
  }
}

/** A subclass may override forward, so it inherits no traits. */
class DoubledReLU extends nn.ReLU {
  override forward(x: torch.Tensor): torch.Tensor {
    return super.forward(x).mul(2);
  }
}

describe('LayerTraits', () => {
  it('the library layers declare theirs; a subclass gets none', () => {
    expect(traitsOf(new nn.Linear(2, 3))?.linear).toBeTypeOf('function');
    expect(traitsOf(new nn.LeakyReLU(0.2))?.activation?.(new nn.LeakyReLU(0.2))).toEqual(['leakyRelu', 0.2]);
    for (const m of [new nn.Softmax(1), new nn.LogSoftmax(1), new nn.Dropout(), new nn.Flatten(), new nn.Identity()]) {
      expect(traitsOf(m)).toEqual({ keepsNoTensors: true });
    }
    expect(traitsOf(new DoubledReLU())).toBeNull();
  });

  it('Sequential fuses a Linear with any layer declaring an activation, and with no subclass of one', () => {
    const previous = setFusion(true);
    try {
      torch.manualSeed(0);
      const x = torch.randn([4, 3]);
      const mine = new nn.Sequential(new nn.Linear(3, 2), new MyTanh());
      const y = mine.forward(x);
      expect(y.gradFn?.name).toBe('LinearActBackward');
      const lin = mine.get(0) as nn.Linear;
      expect(Array.from(y.data)).toEqual(Array.from(lin.forward(x).tanh().data));
      const sub = new nn.Sequential(new nn.Linear(3, 2), new DoubledReLU());
      expect(sub.forward(x).gradFn?.name).not.toBe('LinearActBackward');
    } finally {
      setFusion(previous);
    }
  });

  it('Sequential reuses intermediate buffers only when every layer keeps no tensors', () => {
    torch.manualSeed(0);
    const x = torch.randn([64, 40]);
    const pooledAfterBackward = (model: nn.Sequential): number => {
      clearPool();
      model.forward(x).sum().backward();
      return pooledByteCount();
    };
    const wide = () => [new nn.Linear(40, 64), new nn.Identity(), new nn.Linear(64, 64), new nn.Identity(), new nn.Linear(64, 3)];
    expect(pooledAfterBackward(new nn.Sequential(...wide()))).toBeGreaterThan(0);
    expect(pooledAfterBackward(new nn.Sequential(...wide(), new DoubledReLU()))).toBe(0);
  });
});

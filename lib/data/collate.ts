/** Default collation: turn a list of samples into one batch. */
import { Tensor } from '../tensor';
import { stack } from '../ops/join';
import { tensor } from '../ops/creation';
import { fmtShape } from '../shape';
import type { Batch } from './dataset';

/**
 * Stacks samples into a batch (PyTorch's default_collate, for the sample types
 * torchlet has): tensors are stacked along a new first dim; numbers become a
 * float32 tensor (torchlet's default dtype — JS cannot tell 1 from 1.0, so a
 * dataset that wants int32 labels returns int32 tensors); arrays are collated
 * field by field.
 *
 * @param samples samples of one structure (tensors, numbers, or arrays of them)
 * @returns one batch: tensors stacked along a new first dim
 */
export function defaultCollate<T>(samples: readonly T[]): Batch<T> {
  if (!Array.isArray(samples) || samples.length === 0) throw new TypeError('defaultCollate: expected a non-empty array of samples');
  return collateField(samples as readonly unknown[], 'sample') as Batch<T>;
}

function collateField(values: readonly unknown[], where: string): Tensor | Tensor[] {
  const first = values[0];
  if (first instanceof Tensor) {
    values.forEach((v, i) => {
      if (!(v instanceof Tensor)) throw new TypeError(`defaultCollate: ${where} ${i} is not a Tensor while the first one is`);
      if (v.dtype !== first.dtype) throw new TypeError(`defaultCollate: ${where} ${i} has dtype ${v.dtype}, the first one ${first.dtype}`);
      if (v.ndim !== first.ndim || v.shape.some((d, j) => d !== first.shape[j])) {
        throw new RangeError(`defaultCollate: ${where} ${i} has shape ${fmtShape(v.shape)}, the first one ${fmtShape(first.shape)}; samples must have equal shapes to be stacked`);
      }
    });
    return stack(values as Tensor[]);
  }
  if (typeof first === 'number') {
    values.forEach((v, i) => {
      if (typeof v !== 'number') throw new TypeError(`defaultCollate: ${where} ${i} is not a number while the first one is`);
    });
    return tensor(values as number[]);
  }
  if (Array.isArray(first)) {
    const width = first.length;
    values.forEach((v, i) => {
      if (!Array.isArray(v) || v.length !== width) throw new RangeError(`defaultCollate: ${where} ${i} is not an array of ${width} fields like the first one`);
    });
    const out: Tensor[] = [];
    for (let f = 0; f < width; f++) out.push(collateField(values.map((v) => (v as unknown[])[f]), `field ${f} of sample`) as Tensor);
    return out;
  }
  throw new TypeError(`defaultCollate: samples must be Tensors, numbers or arrays of them; got ${first === null ? 'null' : typeof first}. Pass a collateFn for other sample types`);
}

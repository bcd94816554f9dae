/** Comparisons: 1 where true, 0 where false, in the promoted dtype (torchlet has no bool dtype). */
import { defineMethods, type Tensor, type Operand } from '../tensor';
import { runBinary, type BinaryName } from './broadcast';
import { checkOperand, checkTensor, operand, resultType } from './util';

function compare(name: BinaryName, input: Operand, other: Operand): Tensor {
  if (typeof input !== 'number') checkTensor(input, name, 'input');
  checkOperand(other, name, 'other');
  if (typeof input === 'number' && typeof other === 'number') throw new TypeError(`${name}: at least one argument must be a Tensor`);
  const dtype = resultType(input, other);
  return runBinary(name, name, operand(input, dtype, name, 'input'), operand(other, dtype, name, 'other'));
}

/**
 * input == other.
 *
 * @param input a tensor or a number
 * @param other a tensor (broadcast against `input`) or a number
 * @returns 1 where the comparison holds, else 0, in the promoted dtype
 */
export function eq(input: Operand, other: Operand): Tensor { return compare('eq', input, other); }
/**
 * input > other.
 *
 * @param input a tensor or a number
 * @param other a tensor (broadcast against `input`) or a number
 * @returns 1 where the comparison holds, else 0, in the promoted dtype
 */
export function gt(input: Operand, other: Operand): Tensor { return compare('gt', input, other); }
/**
 * input < other.
 *
 * @param input a tensor or a number
 * @param other a tensor (broadcast against `input`) or a number
 * @returns 1 where the comparison holds, else 0, in the promoted dtype
 */
export function lt(input: Operand, other: Operand): Tensor { return compare('lt', input, other); }
/**
 * input >= other.
 *
 * @param input a tensor or a number
 * @param other a tensor (broadcast against `input`) or a number
 * @returns 1 where the comparison holds, else 0, in the promoted dtype
 */
export function ge(input: Operand, other: Operand): Tensor { return compare('ge', input, other); }
/**
 * input <= other.
 *
 * @param input a tensor or a number
 * @param other a tensor (broadcast against `input`) or a number
 * @returns 1 where the comparison holds, else 0, in the promoted dtype
 */
export function le(input: Operand, other: Operand): Tensor { return compare('le', input, other); }

declare module '../tensor' {
  interface Tensor {
    /**
     * this == other as 1/0 in the promoted dtype (torchlet has no bool dtype).
     *
     * @param other a tensor (broadcast against this one) or a number
     * @returns 1 where the comparison holds, else 0, in the promoted dtype
     */
    eq(other: Operand): Tensor;
    /**
     * this > other as 1/0 in the promoted dtype.
     *
     * @param other a tensor (broadcast against this one) or a number
     * @returns 1 where the comparison holds, else 0, in the promoted dtype
     */
    gt(other: Operand): Tensor;
    /**
     * this < other as 1/0 in the promoted dtype.
     *
     * @param other a tensor (broadcast against this one) or a number
     * @returns 1 where the comparison holds, else 0, in the promoted dtype
     */
    lt(other: Operand): Tensor;
    /**
     * this ≥ other as 1/0 in the promoted dtype.
     *
     * @param other a tensor (broadcast against this one) or a number
     * @returns 1 where the comparison holds, else 0, in the promoted dtype
     */
    ge(other: Operand): Tensor;
    /**
     * this ≤ other as 1/0 in the promoted dtype.
     *
     * @param other a tensor (broadcast against this one) or a number
     * @returns 1 where the comparison holds, else 0, in the promoted dtype
     */
    le(other: Operand): Tensor;
  }
}

defineMethods({
  eq(other) { return eq(this, other); },
  gt(other) { return gt(this, other); },
  lt(other) { return lt(this, other); },
  ge(other) { return ge(this, other); },
  le(other) { return le(this, other); },
});

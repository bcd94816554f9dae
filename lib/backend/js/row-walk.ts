/** The odometer the strided kernels share: it walks two strided operands row by row over a shape. */

/**
 * Offsets of the current innermost row in two operands, moved one row at a
 * time through the outer dims. A kernel keeps one and reuses it (kernels never
 * re-enter), so a call allocates nothing.
 */
export class RowWalk {
  /** Offset of the first operand's current row. */
  a = 0;
  /** Offset of the second operand's current row. */
  b = 0;
  private counter = new Int32Array(32);

  /** Puts the walk on the first row of an `nd`-dim shape, the operands at offsets `a` and `b`. */
  start(nd: number, a: number, b: number): void {
    if (this.counter.length < nd) this.counter = new Int32Array(nd);
    this.counter.fill(0, 0, nd);
    this.a = a;
    this.b = b;
  }

  /** Moves to the next row: the outer dims count up like an odometer, each carry rewinding its dim. */
  next(shape: Int32Array, aStrides: Int32Array, bStrides: Int32Array): void {
    const ctr = this.counter;
    for (let d = shape.length - 2; d >= 0; d--) {
      this.a += aStrides[d];
      this.b += bStrides[d];
      if (++ctr[d] < shape[d]) return;
      this.a -= aStrides[d] * shape[d];
      this.b -= bStrides[d] * shape[d];
      ctr[d] = 0;
    }
  }
}

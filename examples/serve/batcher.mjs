/**
 * Dynamic batching for the service: the prediction requests whose bodies
 * arrive in one turn of the event loop run as one forward pass.
 *
 * Why: a single-sample forward is a matrix-vector product that streams the
 * whole first-layer weight (784 × 512 float32, 1.6 MB) through the cache for
 * one row: a quarter of the server's CPU time per request under load when
 * every request runs alone (CPU profile).
 * k rows in one matrix product read the weight once. The requests wait for
 * nothing but the rest of the current turn: the batch runs in `setImmediate`,
 * right after the event loop has read every socket that was ready.
 */
export class MicroBatcher {
  #run;
  #width;
  #maxRows;
  #queue = [];
  #scheduled = false;

  /**
   * @param {(x: Float32Array, rows: number) => unknown[] | Promise<unknown[]>} run Computes `rows`
   *   rows of `width` values packed in `x`; returns (or resolves to) one result per row.
   * @param {{ width: number, maxRows?: number }} options Values per row; rows
   *   per call of `run` at most (a request larger than that runs alone).
   */
  constructor(run, { width, maxRows = 1024 }) {
    if (!Number.isInteger(width) || width < 1) throw new RangeError(`MicroBatcher: width must be a positive integer, got ${width}`);
    if (!Number.isInteger(maxRows) || maxRows < 1) throw new RangeError(`MicroBatcher: maxRows must be a positive integer, got ${maxRows}`);
    this.#run = run;
    this.#width = width;
    this.#maxRows = maxRows;
  }

  /**
   * Queues `rows` rows (`x`, rows × width values) for the next batch; resolves
   * to their results, in order, or rejects with what `run` threw.
   * @returns {Promise<unknown[]>}
   */
  submit(x, rows) {
    if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`MicroBatcher.submit: rows must be a positive integer, got ${rows}`);
    if (x.length !== rows * this.#width) {
      throw new RangeError(`MicroBatcher.submit: ${rows} rows of ${this.#width} need ${rows * this.#width} values, got ${x.length}`);
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ x, rows, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush() {
    this.#scheduled = false;
    const queue = this.#queue;
    this.#queue = [];
    for (let i = 0; i < queue.length;) {
      let rows = queue[i].rows;
      let j = i + 1;
      while (j < queue.length && rows + queue[j].rows <= this.#maxRows) rows += queue[j++].rows;
      this.#runBatch(queue.slice(i, j), rows);
      i = j;
    }
  }

  #runBatch(parts, rows) {
    let results;
    try {
      let x = parts[0].x;
      if (parts.length > 1) {
        x = new Float32Array(rows * this.#width);
        let at = 0;
        for (const p of parts) { x.set(p.x, at); at += p.x.length; }
      }
      results = this.#run(x, rows);
    } catch (e) {
      for (const p of parts) p.reject(e);
      return;
    }
    // An asynchronous run (onnxruntime's session.run) delivers when it settles.
    if (results instanceof Promise) results.then((r) => this.#deliver(parts, rows, r), (e) => { for (const p of parts) p.reject(e); });
    else this.#deliver(parts, rows, results);
  }

  #deliver(parts, rows, results) {
    if (results.length !== rows) {
      const e = new Error(`MicroBatcher: run returned ${results.length} results for ${rows} rows`);
      for (const p of parts) p.reject(e);
      return;
    }
    let at = 0;
    for (const p of parts) {
      p.resolve(results.slice(at, at + p.rows));
      at += p.rows;
    }
  }
}

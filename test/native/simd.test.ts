/**
 * The runtime-dispatched float32 kernels (native/simd/): at every SIMD level
 * this CPU offers (TORCHLET_SIMD=avx512, avx2, sse2/portable, each in its own
 * child process, since the level is chosen once when the addon loads), the
 * vectorised exp, sigmoid, tanh, log, fused linear epilogue, softmax/logSoftmax
 * rows, cross-entropy rows, a recurrent step's GEMM and the direct convolution's products must agree with the js backend within the parity
 * tolerances (float32 1e-5 relative) on random inputs including large |x|,
 * NaN, ±Inf, denormals and −0 — and exp/sigmoid/tanh/log within 2 ulp of the
 * correctly rounded result. The reported level (blasInfo().simd) must be the
 * one asked for, capped by what the CPU supports.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Kernels } from '../../lib/backend/kernels';
import { jsKernels } from '../../lib/backend/js';
import { loadAddon, loadedAddonPath } from '../../lib/backend/native';

loadAddon();
const addonPath = loadedAddonPath()!;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'torchlet-simd-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// ---- what this CPU supports (Linux: /proc/cpuinfo flags) -------------------------
const LEVELS = ['sse2', 'avx2', 'avx512'] as const;
type Level = (typeof LEVELS)[number];
const isX64 = process.arch === 'x64';

function cpuLevel(): Level | null {
  if (!isX64 || process.platform !== 'linux') return null;
  const flags = new Set((/^flags\s*:(.*)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '').trim().split(/\s+/));
  if (['avx512f', 'avx512dq', 'avx512vl', 'avx2', 'fma'].every((f) => flags.has(f))) return 'avx512';
  if (['avx2', 'fma'].every((f) => flags.has(f))) return 'avx2';
  return 'sse2';
}

// ---- inputs --------------------------------------------------------------------
let seed = 99;
function rnd(): number {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 4294967296;
}
const uniform = (lo: number, hi: number): number => lo + (hi - lo) * rnd();

const SPECIAL = [
  NaN, -NaN, Infinity, -Infinity, 0, -0, 1e-40, -1e-40, 1.4e-45, -1.4e-45, 1.1754942e-38, -1.1754942e-38,
  3.4028234e38, -3.4028234e38, 1e30, -1e30, 1e3, -1e3, 88.72, 88.73, 89, -87.33, -88.72, -89, -103.9, -104, -110,
  0.625, -0.625, 0.62499994, 0.62500006, -0.62499994, 9, -9, 44.4, -44.4, 1e-8, -1e-8, 1e-20, 0.5, -0.5, 1, -1,
];

/** Random float32s across the ranges that matter, specials sprinkled in; odd length (vector tails). */
function unaryInput(n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const k = i % 6;
    a[i] = k === 0 ? uniform(-2, 2) : k === 1 ? uniform(-12, 12) : k === 2 ? uniform(-110, 110)
      : k === 3 ? (rnd() < 0.5 ? -1 : 1) * Math.exp(uniform(-105, 90)) : k === 4 ? uniform(-0.7, 0.7)
        : SPECIAL[Math.floor(rnd() * SPECIAL.length)];
  }
  return a;
}

// ---- the cases: kernel name and arguments, run on both backends ----------------
type Arg = Float32Array | Float64Array | Int32Array | number | null;
interface Case { label: string; kernel: keyof Kernels; args: Arg[]; inPlace?: boolean; scale?: Float32Array }

function cases(): Case[] {
  const out: Case[] = [];
  for (const fn of ['exp', 'sigmoid', 'tanh', 'log'] as const) {
    const x = unaryInput(20011);
    out.push({ label: `${fn} f32`, kernel: fn, args: [x, new Float32Array(x.length)] });
    out.push({ label: `${fn} f32 in place`, kernel: fn, args: [x.slice(0, 1001), null], inPlace: true });
    out.push({ label: `${fn} f32 short`, kernel: fn, args: [x.slice(0, 7), new Float32Array(7)] });
    const d = Float64Array.from(unaryInput(3001));
    out.push({ label: `${fn} f64 (libm)`, kernel: fn, args: [d, new Float64Array(d.length)] });
  }
  // fused linear epilogue: every activation, with and without bias, odd sizes
  for (const [rows, inF, outF] of [[7, 5, 37], [33, 9, 129], [1, 3, 1]]) {
    for (let act = 0; act <= 4; act++) {
      for (const bias of [true, false]) {
        const x = Float32Array.from({ length: rows * inF }, () => uniform(-3, 3));
        const w = Float32Array.from({ length: outF * inF }, () => uniform(-3, 3));
        const b = bias ? Float32Array.from({ length: outF }, () => uniform(-2, 2)) : null;
        // |pre-activation| bound: the float32 GEMM's rounding scales with it
        const scale = new Float32Array(rows * outF);
        jsKernels.linearForward(x.map(Math.abs), w.map(Math.abs), b ? b.map(Math.abs) : null, rows, inF, outF, 0, 0, scale);
        out.push({
          label: `linearForward [${rows}x${inF}->${outF}] act=${act} bias=${bias}`, kernel: 'linearForward',
          args: [x, w, b, rows, inF, outF, act, 0.05, new Float32Array(rows * outF)], scale,
        });
      }
    }
  }
  // a recurrent step's GEMM: every strip width (64 at AVX-512, 16, single columns) and row tail, bias, beta
  for (const [m, kk, n] of [[7, 9, 83], [32, 128, 512], [5, 3, 17], [1, 1, 1]]) {
    for (const [bias, beta] of [[true, 0], [false, 1], [true, 0.5]] as const) {
      const a = Float32Array.from({ length: m * kk }, () => uniform(-1, 1));
      const b = Float32Array.from({ length: kk * n }, () => uniform(-1, 1));
      const c = Float32Array.from({ length: m * n }, () => uniform(-1, 1));
      out.push({
        label: `stepGemm [${m}x${kk}]·[${kk}x${n}] bias=${bias} beta=${beta}`, kernel: 'stepGemm',
        args: [a, b, bias ? Float32Array.from({ length: n }, () => uniform(-1, 1)) : null, m, kk, n, beta, c],
        scale: new Float32Array(m * n).fill(kk),
      });
    }
  }
  // the direct convolution's shifted-window products (stride 1, few taps; AVX2 and AVX-512, the baseline runs
  // im2col + GEMM): row and tap remainders, padding past the kernel
  for (const [n, oc, c, hw, k, pad] of [[3, 6, 1, 12, 5, 2], [2, 7, 2, 9, 3, 3], [2, 9, 3, 8, 3, 1]]) {
    const o = hw + 2 * pad - k + 1;
    const sizes = [n, 1, oc, c, hw, hw, k, k, 1, 1, pad, pad, 1, 1, o, o] as const;
    const image = Float32Array.from({ length: n * c * hw * hw }, () => uniform(-1, 1));
    const grid = Float32Array.from({ length: n * oc * o * o }, () => uniform(-1, 1));
    const weight = Float32Array.from({ length: oc * c * k * k }, () => uniform(-1, 1));
    const products = [
      ['convForward', image, weight, grid.length],
      ['convBackwardInput', grid, weight, image.length],
      ['convBackwardWeight', image, grid, weight.length],
    ] as const;
    for (const [kernel, a, b, len] of products) {
      // |sum| bound: the float32 sums' rounding scales with it
      const scale = new Float32Array(len);
      jsKernels[kernel](a.map(Math.abs), b.map(Math.abs), ...sizes, scale);
      out.push({ label: `${kernel} [${sizes.join(', ')}]`, kernel, args: [a, b, ...sizes, new Float32Array(len)], scale });
    }
  }
  // softmax / logSoftmax over contiguous rows (inner = 1), and one strided
  for (const [rows, dim] of [[3, 1], [5, 3], [64, 10], [7, 17], [4, 1000], [2, 33]]) {
    const x = Float32Array.from({ length: rows * dim }, () => uniform(-30, 30));
    for (const kernel of ['softmax', 'logSoftmax'] as const) {
      out.push({ label: `${kernel} [${rows},${dim}]`, kernel, args: [x, rows, dim, 1, new Float32Array(rows * dim)] });
    }
  }
  {
    const dim = 19;
    const specials = [[-Infinity, 1, 2], [NaN, 0, 1], [Infinity, 0, 1], [1e30, -1e30, 0], [-0, 0, -0], [1e-40, -1e-40, 0]];
    const x = new Float32Array(specials.length * dim);
    specials.forEach((s, r) => { for (let j = 0; j < dim; j++) x[r * dim + j] = j < s.length ? s[j] : uniform(-5, 5); });
    for (const kernel of ['softmax', 'logSoftmax'] as const) {
      out.push({ label: `${kernel} special rows`, kernel, args: [x, specials.length, dim, 1, new Float32Array(x.length)] });
    }
    const big = Float32Array.from({ length: 8 * 40 }, () => uniform(-500, 500));
    out.push({ label: 'softmax |x| up to 500', kernel: 'softmax', args: [big, 8, 40, 1, new Float32Array(big.length)] });
    out.push({ label: 'softmax strided (generic path)', kernel: 'softmax', args: [big, 4, 10, 8, new Float32Array(big.length)] });
  }
  // binary cross-entropy on probabilities (two vectorised logs per element), 0 and 1 included
  {
    const n = 1001;
    const x = Float32Array.from({ length: n }, (_, i) => (i % 97 === 0 ? 0 : i % 89 === 0 ? 1 : rnd()));
    const y = Float32Array.from({ length: n }, () => rnd());
    for (let red = 0; red <= 2; red++) {
      const m = red === 0 ? n : 1;
      out.push({ label: `bce n=${n} red=${red}`, kernel: 'bce', args: [x, y, n, red, new Float32Array(m)] });
    }
  }
  // cross-entropy rows, forward and backward, weights and ignoreIndex, every reduction
  for (const [n, c] of [[9, 10], [4, 1000], [3, 1]]) {
    const x = Float32Array.from({ length: n * c }, () => uniform(-20, 20));
    const t = Int32Array.from({ length: n }, (_, i) => (i === 1 ? -100 : Math.floor(rnd() * c)));
    const w = Float32Array.from({ length: c }, () => uniform(0.5, 2));
    for (const weight of [null, w]) {
      for (let red = 0; red <= 2; red++) {
        const m = red === 0 ? n : 1;
        out.push({
          label: `softmaxCrossEntropy n=${n} c=${c} w=${weight !== null} red=${red}`, kernel: 'softmaxCrossEntropy',
          args: [x, t, weight, n, c, -100, red, new Float32Array(m)],
        });
        out.push({
          label: `softmaxCrossEntropyBackward n=${n} c=${c} w=${weight !== null} red=${red}`, kernel: 'softmaxCrossEntropyBackward',
          args: [x, t, weight, n, c, -100, red, Float32Array.from({ length: m }, () => uniform(-2, 2)), new Float32Array(n * c)],
        });
      }
    }
  }
  return out;
}

// ---- transport to and from the child ------------------------------------------
type Wire = { t: 'f32' | 'f64' | 'i32'; b: string } | number | null;
function toWire(a: Arg): Wire {
  if (a === null || typeof a === 'number') return a;
  const t = a instanceof Float32Array ? 'f32' : a instanceof Float64Array ? 'f64' : 'i32';
  return { t, b: Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64') };
}
function fromWire(w: Wire): Arg {
  if (w === null || typeof w === 'number') return w;
  const buf = Buffer.from(w.b, 'base64');
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  return w.t === 'f32' ? new Float32Array(ab) : w.t === 'f64' ? new Float64Array(ab) : new Int32Array(ab);
}

// The child: load the addon, report its level, run every case, send back every buffer.
const CHILD = `
const fs = require('fs');
const [, addonPath, inFile, outFile] = process.argv;
const a = require(addonPath);
const fromWire = ${fromWire.toString()};
const toWire = ${toWire.toString()};
const cases = JSON.parse(fs.readFileSync(inFile, 'utf8'));
const results = cases.map((c) => {
  const args = c.args.map(fromWire);
  if (c.inPlace) args[1] = args[0];
  a[c.kernel](...args);
  return args.map((x) => (x !== null && typeof x === 'object' ? toWire(x) : null));
});
fs.writeFileSync(outFile, JSON.stringify({ level: a.blasInfo().simd, results }));
`;

function runChild(simd: string | undefined, list: Case[]): { level: string; results: Arg[][]; stderr: string } {
  const inFile = path.join(tmp, `in-${simd ?? 'default'}.json`);
  const outFile = path.join(tmp, `out-${simd ?? 'default'}.json`);
  fs.writeFileSync(inFile, JSON.stringify(list.map((c) => ({ kernel: c.kernel, inPlace: !!c.inPlace, args: c.args.map(toWire) }))));
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1' };
  delete env.TORCHLET_SIMD;
  if (simd !== undefined) env.TORCHLET_SIMD = simd;
  const r = spawnSync(process.execPath, ['-e', CHILD, addonPath, inFile, outFile], { encoding: 'utf8', env, timeout: 60_000 });
  if (r.status !== 0) throw new Error(`child (TORCHLET_SIMD=${simd}) failed: ${r.stderr}`);
  const o = JSON.parse(fs.readFileSync(outFile, 'utf8')) as { level: string; results: Wire[][] };
  return { level: o.level, results: o.results.map((rs) => rs.map(fromWire)), stderr: r.stderr };
}

// ---- comparing --------------------------------------------------------------------
const f32 = new Float32Array(1);
const u32 = new Int32Array(f32.buffer);
/** Position of a float32 on the number line in ulps (monotone in the value). */
function ord(v: number): number {
  f32[0] = v;
  const b = u32[0];
  return b < 0 ? -(b & 0x7fffffff) : b;
}
const REF: Record<string, (v: number) => number> = {
  exp: Math.exp,
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  tanh: Math.tanh,
  log: Math.log,
};

/** Compares the child's buffers with the js backend's; returns the problems and the max ulp of unary f32 cases. */
function compare(list: Case[], got: Arg[][]): { problems: string[]; maxUlp: Record<string, number> } {
  const problems: string[] = [];
  const maxUlp: Record<string, number> = {};
  list.forEach((c, ci) => {
    const args = c.args.map((a) => (a !== null && typeof a === 'object' ? a.slice() : a));
    if (c.inPlace) args[1] = args[0];
    (jsKernels[c.kernel] as (...a: Arg[]) => void)(...args);
    args.forEach((want, p) => {
      const have = got[ci][c.inPlace && p === 1 ? 0 : p];
      if (want === null || typeof want !== 'object' || have === null || typeof have !== 'object') return;
      const tol = want instanceof Float64Array ? 1e-12 : 1e-5;
      for (let i = 0; i < want.length; i++) {
        const a = have[i];
        const b = want[i];
        if (Number.isNaN(b) || Number.isNaN(a)) {
          if (Number.isNaN(a) !== Number.isNaN(b)) problems.push(`${c.label}: arg ${p}[${i}] native=${a} js=${b}`);
          continue;
        }
        if (REF[c.kernel] && p === 1 && Object.is(b, -0) !== Object.is(a, -0)) problems.push(`${c.label}: [${i}] sign of zero`);
        if (a === b) continue;
        const scale = Math.max(1, Math.abs(b), c.scale ? Math.abs(c.scale[i]) : 0);
        if (!(Math.abs(a - b) <= tol * scale)) problems.push(`${c.label}: arg ${p}[${i}] native=${a} js=${b}`);
      }
      if (REF[c.kernel] && p === 1 && want instanceof Float32Array) {
        const x = c.args[0] as Float32Array;
        let m = maxUlp[c.kernel] ?? 0;
        for (let i = 0; i < x.length; i++) {
          f32[0] = REF[c.kernel](x[i]);
          const r = f32[0];
          if (Number.isNaN(r)) continue;
          m = Math.max(m, Math.abs(ord(have[i]) - ord(r)));
        }
        maxUlp[c.kernel] = m;
      }
    });
  });
  return { problems, maxUlp };
}

// ---- the tests -----------------------------------------------------------------------
const list = cases();
const cpu = cpuLevel();
const rank = (l: string): number => LEVELS.indexOf(l as Level);

describe('SIMD dispatch (native/simd)', () => {
  const asked: (string | undefined)[] = isX64 ? ['avx512', 'avx2', 'sse2', 'portable', undefined] : ['portable', undefined];
  for (const simd of asked) {
    it(`TORCHLET_SIMD=${simd ?? '(unset)'}: reported level and parity with the js backend`, () => {
      const r = runChild(simd, list);
      if (isX64) {
        const want = simd === undefined ? 'avx512' : simd === 'portable' ? 'sse2' : simd;
        expect(LEVELS).toContain(r.level as Level);
        if (cpu !== null) {
          // at most the level asked for, at most what the CPU has, and exactly the lower of the two
          expect(r.level).toBe(LEVELS[Math.min(rank(want), rank(cpu))]);
        } else {
          expect(rank(r.level)).toBeLessThanOrEqual(rank(want));
        }
      } else {
        expect(['neon', 'scalar']).toContain(r.level);
      }
      const { problems, maxUlp } = compare(list, r.results);
      expect(problems.slice(0, 20)).toEqual([]);
      for (const fn of Object.keys(REF)) expect(maxUlp[fn], `${fn} max ulp at ${r.level}`).toBeLessThanOrEqual(2);
      expect(r.stderr).toBe('');
    });
  }

  it('an unknown TORCHLET_SIMD value is ignored with a warning (no cap)', () => {
    const r = runChild('avx9000', list.slice(0, 1));
    expect(r.stderr).toMatch(/ignoring TORCHLET_SIMD=avx9000/);
    const plain = runChild(undefined, list.slice(0, 1));
    expect(r.level).toBe(plain.level);
  });
});

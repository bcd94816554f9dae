/**
 * `npx torchlet doctor`: prints `info()` and runs a one-second GEMM check on
 * the active backend — the text to paste into a bug report. Healthy (exit
 * code 0) when the selected backend loads and its matmul gives right answers.
 */
import { info, type RuntimeInfo } from './info';
import { matmul } from '../ops/matmul';
import { tensor, rand } from '../ops/creation';
import { Generator } from '../random';

export interface GemmCheck {
  /** Backend the check ran on. */
  backend: string;
  /** Matrix size: n×n times n×n, float32. */
  n: number;
  /** Products computed in the timed loop. */
  runs: number;
  /** Wall time of the timed loop, seconds. */
  seconds: number;
  /** 2n³·runs / seconds / 1e9. */
  gflops: number;
  /** Whether both the small exact product and the sampled n×n entries matched. */
  ok: boolean;
  /** Largest error of the sampled entries, relative to Σ|a||b| of that entry. */
  maxRelError: number;
  /** What went wrong, or null. */
  error: string | null;
}

export interface DoctorReport {
  info: RuntimeInfo;
  gemm: GemmCheck | null;
  healthy: boolean;
  /** Problems found, each a sentence or a few lines; empty when healthy. */
  problems: string[];
}

export interface DoctorOptions {
  /** Length of the timed GEMM loop in seconds (default 1). */
  seconds?: number;
  /** Matrix size (default 512). */
  n?: number;
}

/** A 5×7 · 7×3 product of small integers, exact in float32, against a JS triple loop. */
function smallProductOk(): boolean {
  const m = 5, k = 7, n = 3;
  const a: number[][] = [], b: number[][] = [];
  for (let i = 0; i < m; i++) a.push(Array.from({ length: k }, (_, j) => ((i * 7 + j * 3) % 11) - 5));
  for (let i = 0; i < k; i++) b.push(Array.from({ length: n }, (_, j) => ((i * 5 + j * 2) % 9) - 4));
  const c = matmul(tensor(a), tensor(b)).toArray(2);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i]![p]! * b[p]![j]!;
      if (c[i]![j] !== s) return false;
    }
  }
  return true;
}

/**
 * Multiplies two random n×n float32 matrices with torch.matmul for about
 * `seconds` seconds, reports GFLOP/s and checks the result: a small exact
 * product, then 64 sampled entries of the n×n product against float64 dot
 * products.
 */
export function gemmCheck(backend: string, options: DoctorOptions = {}): GemmCheck {
  const n = options.n ?? 512;
  const seconds = options.seconds ?? 1;
  const result: GemmCheck = { backend, n, runs: 0, seconds: 0, gflops: 0, ok: false, maxRelError: NaN, error: null };
  try {
    if (!smallProductOk()) {
      result.error = 'a small integer product (5×7 · 7×3) came out wrong';
      return result;
    }
    const gen = new Generator(1234);
    const a = rand([n, n], { generator: gen }).sub(0.5);
    const b = rand([n, n], { generator: gen }).sub(0.5);
    let c = matmul(a, b); // warm-up (thread pool, caches)
    const t0 = process.hrtime.bigint();
    let elapsed = 0;
    do {
      c = matmul(a, b);
      result.runs++;
      elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
    } while (elapsed < seconds);
    result.seconds = elapsed;
    result.gflops = (2 * n * n * n * result.runs) / elapsed / 1e9;

    const ad = a.data as Float32Array, bd = b.data as Float32Array, cd = c.data as Float32Array;
    let maxRel = 0;
    for (let s = 0; s < 64; s++) {
      const i = (s * 97 + 13) % n, j = (s * 61 + 7) % n;
      let ref = 0, scale = 0;
      for (let p = 0; p < n; p++) {
        const x = ad[i * n + p]! * bd[p * n + j]!;
        ref += x;
        scale += Math.abs(x);
      }
      const got = cd[i * n + j]!;
      const rel = Number.isFinite(got) ? Math.abs(got - ref) / (scale || 1) : Infinity;
      if (rel > maxRel) maxRel = rel;
    }
    result.maxRelError = maxRel;
    result.ok = maxRel < 1e-5;
    if (!result.ok) result.error = `the ${n}×${n} product is wrong: relative error ${maxRel.toExponential(2)} (expected < 1e-5)`;
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
  }
  return result;
}

/** Runs the checks; prints nothing. */
export function diagnose(options: DoctorOptions = {}): DoctorReport {
  const i = info();
  const problems: string[] = [];
  let gemm: GemmCheck | null = null;
  if (i.backend === null) {
    problems.push(
      `the ${process.env.TORCHLET_BACKEND || 'native'} backend cannot be used:\n${i.backendError ?? 'unknown error'}\n` +
        'To run without the native addon now: TORCHLET_BACKEND=js (or setBackend(\'js\')) — slower, same results.',
    );
  } else {
    gemm = gemmCheck(i.backend, options);
    if (!gemm.ok) problems.push(`GEMM check failed on the ${i.backend} backend: ${gemm.error ?? 'wrong result'}`);
  }
  return { info: i, gemm, healthy: problems.length === 0, problems };
}

function line(label: string, value: string): string {
  return `  ${label.padEnd(14)}${value}`;
}

/** The human-readable report, one line per fact. */
export function formatReport(r: DoctorReport, title = 'torchlet doctor'): string {
  const i = r.info;
  const out: string[] = [title];
  out.push(line('torchlet', `${i.version ?? 'unknown'} (${i.packageRoot})`));
  out.push(line('backend', i.backend ?? `unavailable (${process.env.TORCHLET_BACKEND || 'native'} selected)`));
  if (i.addon.loaded) {
    const how = i.addon.source === 'prebuilt' ? 'prebuilt' : i.addon.source === 'source' ? 'built from source' : 'unknown origin';
    out.push(line('addon', `${i.addon.path ?? 'unknown path'} (${how})`));
  } else {
    const note = i.backend === 'js' ? ' (not needed: the js backend is selected)' : '';
    out.push(line('addon', `cannot load${note}`));
  }
  if (i.blas) {
    const b = i.blas;
    const linkage = b.linkage ? `, ${b.linkage === 'static' ? 'linked statically' : 'shared library'}` : '';
    out.push(line('BLAS', `${b.vendor ?? 'unknown'} ${b.version ?? ''}, core ${b.corename ?? 'unknown'}${linkage}`.replace(' ,', ',')));
    out.push(line('BLAS config', b.config ?? 'unknown'));
  } else {
    out.push(line('BLAS', 'none (addon not loaded)'));
  }
  out.push(line('threads', i.threads === null ? 'unknown' : String(i.threads)));
  out.push(
    line(
      'SIMD',
      i.simd.level === null
        ? 'unknown (addon not loaded)'
        : `${i.simd.level} (picked at load from the CPU; cap with TORCHLET_SIMD; built by ${i.simd.compiler ?? 'an unknown compiler'})`,
    ),
  );
  out.push(line('node', `${i.node}, N-API ${i.napi ?? 'unknown'}`));
  const libc = i.libc ? `, ${i.libc.family}${i.libc.version ? ' ' + i.libc.version : ''}` : '';
  out.push(line('platform', `${i.platform}-${i.arch}${libc}`));
  out.push(line('cpu', `${i.cpu.count} × ${i.cpu.model}`));
  const env = Object.entries(i.env).map(([k, v]) => `${k}=${v}`).join(' ');
  out.push(line('env', env || '(none set)'));
  if (r.gemm) {
    const g = r.gemm;
    const speed = g.runs > 0 ? `${g.gflops.toFixed(1)} GFLOP/s (${g.runs} runs in ${g.seconds.toFixed(2)} s)` : 'not timed';
    const verdict = g.ok ? `result ok (max rel err ${g.maxRelError.toExponential(1)})` : `FAILED: ${g.error ?? 'wrong result'}`;
    out.push(line('GEMM check', `sgemm ${g.n}×${g.n}×${g.n} on ${g.backend}: ${speed}, ${verdict}`));
  } else {
    out.push(line('GEMM check', i.backend === null ? 'skipped (no usable backend)' : 'not run'));
  }
  if (!i.addon.loaded && i.backend === 'js' && i.addon.error) {
    out.push('', 'note: the native addon cannot load here; the js backend works without it.', indent(i.addon.error));
  }
  out.push(line('status', r.healthy ? 'OK' : 'PROBLEM'));
  for (const p of r.problems) out.push('', `problem: ${indent(p).trimStart()}`);
  return out.join('\n') + '\n';
}

function indent(s: string): string {
  return s.split('\n').map((l) => `  ${l}`).join('\n');
}

/** Runs the checks and prints them; returns the exit code (0 healthy, 1 not). */
export function doctor(options: DoctorOptions & { json?: boolean; write?: (s: string) => void } = {}): number {
  const write = options.write ?? ((s: string) => void process.stdout.write(s));
  const r = diagnose(options);
  write(options.json ? JSON.stringify(r, null, 2) + '\n' : formatReport(r));
  return r.healthy ? 0 : 1;
}

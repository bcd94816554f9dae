#!/usr/bin/env node
/*
 * Fuzzes the binding layer of the native addon: calls every function the addon
 * exports (enumerated at run time, so a new kernel is fuzzed without touching
 * this file) with random and mutated arguments — wrong types, wrong typed-array
 * kinds, short/empty/detached/resizable/out-of-bounds/SharedArrayBuffer-backed
 * arrays, negative/zero/huge/non-integer/NaN/Infinity sizes, outputs aliasing
 * inputs — and checks that every call either returns or throws a TypeError or
 * RangeError naming the kernel. Well-formed calls come from the kernel table
 * (lib/backend/table, through dist/backend/harness) and are also compared
 * with the js backend: same results within the table's tolerance.
 *
 * The calls run in child processes, so a crash shows up as a signal and a hang
 * as a timeout instead of taking the caller down. Seeded and reproducible.
 *
 *   node scripts/fuzz-native.js [--calls 100000] [--children 10] [--seed N]
 *                               [--jobs 2] [--timeout 120] [--json]
 *   node scripts/fuzz-native.js --child --seed N --calls 10000 [--trace]
 *
 * Env: TORCHLET_FUZZ_CALLS, TORCHLET_FUZZ_SEED, TORCHLET_FUZZ_CHILDREN,
 * TORCHLET_FUZZ_TIMEOUT (seconds per child). The addon is loaded by
 * dist/backend/native.js (npm run build), so TORCHLET_ADDON_PATH selects e.g.
 * the ASan build (scripts/test-asan.sh sets it and preloads the runtime; the
 * children inherit both). Exit status 0 when every child passed.
 */
'use strict';
const path = require('path');
const fs = require('fs');
const os = require('os');
const { spawn } = require('child_process');

const root = path.resolve(__dirname, '..');

// ---------------------------------------------------------------------------
// Options
function parseArgs(argv) {
  const o = {
    child: false,
    trace: false,
    json: false,
    calls: Number(process.env.TORCHLET_FUZZ_CALLS || 100000),
    children: Number(process.env.TORCHLET_FUZZ_CHILDREN || 10),
    seed: process.env.TORCHLET_FUZZ_SEED !== undefined ? Number(process.env.TORCHLET_FUZZ_SEED) : undefined,
    jobs: Math.max(1, Math.min(os.cpus().length, 4)),
    timeout: Number(process.env.TORCHLET_FUZZ_TIMEOUT || 120),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => Number(argv[++i]);
    if (a === '--child') o.child = true;
    else if (a === '--trace') o.trace = true;
    else if (a === '--json') o.json = true;
    else if (a === '--calls') o.calls = next();
    else if (a === '--children') o.children = next();
    else if (a === '--seed') o.seed = next();
    else if (a === '--jobs') o.jobs = next();
    else if (a === '--timeout') o.timeout = next();
    else throw new Error(`fuzz-native: unknown argument ${a}`);
  }
  if (o.seed === undefined || !Number.isFinite(o.seed)) o.seed = Math.floor(Math.random() * 2 ** 31);
  o.seed = o.seed >>> 0;
  return o;
}

// ---------------------------------------------------------------------------
// PRNG (mulberry32): deterministic per seed.
function makeRng(seed) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)), // inclusive
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    chance: (p) => next() < p,
    dim: () => (next() < 0.08 ? 0 : 1 + Math.floor(next() * 4)), // 0..4, mostly ≥ 1
  };
  return r;
}

// ---------------------------------------------------------------------------
// Values
const F32 = Float32Array;
const F64 = Float64Array;
const I32 = Int32Array;

const SPECIAL_FLOATS = [0, -0, 1, -1, NaN, Infinity, -Infinity, 1e38, -1e38, 3e38, 1e-45, 1e308, 5e-324, 0.5, 2 ** 31, -(2 ** 31)];
const SPECIAL_INTS = [0, -1, 1, 2, 3, 2147483647, -2147483648, 1000000, -100, 7];
const JUNK_SIZES = [-1, -0, 0, 1, 2, 3, 0.5, 1.5, -0.5, NaN, Infinity, -Infinity, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 32 + 1,
  2 ** 40, 2 ** 53, 2 ** 53 + 2, 2 ** 63, 1e308, 5e-324, 46341, 65536, 1024, 1025, 9007199254740991];
const JUNK_VALUES = () => ['3', '', null, undefined, {}, [], [1, 2], 3n, -1n, true, false, Symbol('x'), () => 1,
  { valueOf: () => 3 }, new Date(0), /x/, new ArrayBuffer(8), new DataView(new ArrayBuffer(8)), Promise.resolve(1),
  new Map(), Object.create(null)];
const ARRAY_KINDS = [F32, F64, I32, Uint8Array, Int8Array, Uint8ClampedArray, Int16Array, Uint16Array, Uint32Array,
  BigInt64Array, BigUint64Array];

function fillRandom(rng, a, special) {
  if (a instanceof BigInt64Array || a instanceof BigUint64Array) {
    for (let i = 0; i < a.length; i++) a[i] = BigInt(rng.int(-5, 5) & 0xff);
    return a;
  }
  const isInt = !(a instanceof F32 || a instanceof F64);
  for (let i = 0; i < a.length; i++) {
    if (special && rng.chance(0.25)) a[i] = isInt ? rng.pick(SPECIAL_INTS) : rng.pick(SPECIAL_FLOATS);
    else a[i] = isInt ? rng.int(-3, 8) : (rng.next() * 4 - 2);
  }
  return a;
}

function floatArr(rng, T, n) { return fillRandom(rng, new T(n), false); }

// ---------------------------------------------------------------------------
// Well-formed calls: every kernel of the table (lib/backend/table) from its
// declaration (dist/backend/harness), plus the addon's extras. make(rng)
// returns an argument list a correct caller could pass; mutations then break it.
function generators(harness) {
  const G = {};
  for (const name of harness.KERNEL_NAMES) G[name] = (rng) => harness.randomCall(name, rng);
  G.cblasSgemm = (rng) => {
    const m = rng.dim(), n = rng.dim(), k = rng.dim();
    return [m, n, k, floatArr(rng, F32, m * k), floatArr(rng, F32, k * n), new F32(m * n)];
  };
  G.blasInfo = () => [];
  G.tuneAllocator = () => [];
  G.trimAllocator = () => [];
  return G;
}

// ---------------------------------------------------------------------------
// Mutations
function isTA(v) { return ArrayBuffer.isView(v) && !(v instanceof DataView); }

function withBacking(rng, a, how) {
  const T = a.constructor; const bpe = T.BYTES_PER_ELEMENT; const n = a.length;
  let view;
  switch (how) {
    case 'shared': {
      view = new T(new SharedArrayBuffer(n * bpe)); break;
    }
    case 'growable-shared': {
      view = new T(new SharedArrayBuffer(n * bpe, { maxByteLength: (n + 8) * bpe })); break;
    }
    case 'resizable': {
      const ab = new ArrayBuffer(n * bpe, { maxByteLength: (n + 8) * bpe });
      view = rng.chance(0.5) ? new T(ab) /* length-tracking */ : new T(ab, 0, n);
      view.set(a);
      if (rng.chance(0.3)) ab.resize((n + rng.int(0, 8)) * bpe); // grow (tracking views grow too)
      return view;
    }
    case 'resizable-shrunk': {
      // a fixed-length or tracking view whose buffer shrank: out of bounds or shorter
      const off = rng.int(0, 2) * bpe;
      const ab = new ArrayBuffer(off + n * bpe, { maxByteLength: off + (n + 8) * bpe });
      view = rng.chance(0.5) ? new T(ab, off) : new T(ab, off, n);
      view.set(a);
      ab.resize(rng.int(0, off + n * bpe));
      return view;
    }
    case 'offset': {
      const off = rng.int(1, 3);
      const big = new T(off + n + rng.int(0, 3));
      view = big.subarray(off, off + n); break;
    }
    case 'detached': {
      const c = new T(n);
      structuredClone(c.buffer, { transfer: [c.buffer] });
      return c;
    }
    default: view = new T(n);
  }
  view.set(a);
  return view;
}

function mutateArray(rng, a) {
  const T = a.constructor;
  switch (rng.int(0, 9)) {
    case 0: return a.subarray(0, Math.max(0, a.length - 1)); // short by one
    case 1: return new T(0); // empty
    case 2: { const b = new T(a.length + rng.int(1, 4)); b.set(a); return b; } // longer
    case 3: { const K = rng.pick(ARRAY_KINDS); const b = new K(a.length); return fillRandom(rng, b, true); } // other kind
    case 4: return withBacking(rng, a, rng.pick(['shared', 'growable-shared', 'resizable', 'resizable-shrunk', 'offset', 'detached']));
    case 5: return fillRandom(rng, a.slice(), true); // special values (NaN, Infinity, huge, negative indices)
    case 6: return withBacking(rng, a, 'detached');
    case 7: return withBacking(rng, a, 'resizable-shrunk');
    case 8: return rng.pick([[...a], a.buffer, new DataView(a.buffer), null, undefined]);
    default: { const b = new T(rng.int(0, 40)); return fillRandom(rng, b, rng.chance(0.5)); }
  }
}

function mutateScalar(rng, v) {
  if (typeof v === 'boolean') return rng.chance(0.7) ? rng.pick([0, 1, 'true', null, undefined, !v, {}]) : !v;
  if (rng.chance(0.75)) return rng.pick(JUNK_SIZES) * (typeof v === 'number' && rng.chance(0.1) ? -1 : 1);
  if (rng.chance(0.3) && typeof v === 'number') return v + rng.pick([-1, 1, 2, -2]);
  return rng.pick(JUNK_VALUES());
}

// Replaces args[j] by an array that aliases args[i]: the same object, an
// overlapping view (possibly of another kind), or a view of the same bytes.
function alias(rng, args) {
  const arrays = args.map((v, i) => (isTA(v) && v.length > 0 ? i : -1)).filter((i) => i >= 0);
  if (arrays.length === 0) return false;
  const i = rng.pick(arrays);
  let j = rng.int(0, args.length - 1);
  if (j === i && args.length > 1) j = (j + 1) % args.length;
  const src = args[i];
  switch (rng.int(0, 3)) {
    case 0: args[j] = src; break;
    case 1: { // overlapping subarray shifted by k elements
      const k = rng.int(0, Math.min(2, src.length - 1));
      args[j] = src.subarray(k);
      if (rng.chance(0.5)) args[i] = src.subarray(0, Math.max(1, src.length - k));
      break;
    }
    case 2: { // same bytes, another view type
      const K = rng.pick([F32, F64, I32]);
      const off = src.byteOffset - (src.byteOffset % K.BYTES_PER_ELEMENT);
      const len = Math.floor((src.buffer.byteLength - off) / K.BYTES_PER_ELEMENT);
      if (len > 0) args[j] = new K(src.buffer, off, len);
      break;
    }
    default: { // view of the same buffer that is the other arg's kind, same length
      const T = isTA(args[j]) ? args[j].constructor : src.constructor;
      const len = Math.floor(src.byteLength / T.BYTES_PER_ELEMENT);
      if (len > 0 && src.byteOffset % T.BYTES_PER_ELEMENT === 0) args[j] = new T(src.buffer, src.byteOffset, len);
    }
  }
  return true;
}

function randomArgs(rng) {
  const n = rng.int(0, 15);
  const out = [];
  for (let i = 0; i < n; i++) {
    const r = rng.int(0, 3);
    if (r === 0) out.push(fillRandom(rng, new (rng.pick(ARRAY_KINDS))(rng.int(0, 12)), true));
    else if (r === 1) out.push(rng.pick(JUNK_SIZES));
    else if (r === 2) out.push(rng.int(0, 6));
    else out.push(rng.pick([...JUNK_VALUES(), true, false]));
  }
  return out;
}

// Returns [args, kind] where kind is 'valid', 'mutated' or 'random'.
function makeCall(rng, name, G) {
  const gen = G[name];
  if (!gen || rng.chance(0.05)) return [randomArgs(rng), 'random'];
  const args = gen(rng);
  if (rng.chance(0.3)) return [args, 'valid'];
  const muts = rng.int(1, 3);
  for (let m = 0; m < muts; m++) {
    const r = rng.next();
    if (r < 0.15) { try { alias(rng, args); } catch { /* detached or out-of-bounds source */ } }
    else if (r < 0.2) args.length = rng.int(0, Math.max(0, args.length - 1)); // too few
    else if (r < 0.23) args.push(...randomArgs(rng).slice(0, 3)); // too many (ignored)
    else if (args.length > 0) {
      const i = rng.int(0, args.length - 1);
      const v = args[i];
      // (an earlier mutation may have left v detached or out of bounds: subarray() etc. then throw)
      if (isTA(v)) { try { args[i] = mutateArray(rng, v); } catch { args[i] = new F32(0); } }
      else if (v === null) args[i] = rng.pick([undefined, 0, new F32(0), {}, fillRandom(rng, new F32(rng.int(0, 8)), false)]);
      else args[i] = mutateScalar(rng, v);
    }
  }
  return [args, 'mutated'];
}

// ---------------------------------------------------------------------------
// Description (for the trace and for failures)
function backingOf(v) {
  const b = v.buffer;
  if (typeof SharedArrayBuffer !== 'undefined' && b instanceof SharedArrayBuffer) return b.growable ? 'growable-shared' : 'shared';
  if (b.detached) return 'detached';
  if (b.resizable) return 'resizable';
  return 'plain';
}
function describe(args) {
  const seen = new Map();
  return args.map((v, i) => {
    if (isTA(v)) {
      let s = `${v.constructor.name}(len=${v.length}`;
      const bk = backingOf(v);
      if (bk !== 'plain') s += `, ${bk}`;
      if (v.byteOffset) s += `, byteOffset=${v.byteOffset}`;
      if (v.buffer.byteLength !== v.byteLength) s += `, buffer=${v.buffer.byteLength}B`;
      if (seen.has(v.buffer)) s += `, same buffer as #${seen.get(v.buffer)}`;
      else seen.set(v.buffer, i);
      const vals = [];
      for (let k = 0; k < Math.min(v.length, 6); k++) vals.push(String(v[k]));
      return `${s})[${vals.join(',')}${v.length > 6 ? ',…' : ''}]`;
    }
    if (typeof v === 'bigint') return `${v}n`;
    if (typeof v === 'symbol') return 'Symbol()';
    if (typeof v === 'function') return 'function';
    if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
    if (typeof v === 'string') return JSON.stringify(v);
    if (v === null || v === undefined) return String(v);
    if (Array.isArray(v)) return `[${v.length} numbers]`;
    return Object.prototype.toString.call(v);
  }).join(', ');
}

// ---------------------------------------------------------------------------
// Child: run `calls` calls from `seed`.
function runChild(o) {
  const { loadAddon } = require(path.join(root, 'dist', 'backend', 'native.js'));
  const { loadNativeKernels } = require(path.join(root, 'dist', 'backend', 'native.js'));
  const { jsKernels } = require(path.join(root, 'dist', 'backend', 'js', 'index.js'));
  const harness = require(path.join(root, 'dist', 'backend', 'harness', 'index.js'));
  const addon = loadAddon();
  const nativeKernels = loadNativeKernels();
  const names = Object.keys(addon).filter((k) => typeof addon[k] === 'function').sort();
  const G = generators(harness);
  const rng = makeRng(o.seed);
  const stats = { seed: o.seed, calls: 0, ok: 0, TypeError: 0, RangeError: 0, parityChecked: 0, functions: names.length,
    unknown: names.filter((n) => !G[n]), failures: [] };
  const fail = (i, name, args, why) => {
    stats.failures.push(`call #${i} ${name}(${describe(args)}): ${why}`);
  };
  const threads = addon.getNumThreads();
  for (let i = 0; i < o.calls; i++) {
    const name = names[Math.floor(rng.next() * names.length)];
    const [args, kind] = makeCall(rng, name, G);
    const desc = o.trace || kind === 'valid' ? describe(args) : '';
    if (o.trace) fs.writeSync(2, `fuzz: seed ${o.seed} call #${i} ${name}(${desc})\n`);
    // Well-formed calls of table kernels run on both backends: same result, or the same error.
    const parity = kind === 'valid' && harness.KERNEL_NAMES.includes(name) && harness.specOf(name).parity;
    const copy = parity ? harness.cloneCall(args) : null;
    stats.calls++;
    try {
      addon[name](...args);
      stats.ok++;
    } catch (err) {
      if (err instanceof TypeError || err instanceof RangeError) {
        stats[err.constructor.name]++;
        if (typeof err.message !== 'string' || !err.message.startsWith(`${name}: `)) {
          fail(i, name, args, `${err.constructor.name} without the kernel's name: ${err.message}`);
        }
      } else {
        fail(i, name, args, `threw ${err && err.constructor ? err.constructor.name : typeof err}: ${err && err.message}`);
      }
    }
    if (parity) {
      stats.parityChecked++;
      const diff = harness.compareCall(name, copy, nativeKernels, jsKernels);
      if (diff) fail(i, name, [], `parity (${desc}): ${diff}`);
    }
    if (name === 'setNumThreads') addon.setNumThreads(threads);
    if (stats.failures.length >= 20) break;
  }
  process.stdout.write(`${JSON.stringify(stats)}\n`);
  process.exitCode = stats.failures.length > 0 ? 1 : 0;
}

// ---------------------------------------------------------------------------
// Parent: children in parallel, each with its own seed.
const SANITIZER = /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: (Address|UndefinedBehavior)Sanitizer/;

function spawnChild(seed, calls, timeoutS, trace) {
  return new Promise((resolve) => {
    const args = [__filename, '--child', '--seed', String(seed), '--calls', String(calls)];
    if (trace) args.push('--trace');
    const t0 = Date.now();
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = ''; let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; if (err.length > 4e6) err = err.slice(-2e6); });
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutS * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let stats = null;
      try { stats = JSON.parse(out.trim().split('\n').pop()); } catch { /* no summary */ }
      resolve({ seed, code, signal, timedOut, stats, stderr: err, ms: Date.now() - t0 });
    });
  });
}

function lastTraceLine(stderr) {
  const lines = stderr.split('\n').filter((l) => l.startsWith('fuzz: seed '));
  return lines.length ? lines[lines.length - 1] : '(no call traced)';
}

async function runParent(o) {
  const t0 = Date.now();
  const per = Math.ceil(o.calls / o.children);
  const seeds = Array.from({ length: o.children }, (_, i) => (o.seed + i * 0x9e3779b1) >>> 0);
  console.log(`fuzz-native: seed ${o.seed}, ${o.children} children × ${per} calls, ${o.jobs} at a time, timeout ${o.timeout} s` +
    (process.env.TORCHLET_ADDON_PATH ? `, addon ${process.env.TORCHLET_ADDON_PATH}` : ''));
  const results = [];
  let next = 0;
  async function worker() {
    while (next < seeds.length) {
      const seed = seeds[next++];
      results.push(await spawnChild(seed, per, o.timeout, false));
    }
  }
  await Promise.all(Array.from({ length: Math.min(o.jobs, seeds.length) }, worker));
  results.sort((a, b) => seeds.indexOf(a.seed) - seeds.indexOf(b.seed));

  const total = { calls: 0, ok: 0, TypeError: 0, RangeError: 0, parityChecked: 0 };
  const problems = [];
  let functions = 0; let unknown = [];
  for (const r of results) {
    if (r.stats) {
      for (const k of Object.keys(total)) total[k] += r.stats[k];
      functions = r.stats.functions; unknown = r.stats.unknown;
    }
    const bad = [];
    if (r.timedOut) bad.push(`hang: no result after ${o.timeout} s`);
    else if (r.signal) bad.push(`crashed with ${r.signal}`);
    else if (r.code !== 0 && !(r.stats && r.stats.failures.length)) bad.push(`exited with code ${r.code}`);
    if (SANITIZER.test(r.stderr)) bad.push('sanitizer report');
    if (r.stats) for (const f of r.stats.failures) bad.push(f);
    if (bad.length === 0) continue;
    let detail = bad.join('\n    ');
    if (r.timedOut || r.signal || (r.code !== 0 && !r.stats) || SANITIZER.test(r.stderr)) {
      // Re-run that child with every call traced: its last traced call is the culprit.
      const again = await spawnChild(r.seed, per, o.timeout, true);
      detail += `\n    failing call (re-run with --trace): ${lastTraceLine(again.stderr)}`;
      const report = r.stderr.split('\n').filter((l) => !l.startsWith('fuzz: seed ')).slice(0, 40).join('\n      ');
      if (report.trim()) detail += `\n    stderr:\n      ${report}`;
    }
    problems.push(`child seed ${r.seed}: ${detail}\n    reproduce: node scripts/fuzz-native.js --child --seed ${r.seed} --calls ${per} --trace`);
  }
  const summary = {
    seed: o.seed, children: o.children, callsPerChild: per, ...total, functions, unknownFunctions: unknown,
    seconds: (Date.now() - t0) / 1000, failedChildren: problems.length,
  };
  if (o.json) console.log(JSON.stringify(summary));
  else {
    console.log(`fuzz-native: ${total.calls} calls to ${functions} functions in ${summary.seconds.toFixed(1)} s: ` +
      `${total.ok} returned, ${total.TypeError} TypeError, ${total.RangeError} RangeError, ${total.parityChecked} compared with js` +
      (unknown.length ? `; no generator (random arguments only) for: ${unknown.join(', ')}` : ''));
  }
  for (const p of problems) console.log(`FAIL ${p}`);
  if (total.calls < o.calls && problems.length === 0) problems.push('fewer calls than asked');
  console.log(problems.length ? `fuzz-native: FAILED (seed ${o.seed})` : `fuzz-native: OK (seed ${o.seed})`);
  return problems.length ? 1 : 0;
}

if (require.main === module) {
  const o = parseArgs(process.argv.slice(2));
  if (o.child) runChild(o);
  else runParent(o).then((code) => { process.exitCode = code; });
}

module.exports = { parseArgs, makeRng };

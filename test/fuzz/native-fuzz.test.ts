// Fuzzes every function the native addon exports (scripts/fuzz-native.js):
// random and mutated arguments in child processes; every call must return or
// throw a TypeError/RangeError naming the kernel — no signal, no hang, no
// sanitizer report — and well-formed calls (made from the kernel table) must
// match the js backend. npm test runs a fixed seed, so a failure reproduces;
// CI's hardening step adds a 100,000-call run with a random seed.
// TORCHLET_FUZZ_CALLS (default 10000), TORCHLET_FUZZ_SEED (default 20261203)
// and TORCHLET_FUZZ_CHILDREN (default 2) tune it.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

function run(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'scripts', 'fuzz-native.js'), ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('native binding fuzz', () => {
  it('every exported function survives random and malformed arguments, and agrees with js on valid ones', async () => {
    const seed = process.env.TORCHLET_FUZZ_SEED ?? '20261203';
    const calls = process.env.TORCHLET_FUZZ_CALLS ?? '10000';
    const children = process.env.TORCHLET_FUZZ_CHILDREN ?? '2';
    const jobs = String(Math.max(1, Math.min(availableParallelism(), 4)));
    // Under the sanitizer build (scripts/test-asan.sh) every call is several times slower.
    const timeout = process.env.TORCHLET_ADDON_PATH ? '600' : '120';
    const r = await run(['--seed', seed, '--calls', calls, '--children', children, '--jobs', jobs, '--timeout', timeout]);
    console.log(r.out.trim());
    expect(r.out, `reproduce with TORCHLET_FUZZ_SEED=${seed}`).toMatch(/fuzz-native: OK/);
    expect(r.code).toBe(0);
  }, 1_800_000);
});

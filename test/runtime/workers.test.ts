/**
 * The built package in worker_threads: 8 workers at once each load torchlet
 * and train XOR (nn.Sequential, BCELoss, SGD with momentum), three rounds in
 * one process. Every worker must learn XOR, match the main thread's run with
 * the same seed bit for bit, exit with code 0 (the addon's per-thread
 * instance is torn down, nothing hangs), and the process must exit cleanly.
 * The rounds run in a child process (test/runtime/fixtures/xor-rounds.js) so
 * that a crash or a hang at exit shows as its exit status. Needs dist/
 * (npm test builds it first).
 */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const script = path.join(__dirname, 'fixtures', 'xor-rounds.js');

interface XorResult { seed: number; loss: number; out: number[]; backend: string; threadId?: number }
interface WorkerResult { seed: number; message: XorResult | null; error: string | null; exitCode: number | null }
interface Report { reference: XorResult[]; results: { round: number; ms: number; workers: WorkerResult[] }[] }

const ROUNDS = 3;
const WORKERS = 8;
const STEPS = 1500;

describe('torchlet in worker_threads', () => {
  it(`${WORKERS} workers train XOR at once, ${ROUNDS} rounds in one process, and everything exits cleanly`, () => {
    const env = { ...process.env };
    delete env.TORCHLET_BACKEND;
    const r = spawnSync(process.execPath, [script, String(ROUNDS), String(WORKERS), String(STEPS)], {
      cwd: root, encoding: 'utf8', env, timeout: 90_000,
    });
    expect(r.error, 'the child process did not finish in time (hang?)').toBeUndefined();
    expect(r.signal, `killed by ${r.signal}; stderr:\n${r.stderr}`).toBeNull();
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;

    // The main thread's runs learn XOR.
    expect(report.reference).toHaveLength(WORKERS);
    for (const ref of report.reference) {
      expect(ref.backend).toBe('native');
      expect(ref.out.map((p) => (p > 0.5 ? 1 : 0))).toEqual([0, 1, 1, 0]);
    }

    expect(report.results).toHaveLength(ROUNDS);
    for (const round of report.results) {
      expect(round.workers).toHaveLength(WORKERS);
      const threadIds = new Set<number>();
      for (const w of round.workers) {
        const where = `round ${round.round}, worker ${w.seed}`;
        expect(w.error, where).toBeNull();
        expect(w.exitCode, where).toBe(0);
        expect(w.message, where).not.toBeNull();
        const m = w.message!;
        threadIds.add(m.threadId!);
        expect(m.backend, where).toBe('native');
        // All four XOR outputs right, confidently.
        expect(m.out.map((p) => (p > 0.5 ? 1 : 0)), where).toEqual([0, 1, 1, 0]);
        expect(Math.max(m.out[0]!, m.out[3]!, 1 - m.out[1]!, 1 - m.out[2]!), where).toBeLessThan(0.05);
        // The same numbers as the main thread with the same seed.
        expect(m.out, where).toEqual(report.reference[w.seed]!.out);
        expect(m.loss, where).toBe(report.reference[w.seed]!.loss);
      }
      expect(threadIds.size).toBe(WORKERS);
    }
  }, 120_000);
});

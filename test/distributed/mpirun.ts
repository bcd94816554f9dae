/** Runs test scripts under `mpirun` (Open MPI) for the distributed tests. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const root = path.resolve(__dirname, '..', '..');

/** Whether `mpirun` is on the PATH; the tests that need it are skipped (saying so) when not. */
export const hasMpirun = spawnSync('mpirun', ['--version'], { encoding: 'utf8' }).status === 0;

export const skipMessage = 'mpirun not found: install Open MPI (apt-get install openmpi-bin libopenmpi-dev) to run the distributed tests';

export interface MpiRun {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** `mpirun -np <np> --oversubscribe node <script> ...args` (script relative to the package root), killed after `timeoutMs`. */
export function runMpi(np: number, script: string, args: string[] = [], timeoutMs = 60_000): MpiRun {
  const t0 = Date.now();
  const r = spawnSync(
    'mpirun',
    ['-np', String(np), '--oversubscribe', process.execPath, script, ...args],
    {
      cwd: root,
      encoding: 'utf8',
      timeout: timeoutMs,
      // Open MPI refuses to run as root without both; harmless otherwise.
      // One OpenBLAS thread per rank: two ranks share two cores.
      env: { ...process.env, OMPI_ALLOW_RUN_AS_ROOT: '1', OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: '1', FORCE_COLOR: '0', OPENBLAS_NUM_THREADS: '1' },
    },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

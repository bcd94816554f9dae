/**
 * torch.distributed where MPI is missing or unused: the addon loads without
 * it, initProcessGroup says how to install Open MPI, everything before init
 * is a clear error, and the native entry points validate their arguments.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as torch from '../../lib';
import { loadAddon } from '../../lib/backend/native';
import { hasMpirun, root } from './mpirun';

const dist = torch.distributed;

function initWithLibrary(library: string): string {
  const r = spawnSync(process.execPath, ['-e', `
    const torch = require('./dist');
    try { torch.distributed.initProcessGroup({ backend: 'mpi' }); console.log('initialized'); }
    catch (e) { console.log(e.message); }`], { cwd: root, encoding: 'utf8', env: { ...process.env, TORCHLET_MPI_LIBRARY: library } });
  return r.stdout + r.stderr;
}

describe('torch.distributed without MPI', () => {
  it('initProcessGroup without the MPI library names it and says how to install Open MPI', () => {
    const out = initWithLibrary('/nonexistent/libmpi.so.40');
    expect(out).toMatch(/initProcessGroup: cannot load the MPI library \/nonexistent\/libmpi\.so\.40 \(.*\)\. torchlet\.distributed needs Open MPI: on Debian\/Ubuntu `sudo apt-get install -y openmpi-bin libopenmpi-dev`/);
  });

  it('a library that is not MPI is refused, naming what is missing', () => {
    expect(initWithLibrary('libm.so.6')).toMatch(/initProcessGroup: libm\.so\.6 is not a usable MPI library \(missing MPI_Init_thread, /);
  });

  it('everything before initProcessGroup is a clear error', () => {
    expect(dist.isInitialized()).toBe(false);
    const hint = /the default process group has not been initialized; call torch\.distributed\.initProcessGroup\(\{ backend: 'mpi' \}\) first/;
    expect(() => dist.getRank()).toThrow(hint);
    expect(() => dist.allReduceSync(torch.ones(2))).toThrow(/^allReduce: /);
    expect(() => dist.barrierSync()).toThrow(/^barrier: /);
    expect(() => dist.destroyProcessGroup()).toThrow(/^destroyProcessGroup: /);
    expect(() => new torch.nn.parallel.DistributedDataParallel(new torch.nn.Linear(2, 2))).toThrow(/^DistributedDataParallel: the default process group/);
    return expect(dist.allReduce(torch.ones(2))).rejects.toThrow(hint);
  });

  it('bad initProcessGroup options are errors before MPI is touched', () => {
    expect(() => dist.initProcessGroup({ backend: 'gloo' } as never)).toThrow(/backend 'gloo' is not available; torchlet has 'mpi' only \(no gloo or nccl\)/);
    expect(() => dist.initProcessGroup({ worldSize: 2 } as never)).toThrow(/unknown option 'worldSize'/);
    expect(() => dist.initProcessGroup({ timeout: -1 })).toThrow(/timeout must be a positive number of milliseconds/);
  });

  it('the native entry points check their arguments (TypeError/RangeError naming the function)', () => {
    const a = (loadAddon() as unknown as { distributed: Record<string, (...args: unknown[]) => unknown> }).distributed;
    expect(() => a.allReduce({}, new Float32Array(2), 'sum')).toThrow(/distributedAllReduce: group must be the handle distributedInit returned/);
    expect(() => a.allReduce()).toThrow(TypeError);
    expect(() => a.wait(1)).toThrow(/distributedWait: work must be a handle a collective returned/);
    expect(() => a.barrier('x')).toThrow(/distributedBarrier: group must be/);
    expect(() => a.destroy(null)).toThrow(/distributedDestroy: group must be/);
    expect(() => a.init(-5)).toThrow(/distributedInit: timeoutMs must be a positive number/);
  });
});

describe.skipIf(!hasMpirun)('the native handles (one process, MPI singleton)', () => {
  it('a group handle is never taken for a work handle or the reverse; a destroyed group refuses work', () => {
    const r = spawnSync(process.execPath, ['-e', `
      const d = require('./dist/backend/native.js').loadAddon().distributed;
      const { group, rank, worldSize } = d.init(5000);
      const work = d.allReduce(group, new Float32Array([1, 2]), 'sum');
      const out = [rank, worldSize];
      for (const f of [() => d.wait(group), () => d.allReduce(work, new Float32Array(1), 'sum'), () => d.destroy(work)]) {
        try { f(); out.push('no error'); } catch (e) { out.push(e.constructor.name + ': ' + e.message); }
      }
      d.wait(work);
      d.destroy(group);
      try { d.barrier(group); } catch (e) { out.push(e.message); }
      console.log(JSON.stringify(out));`], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop() as string)).toEqual([
      0, 1,
      'TypeError: distributedWait: work must be a handle a collective returned',
      'TypeError: distributedAllReduce: group must be the handle distributedInit returned',
      'TypeError: distributedDestroy: group must be the handle distributedInit returned',
      'barrier: the process group was destroyed',
    ]);
  });
});

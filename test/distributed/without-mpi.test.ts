/**
 * torch.distributed where MPI is missing or unused: the addon loads without
 * it, initProcessGroup says how to install Open MPI, everything before init
 * is a clear error, and the native entry points validate their arguments.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as torch from '../../lib';
import { loadAddon } from '../../lib/backend/native';
import { root } from './mpirun';

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
    expect(() => dist.initProcessGroup({ worldSize: 2 } as never)).toThrow(/unknown option 'worldSize' \(options: backend, timeout; rank and world size come from mpirun\)/);
    expect(() => dist.initProcessGroup({ timeout: -1 })).toThrow(/timeout must be a positive number of milliseconds/);
  });

  it('the native entry points check their arguments (TypeError/RangeError naming the function)', () => {
    const a = loadAddon() as unknown as Record<string, (...args: unknown[]) => unknown>;
    expect(() => a.distributedAllReduce({}, new Float32Array(2), 'sum')).toThrow(/distributedAllReduce: group must be the handle distributedInit returned/);
    expect(() => a.distributedAllReduce()).toThrow(TypeError);
    expect(() => a.distributedWait(1)).toThrow(/distributedWait: work must be a handle a collective returned/);
    expect(() => a.distributedBarrier('x')).toThrow(/distributedBarrier: group must be/);
    expect(() => a.distributedDestroy(null)).toThrow(/distributedDestroy: group must be/);
    expect(() => a.distributedInit(-5)).toThrow(/distributedInit: timeoutMs must be a positive number/);
  });
});

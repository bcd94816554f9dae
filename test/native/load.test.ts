// When the addon cannot be loaded, the loader says why, where it looked, and
// the ways out (each situation: load-errors.test.ts) — it never falls back to the JS backend silently.
import { afterEach, describe, expect, it, vi } from 'vitest';

describe('native loader errors', () => {
  const saved = process.env.TORCHLET_PREBUILD;
  afterEach(() => {
    if (saved === undefined) delete process.env.TORCHLET_PREBUILD;
    else process.env.TORCHLET_PREBUILD = saved;
    vi.resetModules();
  });

  it('throws an Error with the reason, the paths tried and both ways out', async () => {
    // node-gyp-build looks in $TORCHLET_PREBUILD instead of the package root
    process.env.TORCHLET_PREBUILD = '/nonexistent/torchlet-test';
    vi.resetModules();
    const fresh = await import('../../lib/backend/native');
    let err: unknown;
    try {
      fresh.loadNativeKernels();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Error);
    const msg = (err as Error).message;
    expect(msg).toMatch(/cannot load the native backend/);
    // nothing in build/ or prebuilds/, and no platform package installed in a checkout
    expect(msg).toMatch(/the prebuilt binary for \S+ .*is the optional dependency @torchlet\/|has no prebuilt binary for/);
    expect(msg).toMatch(/build[/\\]Release[/\\]torchlet\.node/); // paths tried
    expect(msg).toMatch(/apt-get install -y .*libopenblas-dev/);
    expect(msg).toMatch(/npm explore torchlet -- npm run build:addon/);
    expect(msg).toMatch(/TORCHLET_BACKEND=js/);
    expect(msg).toMatch(/setBackend\('js'\)/);
  });
});

// Every op looks its kernel up on the backend object (`k().relu`): that object
// must keep V8's fast properties. Built by many assignments it becomes a hash
// table, which made the tiny-model training steps (W3, W4) ~10% slower.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const dist = path.resolve(__dirname, '../../dist');

describe('backend objects', () => {
  it('keep fast properties on both backends (V8 %HasFastProperties)', () => {
    const script = `
      const { kernels, setBackend } = require(${JSON.stringify(path.join(dist, 'backend/index.js'))});
      const out = {};
      for (const name of ['native', 'js']) { setBackend(name); out[name] = %HasFastProperties(kernels()); }
      console.log(JSON.stringify(out));`;
    const out = execFileSync(process.execPath, ['--allow-natives-syntax', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ native: true, js: true });
  });
});

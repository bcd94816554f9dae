// Drift check: the activation and reduction codes of the native kernels
// (native/codes.h, included by every kernel and both SIMD builds) are the
// numbers lib/backend/kernels.ts exports as ACT_* and REDUCTION_*, and no
// other native file defines them again.
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import * as kernels from '../../lib/backend/kernels';

const root = path.resolve(__dirname, '..', '..');
const header = fs.readFileSync(path.join(root, 'native/codes.h'), 'utf8');

/** kActLeakyRelu -> ACT_LEAKY_RELU, kReductionMean -> REDUCTION_MEAN. */
function tsName(cxx: string): string {
  return cxx.slice(1).replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** The enumerators of `enum <name> : int { ... };` in codes.h, as TS names. */
function enumCodes(name: string): Record<string, number> {
  const body = new RegExp(`enum\\s+${name}\\s*:\\s*int\\s*\\{([^}]*)\\}`).exec(header);
  expect(body, `enum ${name} in native/codes.h`).not.toBeNull();
  const codes: Record<string, number> = {};
  for (const m of body![1].matchAll(/(k\w+)\s*=\s*(\d+)/g)) codes[tsName(m[1])] = Number(m[2]);
  return codes;
}

function tsCodes(prefix: string): Record<string, number> {
  return Object.fromEntries(
    Object.entries(kernels).filter(([k, v]) => k.startsWith(prefix) && typeof v === 'number'),
  ) as Record<string, number>;
}

describe('native codes', () => {
  for (const [cxx, ts] of [['Act', 'ACT_'], ['Reduction', 'REDUCTION_']]) {
    it(`native/codes.h ${cxx} is ${ts}* of kernels.ts, and k${cxx}Max the largest`, () => {
      const codes = enumCodes(cxx);
      expect(Object.keys(codes).length).toBeGreaterThan(0);
      expect(codes).toEqual(tsCodes(ts));
      const max = new RegExp(`constexpr int k${cxx}Max = (k\\w+);`).exec(header)?.[1];
      expect(max && codes[tsName(max)]).toBe(Math.max(...Object.values(codes)));
    });
  }

  it('no other native file defines the codes', () => {
    const files = (dir: string): string[] =>
      fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(`${dir}/${e.name}`) : /\.(h|cc)$/.test(e.name) ? [`${dir}/${e.name}`] : []);
    const others = files('native').filter((f) => f !== 'native/codes.h');
    // e.g. kRelu = 1, kActRelu = 1, kReduceSum = 2: an enumerator's stem given a number elsewhere
    const stems = [...header.matchAll(/k(?:Act|Reduction)(\w+)\s*=\s*\d/g)].map((m) => m[1]).filter((s) => s !== 'None');
    const redefined = new RegExp(`enum\\s+(Act|Reduction)\\b|\\bk\\w*(${stems.join('|')})\\s*=\\s*\\d`);
    expect(others.length).toBeGreaterThan(10);
    for (const f of others) {
      const text = fs.readFileSync(path.join(root, f), 'utf8');
      expect(text, f).not.toMatch(redefined);
    }
  });
});

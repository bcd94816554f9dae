// Drift check: CMakeLists.txt (cmake-js) and binding.gyp (node-gyp) build the
// same sources, both read from native/sources.json, which lists exactly the
// .cc files in native/.
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');
const read = (p: string) => fs.readFileSync(path.join(root, p), 'utf8');

/** binding.gyp is a Python literal; ours is JSON once '#' comment lines are dropped. */
function parseGyp(text: string): { targets: Array<Record<string, unknown>> } {
  const json = text
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .join('\n');
  return JSON.parse(json);
}

describe('native source list', () => {
  const sources: string[] = JSON.parse(read('native/sources.json'));

  it('native/sources.json lists exactly the .cc files in native/', () => {
    const onDisk = fs
      .readdirSync(path.join(root, 'native'))
      .filter((f) => f.endsWith('.cc'))
      .map((f) => `native/${f}`)
      .sort();
    expect([...sources].sort()).toEqual(onDisk);
    expect(new Set(sources).size).toBe(sources.length);
  });

  it('binding.gyp builds target torchlet from native/sources.json', () => {
    const gyp = parseGyp(read('binding.gyp'));
    const target = gyp.targets.find((t) => t.target_name === 'torchlet');
    expect(target, 'target torchlet').toBeDefined();
    const src = target!.sources as string[];
    expect(src.join(' ')).toMatch(/native\/sources\.json/);
    // no source file listed by hand next to the shared list
    expect(src.filter((s) => /\.(cc|cpp|c)$/.test(s))).toEqual([]);
    // the expansion gives the list
    const expr = /require\('\.\/native\/sources\.json'\)\.join\(' '\)/;
    expect(src.some((s) => expr.test(s))).toBe(true);
  });

  it('CMakeLists.txt reads native/sources.json and lists no sources by hand', () => {
    const cmake = read('CMakeLists.txt');
    expect(cmake).toMatch(/native\/sources\.json/);
    expect(cmake).toMatch(/string\(JSON/);
    const code = cmake
      .split('\n')
      .map((l) => l.replace(/#.*$/, ''))
      .join('\n');
    expect(code).not.toMatch(/\.cc\b/);
    expect(code).not.toMatch(/file\s*\(\s*GLOB/i);
    expect(code).toMatch(/add_library\(\s*torchlet\s+SHARED\s+\$\{TORCHLET_SOURCES\}/);
  });
});

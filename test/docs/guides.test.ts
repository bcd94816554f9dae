/**
 * The guides' code runs: each docs/guide/*.md is one script made of its `js`
 * blocks in order (a block marked `js file=NAME` is written beside it as
 * NAME), run with node in a temporary directory against the built package.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(__dirname, '..', '..');
const guideDir = path.join(root, 'docs', 'guide');
const entry = pathToFileURL(path.join(root, 'dist', 'index.mjs')).href;

/** The files a guide's `js` blocks make: main.mjs plus any `file=NAME` blocks. */
function guideFiles(markdown: string): Map<string, string> {
  const files = new Map<string, string>([['main.mjs', '']]);
  for (const [, lang, attrs, code] of markdown.matchAll(/^```(\w+)([^\n]*)\n([\s\S]*?)^```/gm)) {
    if (lang !== 'js') continue;
    const name = /file=(\S+)/.exec(attrs)?.[1] ?? 'main.mjs';
    files.set(name, (files.get(name) ?? '') + code.replaceAll("from 'torchlet'", `from '${entry}'`) + '\n');
  }
  return files;
}

const guides = readdirSync(guideDir).filter((f) => f.endsWith('.md') && f !== 'README.md');

describe('guides', () => {
  it('are all there', () => {
    expect(guides.sort()).toEqual(['performance.md', 'pytorch-weights.md', 'training-loop.md', 'troubleshooting.md', 'worker-serving.md']);
  });

  for (const guide of guides) {
    it(`${guide} runs`, () => {
      const files = guideFiles(readFileSync(path.join(guideDir, guide), 'utf8'));
      expect(files.get('main.mjs')?.trim(), `${guide} has no js block`).not.toBe('');
      const dir = mkdtempSync(path.join(tmpdir(), 'torchlet-guide-'));
      try {
        for (const [name, code] of files) writeFileSync(path.join(dir, name), code);
        execFileSync(process.execPath, ['main.mjs'], { cwd: dir, encoding: 'utf8', stdio: 'pipe', timeout: 50_000 });
      } catch (err) {
        const e = err as { stderr?: string; stdout?: string; message: string };
        throw new Error(`${guide}: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

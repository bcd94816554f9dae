/**
 * The READMEs describe what is: no history narration (that belongs in git log
 * and CHANGELOG.md) and no references to documents the repository lacks.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

/** README.md, bench/README.md and every README.md under examples/. */
function readmes(): string[] {
  const found = ['README.md', 'bench/README.md'];
  const walk = (dir: string): void => {
    for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory() && e.name !== 'node_modules') walk(rel);
      else if (e.name === 'README.md') found.push(rel);
    }
  };
  walk('examples');
  return found;
}

/** Phrases that tell the project's history instead of its present state. */
const NARRATION: [RegExp, string][] = [
  [/session/i, 'a work session'],
  [/what made the difference/i, 'a change log entry'],
  [/\bthe issue'?s\b/i, 'an issue readers cannot see'],
  [/\bNOTES\b/, 'notes outside the repository'],
  [/\bwas\s+[~≈]?[\d.,]+[^.;\n]{0,30}\bnow\b/i, 'a "was X, now Y" comparison'],
];

/** Each line of `text` that matches one of `patterns`, as "file:line: why: text". */
function findings(file: string, text: string, patterns: [RegExp, string][]): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const [re, why] of patterns) if (re.test(line)) out.push(`${file}:${i + 1}: ${why}: ${line.trim()}`);
  });
  return out;
}

/** Markdown link targets and backquoted *.md names that are neither beside `file` nor at the root. */
function danglingReferences(file: string, text: string): string[] {
  const targets = [
    ...[...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]),
    ...[...text.matchAll(/`([\w./-]+\.md)`/g)].map((m) => m[1]),
  ].filter((t) => !/^[a-z]+:/.test(t));
  const dir = path.dirname(path.join(root, file));
  return targets
    .filter((t) => !existsSync(path.resolve(dir, t)) && !existsSync(path.resolve(root, t)))
    .map((t) => `${file}: ${t} does not exist`);
}

/** Source files under `dirs` (recursively), as [relative path, text]. */
function sources(dirs: string[]): [string, string][] {
  const out: [string, string][] = [];
  const walk = (dir: string): void => {
    if (!existsSync(path.join(root, dir))) return;
    for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== 'fixtures') walk(rel);
      } else if (/\.(ts|js|mjs|cjs|cc|h|sh|yml)$|^run$/.test(e.name)) {
        out.push([rel, readFileSync(path.join(root, rel), 'utf8')]);
      }
    }
  };
  dirs.forEach(walk);
  return out;
}

/** TORCHLET_* environment variables a source reads: process.env, getenv's string literals, shell expansions. */
function environmentSwitches(text: string): string[] {
  const re = /(?:process\.env\.|process\.env\[['"]|env\.|\$env:|\$\{|getenv\("|[{,]\s*")(TORCHLET_[A-Z0-9_]+)/g;
  return [...text.matchAll(re)].map((m) => m[1]);
}

describe('READMEs', () => {
  const files = readmes();

  it('are found: the main README, the bench README and the examples READMEs', () => {
    expect(files).toEqual(expect.arrayContaining(['README.md', 'bench/README.md', 'examples/README.md', 'examples/serve/README.md']));
  });

  it.each(files)('%s narrates no history', (file) => {
    expect(findings(file, readFileSync(path.join(root, file), 'utf8'), NARRATION)).toEqual([]);
  });

  it.each(files)('%s refers only to files that exist', (file) => {
    expect(danglingReferences(file, readFileSync(path.join(root, file), 'utf8'))).toEqual([]);
  });

  it('README.md has one row for every TORCHLET_* environment switch the code reads', () => {
    const table = readFileSync(path.join(root, 'README.md'), 'utf8').split('\n').filter((l) => l.startsWith('| `TORCHLET_'));
    const rows = table.map((l) => l.slice(3, l.indexOf('`', 3)));
    const read = new Set(sources(['lib', 'native', 'scripts', 'bench', 'examples', 'test', 'bin', '.ci', '.github'])
      .filter(([file]) => !file.startsWith(path.join('test', 'docs')))
      .flatMap(([, text]) => environmentSwitches(text)));
    expect(read.size).toBeGreaterThan(10);
    expect([...read].filter((v) => !rows.includes(v)).sort()).toEqual([]);
    expect(rows.filter((v, i) => rows.indexOf(v) !== i)).toEqual([]);
  });

  it('the lessons have one number and one title everywhere: files, course/index.mjs, tests, READMEs', () => {
    const index = readFileSync(path.join(root, 'examples/course/index.mjs'), 'utf8');
    const lessons = [...index.matchAll(/\{ id: '(\d\d)', title: '([^']+)'/g)].map((m) => ({ id: m[1], title: m[2] }));
    expect(lessons.map((l) => l.id)).toEqual(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11']);
    const named = (dir: string, suffix: string): string[] => readdirSync(path.join(root, dir)).filter((f) => /^\d\d-/.test(f) && f.endsWith(suffix)).map((f) => f.slice(0, -suffix.length)).sort();
    const entries = named('examples', '.mjs');
    expect(entries.map((f) => f.slice(0, 2))).toEqual(lessons.map((l) => l.id));
    expect(named('examples/course', '.mjs')).toEqual(entries);
    expect(named('test/examples', '.test.ts')).toEqual(entries);
    const main = readFileSync(path.join(root, 'README.md'), 'utf8');
    const course = readFileSync(path.join(root, 'examples/README.md'), 'utf8');
    for (const [i, { id, title }] of lessons.entries()) {
      expect(main).toContain(`| ${id} | ${title}`);
      expect(course).toContain(`| \`node examples/${entries[i]}.mjs\` | ${id} ${title}`);
      expect(readFileSync(path.join(root, 'examples/course', `${entries[i]}.mjs`), 'utf8')).toContain(`Lesson ${id}: `);
      expect(readFileSync(path.join(root, 'test/examples', `${entries[i]}.test.ts`), 'utf8')).toContain(`examples: ${id} ${title}`);
    }
  });

  it('the checks catch what they look for', () => {
    expect(findings('x.md', 'ok\nmeasured this Session, was 30 µs, now 19', NARRATION)).toHaveLength(2);
    expect(danglingReferences('README.md', 'see `DESIGN.md` and [the bench](bench/README.md)')).toEqual(['README.md: DESIGN.md does not exist']);
    expect(environmentSwitches('process.env.TORCHLET_A; getenv("TORCHLET_B"); ${TORCHLET_C:-1}; {"TORCHLET_D", "X"}; TORCHLET_E'))
      .toEqual(['TORCHLET_A', 'TORCHLET_B', 'TORCHLET_C', 'TORCHLET_D']);
  });
});

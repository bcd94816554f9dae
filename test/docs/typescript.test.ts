/**
 * TypeScript users: examples/typescript/train.ts and the README's quick start
 * (as a .ts file, verbatim) typecheck under strict against the built package's
 * declarations (dist/, as an installed torchlet would give them), and the
 * example runs. One tsc program for both.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

const root = path.resolve(__dirname, '..', '..');
const exampleDir = path.join(root, 'examples', 'typescript');

/** The first ```js block of README.md: the quick start. */
function quickStart(): string {
  const m = /```js\n([\s\S]*?)```/.exec(readFileSync(path.join(root, 'README.md'), 'utf8'));
  if (m === null) throw new Error('README.md has no ```js block');
  return m[1];
}

/** Every error of a program holding the example and the quick start, formatted as tsc prints them. */
function typecheck(): string {
  const configFile = path.join(exampleDir, 'tsconfig.json');
  const config = ts.getParsedCommandLineOfConfigFile(configFile, {}, {
    ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); },
  });
  if (config === undefined) throw new Error(`cannot read ${configFile}`);
  // The quick start is served from memory beside the example, so 'torchlet' resolves the same way.
  const virtual = path.join(exampleDir, 'readme-quick-start.ts');
  const text = quickStart();
  const host = ts.createCompilerHost(config.options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => f === virtual || fileExists.call(host, f);
  host.readFile = (f) => (f === virtual ? text : readFile.call(host, f));
  host.getSourceFile = (f, lang, ...rest) => (f === virtual ? ts.createSourceFile(f, text, lang) : getSourceFile.call(host, f, lang, ...rest));
  const program = ts.createProgram([...config.fileNames, virtual], config.options, host);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  return ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' });
}

describe('TypeScript', () => {
  it('the example and the README quick start typecheck under strict against dist/', () => {
    expect(config().strict).toBe(true);
    expect(typecheck()).toBe('');
  });

  it('examples/typescript/train.ts runs and reaches its accuracy', () => {
    const source = readFileSync(path.join(exampleDir, 'train.ts'), 'utf8');
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText
      .replaceAll("from 'torchlet'", `from '${pathToFileURL(path.join(root, 'dist', 'index.mjs')).href}'`);
    const dir = mkdtempSync(path.join(tmpdir(), 'torchlet-ts-example-'));
    try {
      writeFileSync(path.join(dir, 'train.mjs'), js);
      const out = execFileSync(process.execPath, [path.join(dir, 'train.mjs')], { encoding: 'utf8' });
      expect(out).toMatch(/held-out accuracy (9\d|100)\.\d%/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The example's compiler options as written. */
function config(): { strict?: boolean } {
  return JSON.parse(readFileSync(path.join(exampleDir, 'tsconfig.json'), 'utf8')).compilerOptions;
}

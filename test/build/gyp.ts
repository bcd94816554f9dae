// Readers of the two build files for the drift checks in test/build.
import * as fs from 'fs';
import * as path from 'path';

export const root = path.resolve(__dirname, '..', '..');
export const read = (p: string): string => fs.readFileSync(path.join(root, p), 'utf8');

export type GypTarget = Record<string, unknown> & { target_name: string };
export interface Gyp {
  target_defaults?: Record<string, unknown>;
  targets: GypTarget[];
}

/**
 * binding.gyp is a Python literal: '#' comments, single- or double-quoted
 * strings, trailing commas. Rewritten to JSON token by token.
 */
export function parseGyp(text: string): Gyp {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (ch === '"' || ch === "'") {
      let s = '';
      for (i++; text[i] !== ch; i++) {
        if (text[i] === '\\') s += text[++i] === 'n' ? '\n' : text[i];
        else s += text[i];
      }
      out += JSON.stringify(s);
    } else {
      out += ch;
    }
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
}

/** CMakeLists.txt without its comments. */
export function cmakeCode(): string {
  return read('CMakeLists.txt')
    .split('\n')
    .map((l) => l.replace(/#.*$/, ''))
    .join('\n');
}

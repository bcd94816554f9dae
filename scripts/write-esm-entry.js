// Writes dist/index.mjs: the ES-module entry re-exports the CommonJS build, so
// `import` and `require` share one instance of the library (no dual-package state).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dist = path.join(__dirname, '..', 'dist');
const cjs = require(path.join(dist, 'index.js'));
const names = Object.keys(cjs).filter((n) => n !== 'default' && n !== '__esModule');
/** `export const n = torch.n;`, or through an alias when n is a reserved word (torch.var). */
function exportLine(n) {
  try {
    new Function(`const ${n} = 0;`);
    return `export const ${n} = torch.${n};`;
  } catch {
    return `const ${n}_ = torch.${n};\nexport { ${n}_ as ${n} };`;
  }
}
const body = [
  "import { createRequire } from 'node:module';",
  "// createRequire, not `import torch from './index.js'`: bundlers and vite-node",
  "// hand back a different default object for CommonJS than Node does.",
  "const torch = createRequire(import.meta.url)('./index.js');",
  ...names.map(exportLine),
  'export default torch;',
  '',
].join('\n');
const tmp = path.join(dist, 'index.mjs.tmp');
fs.writeFileSync(tmp, body);
fs.renameSync(tmp, path.join(dist, 'index.mjs'));
const types = "import * as torch from './index.js';\nexport * from './index.js';\nexport default torch;\n";
fs.writeFileSync(path.join(dist, 'index.d.mts'), types);

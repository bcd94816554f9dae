// Regenerates the protobuf JSON descriptors torchlet loads at run time from the
// .proto files committed beside them (test/build/proto-schemas.test.ts checks
// that they agree): `node scripts/gen-proto-schemas.js`.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const protobuf = require('protobufjs');

const root = path.join(__dirname, '..');

/** Each schema: the .proto, the .ts written from it and the name it exports. */
const SCHEMAS = [
  { proto: 'lib/utils/tensorboard/event.proto', out: 'lib/utils/tensorboard/event-schema.ts', name: 'EVENT_SCHEMA' },
  { proto: 'lib/onnx/onnx.proto', out: 'lib/onnx/onnx-schema.ts', name: 'ONNX_SCHEMA' },
];

/** The JSON descriptor of a .proto text, field names as written (snake_case). */
function descriptor(text) {
  return protobuf.parse(text, { keepCase: true }).root.toJSON();
}

function source({ proto, name }) {
  const json = descriptor(fs.readFileSync(path.join(root, proto), 'utf8'));
  return [
    `/** Generated from ${path.basename(proto)} by scripts/gen-proto-schemas.js; do not edit. */`,
    "import type { INamespace } from 'protobufjs';",
    '',
    `/** The protobufjs JSON descriptor of ${path.basename(proto)}. */`,
    `export const ${name} = ${JSON.stringify(json, null, 2)} as INamespace;`,
    '',
  ].join('\n');
}

if (require.main === module) {
  for (const s of SCHEMAS) fs.writeFileSync(path.join(root, s.out), source(s));
}

module.exports = { SCHEMAS, descriptor };

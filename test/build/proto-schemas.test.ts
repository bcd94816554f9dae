/**
 * The protobuf descriptors torchlet loads (lib/**\/*-schema.ts) are what
 * scripts/gen-proto-schemas.js makes from the committed .proto files: editing
 * a .proto without regenerating fails here.
 */
import { describe, it, expect } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(__filename);
const { SCHEMAS, descriptor } = require('../../scripts/gen-proto-schemas.js') as {
  SCHEMAS: { proto: string; out: string; name: string }[];
  descriptor: (text: string) => unknown;
};

describe('generated protobuf descriptors', () => {
  for (const s of SCHEMAS) {
    it(`${s.out} matches ${s.proto}`, async () => {
      const mod = (await import(path.resolve(s.out))) as Record<string, unknown>;
      expect(mod[s.name]).toEqual(descriptor(fs.readFileSync(s.proto, 'utf8')));
    });
  }
});

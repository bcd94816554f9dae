/** Builds safetensors bytes by hand, valid or not, for the reader tests. */

/** Header length prefix + header text (JSON value or raw string, padded to 8 unless `pad` is false) + data. */
export function craft(header: unknown, data: Uint8Array | number = 0, pad = true): Buffer {
  const text = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header), 'utf8');
  const padded = pad ? Buffer.concat([text, Buffer.alloc(-text.length & 7, 0x20)]) : text;
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(padded.length));
  const body = typeof data === 'number' ? Buffer.alloc(data) : Buffer.from(data);
  return Buffer.concat([prefix, padded, body]);
}

/** A header entry. */
export function entry(dtype: string, shape: number[], begin: number, end: number): { dtype: string; shape: number[]; data_offsets: number[] } {
  return { dtype, shape, data_offsets: [begin, end] };
}

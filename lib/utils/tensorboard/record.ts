/**
 * TensorFlow's record framing (TFRecord), the container of event files: each
 * record is a little-endian u64 payload length, the masked CRC-32C of those 8
 * bytes, the payload, and the masked CRC-32C of the payload. A reader that
 * meets a record cut short (a crash mid-write) stops there, so an appended
 * file stays readable up to its last whole record.
 */
import { maskedCrc32c } from './crc32c';

/** The framed bytes of one record holding `payload`. */
export function encodeRecord(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + 4 + payload.length + 4);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(payload.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(payload, 12);
  view.setUint32(12 + payload.length, maskedCrc32c(payload), true);
  return out;
}

/** What `decodeRecords` found: the whole records, and whether a truncated one followed them. */
export interface DecodedRecords {
  /** Payloads of the complete records, in file order. */
  records: Uint8Array[];
  /** True when bytes after the last complete record form an incomplete one (TensorBoard skips it). */
  truncatedTail: boolean;
}

/**
 * Splits `bytes` into record payloads, checking both CRCs of every record; a
 * CRC mismatch is an error, an incomplete final record is reported, not thrown.
 */
export function decodeRecords(bytes: Uint8Array): DecodedRecords {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: Uint8Array[] = [];
  let off = 0;
  while (off < bytes.length) {
    if (bytes.length - off < 12) return { records, truncatedTail: true };
    const length = Number(view.getBigUint64(off, true));
    if (view.getUint32(off + 8, true) !== maskedCrc32c(bytes.subarray(off, off + 8))) {
      throw new Error(`decodeRecords: length CRC mismatch in the record at byte ${off}`);
    }
    if (bytes.length - off < 16 + length) return { records, truncatedTail: true };
    const payload = bytes.subarray(off + 12, off + 12 + length);
    if (view.getUint32(off + 12 + length, true) !== maskedCrc32c(payload)) {
      throw new Error(`decodeRecords: payload CRC mismatch in the record at byte ${off}`);
    }
    records.push(payload);
    off += 16 + length;
  }
  return { records, truncatedTail: false };
}

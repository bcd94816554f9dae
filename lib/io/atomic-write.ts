/**
 * Atomic file replacement: write a temp file in the target's directory, fsync
 * it, rename it over the target, fsync the directory (best effort). A failure
 * at any step removes the temp file and leaves the old target untouched.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

/** Writes chunks one after another into the file handle (writes may be partial). */
export type ChunkWriter = (write: (chunk: Uint8Array) => Promise<void>) => Promise<void>;

const MAX_WRITE = 64 * 1024 * 1024;

/** Replaces `target` with what `produce` writes, atomically. */
export async function writeAtomic(target: string, produce: ChunkWriter): Promise<void> {
  const dir = path.dirname(path.resolve(target));
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const mode = await fs.stat(target).then((s) => s.mode & 0o777, () => 0o644);
  const fh = await fs.open(temp, 'wx', mode);
  try {
    let position = 0;
    await produce(async (chunk) => {
      for (let off = 0; off < chunk.length;) {
        const len = Math.min(chunk.length - off, MAX_WRITE);
        const { bytesWritten } = await fh.write(chunk, off, len, position);
        off += bytesWritten;
        position += bytesWritten;
      }
    });
    await fh.sync();
    await fh.close();
    await fs.rename(temp, target);
  } catch (e) {
    await fh.close().catch(() => undefined); // already closed after a rename failure
    await fs.unlink(temp).catch(() => undefined);
    throw e;
  }
  await syncDirectory(dir);
}

/** fsync a directory so the rename survives a crash; not possible everywhere (Windows), so best effort. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const d = await fs.open(dir, 'r');
    try { await d.sync(); } finally { await d.close(); }
  } catch {
    // ignored: the data itself is already synced
  }
}

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/**
 * SHA-256 of a file's bytes as stored (for a .fits.gz: of the compressed file), streamed in 1 MiB
 * chunks so a 14 GB frame hashes with flat memory. 1 MiB keeps the syscall count low without
 * holding much; larger chunks were measured no faster (docs/performance.md). `observe` sees every
 * chunk in order, so a FITS checksum is taken in the same pass (ingest/frame.job.ts).
 */
export async function sha256File(
  path: string,
  observe?: (chunk: Uint8Array) => void,
): Promise<{ sha256: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer);
    observe?.(chunk as Buffer);
    sizeBytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), sizeBytes };
}

/**
 * A ZIP of originals streamed on the fly: entries are stored (FITS data barely compresses and
 * deflate would cost the CPU the download needs), files are opened one at a time (flat memory,
 * one file descriptor), and since every size is known before the first byte the archive's exact
 * length is too (Content-Length). The record layouts, ZIP64 included, are in zip-records.ts.
 *
 * The last entry, manifest.csv, lists every file with its catalog metadata and the SHA-256 computed
 * while the file was streamed (next to the catalog's), so a recipient can verify the archive.
 * SHA-256 hex has a fixed length, so the manifest's size is known before the hashes are.
 *
 * Each file is read once, in large chunks, with the next read in flight while the current chunk
 * goes through CRC-32 (zlib's, native), SHA-256 and out to the client; docs/performance.md ("ZIP
 * downloads") has the measurements behind these choices.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import type { PlannedFile } from '../catalog/downloads.js';
import { csvRow } from '../util/csv.js';
import {
  centralRecordLength,
  dataDescriptor,
  endRecords,
  endRecordsLength,
  entryLength,
  layoutEntry,
  localHeader,
  writeCentralRecord,
  type ZipEntryLayout,
} from './zip-records.js';

export const MANIFEST_NAME = 'manifest.csv';
const HASH_PLACEHOLDER = '0'.repeat(64);

/**
 * Bytes per read of an original. Larger reads mean fewer trips through the thread pool and fewer
 * stream callbacks per byte. Every chunk is a fresh buffer: whoever reads a stream owns the chunks
 * it receives (a test harness or a transform may keep them), so they cannot be recycled. V8 frees
 * them in young-generation collections, or in full collections of the whole heap when they are
 * allocated faster than external memory is swept; 1 MiB reads made those full collections
 * frequent. At most about three chunks per download are alive (one in the socket, one in the
 * stream's buffer, one being read).
 */
export const READ_CHUNK_BYTES = 256 << 10;
/** Small records (headers, descriptors, the central directory) are sent in batches of this size. */
const RECORD_BATCH_BYTES = 64 << 10;

export interface ZipPlan {
  /** Exact size of the archive in bytes. */
  size: number;
  stream: Readable;
  /** Resolves with the SHA-256 of each member once the archive has been written. */
  done: Promise<{ sha256: string[]; bytes: number }>;
}

/** A selected image whose file cannot be read: listed in the manifest as missing, not in the ZIP. */
export interface ZipMissing {
  name: string;
  catalogSha256: string;
  metadata: unknown[];
}

/** A member's file did not give the bytes its size promised: the archive cannot be completed. */
export class ZipSourceError extends Error {
  override readonly name = 'ZipSourceError';
}

export function buildZip(
  members: PlannedFile[],
  metadataColumns: string[],
  options: { forceZip64?: boolean; missing?: ZipMissing[] } = {},
): ZipPlan {
  const forceZip64 = options.forceZip64 ?? false;
  const hashes: string[] = members.map(() => HASH_PLACEHOLDER);
  const header = ['name', 'status', 'size_bytes', 'sha256', 'catalog_sha256', ...metadataColumns];
  const missingRows = (options.missing ?? [])
    .map((m) => csvRow([m.name, 'missing', '', '', m.catalogSha256, ...m.metadata]))
    .join('');
  const manifest = (shas: string[]) =>
    Buffer.from(
      csvRow(header) +
        members.map((m, i) => csvRow([m.name, 'ok', m.size, shas[i], m.catalogSha256, ...m.metadata])).join('') +
        missingRows,
    );
  const manifestSize = manifest(hashes).length;

  // Where every record goes, hence the archive's size, before a byte is read.
  const layouts: ZipEntryLayout[] = [];
  let offset = 0;
  for (const m of members) {
    layouts.push(layoutEntry(m.name, m.size, m.mtime, offset, forceZip64));
    offset += entryLength(layouts[layouts.length - 1] as ZipEntryLayout);
  }
  const manifestLayout = layoutEntry(MANIFEST_NAME, manifestSize, new Date(), offset, forceZip64);
  layouts.push(manifestLayout);
  offset += entryLength(manifestLayout);
  const centralDirectory = { entries: layouts.length, offset, size: 0, forceZip64 };
  for (const layout of layouts) centralDirectory.size += centralRecordLength(layout);
  const size = offset + centralDirectory.size + endRecordsLength(centralDirectory);

  const crcs = new Uint32Array(layouts.length);
  let bytes = 0;

  const sent = (chunk: Buffer): Buffer => {
    bytes += chunk.length;
    return chunk;
  };

  async function* archive(): AsyncGenerator<Buffer> {
    const batch = new RecordBatch();
    for (const [index, member] of members.entries()) {
      const layout = layouts[index] as ZipEntryLayout;
      batch.add(localHeader(layout));
      const digest = { crc: 0, sha256: '' };
      for await (const chunk of fileBytes(member, digest)) {
        // Headers and small files go out together; a large chunk goes out as it is, not copied.
        if (chunk.length < RECORD_BATCH_BYTES) batch.add(chunk);
        else {
          if (!batch.empty) yield sent(batch.take());
          yield sent(chunk);
        }
        if (batch.full) yield sent(batch.take());
      }
      hashes[index] = digest.sha256;
      crcs[index] = digest.crc;
      batch.add(dataDescriptor(layout, digest.crc));
      if (batch.full) yield sent(batch.take());
    }
    const manifestBytes = manifest(hashes);
    if (manifestBytes.length !== manifestSize) throw new Error('manifest.csv is not the size announced');
    crcs[members.length] = crc32(manifestBytes);
    batch.add(localHeader(manifestLayout));
    batch.add(manifestBytes);
    batch.add(dataDescriptor(manifestLayout, crcs[members.length] as number));
    yield sent(batch.take());

    // The central directory, a batch at a time: 100,000 entries make several megabytes of records.
    for (let first = 0; first < layouts.length; ) {
      let length = 0;
      let last = first;
      while (last < layouts.length && length < RECORD_BATCH_BYTES)
        length += centralRecordLength(layouts[last++] as ZipEntryLayout);
      const records = Buffer.allocUnsafe(length);
      let at = 0;
      for (let i = first; i < last; i++)
        at = writeCentralRecord(records, at, layouts[i] as ZipEntryLayout, crcs[i] as number);
      yield sent(records);
      first = last;
    }
    yield sent(endRecords(centralDirectory));
    // A wrong Content-Length would truncate or corrupt the download: fail loudly instead.
    if (bytes !== size) throw new Error(`ZIP of ${bytes} bytes, ${size} announced`);
  }

  // Byte mode with a high-water mark of one chunk: the stream holds at most about one chunk ahead
  // of the socket, so memory stays flat however large the archive.
  const stream = Readable.from(archive(), { objectMode: false, highWaterMark: READ_CHUNK_BYTES });
  const done = new Promise<{ sha256: string[]; bytes: number }>((resolve, reject) => {
    stream.on('end', () => resolve({ sha256: hashes, bytes }));
    stream.on('error', reject);
    stream.on('close', () => {
      if (!stream.readableEnded) reject(new Error('the download was interrupted'));
    });
  });
  done.catch(() => undefined);
  return { size, stream, done };
}

/**
 * The file's bytes, exactly `member.size` of them, with CRC-32 and SHA-256 computed on the same
 * chunks as they pass (into `digest` when the last one has). One read is kept in flight, so the
 * thread pool reads the next chunk while this one is hashed and sent.
 */
async function* fileBytes(member: PlannedFile, digest: { crc: number; sha256: string }): AsyncGenerator<Buffer> {
  const hash = createHash('sha256');
  let crc = 0;
  if (member.size > 0) {
    const handle = await member.open();
    const read = async (position: number): Promise<Buffer> => {
      const length = Math.min(READ_CHUNK_BYTES, member.size - position);
      const buffer = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      return bytesRead === length ? buffer : buffer.subarray(0, bytesRead);
    };
    let pending: Promise<Buffer> | undefined = read(0);
    try {
      for (let position = 0; pending; ) {
        const chunk = await pending;
        pending = undefined;
        // A file that shrank since it was measured: its entry cannot be completed, and a ZIP whose
        // entry is shorter than its header says is corrupt. (Bytes appended since are left out.)
        if (chunk.length === 0)
          throw new ZipSourceError(
            `${member.name}: unexpected number of bytes, the file ended at byte ${position} of the ${member.size} it had when the download began`,
          );
        position += chunk.length;
        if (position < member.size) pending = read(position);
        crc = crc32(chunk, crc);
        hash.update(chunk);
        yield chunk;
      }
    } finally {
      // A read still in flight (the client went away) must finish before its descriptor closes.
      await pending?.catch(() => undefined);
      await handle.close();
    }
  }
  digest.crc = crc;
  digest.sha256 = hash.digest('hex');
}

/** Small buffers collected to be sent as one. */
class RecordBatch {
  private parts: Buffer[] = [];
  private length = 0;

  add(part: Buffer): void {
    this.parts.push(part);
    this.length += part.length;
  }

  get empty(): boolean {
    return this.parts.length === 0;
  }

  get full(): boolean {
    return this.length >= RECORD_BATCH_BYTES;
  }

  take(): Buffer {
    const out = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts, this.length);
    this.parts = [];
    this.length = 0;
    return out;
  }
}

/**
 * A ZIP of originals streamed on the fly with yazl: entries are stored (FITS data barely
 * compresses and deflate would cost the CPU the download needs), files are opened one at a time
 * (flat memory, one file descriptor), and since every size is known before the first byte the
 * archive's exact length is too (Content-Length). yazl switches to ZIP64 by itself when an entry or
 * offset passes 4 GiB or there are 65,535 entries or more.
 *
 * The last entry, manifest.csv, lists every file with its catalog metadata and the SHA-256 computed
 * while the file was streamed (next to the catalog's), so a recipient can verify the archive.
 * SHA-256 hex has a fixed length, so the manifest's size is known before the hashes are.
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { PassThrough, type Readable, Transform } from 'node:stream';
import yazl from 'yazl';
import { csvRow } from '../util/csv.js';

export interface ZipMember {
  /** Name inside the archive. */
  name: string;
  /** Opens the file when its turn comes (one descriptor at a time). */
  open(): Promise<FileHandle>;
  size: number;
  mtime: Date;
  /** The catalog's SHA-256 of the file. */
  catalogSha256: string;
  /** Metadata columns for the manifest, in MANIFEST_COLUMNS order after the fixed ones. */
  metadata: unknown[];
}

export const MANIFEST_NAME = 'manifest.csv';
const HASH_PLACEHOLDER = '0'.repeat(64);

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

export function buildZip(
  members: ZipMember[],
  metadataColumns: string[],
  options: { forceZip64?: boolean; missing?: ZipMissing[] } = {},
): ZipPlan {
  const zip = new yazl.ZipFile();
  const hashes: string[] = members.map(() => HASH_PLACEHOLDER);
  /** The file being streamed now: closed at once if the client goes away. */
  let current: Readable | undefined;
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

  members.forEach((member, index) => {
    zip.addReadStreamLazy(
      member.name,
      { compress: false, size: member.size, mtime: member.mtime, forceZip64Format: options.forceZip64 ?? false },
      (callback) => {
        // An empty file has nothing to read: no descriptor, no stream of its own.
        const opened = member.size === 0 ? Promise.resolve(null) : member.open();
        opened.then(
          (handle) => {
            const stream = hashed(handle, member.size, (sha) => {
              hashes[index] = sha;
            });
            // yazl only pipes a lazy stream; a read error must fail the archive, not stall it.
            stream.on('error', (error) => zip.emit('error', error));
            current = stream;
            callback(null, stream);
          },
          (error: Error) => callback(error, undefined as unknown as Readable),
        );
      },
    );
  });
  zip.addReadStreamLazy(
    MANIFEST_NAME,
    { compress: false, size: manifestSize, mtime: new Date(), forceZip64Format: options.forceZip64 ?? false },
    (callback) => {
      const stream = new PassThrough();
      stream.end(manifest(hashes));
      callback(null, stream);
    },
  );

  let size = -1;
  // @types/yazl misses the callback's argument: the total size, or -1 when it cannot be known.
  const onSize = (finalSize: number) => {
    size = finalSize;
  };
  zip.end({ forceZip64Format: options.forceZip64 ?? false, comment: '' }, onSize as unknown as () => void);
  if (size < 0) throw new Error('ZIP size could not be computed ahead');

  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, next) {
      bytes += chunk.length;
      next(null, chunk);
    },
  });
  const out = (zip.outputStream as Readable).pipe(counter);
  const done = new Promise<{ sha256: string[]; bytes: number }>((resolve, reject) => {
    counter.on('end', () => resolve({ sha256: hashes, bytes }));
    counter.on('error', reject);
    counter.on('close', () => {
      if (counter.readableEnded) return;
      current?.destroy();
      reject(new Error('the download was interrupted'));
    });
    zip.on('error', reject);
  });
  // An error inside yazl (a file that changed size, a read error) must end the download, not hang it.
  zip.on('error', (error: Error) => counter.destroy(error));
  done.catch(() => undefined);
  return { size, stream: out, done };
}

/** The file's bytes, hashed on the way through. */
function hashed(handle: FileHandle | null, size: number, onHash: (sha256: string) => void): Readable {
  const hash = createHash('sha256');
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      onHash(hash.digest('hex'));
      done();
    },
  });
  if (size === 0 || !handle) {
    void handle?.close();
    tap.end();
    return tap;
  }
  // A file that changed length since it was measured makes yazl fail the archive, as it must: a
  // ZIP whose entry length is wrong is corrupt. Reading exactly `size` bytes keeps appends out.
  const source = handle.createReadStream({ start: 0, end: size - 1, autoClose: true });
  source.on('error', (error) => tap.destroy(error));
  return source.pipe(tap);
}

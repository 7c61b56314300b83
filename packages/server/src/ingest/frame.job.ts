import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import {
  type ByteSource,
  bufferSource,
  ChecksumVerifier,
  type FitsStructure,
  type Hdu,
  type HduChecksum,
  isFitsError,
  readStructure,
  verifyChecksums,
  verifyParsedChecksums,
} from '@aims/fits';
import { nodeInflate, openFits } from '@aims/fits/node';
import { pickImageHdu } from '../analysis/image-hdu.js';
import type { PreviewOptions } from '../analysis/preview.js';
import type { StageTimes } from '../analysis/stage-times.js';
import { checkIngestPath } from '../catalog/file-access.js';
import { type EncodedHeaders, encodeHeaders } from '../domain/header-encoding.js';
import type { NormalizedMetadata, QualityMetrics } from '../domain/image.js';
import { sha256File } from '../util/content-hash.js';
import { previewLocation } from '../util/preview-paths.js';
import { acquireMemory, BYTES_PER_PIXEL, budgetBytes, type MemoryBudget } from './memory-budget.js';
import { type NormalizeOptions, normalizeHeaders } from './normalize/index.js';
import { checkStability, type Stability } from './stability.js';
import { storedHdus } from './stored-headers.js';

export interface FrameJob {
  absPath: string;
  /** Headers, hash and catalog only: no pixels are read. */
  skipAnalysis: boolean;
  normalize: NormalizeOptions;
  /** Largest frame read whole; above it, bands of rows are measured and previews streamed (analyzeHdu). */
  maxPixels?: number;
  /** Where previews go (AIMS_DATA_DIR/previews); none are rendered without it or with skipAnalysis. */
  previewDir?: string;
  /** Whole-file gzip: refuse to inflate more than this many bytes per compressed byte (AIMS_MAX_INFLATE_RATIO). */
  maxInflateRatio?: number;
  /**
   * The process's analysis memory, shared by all workers (memory-budget.ts): a frame waits for its
   * share and is measured in bands when it needs more than the whole budget. A thread lets go of
   * its pooled arrays after a frame that needed more than `retainBytes`.
   */
  /**
   * Checked here, before the file is read, instead of on the catalog's thread: the file must
   * resolve inside one of `roots` and not be a link itself (catalog/file-access.ts
   * checkIngestPath), and be as discovery `seen` it and settled for `stableMs` (stability.ts).
   * Without a gate the caller has checked.
   */
  gate?: { roots: string[]; seen: { sizeBytes: number; mtimeMs: number }; stableMs: number };
  memory?: {
    budget: MemoryBudget;
    retainBytes: number;
    /** Int32 [0]: kilobytes this job holds now (set by the pool, which gives them back if it stops the thread). */
    held?: SharedArrayBuffer;
  };
}

export interface ProcessedFrame {
  sha256: string;
  sizeBytes: number;
  mtimeMs: number;
  inode: number;
  hduIndex: number;
  /** Encoded here, off the main thread, which writes them (domain/header-encoding.ts). */
  headers: EncodedHeaders;
  /**
   * The normalized values; their reasons and sources only as the JSON text the catalog stores,
   * made here for the same reason as the headers (a third of the frame's structured clone, read
   * and stringified again on the main thread).
   */
  metadata: Pick<NormalizedMetadata, 'values'> & { notesJson: string };
  quality: QualityMetrics | null;
  /** File-level oddities (duplicate keywords, missing padding…) worth keeping with the frame. */
  problems: string[];
  /** CHECKSUM/DATASUM of every HDU, verified in the pass that hashed the file. */
  checksums: HduChecksum[];
  /** Milliseconds per analysis stage (empty with skipAnalysis). */
  analysisMs: StageTimes;
}

/**
 * What should happen to a file that could not be ingested. `retry`: it may still be being written
 * or was briefly unreadable; `never`: the content itself is the problem (not FITS, malformed) and
 * stays so until the file changes.
 */
export type FrameFailure = { ok: false; reason: string; retry: boolean; code: string };
/** Not read: the gate refused the path, or the file is still settling, changed or gone. */
export type FrameHeld =
  | { ok: 'held'; refused: string }
  | { ok: 'held'; stability: Exclude<Stability, { state: 'stable' }> };
export type FrameOutcome = { ok: true; frame: ProcessedFrame } | FrameFailure | FrameHeld;

/**
 * One file, start to finish, off the main thread: hash, headers, normalized metadata, pixel
 * metrics. Never throws for anything about the file; the outcome says what went wrong and whether
 * trying again could help.
 */
export async function processFrame(job: FrameJob): Promise<FrameOutcome> {
  let absPath = job.absPath;
  if (job.gate) {
    // Before the stability check, which follows links: a link's own facts never settle against
    // its target's, and nothing outside the roots may be read, not even for a stat.
    const where = checkIngestPath(job.gate.roots, absPath);
    if (where.ok === false) return { ok: 'held', refused: where.reason };
    const stability = checkStability(absPath, job.gate.seen, job.gate.stableMs);
    if (stability.state !== 'stable') return { ok: 'held', stability };
    // The resolved path: a folder swapped for a link after the check cannot redirect the read.
    if (where.ok === true) absPath = where.realPath;
  }
  let fits: OpenedFrame | undefined;
  try {
    fits = await openFrame(absPath, job.maxInflateRatio);
    const { structure, before } = fits;
    const last = structure.hdus.at(-1);
    // A camera still writing leaves the file shorter than its headers declare.
    if (!fits.gzip && last && before.size < last.dataOffset + last.dataLength) {
      await fits.hashing.catch(() => undefined);
      return {
        ok: false,
        retry: true,
        code: 'INCOMPLETE',
        reason: `file is ${before.size} bytes but its headers declare ${last.dataOffset + last.dataLength}: still being written or truncated`,
      };
    }
    const image = pickImageHdu(structure.hdus) ?? structure.hdus[0];
    if (!image) return { ok: false, retry: false, code: 'NO_HDU', reason: 'no HDU in the file' };
    const primary = structure.hdus[0]?.header;
    const headers = primary && image.index !== 0 ? [primary, image.header] : [image.header];
    const metadata = normalizeHeaders(headers, job.normalize);
    const { sha256, sizeBytes } = await fits.hashing;
    let quality: QualityMetrics | null = null;
    const analysisMs: StageTimes = {};
    if (!job.skipAnalysis) {
      const { analyzeHdu, pixelsHeldAtOnce, releasePooledBuffers, DEFAULT_MAX_PIXELS, orientationFromCd } =
        await analysisModules();
      const orientation = (hdu: Hdu) => northUp(hdu, orientationFromCd);
      const m = metadata.values;
      const previews = job.previewDir
        ? { ...previewLocation(job.previewDir, sha256), ...orientation(image), ...previewsAtIngest(image) }
        : undefined;
      let maxPixels = job.maxPixels ?? DEFAULT_MAX_PIXELS;
      if (job.memory) maxPixels = Math.min(maxPixels, Math.floor(budgetBytes(job.memory.budget) / BYTES_PER_PIXEL));
      const heldBytes = pixelsHeldAtOnce(image.axes[0] ?? 0, image.axes[1] ?? 0, maxPixels) * BYTES_PER_PIXEL;
      const release = job.memory ? await acquireMemory(job.memory.budget, heldBytes, job.memory.held) : () => {};
      try {
        const analysis = await analyzeHdu(fits.source, image, {
          imageType: m.image_type,
          pixelScaleArcsec: m.pixel_scale_arcsec,
          bayerPattern: m.bayer_pattern,
          saturationLevel: saturationLevel(image),
          maxPixels,
          inflate: nodeInflate,
          times: analysisMs,
          ...(previews ? { previews } : {}),
        });
        quality = analysis.metrics;
      } finally {
        // Arrays kept for the next frame count against the process's memory too: only frames of
        // a worker's share of the budget keep theirs.
        if (job.memory && heldBytes > job.memory.retainBytes) releasePooledBuffers();
        release();
      }
    }
    // A gzip walk that stopped early (a damaged extension) has not inflated everything yet.
    if (fits.gzip && fits.source.size === undefined) await fits.source.read(Number.MAX_SAFE_INTEGER - 1, 1);
    const checksums = fits.checksums.finish();
    const after = await fits.statAgain();
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
      return { ok: false, retry: true, code: 'CHANGED', reason: 'the file changed while it was being read' };
    }
    return {
      ok: true,
      frame: {
        sha256,
        sizeBytes,
        mtimeMs: Math.trunc(after.mtimeMs),
        inode: after.ino,
        hduIndex: image.index,
        headers: encodeHeaders(storedHdus(structure.hdus)),
        metadata: {
          values: metadata.values,
          notesJson: JSON.stringify({ reasons: metadata.reasons, sources: metadata.sources }),
        },
        quality,
        problems: structure.problems.map((p) => `${p.code}: ${p.message}`),
        checksums,
        analysisMs,
      },
    };
  } catch (error) {
    return classifyFailure(error);
  } finally {
    await fits?.close().catch(() => undefined);
  }
}

/**
 * Frames over this many pixels get their medium preview at ingest too, while their pixels are in
 * hand: on demand it would cost a second read of a file of 32 MB and more (a second or more when
 * tile-compressed), where encoding it now adds under a tenth to the frame's analysis.
 */
const MEDIUM_AT_INGEST_PIXELS = 16 * 1024 * 1024;

/**
 * The previews written at ingest: the thumbnail in WebP, which every search result shows and every
 * browser takes. The medium image and PNG copies are rendered by the API the first time someone
 * asks for them, and kept: for the frames of a few megapixels most cameras write, encoding all
 * four (PNG and WebP, two sizes) for every frame cost more than measuring it, while only
 * the frames someone opens ever need a medium image.
 */
function previewsAtIngest(hdu: Hdu): Pick<PreviewOptions, 'formats' | 'sizes'> {
  const pixels = (hdu.axes[0] ?? 0) * (hdu.axes[1] ?? 0);
  return { formats: ['webp'], sizes: pixels > MEDIUM_AT_INGEST_PIXELS ? ['thumbnail', 'medium'] : ['thumbnail'] };
}

/** Files up to this size are read whole, once; larger ones are hashed as a stream and read in parts. */
const WHOLE_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Buffers for whole-file reads, given back when the frame is closed and taken by the next one. A
 * fresh buffer per frame (2 MB for a 1024² 16-bit frame) was external memory V8 only gives back in
 * a full collection: with the preview's sums, it made one mark-compact every second frame
 * (docs/performance.md, pixel analysis, "Garbage collection"). One buffer per frame open at the
 * same time; nothing of a frame's result is a view of its bytes (headers are strings, checksums
 * are verified before close).
 */
const idleFileBuffers: Uint8Array[] = [];
const MAX_IDLE_FILE_BUFFERS = 2;

function takeFileBuffer(length: number): Uint8Array {
  const kept = idleFileBuffers.pop();
  return kept && kept.length >= length ? kept.subarray(0, length) : new Uint8Array(length);
}

function giveBackFileBuffer(bytes: Uint8Array): void {
  if (idleFileBuffers.length < MAX_IDLE_FILE_BUFFERS)
    idleFileBuffers.push(new Uint8Array(bytes.buffer, 0, bytes.buffer.byteLength));
}

interface FileFacts {
  size: number;
  mtimeMs: number;
  ino: number;
}

interface OpenedFrame {
  source: ByteSource;
  gzip: boolean;
  structure: FitsStructure;
  /** The file as it was before it was read. */
  before: FileFacts;
  hashing: Promise<{ sha256: string; sizeBytes: number }>;
  /**
   * Fed the file's FITS bytes by the pass that reads them anyway: the hash stream of a plain file,
   * the decompression of a gzip one, or the one read of a small file. Done once `hashing` is.
   */
  checksums: Pick<ChecksumVerifier, 'finish'>;
  /** The file's size, mtime and inode now, to detect a write while it was being read. */
  statAgain(): Promise<FileFacts>;
  close(): Promise<void>;
}

/**
 * Headers parsed and the hash under way. A small plain file is opened once and read with one
 * read: the hash and the header parser share the bytes. A catalog-only ingest of frames of a few
 * hundred kB spent more in opening, stat-ing and reading the file three ways (a stat, a hash
 * stream, positioned header reads) than in hashing it.
 */
async function openFrame(absPath: string, maxInflateRatio?: number): Promise<OpenedFrame> {
  // Synchronous calls: a worker thread has nothing else to do meanwhile, and each asynchronous
  // call was a round trip through libuv's thread pool that cost more than the call itself.
  // O_NOFOLLOW: the pipeline refused links; one swapped in since is not followed either.
  const fd = openSync(absPath, constants.O_RDONLY | constants.O_NOFOLLOW);
  let keep = false;
  try {
    const before = fstatSync(fd);
    if (before.size <= WHOLE_FILE_BYTES) {
      const bytes = takeFileBuffer(before.size);
      let filled = 0;
      while (filled < bytes.length) {
        const bytesRead = readSync(fd, bytes, filled, bytes.length - filled, filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      const data = bytes.subarray(0, filled);
      const gzip = data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
      if (gzip) giveBackFileBuffer(bytes);
      else {
        const source = bufferSource(data);
        const structure = await readStructure(source).catch((error) => {
          giveBackFileBuffer(bytes);
          throw error;
        });
        const sha256 = createHash('sha256').update(data).digest('hex');
        // From the headers just parsed: a second walk would parse every header again.
        const checksums = { finish: () => verifyParsedChecksums(data, structure.hdus) ?? verifyChecksums(data) };
        keep = true;
        return {
          source,
          gzip,
          structure,
          before,
          hashing: Promise.resolve({ sha256, sizeBytes: data.length }),
          checksums,
          statAgain: async () => fstatSync(fd),
          close: async () => {
            giveBackFileBuffer(bytes);
            closeSync(fd);
          },
        };
      }
    }
  } finally {
    if (!keep) closeSync(fd);
  }
  // Large or gzip-compressed: hashed as a stream while the headers are read in parts. The checksum
  // verifier takes the hash stream's chunks of a plain file and the inflated bytes of a gzip one.
  const before = await stat(absPath);
  const checksums = new ChecksumVerifier();
  let plain: boolean | undefined;
  const hashing = sha256File(absPath, (chunk) => {
    plain ??= !(chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b);
    if (plain) checksums.update(chunk);
  });
  try {
    const gzip = {
      observe: (bytes: Uint8Array) => checksums.update(bytes),
      ...(maxInflateRatio === undefined ? {} : { maxInflateRatio }),
    };
    const opened = await openFits(absPath, { gzip });
    return { ...opened, before, hashing, checksums, statAgain: () => stat(absPath) };
  } catch (error) {
    await hashing.catch(() => undefined);
    throw error;
  }
}

/** The level at which the camera saturates, when the header says (SATURATE, DATAMAX). */
function saturationLevel(hdu: Hdu): number | null {
  const value = hdu.header.number('SATURATE') ?? hdu.header.number('DATAMAX');
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : null;
}

/**
 * The pixel analysis and the previews (sharp), loaded by the first frame that needs them: a
 * catalog-only ingest never does, and loading them took about 0.1 s of CPU at every start. A
 * thread that will measure pixels can load them ahead of its first frame (preloadAnalysis).
 */
export async function analysisModules() {
  const [hdu, metrics, preview] = await Promise.all([
    import('../analysis/analyze-hdu.js'),
    import('../analysis/frame-metrics.js'),
    import('../analysis/preview.js'),
  ]);
  return {
    analyzeHdu: hdu.analyzeHdu,
    pixelsHeldAtOnce: hdu.pixelsHeldAtOnce,
    releasePooledBuffers: hdu.releasePooledBuffers,
    DEFAULT_MAX_PIXELS: metrics.DEFAULT_MAX_PIXELS,
    orientationFromCd: preview.orientationFromCd,
  };
}

/** North up from the CD matrix (or PC×CDELT) of the image header, when it has one. */
function northUp(
  hdu: Hdu,
  orientationFromCd: typeof import('../analysis/preview.js').orientationFromCd,
): Pick<PreviewOptions, 'northUp' | 'rotationDeg' | 'flipped'> {
  const h = hdu.header;
  let cd = [h.number('CD1_1'), h.number('CD1_2'), h.number('CD2_1'), h.number('CD2_2')];
  if (cd[0] === undefined || cd[3] === undefined) {
    const [c1, c2] = [h.number('CDELT1'), h.number('CDELT2')];
    if (c1 === undefined || c2 === undefined) return { northUp: false };
    const pc = [h.number('PC1_1') ?? 1, h.number('PC1_2') ?? 0, h.number('PC2_1') ?? 0, h.number('PC2_2') ?? 1];
    cd = [c1 * pc[0]!, c1 * pc[1]!, c2 * pc[2]!, c2 * pc[3]!];
  }
  const [a = 0, b = 0, c = 0, d = 0] = cd.map((v) => v ?? 0);
  if (a * d - b * c === 0) return { northUp: false };
  return { northUp: true, ...orientationFromCd(a, b, c, d) };
}

/** FitsErrors are about content (never retry, except a truncation that may be a write in progress). */
export function classifyFailure(error: unknown): FrameFailure {
  if (isFitsError(error)) {
    const where = error.byteOffset === undefined ? '' : ` at byte ${error.byteOffset}`;
    return { ok: false, retry: error.code === 'FITS_TRUNCATED', code: error.code, reason: `${error.message}${where}` };
  }
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT')
    return { ok: false, retry: false, code, reason: 'the file disappeared before it could be read' };
  if (code === 'EACCES' || code === 'EPERM')
    return { ok: false, retry: true, code, reason: 'permission denied reading the file' };
  // A worker writes nothing but previews: a full disk there holds up every frame, not this one.
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return {
      ok: false,
      retry: true,
      code,
      reason: `no space left on the device holding the previews (${code}); tried again until there is`,
    };
  if (code === 'ELOOP') return { ok: false, retry: false, code, reason: 'a symbolic link, not followed' };
  if (code === 'EISDIR') return { ok: false, retry: false, code, reason: 'a folder, not a file' };
  if (code && /^E[A-Z]+$/.test(code)) return { ok: false, retry: true, code, reason: `I/O error ${code}` };
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, retry: false, code: 'INTERNAL', reason: `unexpected error: ${message}` };
}

/**
 * The only file of @aims/fits that touches Node: byte sources over files (plain or whole-file
 * gzip) and a zlib-based inflate for the tile decoders. Import it as `@aims/fits/node`.
 */
import { createReadStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { promisify } from 'node:util';
import {
  constants,
  createGunzip,
  type Gunzip,
  gunzip,
  gunzipSync,
  inflate,
  inflateSync,
  type ZlibOptions,
} from 'node:zlib';
import { FitsError, FitsErrorCode } from './errors.js';
import { type FitsStructure, type ReadStructureOptions, readStructure } from './hdu.js';
import type { Inflate } from './inflate.js';
import { createPixelPool, type PixelPool, type PixelPoolOptions } from './pixel-pool.js';
import type { ByteSource } from './types.js';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

/** A ByteSource over a file: every read is a positioned read of just the bytes asked for. */
export async function fileSource(path: string): Promise<ByteSource> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    return handleSource(handle, size);
  } catch (error) {
    await handle.close();
    throw error;
  }
}

function handleSource(handle: FileHandle, size: number): ByteSource & { close(): Promise<void> } {
  let closed = false;
  const fill = async (buffer: Uint8Array, start: number): Promise<number> => {
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, start + filled);
      if (bytesRead === 0) break; // the file shrank since it was opened
      filled += bytesRead;
    }
    return filled;
  };
  return {
    size,
    async read(offset, length) {
      const start = Math.max(0, Math.min(offset, size));
      const buffer = new Uint8Array(Math.max(0, Math.min(length, size - start)));
      const filled = await fill(buffer, start);
      return filled === buffer.length ? buffer : buffer.subarray(0, filled);
    },
    readInto(offset, target) {
      const start = Math.max(0, Math.min(offset, size));
      return fill(target.subarray(0, Math.max(0, Math.min(target.length, size - start))), start);
    },
    async close() {
      if (closed) return;
      closed = true;
      await handle.close();
    },
  };
}

export interface GzipSourceOptions {
  /** Refuse to decompress beyond this many bytes (a gzip bomb inflates ~1000:1). Default 64 GiB. */
  maxDecompressedBytes?: number;
  /**
   * Refuse to decompress more than this many bytes per compressed byte read so far (checked as
   * the stream is read, so a gzip bomb stops early). Undefined: no ratio limit.
   */
  maxInflateRatio?: number;
  /** Output allowed whatever the ratio (small files of blank blocks compress far better than 100×). Default 16 MiB. */
  inflateRatioFloorBytes?: number;
  /** Largest single read; a bigger data unit must be read in parts. Default 2 GiB − 1. */
  maxReadBytes?: number;
  /**
   * Decompressed bytes kept behind the furthest point read. Reads further back start the
   * decompression again from the beginning. Default 64 MiB.
   */
  keepBytes?: number;
  /**
   * Called with the decompressed bytes in file order, each byte once, however often reads restart
   * the decompression: a checksum can be taken in the pass that reads the file anyway.
   */
  observe?: (bytes: Uint8Array) => void;
}

const GIB = 1024 * 1024 * 1024;

/**
 * A ByteSource over a whole-file gzip (`.fits.gz`, `.fz` that is really gzip, `.totsky.gz`).
 * Decompression is streamed and goes only as far as the furthest byte asked for, so reading the
 * headers of an HDU does not decompress what follows; memory stays bounded by `keepBytes` plus
 * the largest read. The size is known once the stream has been read to its end.
 */
export function gzipSource(path: string, options: GzipSourceOptions = {}): ByteSource & { close(): Promise<void> } {
  const maxDecompressedBytes = options.maxDecompressedBytes ?? 64 * GIB;
  const maxReadBytes = options.maxReadBytes ?? 2 * GIB - 1;
  const keepBytes = options.keepBytes ?? 64 * 1024 * 1024;
  const maxInflateRatio = options.maxInflateRatio;
  const ratioFloorBytes = options.inflateRatioFloorBytes ?? 16 * 1024 * 1024;

  let file: ReturnType<typeof createReadStream> | undefined;
  let stream: ReturnType<typeof createGunzip> | undefined;
  let iterator: AsyncIterator<Buffer> | undefined;
  /** Decompressed chunks held, the first starting at `heldStart`. */
  let chunks: Buffer[] = [];
  let heldStart = 0;
  let produced = 0;
  let ended = false;
  let size: number | undefined;
  /** Decompressed bytes handed to `options.observe` so far. */
  let observed = 0;

  const restart = () => {
    file?.destroy();
    stream?.destroy();
    const input = createReadStream(path);
    const gunzipStream = createGunzip({ chunkSize: 64 * 1024 });
    // pipe() does not forward errors: a read error must reach the iterator, not crash the process.
    input.on('error', (error) => gunzipStream.destroy(error));
    file = input;
    stream = input.pipe(gunzipStream);
    iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    chunks = [];
    heldStart = 0;
    produced = 0;
    ended = false;
  };

  const pull = async (): Promise<boolean> => {
    if (ended) return false;
    if (!iterator) restart();
    let next: IteratorResult<Buffer>;
    try {
      next = await iterator!.next();
    } catch (error) {
      ended = true;
      const message = error instanceof Error ? error.message : String(error);
      // A gzip cut short still gives the bytes before the cut: treat it as the end of the file,
      // so that the walk reports a truncated data unit with its offset.
      if (/unexpected end of file/i.test(message)) {
        size = produced;
        return false;
      }
      throw new FitsError(FitsErrorCode.BAD_COMPRESSION, `gzip stream is corrupt after ${produced} bytes: ${message}`, {
        byteOffset: produced,
      });
    }
    if (next.done) {
      ended = true;
      size = produced;
      return false;
    }
    chunks.push(next.value);
    produced += next.value.length;
    if (options.observe && produced > observed) {
      options.observe(next.value.subarray(next.value.length - (produced - observed)));
      observed = produced;
    }
    // bytesWritten: the compressed bytes zlib has consumed so far, so the ratio is of what was read.
    const consumed = stream?.bytesWritten ?? 0;
    if (maxInflateRatio !== undefined && produced > Math.max(ratioFloorBytes, maxInflateRatio * consumed)) {
      throw new FitsError(
        FitsErrorCode.TOO_LARGE,
        `gzip file inflates more than ${maxInflateRatio}× its compressed size ` +
          `(${produced} bytes from ${consumed}; the limit is AIMS_MAX_INFLATE_RATIO)`,
        { byteOffset: produced },
      );
    }
    if (produced > maxDecompressedBytes) {
      throw new FitsError(FitsErrorCode.TOO_LARGE, `gzip file decompresses beyond ${maxDecompressedBytes} bytes`, {
        byteOffset: maxDecompressedBytes,
      });
    }
    return true;
  };

  /** Drops chunks wholly before `keepFrom`, keeping at most `keepBytes` behind it. */
  const trim = (keepFrom: number) => {
    while (chunks.length > 1 && heldStart + chunks[0]!.length <= keepFrom - keepBytes) {
      heldStart += chunks.shift()!.length;
    }
  };

  const readNow = async (offset: number, length: number): Promise<Uint8Array> => {
    if (length > maxReadBytes) {
      throw new FitsError(
        FitsErrorCode.TOO_LARGE,
        `a read of ${length} bytes from a gzip file is over the limit of ${maxReadBytes}`,
        {
          byteOffset: offset,
        },
      );
    }
    if (offset < heldStart || !iterator) restart();
    const end = offset + length;
    while (produced < end && (await pull())) trim(offset);
    trim(offset);
    const stop = Math.min(end, produced);
    if (stop <= offset) return new Uint8Array(0);
    const out = new Uint8Array(stop - offset);
    let position = heldStart;
    for (const chunk of chunks) {
      const chunkEnd = position + chunk.length;
      if (chunkEnd > offset && position < stop) {
        const from = Math.max(offset, position) - position;
        const to = Math.min(stop, chunkEnd) - position;
        out.set(chunk.subarray(from, to), Math.max(position, offset) - offset);
      }
      position = chunkEnd;
      if (position >= stop) break;
    }
    return out;
  };
  let queue: Promise<unknown> = Promise.resolve();

  return {
    get size() {
      return size;
    },
    read(offset, length) {
      // One read at a time: a restart or a pull in the middle of another read would mix them up.
      const result = queue.then(() => readNow(offset, length));
      queue = result.catch(() => undefined);
      return result;
    },
    async close() {
      file?.destroy();
      stream?.destroy();
      file = undefined;
      stream = undefined;
      iterator = undefined;
      chunks = [];
    },
  };
}

export interface OpenFits {
  source: ByteSource;
  /** True when the whole file is gzip-compressed (detected by its magic bytes, not its name). */
  gzip: boolean;
  structure: FitsStructure;
  close(): Promise<void>;
}

export interface OpenFitsOptions extends ReadStructureOptions {
  gzip?: GzipSourceOptions;
}

/**
 * Opens a FITS file, plain or whole-file gzip, and walks its HDUs. Only headers are read (and,
 * for gzip, decompressed up to the last header). Close it when done.
 */
export async function openFits(path: string, options: OpenFitsOptions = {}): Promise<OpenFits> {
  // One open for a plain file: the magic bytes are read through the source that then serves it.
  const file = await fileSource(path);
  const magic = await file.read(0, 2).catch(async (error: unknown) => {
    await file.close?.();
    throw error;
  });
  const gzip = magic.length === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  if (gzip) await file.close?.();
  const source = gzip ? gzipSource(path, options.gzip) : file;
  const close = async () => {
    await source.close?.();
  };
  try {
    const structure = await readStructure(source, options);
    return { source, gzip, structure, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Streams up to this size are inflated synchronously: a tile's few kilobytes take microseconds,
 * while an asynchronous call costs a thread-pool round trip and twice the CPU (docs/performance.md).
 * Larger ones (a whole image stored as one tile) go to the thread pool so the event loop stays free.
 */
const SYNC_INFLATE_BYTES = 1024 * 1024;
/** zlib's output chunk: one chunk holds a usual tile, so its bytes are not copied into a second. */
const MAX_CHUNK_BYTES = 256 * 1024;

/**
 * A PixelPool whose byte buffers are Node Buffers: the readers then swap bytes with Buffer's native
 * `swap16`/`swap32` (`readStoredImage`, and 16-bit reads of `readImage`), 3–5× faster than in
 * JavaScript.
 */
export function createNodePixelPool(options: PixelPoolOptions = {}): PixelPool {
  return createPixelPool({ ...options, allocateBytes: (length) => Buffer.allocUnsafeSlow(length) });
}

/** zlib inflate for the tile decoders: gunzip when the bytes start 1f 8b, else a zlib stream. */
export const nodeInflate: Inflate = (data, maxOutputBytes) => {
  const gzip = data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
  const options: ZlibOptions = {};
  if (maxOutputBytes !== undefined) {
    options.maxOutputLength = Math.max(1, maxOutputBytes);
    options.chunkSize = Math.max(64, Math.min(maxOutputBytes, MAX_CHUNK_BYTES));
  }
  const failed = (error: unknown): never => {
    const message = error instanceof Error ? error.message : String(error);
    throw new FitsError(FitsErrorCode.BAD_COMPRESSION, `cannot inflate ${data.length} bytes: ${message}`);
  };
  // Buffers are Uint8Arrays; kept as they are, the pixel reader can use their native byte swaps.
  const bytes = (out: Buffer): Uint8Array => out;
  if (data.length <= SYNC_INFLATE_BYTES) {
    try {
      return bytes(gzip ? gunzipSync(data, options) : inflateSync(data, options));
    } catch (error) {
      return failed(error);
    }
  }
  return (gzip ? gunzipAsync(data, options) : inflateAsync(data, options)).then(bytes, failed);
};

/** Runs of gzip tiles in one call: zlib's gunzip goes on from one member to the next. */
nodeInflate.concatenated = (data, maxOutputBytes, output) => {
  try {
    const into = output && output.length > maxOutputBytes ? gunzipInto(data, output, maxOutputBytes) : undefined;
    if (into) return into;
    const options: ZlibOptions = {
      maxOutputLength: Math.max(1, maxOutputBytes),
      // One byte more than the run inflates to: an output that fills its chunk exactly makes zlib
      // allocate a second chunk only to learn that the stream has ended.
      chunkSize: Math.max(64, Math.min(maxOutputBytes + 1, 4 * MAX_CHUNK_BYTES)),
    };
    return gunzipSync(data, options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new FitsError(FitsErrorCode.BAD_COMPRESSION, `cannot inflate ${data.length} bytes: ${message}`);
  }
};

/** The native zlib stream behind a Gunzip object and the state its writes report (node:zlib's own). */
interface ZlibHandle {
  writeSync(
    flush: number,
    input: Uint8Array,
    inputOffset: number,
    inputLength: number,
    output: Uint8Array,
    outputOffset: number,
    outputLength: number,
  ): void;
  reset(): void;
}
type HandleGunzip = Gunzip & { _handle?: ZlibHandle; _writeState?: Uint32Array };

let keptGunzip: HandleGunzip | undefined;

/**
 * A Gunzip kept from call to call, driven synchronously through its native handle as
 * `gunzipSync` drives a new one (node:zlib's processChunkSync): `gunzipSync` creates a stream
 * object and a zlib state per call and allocates its output, and for the 128 runs of a 4096²
 * quantized float frame that cost about a fifth of the read's CPU, most of it in the garbage
 * collector (docs/performance.md, "Pixels"). Undefined when this Node's zlib objects do not have
 * the handle (the public `gunzipSync` then serves).
 */
function gunzipHandle(): HandleGunzip | undefined {
  if (keptGunzip && !keptGunzip.destroyed) return keptGunzip;
  const stream = createGunzip() as HandleGunzip;
  const handle = stream._handle;
  if (
    typeof handle?.writeSync !== 'function' ||
    typeof handle.reset !== 'function' ||
    !(stream._writeState instanceof Uint32Array)
  ) {
    stream.destroy();
    return undefined;
  }
  // A zlib error destroys the stream at once (read below from `errored`) and emits 'error' on the
  // next tick, where it must not go unheard. The next call then starts a new stream.
  stream.on('error', () => {});
  keptGunzip = stream;
  return stream;
}

/** Gunzips every member of `data` into `output` (at most `maxOutputBytes`); undefined without a handle. */
function gunzipInto(data: Uint8Array, output: Uint8Array, maxOutputBytes: number): Uint8Array | undefined {
  const stream = gunzipHandle();
  if (!stream) return undefined;
  const handle = stream._handle!;
  const state = stream._writeState!;
  // One byte of room beyond the expected size: a stream that is cut short then leaves room free
  // and zlib reports the unexpected end, instead of stopping quietly on a full output.
  const room = maxOutputBytes + 1;
  let read = 0;
  let written = 0;
  handle.reset();
  while (read < data.length) {
    handle.writeSync(constants.Z_FINISH, data, read, data.length - read, output, written, room - written);
    if (stream.errored || stream.destroyed) throw stream.errored ?? new Error('zlib stream closed');
    // state: [output bytes left free, input bytes left unread]
    const produced = room - written - state[0]!;
    const consumed = data.length - read - state[1]!;
    written += produced;
    read += consumed;
    if (written > maxOutputBytes) throw new Error(`inflates beyond the ${maxOutputBytes} bytes expected`);
    if (produced === 0 && consumed === 0) throw new Error(`stalled at byte ${read}`);
    // zlib goes on to the next member by itself; it stops early only before a byte that cannot
    // start one, which the reset makes it try as a new member (and fail on, if it is not).
    handle.reset();
  }
  return output.subarray(0, written);
}

/**
 * Preview images: a thumbnail (~256 px) and a medium image (~1024 px) per frame, PNG or WebP;
 * which of them ingest writes and which are rendered on demand is the caller's choice (`sizes`,
 * `formats`); full-resolution cutouts are rendered on demand.
 *
 * The frame is block-averaged to about the largest size written first (one pass, bounded memory; a
 * frame can be fed row band by row band), then each channel gets IRAF zscale limits and an asinh stretch
 * whose black point sits 2σ under the sky and whose softening puts the sky at 0.2 (stretch.ts). FITS stores the first row at the bottom, so rows are flipped for display (as DS9
 * shows them). With `northUp` and an orientation from the WCS (`orientationFromCd`), the image is
 * mirrored when the WCS has non-sky parity and rotated so that north is up (east then left).
 * Colour sensors: a Bayer mosaic is debayered by colour-aware block averaging (each output pixel
 * averages the R, G and B sites of its block), which at preview scale is as good as interpolation.
 * sharp does the rotation, resizing and encoding (grey images as single-channel 'b-w').
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { OutputInfo, Sharp } from 'sharp';
import { lap, type StageTimes } from './stage-times.js';
import { displayLimits, type Stretch, stretchToBytes } from './stretch.js';

export interface PreviewOptions {
  /** Directory the files go to (created if needed), e.g. AIMS_DATA_DIR/previews/ab/cd. */
  dir: string;
  /** File name stem: `${name}-thumb.png`, `${name}-medium.webp`, … */
  name: string;
  stretch?: Stretch;
  bayerPattern?: string | null;
  northUp?: boolean;
  /** Counter-clockwise angle (degrees) from the displayed image's up direction to north. */
  rotationDeg?: number | null;
  /** True when the WCS has non-sky parity (east would be right with north up). */
  flipped?: boolean;
  formats?: Array<'png' | 'webp'>;
  /** Which previews to write (default both); the frame is downsampled only as far as the largest needs. */
  sizes?: Array<PreviewFile['size']>;
  thumbnailSize?: number;
  mediumSize?: number;
  /** Stage times (previewRender, previewEncode) are added here when given. */
  times?: StageTimes;
}

export interface PreviewFile {
  size: 'thumbnail' | 'medium';
  format: 'png' | 'webp';
  path: string;
  width: number;
  height: number;
}

/**
 * sharp ships a CommonJS and an ES module build: its CommonJS one, loaded with `require`, takes
 * 36–41 ms of CPU where `import` of the other took 80–103 ms, and every ingest and preview thread
 * loads it (the same native library and API either way).
 */
const sharp: typeof import('sharp').default = createRequire(import.meta.url)('sharp');

const BAYER = /^[RGB]{4}$/;

/**
 * One input row's blocks added to the grey sums: one tight loop per output pixel. A function of its
 * own, so that V8 compiles this loop alone and once (see detection.ts).
 */
function addGreyRow(
  data: ArrayLike<number>,
  base: number,
  factor: number,
  outWidth: number,
  outRow: number,
  sum: Float64Array,
  count: Uint32Array,
): void {
  for (let ox = 0; ox < outWidth; ox++) {
    let s = 0;
    let n = 0;
    const start = base + ox * factor;
    for (let k = 0; k < factor; k++) {
      const v = data[start + k]!;
      if (Number.isFinite(v)) {
        s += v;
        n++;
      }
    }
    sum[outRow + ox]! += s;
    count[outRow + ox]! += n;
  }
}

/** Accumulates block sums of a frame, row band by row band; debayers by colour-aware averaging. */
export class Downsampler {
  readonly factor: number;
  readonly outWidth: number;
  readonly outHeight: number;
  readonly channels: 1 | 3;
  /** How much wider the display limits are set than the averaged image's own (see displayLimits). */
  spread = 1;
  private readonly sums: Float64Array[];
  private readonly counts: Uint32Array[];
  private readonly colourOf: Int8Array;
  /** The arrays behind sums, counts and planes, until `release` gives them to the next Downsampler. */
  private held: Accumulator | undefined;

  /**
   * Blocks as large as keep the output within `targetSize`; with `atLeastTarget`, as large as keep
   * it at least that size (for a resize to the exact size after).
   */
  constructor(
    readonly width: number,
    readonly height: number,
    targetSize: number,
    bayerPattern?: string | null,
    atLeastTarget = false,
  ) {
    const pattern = bayerPattern?.toUpperCase();
    const bayer = !!pattern && BAYER.test(pattern);
    this.factor = blockFactor(width, height, targetSize, bayerPattern, atLeastTarget);
    this.outWidth = Math.max(1, Math.floor(width / this.factor));
    this.outHeight = Math.max(1, Math.floor(height / this.factor));
    this.channels = bayer ? 3 : 1;
    this.colourOf = Int8Array.from(bayer ? [...pattern!].map((c) => 'RGB'.indexOf(c)) : [0, 0, 0, 0]);
    const n = this.outWidth * this.outHeight;
    this.held = takeAccumulator(this.channels, n);
    this.sums = this.held.sums.map((sum) => sum.subarray(0, n).fill(0));
    this.counts = this.held.counts.map((count) => count.subarray(0, n).fill(0));
  }

  /**
   * Gives the sums and the planes' arrays to the next Downsampler of this thread: call it once the
   * planes are consumed; neither this Downsampler nor its planes may be used after.
   */
  release(): void {
    const held = this.held;
    this.held = undefined;
    if (held && held.elements <= MAX_POOLED_ACCUMULATOR && idleAccumulators.length < MAX_IDLE_ACCUMULATORS)
      idleAccumulators.push(held);
  }

  /** Adds rows [rowStart, rowStart + rows) given as row-major values of full width. */
  addRows(data: ArrayLike<number>, rowStart: number, rows: number): void {
    const { width, factor, outWidth, outHeight } = this;
    for (let r = 0; r < rows; r++) {
      const y = rowStart + r;
      const oy = Math.floor(y / factor);
      if (oy >= outHeight) break;
      const base = r * width;
      const outRow = oy * outWidth;
      const phase = (y & 1) * 2;
      if (this.channels === 1) {
        // Grey: the common case, and most of the preview time.
        addGreyRow(data, base, factor, outWidth, outRow, this.sums[0]!, this.counts[0]!);
        continue;
      }
      for (let x = 0; x < outWidth * factor; x++) {
        const v = data[base + x]!;
        if (!Number.isFinite(v)) continue;
        const c = this.colourOf[phase + (x & 1)]!;
        const o = outRow + Math.floor(x / factor);
        this.sums[c]![o]! += v;
        this.counts[c]![o]!++;
      }
    }
  }

  /** Block means per channel. */
  planes(): Float32Array[] {
    return this.sums.map((sum, c) => {
      const count = this.counts[c]!;
      const out = this.held ? this.held.planes[c]!.subarray(0, sum.length) : new Float32Array(sum.length);
      for (let i = 0; i < sum.length; i++) out[i] = count[i]! ? sum[i]! / count[i]! : Number.NaN;
      return out;
    });
  }
}

/**
 * A Downsampler's arrays, reused from frame to frame: fresh ones (0.8 MB for a 1024² frame's
 * thumbnail, 16 MB for a medium image) were external memory that V8 gives back only in a full
 * collection, which a one-thread ingest of 1024² frames then ran every few frames
 * (docs/performance.md, pixel analysis, "Garbage collection"). Taken and given back, never shared:
 * previews of frames that overlap on one thread each have their own.
 */
interface Accumulator {
  elements: number;
  sums: Float64Array[];
  counts: Uint32Array[];
  planes: Float32Array[];
}

const idleAccumulators: Accumulator[] = [];
const MAX_IDLE_ACCUMULATORS = 2;
/** Elements per channel kept: a medium image's (1024 px a side); a full-resolution cutout's are not. */
const MAX_POOLED_ACCUMULATOR = 1024 * 1024;

function takeAccumulator(channels: number, elements: number): Accumulator {
  const kept = idleAccumulators.pop();
  if (kept && kept.sums.length === channels && kept.elements >= elements) return kept;
  return {
    elements,
    sums: Array.from({ length: channels }, () => new Float64Array(elements)),
    counts: Array.from({ length: channels }, () => new Uint32Array(elements)),
    planes: Array.from({ length: channels }, () => new Float32Array(elements)),
  };
}

/** Lets go of the Downsamplers' arrays this thread keeps (with the analysis' pooled buffers). */
export function releasePreviewBuffers(): void {
  idleAccumulators.length = 0;
}

/**
 * The block size of a Downsampler (see its constructor), without its sums: the thumbnail's spread
 * needs only the factor of a second size, and a Downsampler made for it allocated 3 MB of sums for a
 * 1024² frame, a third of what a frame's analysis left to the garbage collector (docs/performance.md).
 */
export function blockFactor(
  width: number,
  height: number,
  targetSize: number,
  bayerPattern?: string | null,
  atLeastTarget = false,
): number {
  const pattern = bayerPattern?.toUpperCase();
  const bayer = !!pattern && BAYER.test(pattern);
  const ratio = Math.max(width, height) / targetSize;
  const round = atLeastTarget ? Math.floor : Math.ceil;
  return bayer ? 2 * Math.max(1, round(ratio / 2)) : Math.max(1, round(ratio));
}

/** Stretched, row-flipped (FITS bottom-up → top-down), interleaved bytes. */
export function toDisplayBytes(
  planes: Float32Array[],
  width: number,
  height: number,
  stretch: Stretch,
  spread = 1,
): Uint8Array {
  const channels = planes.length;
  const out = new Uint8Array(width * height * channels);
  planes.forEach((plane, c) => {
    const { limits, softening } = displayLimits(plane, plane.length, stretch, spread);
    for (let y = 0; y < height; y++) {
      const target = (height - 1 - y) * width * channels + c;
      stretchToBytes(
        plane.subarray(y * width, (y + 1) * width),
        width,
        limits,
        stretch,
        out,
        channels,
        target,
        softening,
      );
    }
  });
  return out;
}

/**
 * Rotation and parity that put north up from a CD (or PC×CDELT) matrix. North is the pixel
 * direction d with CD·d = (0, +Δδ): d = CD⁻¹(0, 1) ∝ (−CD1_2, CD1_1) / det. Sky parity (east left
 * with north up) has det(CD) < 0; det > 0 needs a horizontal mirror first.
 */
export function orientationFromCd(cd11: number, cd12: number, cd21: number, cd22: number) {
  const det = cd11 * cd22 - cd12 * cd21;
  const flipped = det > 0;
  let dx = -cd12 / det;
  const dy = cd11 / det;
  if (flipped) dx = -dx;
  // Counter-clockwise angle from +y (up) to d, in the displayed image (x right, y up).
  const rotationDeg = (Math.atan2(-dx, dy) * 180) / Math.PI + 0; // (+0: no -0)
  return { rotationDeg, flipped };
}

function orient(image: Sharp, options: Pick<PreviewOptions, 'northUp' | 'rotationDeg' | 'flipped'>): Sharp {
  if (!options.northUp) return image;
  let out = image;
  if (options.flipped) out = out.flop();
  const angle = options.rotationDeg ?? 0;
  // sharp rotates clockwise; north sits `angle` counter-clockwise from up.
  if (Math.abs(angle) > 0.5) out = out.rotate(angle, { background: { r: 0, g: 0, b: 0, alpha: 1 } });
  return out;
}

async function encode(
  raw: Uint8Array,
  width: number,
  height: number,
  channels: 1 | 3,
  size: number,
  format: 'png' | 'webp',
  options: Pick<PreviewOptions, 'northUp' | 'rotationDeg' | 'flipped'>,
): Promise<{ data: Buffer; info: OutputInfo }> {
  // Rotation first, in its own pipeline, so that the resize fits the rotated image.
  let oriented: Buffer = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  let w = width;
  let h = height;
  let c: number = channels;
  if (options.northUp) {
    const r = await orient(sharp(oriented, { raw: { width, height, channels } }), options)
      .raw()
      .toBuffer({ resolveWithObject: true });
    oriented = r.data;
    w = r.info.width;
    h = r.info.height;
    c = r.info.channels;
  }
  let pipeline = sharp(oriented, { raw: { width: w, height: h, channels: c as 1 | 3 | 4 } }).resize(size, size, {
    fit: 'inside',
    withoutEnlargement: true,
  });
  if (channels === 1) pipeline = pipeline.toColourspace('b-w');
  else if (c === 4) pipeline = pipeline.removeAlpha();
  pipeline = format === 'png' ? pipeline.png({ compressionLevel: 4 }) : pipeline.webp({ quality: 80, effort: 2 });
  return pipeline.toBuffer({ resolveWithObject: true });
}

/** Writes the thumbnail and medium previews of a downsampled frame. */
export async function writePreviews(down: Downsampler, options: PreviewOptions): Promise<PreviewFile[]> {
  let started = performance.now();
  const stretch = options.stretch ?? 'asinh';
  const bytes = toDisplayBytes(down.planes(), down.outWidth, down.outHeight, stretch, down.spread);
  down.release();
  started = lap(options.times, 'previewRender', started);
  await makeDir(options.dir);
  const files: PreviewFile[] = [];
  const wanted = options.sizes ?? ['thumbnail', 'medium'];
  const sizes = (
    [
      ['thumbnail', options.thumbnailSize ?? 256, 'thumb'],
      ['medium', options.mediumSize ?? 1024, 'medium'],
    ] as const
  ).filter(([size]) => wanted.includes(size));
  // sharp encodes on libuv's thread pool: the images are encoded side by side.
  const jobs = sizes.flatMap(([size, pixels, suffix]) =>
    (options.formats ?? (['png', 'webp'] as const)).map(async (format): Promise<PreviewFile> => {
      const { data, info } = await encode(bytes, down.outWidth, down.outHeight, down.channels, pixels, format, options);
      const path = join(options.dir, `${options.name}-${suffix}.${format}`);
      await writeWhole(path, data);
      return { size, format, path, width: info.width, height: info.height };
    }),
  );
  const written = await Promise.allSettled(jobs);
  const failed = written.find((r) => r.status === 'rejected');
  if (failed) {
    // All of a frame's previews or none: a frame that failed is tried again and writes them all.
    await Promise.all(written.map((r) => (r.status === 'fulfilled' ? rm(r.value.path, { force: true }) : undefined)));
    throw failed.reason;
  }
  for (const r of written) if (r.status === 'fulfilled') files.push(r.value);
  lap(options.times, 'previewEncode', started);
  return files;
}

/**
 * Writes a file under a temporary name and renames it into place: a full disk or a crash mid-write
 * leaves no truncated preview for the API to serve, only a temporary file that is removed.
 */
async function writeWhole(path: string, data: Uint8Array, again = true): Promise<void> {
  const partial = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.partial`;
  try {
    await writeFile(partial, data);
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    // The folder was made once and removed since (a preview folder cleared while running).
    if (again && (error as NodeJS.ErrnoException).code === 'ENOENT') {
      madeDirs.delete(dirname(path));
      await makeDir(dirname(path));
      return writeWhole(path, data, false);
    }
    throw error;
  }
}

/**
 * Preview folders this thread has made (or found made): a `mkdir` per frame cost more than the
 * thumbnail's write. There are at most 65,536 of them (two levels of fan-out by hash).
 */
const madeDirs = new Set<string>();
const MAX_MADE_DIRS = 70_000;

async function makeDir(dir: string): Promise<void> {
  if (madeDirs.has(dir)) return;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (madeDirs.size >= MAX_MADE_DIRS) madeDirs.clear();
  madeDirs.add(dir);
}

/**
 * How far the frame is block-averaged before the stretch: to the medium's size when the medium is
 * written; for the thumbnail alone, by the largest block that keeps it at least the thumbnail's size
 * (sharp's Lanczos resize then gives it its exact size, a no-op for a 1024² frame's 4×4 blocks). The
 * thumbnail used to be made from a 512-px average, as from the medium: stretching and resizing
 * four times the pixels cost more than measuring the frame's background (docs/performance.md).
 */
function downsampler(size: { width: number; height: number }, options: PreviewOptions): Downsampler {
  const medium = options.mediumSize ?? 1024;
  const sizes = options.sizes ?? ['thumbnail', 'medium'];
  const { width, height } = size;
  if (sizes.includes('medium')) return new Downsampler(width, height, medium, options.bayerPattern);
  const thumbnail = Math.min(medium, options.thumbnailSize ?? 256);
  const down = new Downsampler(width, height, thumbnail, options.bayerPattern, true);
  // The look is that of a resize from twice the thumbnail's size: noise as the resize leaves it.
  down.spread = down.factor / blockFactor(width, height, 2 * thumbnail, options.bayerPattern);
  return down;
}

/** Previews of a frame held in memory. */
export async function renderPreviews(
  image: { width: number; height: number; data: ArrayLike<number> },
  options: PreviewOptions,
): Promise<PreviewFile[]> {
  const started = performance.now();
  const down = downsampler(image, options);
  down.addRows(image.data, 0, image.height);
  lap(options.times, 'previewRender', started);
  return writePreviews(down, options);
}

/** Previews of a frame read band by band (bounded memory for any size). */
export async function renderPreviewsByRows(
  read: (rowStart: number, rowEnd: number) => Promise<ArrayLike<number>>,
  size: { width: number; height: number },
  options: PreviewOptions,
  rowsPerRead = 256,
): Promise<PreviewFile[]> {
  const down = downsampler(size, options);
  const step = Math.max(2, rowsPerRead - (rowsPerRead % 2));
  for (let y = 0; y < size.height; y += step) {
    const end = Math.min(size.height, y + step);
    const rows = await read(y, end);
    const started = performance.now();
    down.addRows(rows, y, end - y);
    lap(options.times, 'previewRender', started);
  }
  return writePreviews(down, options);
}

export interface CutoutOptions {
  /** Region in FITS pixel coordinates (0-based, y from the bottom row). */
  x: number;
  y: number;
  width: number;
  height: number;
  stretch?: Stretch;
  format?: 'png' | 'webp';
  bayerPattern?: string | null;
}

/** Largest cutout rendered on demand (pixels per side). */
export const MAX_CUTOUT_SIZE = 4096;

/**
 * A full-resolution region as PNG or WebP, with its own zscale limits. `image` may be just the rows
 * the caller read (then `rowStart` says where they begin).
 */
export async function renderCutout(
  image: { width: number; height: number; data: ArrayLike<number>; rowStart?: number },
  options: CutoutOptions,
): Promise<Buffer> {
  const rowStart = image.rowStart ?? 0;
  const x0 = Math.max(0, Math.floor(options.x));
  const y0 = Math.max(rowStart, Math.floor(options.y));
  const x1 = Math.min(image.width, x0 + Math.min(MAX_CUTOUT_SIZE, Math.floor(options.width)));
  const y1 = Math.min(rowStart + image.height, y0 + Math.min(MAX_CUTOUT_SIZE, Math.floor(options.height)));
  if (x1 <= x0 || y1 <= y0) throw new RangeError('cutout region is outside the image');
  const pattern = options.bayerPattern?.toUpperCase();
  const bayer = !!pattern && BAYER.test(pattern);
  // For a Bayer frame keep the mosaic's phase: start on even pixels and debayer 2×2.
  const bx0 = bayer ? x0 - (x0 % 2) : x0;
  const by0 = bayer ? y0 - (y0 % 2) : y0;
  const w = x1 - bx0;
  const h = y1 - by0;
  const region = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) region[y * w + x] = image.data[(by0 - rowStart + y) * image.width + bx0 + x]!;
  const down = new Downsampler(w, h, bayer ? Math.max(w, h) / 2 : Math.max(w, h), bayer ? pattern : null);
  down.addRows(region, 0, h);
  const bytes = toDisplayBytes(down.planes(), down.outWidth, down.outHeight, options.stretch ?? 'asinh');
  let pipeline = sharp(bytes, { raw: { width: down.outWidth, height: down.outHeight, channels: down.channels } });
  if (down.channels === 1) pipeline = pipeline.toColourspace('b-w');
  return (options.format ?? 'png') === 'png' ? pipeline.png().toBuffer() : pipeline.webp({ quality: 90 }).toBuffer();
}

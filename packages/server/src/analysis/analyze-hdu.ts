/**
 * One call for the ingest worker: metrics and previews of an image HDU, reading its pixels once
 * when the frame fits in `maxPixels`, else band by band (metrics) and row chunk by row chunk
 * (previews) so that memory stays flat for any file size. Any BITPIX, BZERO/BSCALE, BLANK,
 * tile-compressed and extension HDUs: the FITS core's `readImage` hands over physical values.
 * Cubes are measured on their first plane.
 */
import { type ByteSource, type ImageHdu, type Inflate, type PixelPool, readImage } from '@aims/fits';
import { createNodePixelPool } from '@aims/fits/node';
import type { QualityMetrics } from '../domain/image.js';
import { BAND_COUNT, measureFrameByRows } from './frame-bands.js';
import { analyzeFrame, DEFAULT_MAX_PIXELS, emptyMetrics, type MeasureOptions } from './frame-metrics.js';
import {
  type PreviewFile,
  type PreviewOptions,
  releasePreviewBuffers,
  renderPreviews,
  renderPreviewsByRows,
} from './preview.js';
import { releaseScratch } from './scratch.js';
import { lap } from './stage-times.js';

export interface AnalyzeHduOptions extends MeasureOptions {
  /** Where and how to write previews; none when absent. */
  previews?: Omit<PreviewOptions, 'bayerPattern'>;
  /** Inflate for GZIP tiles (e.g. `nodeInflate` from '@aims/fits/node'); readImage's default otherwise. */
  inflate?: Inflate;
}

export interface HduAnalysis {
  metrics: QualityMetrics;
  previews: PreviewFile[];
}

export { pickImageHdu } from './image-hdu.js';

/**
 * Pixels per read when a large frame is streamed for its previews: at most 64–128 MB of values,
 * and never more than one band of the metrics, so that previews need no more memory than them.
 */
const PREVIEW_PIXELS_PER_READ = 16_000_000;

/**
 * Pixels a banded analysis holds at once: one band of `measureFrameByRows`, or one read of the
 * previews. What a caller budgeting memory reserves for a frame over `maxPixels`.
 */
export function pixelsHeldAtOnce(width: number, height: number, maxPixels: number): number {
  if (width * height <= maxPixels) return width * height;
  return Math.ceil(maxPixels / BAND_COUNT);
}

/**
 * Pixel arrays reused from frame to frame (a fresh 64 MB array per frame costs page faults that
 * took longer than reading the pixels; docs/performance.md). Each analysis takes a pool of its own
 * and gives it back, so analyses that overlap (jobs run on the calling thread) never share one;
 * every read's pixels are consumed (measured, or added to the previews) before the next read.
 */
const idlePools: PixelPool[] = [];
const MAX_IDLE_POOLS = 2;

/**
 * Lets go of the arrays this thread keeps between frames (pixel pools and analysis scratch), after
 * a frame larger than a worker should keep memory for; the next frame allocates afresh.
 */
export function releasePooledBuffers(): void {
  idlePools.length = 0;
  releaseScratch();
  releasePreviewBuffers();
}

export async function analyzeHdu(source: ByteSource, hdu: ImageHdu, options: AnalyzeHduOptions): Promise<HduAnalysis> {
  // Node Buffers as byte buffers: 16-bit reads swap them natively.
  const pool = idlePools.pop() ?? createNodePixelPool();
  try {
    return await analyzeWith(pool, source, hdu, options);
  } finally {
    if (idlePools.length < MAX_IDLE_POOLS) idlePools.push(pool);
  }
}

async function analyzeWith(
  pool: PixelPool,
  source: ByteSource,
  hdu: ImageHdu,
  options: AnalyzeHduOptions,
): Promise<HduAnalysis> {
  const [width = 0, height = 0] = hdu.axes;
  if (hdu.axes.length < 2 || width < 8 || height < 8)
    return {
      metrics: emptyMetrics(`not a 2-D image (NAXIS = ${hdu.axes.length}, axes ${hdu.axes.join('×')})`),
      previews: [],
    };
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const { times } = options;
  const previewOptions = options.previews ? { ...options.previews, bayerPattern: options.bayerPattern, times } : null;
  if (width * height <= maxPixels) {
    const reading = performance.now();
    const image = await readImage(source, hdu, { plane: 0, inflate: options.inflate, pool });
    lap(times, 'read', reading);
    const metrics = analyzeFrame(image, options).metrics;
    const previews = previewOptions ? await renderPreviews(image, previewOptions) : [];
    return { metrics, previews };
  }
  const read = async (start: number, end: number) => {
    const reading = performance.now();
    const rows = (await readImage(source, hdu, { plane: 0, rows: { start, end }, inflate: options.inflate, pool }))
      .data;
    lap(times, 'read', reading);
    return rows;
  };
  const metrics = await measureFrameByRows(read, { width, height }, options);
  const previews = previewOptions
    ? await renderPreviewsByRows(
        read,
        { width, height },
        previewOptions,
        Math.max(2, Math.floor(Math.min(PREVIEW_PIXELS_PER_READ, maxPixels / BAND_COUNT) / width)),
      )
    : [];
  return { metrics, previews };
}

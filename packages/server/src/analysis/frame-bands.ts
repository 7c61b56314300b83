/**
 * Metrics of frames too large to hold in memory (a 14 GB mosaic), through a row-range reader: the
 * caller passes `(rowStart, rowEnd) => pixels of those rows`, e.g. `readImage(source, hdu, { rows })`.
 *
 * Frames up to `maxPixels` are read whole and measured as usual. Larger frames are measured on
 * BAND_COUNT bands of full-width rows, evenly spaced over the height and together holding at most
 * `maxPixels` pixels; only one band is in memory at a time. The bands' stars are pooled for the
 * median FWHM/HFR/eccentricity (a uniform sample of the field); the background, noise and SNR
 * weight are medians over bands; the star count is scaled by height / rows measured; the saturated
 * fraction is the pooled fraction. `analysis_note` says how much of the frame was measured.
 */
import type { QualityMetrics } from '../domain/image.js';
import {
  analyzeFrame,
  DEFAULT_MAX_PIXELS,
  emptyMetrics,
  type FrameAnalysis,
  type MeasureOptions,
  median,
  starMetrics,
} from './frame-metrics.js';
import type { Star } from './stars.js';

export type RowReader = (rowStart: number, rowEnd: number) => Promise<Float32Array | Float64Array>;

export const BAND_COUNT = 5;
/** A band must be tall enough for a few background boxes and whole stars. */
const MIN_BAND_ROWS = 128;

export async function measureFrameByRows(
  read: RowReader,
  size: { width: number; height: number },
  options: MeasureOptions,
): Promise<QualityMetrics> {
  const { width, height } = size;
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (width * height <= maxPixels) {
    const data = await read(0, height);
    return analyzeFrame({ width, height, data }, options).metrics;
  }
  let rows = Math.floor(maxPixels / width / BAND_COUNT);
  rows -= rows % 2; // keep the Bayer phase
  if (rows < MIN_BAND_ROWS)
    return emptyMetrics(`frame ${width}×${height} is too wide to measure within ${maxPixels} pixels: not measured`);
  const bands: FrameAnalysis[] = [];
  const starLists: Star[][] = [];
  let measuredRows = 0;
  for (let k = 0; k < BAND_COUNT; k++) {
    let start = Math.round(((k + 0.5) * height) / BAND_COUNT - rows / 2);
    start = Math.max(0, Math.min(height - rows, start - (start % 2)));
    const data = await read(start, start + rows);
    const band = analyzeFrame({ width, height: rows, data }, { ...options, maxPixels: Number.POSITIVE_INFINITY });
    bands.push(band);
    if (band.detection) starLists.push(band.detection.stars);
    measuredRows += rows;
  }
  const pick = (f: (m: QualityMetrics) => number | null) =>
    median(bands.map((b) => f(b.metrics)).filter((v): v is number => v !== null));
  const metrics = emptyMetrics(
    `frame of ${width * height} pixels is over ${maxPixels}: measured on ${BAND_COUNT} bands of ${rows} rows ` +
      `(${((100 * measuredRows) / height).toFixed(1)}% of the rows); star count scaled to the whole frame`,
  );
  metrics.background = pick((m) => m.background);
  metrics.noise = pick((m) => m.noise);
  metrics.snr_weight = pick((m) => m.snr_weight);
  // Bands are the same size, so the pooled fraction is the mean of theirs.
  const fractions = bands.map((b) => b.metrics.saturated_fraction).filter((v): v is number => v !== null);
  metrics.saturated_fraction = fractions.length ? fractions.reduce((a, b) => a + b, 0) / fractions.length : null;
  metrics.level = pick((m) => m.level);
  if (options.imageType === 'flat') {
    const levels = bands.flatMap((b) => (b.background ? Array.from(b.background.level) : []));
    const max = Math.max(...levels);
    metrics.uniformity = max > 0 ? Math.min(...levels) / max : null;
  }
  if (starLists.length) {
    const stars = starLists.flat();
    const binning = bands[0]!.binning;
    Object.assign(metrics, starMetrics(stars, binning, options.pixelScaleArcsec));
    metrics.star_count = Math.round((stars.length * height) / measuredRows);
  }
  return metrics;
}

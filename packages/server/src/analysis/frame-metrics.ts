/**
 * Per-frame quality metrics (QualityMetrics) from the pixels.
 *
 * Light frames (and `other`): background and noise from the mesh (background.ts); stars detected
 * and measured (stars.ts); then, over the "good" stars — neither saturated nor at an edge, SNR ≥ 20
 * (all unsaturated, non-edge stars when fewer than 5 reach it):
 * - hfr_px: median half-flux radius; fwhm_px = 2 × hfr_px (exact for Gaussian stars, see stars.ts);
 *   fwhm_arcsec = fwhm_px × pixel scale;
 * - eccentricity: median of √(1 − b²/a²) from the adaptive second moments;
 * - star_count: every accepted object (saturated and edge ones included; cosmic rays, hot pixels and
 *   trails excluded);
 * - snr_weight: PixInsight SubframeSelector's SNRWeight = (mean absolute deviation from the median
 *   / noise)², with our background RMS as the noise;
 * - saturated_fraction: pixels at or above the saturation level / pixels measured.
 * Calibration frames (dark, flat, bias): level = median pixel value, noise = background RMS, and for
 * flats uniformity = dimmest / brightest box of the median-filtered background mesh (1 = flat).
 *
 * Bayer (colour sensor) frames are measured on the 2×2-binned luminance (sum of R, G, G, B), so
 * that the mosaic pattern is not mistaken for structure; lengths are converted back to sensor
 * pixels (× 2). Frames above `maxPixels` are measured on evenly spaced bands of rows read through
 * a row-range reader (frame-bands.ts), never as a whole.
 */
import type { ImageType, QualityMetrics } from '../domain/image.js';
import { emptyRecord } from '../domain/image-fields.js';
import { type Background, estimateBackground, type PixelTally, subtractLevel } from './background.js';
import { medianInPlace, medianWithin } from './order-statistics.js';
import { scratchFloat32, scratchFloat64, scratchUint8 } from './scratch.js';
import { lap, type StageTimes } from './stage-times.js';
import { detectStars, type Star, type StarDetection } from './stars.js';

export interface FrameImage {
  width: number;
  height: number;
  data: Float32Array | Float64Array;
}

export interface MeasureOptions {
  imageType: ImageType | null;
  pixelScaleArcsec?: number | null;
  /** Pixels at or above this are saturated; by default the frame's maximum when it is flat-topped. */
  saturationLevel?: number | null;
  /** 'RGGB', 'GRBG', …: measure on the 2×2-binned luminance. */
  bayerPattern?: string | null;
  /** Above this many pixels, only bands of rows are measured (default 50 million). */
  maxPixels?: number;
  /** Stage times are added here when given. */
  times?: StageTimes;
}

export const DEFAULT_MAX_PIXELS = 50_000_000;
const GOOD_STAR_SNR = 20;
const MIN_GOOD_STARS = 5;
/**
 * Pixels sampled (on a regular stride) for the median and mean deviation: the median of 250,000
 * values is within ~0.003σ of the population's; sorting 16 million would cost more than detection.
 */
const STAT_SAMPLE = 250_000;

export interface FrameAnalysis {
  metrics: QualityMetrics;
  background: Background | null;
  detection: StarDetection | null;
  /** The pixel-size factor applied (2 for Bayer luminance, else 1). */
  binning: number;
}

export function emptyMetrics(note: string | null = null): QualityMetrics {
  return { ...emptyRecord('quality'), analysis_note: note };
}

export function median(values: ArrayLike<number>): number | null {
  const sorted = Float64Array.from(values)
    .filter((v) => Number.isFinite(v))
    .sort();
  const n = sorted.length;
  if (n === 0) return null;
  return n % 2 ? sorted[(n - 1) / 2]! : 0.5 * (sorted[n / 2 - 1]! + sorted[n / 2]!);
}

/** A tally of `count` pixels to be filled: a regular sample of at most about STAT_SAMPLE of them. */
function newTally(count: number): PixelTally {
  const stride = Math.max(1, Math.floor(count / STAT_SAMPLE));
  return {
    stride,
    sample: scratchFloat64('statistics-sample', Math.ceil(count / stride)),
    sampled: 0,
    max: Number.NEGATIVE_INFINITY,
    atMax: 0,
  };
}

/**
 * Median and mean absolute deviation from it, over a tally's sample; with its maximum and how many
 * pixels share it. `near` (the background level and noise) says where the median is expected, which
 * makes finding it cheap (medianWithin); the value is the same either way.
 */
function tallyStatistics(tally: PixelTally, near?: { level: number; rms: number }) {
  const { sample, sampled: n, max, atMax } = tally;
  if (n === 0) return { median: Number.NaN, meanDeviation: Number.NaN, max, atMax };
  const spread = near && near.rms > 0 ? 16 * near.rms : 0;
  const med =
    spread > 0 ? medianWithin(sample, n, near!.level - spread, near!.level + spread) : medianInPlace(sample, n);
  return { median: med, meanDeviation: absoluteDeviations(sample, n, med) / n, max, atMax };
}

/** Σ|values[i] − centre| over values[0..n): its own function, so that V8 compiles the loop alone. */
function absoluteDeviations(values: Float64Array, n: number, centre: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs(values[i]! - centre);
  return sum;
}

/**
 * Median and mean absolute deviation from it, over a regular sample of at most STAT_SAMPLE pixels;
 * and, over every pixel, the maximum and how many pixels share it (for the saturation level). One
 * pass over the frame serves both. (analyzeFrame has the background's pass collect them instead.)
 */
export function sampledStatistics(data: ArrayLike<number>, count = data.length, near?: { level: number; rms: number }) {
  const tally = newTally(count);
  const { stride, sample } = tally;
  let n = 0;
  let max = Number.NEGATIVE_INFINITY;
  let atMax = 0;
  let next = 0;
  for (let i = 0; i < count; i++) {
    const v = data[i]!;
    if (v >= max) {
      if (v > max) {
        max = v;
        atMax = 1;
      } else atMax++;
    }
    if (i === next) {
      next += stride;
      if (Number.isFinite(v)) sample[n++] = v;
    }
  }
  tally.sampled = n;
  tally.max = max;
  tally.atMax = atMax;
  return tallyStatistics(tally, near);
}

/** 2×2 sums of a mosaic: the luminance a colour sensor would give with its pixels binned. */
export function binBayer(image: FrameImage): FrameImage {
  const w = Math.floor(image.width / 2);
  const h = Math.floor(image.height / 2);
  const out = new Float32Array(w * h);
  const src = image.data;
  const W = image.width;
  for (let y = 0; y < h; y++) {
    const r0 = 2 * y * W;
    const r1 = r0 + W;
    for (let x = 0; x < w; x++)
      out[y * w + x] = src[r0 + 2 * x]! + src[r0 + 2 * x + 1]! + src[r1 + 2 * x]! + src[r1 + 2 * x + 1]!;
  }
  return { width: w, height: h, data: out };
}

/**
 * The saturation level when not given: the maximum, if at least 4 pixels share it (flat-topped) and
 * it stands 10σ above the background (a blank frame's maximum is not a saturation level).
 */
export function inferSaturation(
  { max, atMax }: { max: number; atMax: number },
  background: number,
  rms: number,
): number | null {
  if (!(max > background + 10 * rms)) return null;
  return atMax >= 4 ? max : null;
}

/** The background-subtracted image, NaN → 0, in a pooled buffer (valid until the next frame). */
export function subtractBackground(image: FrameImage, background: Background): Float32Array {
  const { width, height, data } = image;
  const sub = scratchFloat32('subtracted', width * height);
  subtractLevel(background, data, width, height, sub);
  return sub;
}

/** Star and shape metrics from a list of stars (from one image or from several bands). */
export function starMetrics(stars: Star[], binning: number, pixelScaleArcsec: number | null | undefined) {
  const usable = stars.filter((s) => !s.saturated && !s.edge && Number.isFinite(s.hfr) && s.hfr > 0);
  const bright = usable.filter((s) => s.snr >= GOOD_STAR_SNR);
  const good = bright.length >= MIN_GOOD_STARS ? bright : usable;
  const hfr = good.length ? median(good.map((s) => s.hfr)) : null;
  const hfrPx = hfr === null ? null : hfr * binning;
  const fwhmPx = hfrPx === null ? null : 2 * hfrPx;
  return {
    star_count: stars.length,
    hfr_px: hfrPx,
    fwhm_px: fwhmPx,
    fwhm_arcsec: fwhmPx !== null && pixelScaleArcsec ? fwhmPx * pixelScaleArcsec : null,
    eccentricity: good.length ? median(good.map((s) => s.eccentricity)) : null,
  };
}

/** Measures a frame held in memory; large frames should go through measureFrameByRows. */
export function analyzeFrame(input: FrameImage, options: MeasureOptions): FrameAnalysis {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (input.width * input.height > maxPixels)
    throw new RangeError(`frame of ${input.width * input.height} pixels is over maxPixels; use measureFrameByRows`);
  // A cube (NAXIS3 > 1, e.g. an RGB image) is measured on its first plane.
  const plane: FrameImage =
    input.data.length > input.width * input.height
      ? { ...input, data: input.data.subarray(0, input.width * input.height) }
      : input;
  const bayer = !!options.bayerPattern && /^[RGB]{4}$/i.test(options.bayerPattern);
  const image = bayer ? binBayer(plane) : plane;
  const binning = bayer ? 2 : 1;
  const count = image.width * image.height;
  if (count === 0) return { metrics: emptyMetrics('no pixels'), background: null, detection: null, binning };
  const started = performance.now();
  // The background's pass over the pixels also samples them and finds their maximum.
  const tally = newTally(count);
  const background = estimateBackground(image, {}, tally);
  const near = { level: background.global, rms: background.globalRms };
  const stats = tallyStatistics(tally, near);
  const calibration = options.imageType === 'dark' || options.imageType === 'bias' || options.imageType === 'flat';
  const metrics = emptyMetrics(bayer ? 'measured on the 2×2-binned luminance of the Bayer mosaic' : null);
  metrics.background = background.global;
  metrics.noise = background.globalRms;
  // Saturation is judged on the sensor's own pixels; for a Bayer frame a binned pixel is saturated
  // when any of its four is.
  const planeCount = plane.width * plane.height;
  const planeStats = bayer
    ? sampledStatistics(plane.data, planeCount, { level: near.level / 4, rms: near.rms / 2 })
    : stats;
  const saturation =
    options.saturationLevel ??
    inferSaturation(planeStats, planeStats.median, bayer ? background.globalRms / 2 : background.globalRms);
  let saturatedMask: Uint8Array | undefined;
  if (saturation !== null) {
    saturatedMask = scratchUint8('saturated', count).fill(0);
    let saturated = 0;
    for (let i = 0; i < planeCount; i++)
      if (plane.data[i]! >= saturation) {
        saturated++;
        saturatedMask[bayer ? binnedIndex(i, plane.width, image.width) : i] = 1;
      }
    metrics.saturated_fraction = saturated / planeCount;
  } else metrics.saturated_fraction = 0;
  metrics.snr_weight = background.globalRms > 0 ? (stats.meanDeviation / background.globalRms) ** 2 : null;
  if (calibration) {
    metrics.level = stats.median;
    if (options.imageType === 'flat') metrics.uniformity = uniformity(background);
    lap(options.times, 'background', started);
    return { metrics, background, detection: null, binning };
  }
  const sub = subtractBackground(image, background);
  lap(options.times, 'background', started);
  const detection = detectStars(image, sub, background.globalRms, { saturatedMask, times: options.times });
  Object.assign(metrics, starMetrics(detection.stars, binning, options.pixelScaleArcsec));
  return { metrics, background, detection, binning };
}

export function measureFrame(image: FrameImage, options: MeasureOptions): QualityMetrics {
  return analyzeFrame(image, options).metrics;
}

function binnedIndex(i: number, width: number, binnedWidth: number): number {
  const x = i % width;
  const y = (i - x) / width;
  return Math.floor(y / 2) * binnedWidth + Math.floor(x / 2);
}

/** Dimmest over brightest box of the filtered background mesh (the flat's illumination falloff). */
export function uniformity(background: Background): number | null {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of background.level) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return max > 0 && min >= 0 ? min / max : null;
}

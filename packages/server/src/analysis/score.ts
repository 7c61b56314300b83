/**
 * The 0–100 quality score of a light frame, explainable and recomputable (`quality_version`).
 *
 * Relative mode (at least MIN_COMPARABLES comparable frames: same object, filter, exposure, binning
 * and camera, as `comparableQuality` in db/image-quality.repository.ts defines them): for FWHM,
 * eccentricity, star count and background, a robust z-score z = (x − median) / (1.4826 · MAD) over the comparable frames, turned so that positive is
 * worse (b = z for FWHM, eccentricity, background; b = −z for star count). The MAD is floored
 * (SCALE_FLOORS) so that a set of nearly identical frames does not turn a 1% difference into 5σ.
 * Each component scores 100 · clamp(1 − max(0, b − 0.5) / 4, 0, 1): within half a σ of the median
 * or better is 100, 2.5σ worse is 50, 4.5σ worse is 0. The score is the weighted mean (WEIGHTS).
 *
 * Absolute mode (fewer comparable frames), from fixed thresholds (ABSOLUTE):
 * FWHM ≤ 2.5″ → 100, ≥ 8″ → 0 (in pixels when the scale is unknown: ≤ 3 px → 100, ≥ 10 px → 0);
 * eccentricity ≤ 0.45 → 100, ≥ 0.8 → 0; star count ≥ 50 → 100, ≤ 5 → 0 (log-linear between).
 * The background has no absolute meaning (it depends on camera, gain and exposure) and is left out.
 *
 * Gates, in both modes; a failed gate caps the score at GATE_CAP and clears the flag:
 * - no_stars: no star detected in a light frame;
 * - star_collapse: fewer than 30% of the comparable frames' median star count (clouds, dew, a
 *   closed dome) — relative mode only;
 * - trailing: median eccentricity ≥ 0.7 (b/a ≤ 0.71: stars visibly drawn into lines).
 *
 * Calibration frames are not scored (score null, flag false): their level and noise are in the
 * metrics, and whether a dark is good is a matter of matching, not of quality.
 */
import type { QualityMetrics, QualityScore } from '../domain/image.js';

/** Bump when the formula changes: stored scores with another version are recomputed (`aims rescore`). */
export const QUALITY_VERSION = 1;
export const DEFAULT_QUALITY_THRESHOLD = 60;
export const MIN_COMPARABLES = 5;
export const GATE_CAP = 20;
const TRAILING_ECCENTRICITY = 0.7;
const COLLAPSE_FRACTION = 0.3;

export const WEIGHTS = { fwhm: 0.35, eccentricity: 0.2, star_count: 0.3, background: 0.15 } as const;
type Component = keyof typeof WEIGHTS;

/** Smallest robust σ used per metric: relative to the median, or absolute. */
const SCALE_FLOORS: Record<Component, { relative: number; absolute: number }> = {
  fwhm: { relative: 0.05, absolute: 0.05 },
  eccentricity: { relative: 0, absolute: 0.05 },
  star_count: { relative: 0.1, absolute: 2 },
  background: { relative: 0.05, absolute: 1 },
};

export const ABSOLUTE = {
  fwhmArcsec: { good: 2.5, bad: 8 },
  fwhmPx: { good: 3, bad: 10 },
  eccentricity: { good: 0.45, bad: 0.8 },
  starCount: { good: 50, bad: 5 },
} as const;

export interface ScoreOptions {
  imageType: string | null;
  /** AIMS_QUALITY_THRESHOLD (default 60). */
  threshold?: number;
}

interface ComponentDetail {
  value: number | null;
  weight: number;
  score: number | null;
  median?: number;
  scale?: number;
  z?: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2]! : 0.5 * (s[n / 2 - 1]! + s[n / 2]!);
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));
/** 100 at `good` or better, 0 at `bad` or worse, linear between (either direction). */
const ramp = (value: number, good: number, bad: number) => 100 * clamp01((bad - value) / (bad - good));

function metricOf(m: QualityMetrics, c: Component): number | null {
  const v = c === 'fwhm' ? (m.fwhm_arcsec ?? m.fwhm_px) : c === 'star_count' ? m.star_count : m[c];
  return v === null || v === undefined || !Number.isFinite(v) ? null : v;
}

function relativeComponent(frame: QualityMetrics, others: QualityMetrics[], c: Component): ComponentDetail {
  const value = metricOf(frame, c);
  // FWHM in arcsec only when this frame and all its comparables have it; else pixels for all.
  const useArcsec = c === 'fwhm' && frame.fwhm_arcsec !== null && others.every((o) => o.fwhm_arcsec !== null);
  const pick = (m: QualityMetrics) => (c === 'fwhm' ? (useArcsec ? m.fwhm_arcsec : m.fwhm_px) : metricOf(m, c));
  const x = pick(frame) ?? value;
  const values = others.map(pick).filter((v): v is number => v !== null && Number.isFinite(v));
  if (x === null || values.length < MIN_COMPARABLES) return { value: x, weight: 0, score: null };
  const med = median(values);
  const mad = median(values.map((v) => Math.abs(v - med)));
  const floor = SCALE_FLOORS[c];
  const scale = Math.max(1.4826 * mad, floor.relative * Math.abs(med), floor.absolute);
  const z = (x - med) / scale;
  const worse = c === 'star_count' ? -z : z;
  const score = 100 * clamp01(1 - Math.max(0, worse - 0.5) / 4);
  return { value: x, weight: WEIGHTS[c], score, median: med, scale, z };
}

function absoluteComponent(frame: QualityMetrics, c: Component): ComponentDetail {
  const value = metricOf(frame, c);
  if (value === null || c === 'background') return { value, weight: 0, score: null };
  let score: number;
  if (c === 'fwhm')
    score =
      frame.fwhm_arcsec !== null
        ? ramp(frame.fwhm_arcsec, ABSOLUTE.fwhmArcsec.good, ABSOLUTE.fwhmArcsec.bad)
        : ramp(value, ABSOLUTE.fwhmPx.good, ABSOLUTE.fwhmPx.bad);
  else if (c === 'eccentricity') score = ramp(value, ABSOLUTE.eccentricity.good, ABSOLUTE.eccentricity.bad);
  else {
    const { good, bad } = ABSOLUTE.starCount;
    score = 100 * clamp01(Math.log(Math.max(value, 1) / bad) / Math.log(good / bad));
  }
  return { value, weight: WEIGHTS[c], score };
}

/**
 * Scores one frame against its comparable frames (their metrics, this frame excluded). Returns the
 * score, the flag and every component, gate and threshold that made them.
 */
export function scoreFrame(frame: QualityMetrics, comparables: QualityMetrics[], options: ScoreOptions): QualityScore {
  const threshold = options.threshold ?? DEFAULT_QUALITY_THRESHOLD;
  const type = options.imageType;
  if (type === 'dark' || type === 'flat' || type === 'bias')
    return {
      quality_score: null,
      quality_flag: false,
      quality_components: { mode: 'calibration', reason: 'calibration frames are not scored' },
      quality_version: QUALITY_VERSION,
    };
  if (frame.star_count === null)
    return {
      quality_score: null,
      quality_flag: false,
      quality_components: { mode: 'unmeasured', reason: frame.analysis_note ?? 'no star metrics' },
      quality_version: QUALITY_VERSION,
    };
  const usable = comparables.filter((m) => m.star_count !== null);
  const mode = usable.length >= MIN_COMPARABLES ? 'relative' : 'absolute';
  const components = {} as Record<Component, ComponentDetail>;
  for (const c of Object.keys(WEIGHTS) as Component[])
    components[c] = mode === 'relative' ? relativeComponent(frame, usable, c) : absoluteComponent(frame, c);

  const stars = frame.star_count ?? 0;
  const medianStars = usable.length >= MIN_COMPARABLES ? median(usable.map((m) => m.star_count!)) : null;
  const gates = {
    no_stars: { failed: stars === 0, value: stars },
    star_collapse: {
      failed: medianStars !== null && stars < COLLAPSE_FRACTION * medianStars,
      value: stars,
      limit: medianStars === null ? null : COLLAPSE_FRACTION * medianStars,
    },
    trailing: {
      failed: frame.eccentricity !== null && frame.eccentricity >= TRAILING_ECCENTRICITY,
      value: frame.eccentricity,
      limit: TRAILING_ECCENTRICITY,
    },
  };
  let weight = 0;
  let sum = 0;
  for (const d of Object.values(components))
    if (d.score !== null && d.weight > 0) {
      weight += d.weight;
      sum += d.weight * d.score;
    }
  const gated = Object.values(gates).some((g) => g.failed);
  let score = weight > 0 ? sum / weight : 0;
  if (gated) score = Math.min(score, GATE_CAP);
  score = Math.round(score * 10) / 10;
  return {
    quality_score: score,
    quality_flag: !gated && score >= threshold,
    quality_components: {
      mode,
      comparables: usable.length,
      threshold,
      components,
      gates,
      gate_cap: GATE_CAP,
    },
    quality_version: QUALITY_VERSION,
  };
}

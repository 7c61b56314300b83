/**
 * Star detection and per-star measurement on a background-subtracted image.
 *
 * Detection (SExtractor-like, detection.ts): the image minus the background map is smoothed by a
 * Gaussian of σ = 1 px; pixels above k times the smoothed image's own noise (the background RMS ×
 * √Σw² of the kernel) form 8-connected components. Components under `minArea` pixels are dropped.
 *
 * Deblending is not done: two touching stars are measured as one object. They come out large and
 * elongated, and since frame metrics are medians over many stars, a few blends do not move them.
 *
 * Rejection: cosmic rays and hot pixels are sharper than any PSF. Before detection, every pixel above
 * the threshold whose brighter neighbour along x or along y is under `sharpNeighbourFraction` (0.12)
 * of it is replaced by the median of its 8 neighbours (see cleanSharpPixels), so that a hit on a
 * star does not spoil the star. Objects longer than `maxExtentPx` (satellite
 * and aircraft trails, galaxies, nebulae) are rejected. Objects whose footprint reaches a pixel at or
 * above the saturation level are kept but flagged, and so are objects whose measuring aperture
 * leaves the image (edge); both are excluded from shape metrics.
 *
 * Measurement, per object:
 * - centroid: intensity-weighted mean position over the footprint;
 * - flux: sum of the background-subtracted pixels in a circle of radius `apertureRadius` (3 × the
 *   frame's typical FWHM), with sub-pixel sampling, as SEP's `sum_circle`; pixels of neighbouring
 *   objects are replaced by their mirror image through the centroid;
 * - half-flux radius: radius of the circle holding half of that flux (curve of growth with the same
 *   sub-pixel sampling, SEP's `flux_radius`), reported raw (`fluxRadius`) and corrected for pixel
 *   size (`hfr`, see below);
 * - second moments: Gaussian-weighted moments with the weight removed (see windowedMoments),
 *   giving the axes a ≥ b (σ-like, px), the angle θ of a (degrees from +x toward +y) and the
 *   eccentricity √(1 − b²/a²);
 * - FWHM = 2 × hfr. For a Gaussian the half-flux radius is σ√(2 ln 2) and the FWHM 2σ√(2 ln 2), so the
 *   relation is exact; for a Moffat profile of β = 3 the FWHM is ~0.85 × 2·hfr (wings hold flux).
 *
 * Pixel correction: sub-pixel sampling spreads each pixel's flux evenly over the pixel, and the
 * detector already integrated the PSF over the pixel: each adds a variance of 1/12 px² per axis.
 * For a Gaussian, r½² = 2 ln 2 · σ², so the two together raise r½² by 2 ln 2 · (2/12) = ln 2 / 3;
 * `hfr = √(fluxRadius² − ln 2 / 3)` is the half-flux radius of the PSF before pixelization (what
 * the optics and seeing delivered) and agrees with truth to <1% for FWHM ≥ 1.5 px.
 */
import type { ImageLike } from './background.js';
import {
  type ComponentMap,
  cleanSharpPixels,
  detectFootprints,
  type Footprint,
  SMOOTHED_NOISE_FACTOR,
} from './detection.js';
import { lap, type StageTimes } from './stage-times.js';

export interface StarOptions {
  /** Detection threshold in units of the smoothed image's noise (default 5). */
  thresholdSigma?: number;
  /** Minimum number of connected pixels above the threshold (default 5). */
  minArea?: number;
  /** Pixels at or above this value are saturated (default: none). */
  saturationLevel?: number;
  /** Or: 1 where a pixel is saturated (e.g. any of a binned pixel's four). */
  saturatedMask?: Uint8Array;
  sharpNeighbourFraction?: number;
  /** Objects whose bounding box is longer than this are not stars (default 64 px). */
  maxExtentPx?: number;
  /** Stop after this many detections, keeping the largest (default 20000). */
  maxObjects?: number;
  /** Stage times (detection, measurement) are added here when given. */
  times?: StageTimes;
}

export interface Star {
  x: number;
  y: number;
  flux: number;
  /** Highest background-subtracted pixel. */
  peak: number;
  /** Footprint size above the threshold. */
  npix: number;
  a: number;
  b: number;
  thetaDeg: number;
  eccentricity: number;
  /** Half-flux radius as SEP's flux_radius measures it (pixel-spread included). */
  fluxRadius: number;
  hfr: number;
  fwhm: number;
  /** flux / (background noise in a circle of radius FWHM); the star's own Poisson noise is ignored. */
  snr: number;
  saturated: boolean;
  edge: boolean;
}

export interface StarDetection {
  stars: Star[];
  /** Pixels replaced as too sharp (cosmic rays, hot pixels); objects rejected as too extended (trails). */
  cleanedPixels: number;
  rejectedExtended: number;
  /** Objects with no positive flux in their aperture. */
  rejectedFaint: number;
  /** Radius of the curve-of-growth aperture used for every star (px). */
  apertureRadius: number;
  /** Detections beyond maxObjects that were not measured. */
  truncated: number;
}

export { DETECTION_KERNEL, SMOOTHED_NOISE_FACTOR } from './detection.js';

const PIXEL_SPREAD_R2 = Math.LN2 / 3;
const SUBPIX = 5;

/**
 * Flux in circles of radius k·step (k = 1..n) around (cx, cy), with sub-pixel sampling. With
 * `components`, pixels of components other than `own` are masked (see below).
 */
export function curveOfGrowth(
  sub: Float32Array,
  width: number,
  height: number,
  cx: number,
  cy: number,
  radius: number,
  step: number,
  components?: ComponentMap,
  own = 0,
): Float64Array {
  const n = Math.ceil(radius / step);
  const bins = new Float64Array(n + 1);
  const x0 = Math.max(0, Math.floor(cx - radius - 1));
  const x1 = Math.min(width - 1, Math.ceil(cx + radius + 1));
  const y0 = Math.max(0, Math.floor(cy - radius - 1));
  const y1 = Math.min(height - 1, Math.ceil(cy + radius + 1));
  addPixels(bins, n, sub, width, height, x0, x1, y0, y1, cx, cy, radius, step, components, own);
  for (let k = 1; k <= n; k++) bins[k]! += bins[k - 1]!;
  return bins;
}

/** Half a pixel's diagonal: a pixel whose centre is this much beyond the radius has no part inside. */
const HALF_DIAGONAL = Math.SQRT1_2;

/**
 * curveOfGrowth's pixels of the box [x0, x1] × [y0, y1], each spread over its sub-pixels, added to
 * their radius bins. A function of its own that starts with its loop: V8 compiles this loop while the
 * first star's pixels run through it, before the statements ahead of it had any type feedback; with
 * those in the same function, the code was thrown away at the second star and compiled again.
 */
function addPixels(
  bins: Float64Array,
  n: number,
  sub: Float32Array,
  width: number,
  height: number,
  x0: number,
  x1: number,
  y0: number,
  y1: number,
  cx: number,
  cy: number,
  radius: number,
  step: number,
  components: ComponentMap | undefined,
  own: number,
): void {
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++) {
      const dx = x - cx;
      const dy = y - cy;
      const d = Math.sqrt(dx * dx + dy * dy);
      if (d - HALF_DIAGONAL > radius) continue;
      let v = sub[y * width + x]!;
      // A pixel of another object is replaced by its mirror through the centre when that one is
      // free (SExtractor's MASK_TYPE CORRECT), else by nothing.
      const l = components ? components.compact[components.labels[y * width + x]!]! : 0;
      if (l !== 0 && l !== own) v = mirrored(sub, width, height, cx, cy, x, y, components!, own);
      // Sub-pixel sampling matters where the curve is steep and the half-flux radius lies; far
      // out a pixel spans a few 0.05-px bins only and its whole flux can go to its centre's bin.
      const s = d > 8 ? 1 : d > 4 ? 3 : SUBPIX;
      const w = v / (s * s);
      for (let j = 0; j < s; j++)
        for (let i = 0; i < s; i++) {
          const sx = dx - 0.5 + (i + 0.5) / s;
          const sy = dy - 0.5 + (j + 0.5) / s;
          const k = Math.floor(Math.sqrt(sx * sx + sy * sy) / step);
          if (k <= n) bins[k]! += w;
        }
    }
}

/**
 * curveOfGrowth's value for pixel (x, y) of another object: its mirror through the centre when that
 * one is free, else 0. A function of its own: the first pixel of a neighbour otherwise threw away
 * the optimized curveOfGrowth, compiled before any had been seen (see detection.ts).
 */
function mirrored(
  sub: Float32Array,
  width: number,
  height: number,
  cx: number,
  cy: number,
  x: number,
  y: number,
  components: ComponentMap,
  own: number,
): number {
  const mx = Math.round(2 * cx - x);
  const my = Math.round(2 * cy - y);
  const ml =
    mx >= 0 && my >= 0 && mx < width && my < height ? components.compact[components.labels[my * width + mx]!]! : -1;
  // Compared with `own` every time, not only when not 0: see flagSharpInRow in detection.ts.
  const ownMirror = ml === own;
  return ml === 0 || ownMirror ? sub[my * width + mx]! : 0;
}

/** Radius at which the cumulative curve reaches `fraction` of its last value (linear between steps). */
export function radiusAtFraction(curve: Float64Array, step: number, fraction: number): number {
  const total = curve[curve.length - 1]!;
  if (!(total > 0)) return Number.NaN;
  const target = fraction * total;
  let previous = 0;
  for (let k = 0; k < curve.length; k++) {
    const c = curve[k]!;
    if (c >= target) {
      const t = c > previous ? (target - previous) / (c - previous) : 0;
      return (k + t) * step;
    }
    previous = c;
  }
  return curve.length * step;
}

/**
 * Second moments of a star through a round Gaussian weight of σ_w = max(1 px, 1.5 σ★), the weight
 * then removed: for a Gaussian star S and weight W the weighted moments are M = (S⁻¹ + W⁻¹)⁻¹, so
 * S = (M⁻¹ − W⁻¹)⁻¹ (Bernstein & Jarvis 2002). Each pixel adds its own 1/12 px² of variance per axis
 * back (its flux is spread over the pixel, not at its centre). A weight broader than the star keeps
 * the inversion well conditioned; one fixed weight (no iteration) cannot run away on extended
 * objects. Two passes: the first re-centres the window.
 */
function windowedMoments(
  sub: Float32Array,
  width: number,
  height: number,
  cx: number,
  cy: number,
  sigmaStar: number,
  maxRadius: number,
) {
  const sw = Math.max(1, 1.5 * sigmaStar);
  const inv = 1 / (sw * sw);
  const r = Math.floor(Math.min(maxRadius, 4 * sw + 1)); // integer: a fractional index is not a pixel
  let mx = cx;
  let my = cy;
  let result = { a: sigmaStar, b: sigmaStar, theta: 0 };
  for (let pass = 0; pass < 2; pass++) {
    let w0 = 0;
    let wx = 0;
    let wy = 0;
    let wxx = 0;
    let wyy = 0;
    let wxy = 0;
    const x0 = Math.max(0, Math.round(mx) - r);
    const x1 = Math.min(width - 1, Math.round(mx) + r);
    for (let y = Math.max(0, Math.round(my) - r); y <= Math.min(height - 1, Math.round(my) + r); y++)
      for (let x = x0; x <= x1; x++) {
        const dx = x - mx;
        const dy = y - my;
        const q = (dx * dx + dy * dy) * inv;
        if (q > 16) continue;
        const w = Math.exp(-0.5 * q) * sub[y * width + x]!;
        w0 += w;
        wx += w * dx;
        wy += w * dy;
        wxx += w * dx * dx;
        wyy += w * dy * dy;
        wxy += w * dx * dy;
      }
    if (!(w0 > 0)) break;
    const ux = wx / w0;
    const uy = wy / w0;
    if (pass === 0) {
      // For a Gaussian star the weighted centroid moves only part of the way: M·S⁻¹ of it.
      mx += Math.max(-1, Math.min(1, 2 * ux));
      my += Math.max(-1, Math.min(1, 2 * uy));
      continue;
    }
    const mxx = wxx / w0 - ux * ux + 1 / 12;
    const myy = wyy / w0 - uy * uy + 1 / 12;
    const mxy = wxy / w0 - ux * uy;
    const mdet = mxx * myy - mxy * mxy;
    if (!(mdet > 0)) break;
    const jxx = myy / mdet - inv;
    const jyy = mxx / mdet - inv;
    const jxy = -mxy / mdet;
    const jdet = jxx * jyy - jxy * jxy;
    // Not invertible: the object is broader than the weight allows to tell; keep M's shape.
    // (Three values, not a pair of arrays: the rare branch left V8 no type feedback for the array
    // it picked, and the optimized function was thrown away at the first such star.)
    const invertible = jdet > 0 && jxx > 0;
    const sxx = invertible ? jyy / jdet : mxx;
    const syy = invertible ? jxx / jdet : myy;
    const sxy = invertible ? -jxy / jdet : mxy;
    const half = 0.5 * (sxx + syy);
    const root = Math.sqrt(0.25 * (sxx - syy) ** 2 + sxy * sxy);
    result = {
      a: Math.sqrt(half + root),
      b: Math.sqrt(Math.max(0, half - root)),
      theta: (0.5 * Math.atan2(2 * sxy, sxx - syy) * 180) / Math.PI,
    };
  }
  return result;
}

/**
 * Detects and measures stars. `sub` is the background-subtracted image, `rms` the background noise
 * (a single number: the frame's global RMS), `raw` the original values for the saturation test.
 */
export function detectStars(
  image: ImageLike,
  sub: Float32Array,
  rms: number,
  options: StarOptions = {},
): StarDetection {
  const started = performance.now();
  const { width, height } = image;
  const raw = image.data;
  const k = options.thresholdSigma ?? 5;
  const minArea = options.minArea ?? 5;
  const saturation = options.saturationLevel ?? Number.POSITIVE_INFINITY;
  const mask = options.saturatedMask;
  const sharp = options.sharpNeighbourFraction ?? 0.12;
  const maxExtent = options.maxExtentPx ?? 64;
  const cleanedPixels = cleanSharpPixels(sub, width, height, k * rms, sharp);
  const threshold = k * rms * SMOOTHED_NOISE_FACTOR;
  const { footprints, ...components } = detectFootprints(sub, width, height, threshold, raw, saturation, mask);
  let candidates = footprints.filter((f) => f.npix >= minArea && f.sum > 0);
  const maxObjects = options.maxObjects ?? 20000;
  let truncated = 0;
  if (candidates.length > maxObjects) {
    candidates.sort((p, q) => q.sum - p.sum);
    truncated = candidates.length - maxObjects;
    candidates = candidates.slice(0, maxObjects);
  }

  let rejectedExtended = 0;
  const objects: Array<{ f: Footprint; label: number; cx: number; cy: number }> = [];
  for (const f of candidates) {
    if (f.xmax - f.xmin + 1 > maxExtent || f.ymax - f.ymin + 1 > maxExtent) {
      rejectedExtended++;
      continue;
    }
    objects.push({ f, label: f.label, cx: f.sx / f.sum, cy: f.sy / f.sum });
  }
  const measuring = lap(options.times, 'detection', started);
  // The aperture for the curve of growth is the same for every star of the frame: 3 × the FWHM
  // estimated from the 100 brightest unsaturated stars (Gaussian: 7σ, the whole flux; Moffat β = 3:
  // ~99%). A per-star isophotal size would give bright stars larger apertures, more neighbours and
  // a different truncation of the wings than faint ones.
  const step = 0.05;
  const probe = objects
    .filter((o) => !o.f.saturated)
    .sort((p, q) => q.f.sum - p.f.sum)
    .slice(0, 100)
    .map((o) => {
      const r = Math.min(20, Math.max(6, 2.5 * Math.sqrt(o.f.npix / Math.PI) + 3));
      return radiusAtFraction(curveOfGrowth(sub, width, height, o.cx, o.cy, r, step, components, o.label), step, 0.5);
    })
    .filter((r) => Number.isFinite(r))
    .sort((p, q) => p - q);
  const typicalRadius = probe.length ? probe[Math.floor(probe.length / 2)]! : 2;
  const apertureRadius = Math.min(40, Math.max(5, 6 * typicalRadius));
  const stars: Star[] = [];
  let rejectedFaint = 0;
  for (const { f, label, cx, cy } of objects) {
    const curve = curveOfGrowth(sub, width, height, cx, cy, apertureRadius, step, components, label);
    const flux = curve[curve.length - 1]!;
    const fluxRadius = radiusAtFraction(curve, step, 0.5);
    // No positive flux in the aperture: a noise peak next to a brighter neighbour, not a star.
    if (!(flux > 0) || !Number.isFinite(fluxRadius)) {
      rejectedFaint++;
      continue;
    }
    const hfr = Math.sqrt(Math.max(0, fluxRadius * fluxRadius - PIXEL_SPREAD_R2));
    const m = windowedMoments(sub, width, height, cx, cy, Math.max(0.5, hfr / Math.sqrt(2 * Math.LN2)), apertureRadius);
    const edge =
      cx - apertureRadius < 0 ||
      cy - apertureRadius < 0 ||
      cx + apertureRadius > width - 1 ||
      cy + apertureRadius > height - 1;
    stars.push({
      x: cx,
      y: cy,
      flux,
      peak: f.peak,
      npix: f.npix,
      a: m.a,
      b: m.b,
      thetaDeg: m.theta,
      eccentricity: m.a > 0 ? Math.sqrt(Math.max(0, 1 - (m.b * m.b) / (m.a * m.a))) : 0,
      fluxRadius,
      hfr,
      fwhm: 2 * hfr,
      snr: flux / (rms * Math.sqrt(Math.PI) * Math.max(1, 2 * hfr)),
      saturated: f.saturated,
      edge,
    });
  }
  lap(options.times, 'measurement', measuring);
  return { stars, cleanedPixels, rejectedExtended, rejectedFaint, truncated, apertureRadius };
}

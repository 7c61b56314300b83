/**
 * Star detection and per-star measurement on a background-subtracted image.
 *
 * Detection (SExtractor-like): the image minus the background map is smoothed by a Gaussian of
 * σ = 1 px; pixels above k times the smoothed image's own noise (the background RMS × √Σw² of the
 * kernel) form 8-connected components (two-pass labelling with a union–find over a typed array: no
 * recursion, no per-pixel allocation). Components under `minArea` pixels are dropped.
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
import { scratchFloat32, scratchInt32, scratchUint8 } from './scratch.js';

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

/** σ = 1 px Gaussian kernel, radius 3: normalized weights. */
export const DETECTION_KERNEL = (() => {
  const w = [-3, -2, -1, 0, 1, 2, 3].map((d) => Math.exp(-0.5 * d * d));
  const s = w.reduce((a, b) => a + b, 0);
  return Float32Array.from(w.map((v) => v / s));
})();
/** Noise of the smoothed image relative to the input's: √Σw² over the 2-D kernel = Σw² of the 1-D one. */
export const SMOOTHED_NOISE_FACTOR = DETECTION_KERNEL.reduce((a, v) => a + v * v, 0);
const PIXEL_SPREAD_R2 = Math.LN2 / 3;
const SUBPIX = 5;

/**
 * Separable Gaussian smoothing of a width×height image (near the edges the kernel is renormalized
 * over the pixels that exist). Both passes run along rows so that memory is read in order.
 */
export function smooth(
  src: Float32Array,
  width: number,
  height: number,
  out = new Float32Array(src.length),
): Float32Array {
  // Vertical pass into `out`, then the horizontal pass in place through one row of scratch: one
  // full-size array instead of two (fresh pages cost as much as the arithmetic at 16 Mpx).
  const row = new Float32Array(width);
  const k0 = DETECTION_KERNEL[3]!;
  const k1 = DETECTION_KERNEL[4]!;
  const k2 = DETECTION_KERNEL[5]!;
  const k3 = DETECTION_KERNEL[6]!;
  const w1 = width;
  const w2 = 2 * width;
  const w3 = 3 * width;
  // No closures over the arrays here: captured variables live in a context object and slow every
  // access in the loops below.
  for (let y = 0; y < height; y++) {
    const o = y * width;
    if (y >= 3 && y < height - 3)
      for (let x = 0; x < width; x++) {
        const i = o + x;
        out[i] =
          k0 * src[i]! +
          k1 * (src[i - w1]! + src[i + w1]!) +
          k2 * (src[i - w2]! + src[i + w2]!) +
          k3 * (src[i - w3]! + src[i + w3]!);
      }
    else for (let x = 0; x < width; x++) out[o + x] = edgeTap(src, x, width, height, y);
  }
  for (let y = 0; y < height; y++) {
    const o = y * width;
    for (let x = 0; x < width; x++) row[x] = out[o + x]!;
    for (let x = 3; x < width - 3; x++)
      out[o + x] =
        k0 * row[x]! +
        k1 * (row[x - 1]! + row[x + 1]!) +
        k2 * (row[x - 2]! + row[x + 2]!) +
        k3 * (row[x - 3]! + row[x + 3]!);
    for (let x = 0; x < width; x++) {
      if (x === 3 && width > 6) x = width - 3;
      out[o + x] = edgeTap(row, 0, 1, width, x);
    }
  }
  return out;
}

/** Kernel tap at position `i` of a line of `n` values starting at `base` with `stride`, renormalized. */
function edgeTap(a: Float32Array, base: number, stride: number, n: number, i: number): number {
  let s = 0;
  let w = 0;
  for (let k = -3; k <= 3; k++)
    if (i + k >= 0 && i + k < n) {
      s += DETECTION_KERNEL[k + 3]! * a[base + (i + k) * stride]!;
      w += DETECTION_KERNEL[k + 3]!;
    }
  return s / w;
}

/**
 * Replaces pixels sharper than any PSF (cosmic-ray hits, hot pixels) by the median of their eight
 * neighbours, in place: a pixel above `minValue` whose brighter neighbour along x, or along y, is
 * under `fraction` of it. A star spreads along both axes: even at FWHM 1.2 px and centred on a
 * pixel corner, its peak pixel has a neighbour above ~0.2 of it on each axis; a hot pixel has none,
 * a cosmic-ray track none across it. Flags are decided on the original values, so a 2–3-pixel track
 * is cleaned in one pass. Returns the number of pixels replaced.
 */
export function cleanSharpPixels(
  sub: Float32Array,
  width: number,
  height: number,
  minValue: number,
  fraction: number,
): number {
  const flagged: number[] = [];
  for (let y = 1; y < height - 1; y++) {
    const row = y * width;
    for (let x = 1; x < width - 1; x++) {
      const i = row + x;
      const v = sub[i]!;
      if (v <= minValue) continue;
      const limit = fraction * v;
      if (Math.max(sub[i - 1]!, sub[i + 1]!) < limit || Math.max(sub[i - width]!, sub[i + width]!) < limit)
        flagged.push(i);
    }
  }
  const replacement = new Float32Array(flagged.length);
  const near = new Float32Array(8);
  flagged.forEach((i, k) => {
    near[0] = sub[i - width - 1]!;
    near[1] = sub[i - width]!;
    near[2] = sub[i - width + 1]!;
    near[3] = sub[i - 1]!;
    near[4] = sub[i + 1]!;
    near[5] = sub[i + width - 1]!;
    near[6] = sub[i + width]!;
    near[7] = sub[i + width + 1]!;
    near.sort();
    replacement[k] = 0.5 * (near[3]! + near[4]!);
  });
  flagged.forEach((i, k) => {
    sub[i] = replacement[k]!;
  });
  return flagged.length;
}

/** 8-connected labelling of `mask` (1 = on): labels 1..n in an Int32Array, 0 = background. */
export function labelComponents(
  mask: Uint8Array,
  width: number,
  height: number,
  labels = new Int32Array(width * height),
): { labels: Int32Array; count: number } {
  // `labels` must arrive zero-filled.
  let parent = new Int32Array(1024);
  let next = 1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (!mask[row + x]) continue;
      // Already-visited neighbours: W, NW, N, NE.
      let label = x > 0 ? labels[row + x - 1]! : 0;
      if (y > 0) {
        const up = row - width + x;
        const nw = x > 0 ? labels[up - 1]! : 0;
        const n = labels[up]!;
        const ne = x < width - 1 ? labels[up + 1]! : 0;
        if (nw) label = label ? union(parent, label, nw) : nw;
        if (n) label = label ? union(parent, label, n) : n;
        if (ne) label = label ? union(parent, label, ne) : ne;
      }
      if (!label) {
        if (next >= parent.length) {
          const grown = new Int32Array(parent.length * 2);
          grown.set(parent);
          parent = grown;
        }
        parent[next] = next;
        label = next++;
      }
      labels[row + x] = label;
    }
  }
  // Resolve to compact labels 1..count.
  const compact = new Int32Array(next);
  let count = 0;
  for (let l = 1; l < next; l++) {
    const root = find(parent, l);
    if (!compact[root]) compact[root] = ++count;
    compact[l] = compact[root]!;
  }
  for (let i = 0; i < labels.length; i++) if (labels[i]) labels[i] = compact[labels[i]!]!;
  return { labels, count };
}

function find(parent: Int32Array, a: number): number {
  while (parent[a] !== a) {
    parent[a] = parent[parent[a]!]!;
    a = parent[a]!;
  }
  return a;
}

/** Joins two sets; the smaller label becomes the root, so roots precede their members. */
function union(parent: Int32Array, a: number, b: number): number {
  const ra = find(parent, a);
  const rb = find(parent, b);
  if (ra === rb) return ra;
  if (ra < rb) {
    parent[rb] = ra;
    return ra;
  }
  parent[ra] = rb;
  return rb;
}

/** Flux in circles of radius k·step (k = 1..n) around (cx, cy), with sub-pixel sampling. */
export function curveOfGrowth(
  sub: Float32Array,
  width: number,
  height: number,
  cx: number,
  cy: number,
  radius: number,
  step: number,
  labels?: Int32Array,
  own = 0,
): Float64Array {
  const n = Math.ceil(radius / step);
  const bins = new Float64Array(n + 1);
  const x0 = Math.max(0, Math.floor(cx - radius - 1));
  const x1 = Math.min(width - 1, Math.ceil(cx + radius + 1));
  const y0 = Math.max(0, Math.floor(cy - radius - 1));
  const y1 = Math.min(height - 1, Math.ceil(cy + radius + 1));
  const half = Math.SQRT1_2;
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++) {
      const dx = x - cx;
      const dy = y - cy;
      const d = Math.sqrt(dx * dx + dy * dy);
      if (d - half > radius) continue;
      let v = sub[y * width + x]!;
      // A pixel of another object is replaced by its mirror through the centre when that one is
      // free (SExtractor's MASK_TYPE CORRECT), else by nothing.
      const l = labels ? labels[y * width + x]! : 0;
      if (l !== 0 && l !== own) {
        const mx = Math.round(2 * cx - x);
        const my = Math.round(2 * cy - y);
        const ml = mx >= 0 && my >= 0 && mx < width && my < height ? labels![my * width + mx]! : -1;
        v = ml === 0 || ml === own ? sub[my * width + mx]! : 0;
      }
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
  for (let k = 1; k <= n; k++) bins[k]! += bins[k - 1]!;
  return bins;
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
    const [sxx, syy, sxy] = jdet > 0 && jxx > 0 ? [jyy / jdet, jxx / jdet, -jxy / jdet] : [mxx, myy, mxy];
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

interface Footprint {
  npix: number;
  sum: number;
  sx: number;
  sy: number;
  peak: number;
  peakIndex: number;
  xmin: number;
  xmax: number;
  ymin: number;
  ymax: number;
  saturated: boolean;
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
  const { width, height } = image;
  const raw = image.data;
  const k = options.thresholdSigma ?? 5;
  const minArea = options.minArea ?? 5;
  const saturation = options.saturationLevel ?? Number.POSITIVE_INFINITY;
  const mask = options.saturatedMask;
  const sharp = options.sharpNeighbourFraction ?? 0.12;
  const maxExtent = options.maxExtentPx ?? 64;
  const cleanedPixels = cleanSharpPixels(sub, width, height, k * rms, sharp);
  const smoothed = smooth(sub, width, height, scratchFloat32('smoothed', width * height));
  const threshold = k * rms * SMOOTHED_NOISE_FACTOR;
  const above = scratchUint8('above', width * height);
  for (let i = 0; i < above.length; i++) above[i] = smoothed[i]! > threshold ? 1 : 0;
  const { labels, count } = labelComponents(above, width, height, scratchInt32('labels', width * height));

  const feet: Footprint[] = Array.from({ length: count + 1 }, () => ({
    npix: 0,
    sum: 0,
    sx: 0,
    sy: 0,
    peak: Number.NEGATIVE_INFINITY,
    peakIndex: -1,
    xmin: width,
    xmax: -1,
    ymin: height,
    ymax: -1,
    saturated: false,
  }));
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const l = labels[row + x]!;
      if (!l) continue;
      const f = feet[l]!;
      const v = sub[row + x]!;
      f.npix++;
      if (v > 0) {
        f.sum += v;
        f.sx += v * x;
        f.sy += v * y;
      }
      if (v > f.peak) {
        f.peak = v;
        f.peakIndex = row + x;
      }
      if (x < f.xmin) f.xmin = x;
      if (x > f.xmax) f.xmax = x;
      if (y < f.ymin) f.ymin = y;
      if (y > f.ymax) f.ymax = y;
      if (raw[row + x]! >= saturation || mask?.[row + x]) f.saturated = true;
    }
  }
  let candidates = feet.slice(1).filter((f) => f.npix >= minArea && f.sum > 0);
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
    const label = labels[f.peakIndex]!;
    objects.push({ f, label, cx: f.sx / f.sum, cy: f.sy / f.sum });
  }
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
      return radiusAtFraction(curveOfGrowth(sub, width, height, o.cx, o.cy, r, step, labels, o.label), step, 0.5);
    })
    .filter((r) => Number.isFinite(r))
    .sort((p, q) => p - q);
  const typicalRadius = probe.length ? probe[Math.floor(probe.length / 2)]! : 2;
  const apertureRadius = Math.min(40, Math.max(5, 6 * typicalRadius));
  const stars: Star[] = [];
  let rejectedFaint = 0;
  for (const { f, label, cx, cy } of objects) {
    const curve = curveOfGrowth(sub, width, height, cx, cy, apertureRadius, step, labels, label);
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
  return { stars, cleanedPixels, rejectedExtended, rejectedFaint, truncated, apertureRadius };
}

/**
 * Random numbers and point-spread functions for the synthetic frames. Stars are rendered as the
 * flux that falls on each pixel (integrated over the pixel), as a detector records it: exactly with
 * the error function for round Gaussians, by 4×4 sub-sampling for Moffat and elliptical profiles.
 */

/** Seeded PRNG (mulberry32): the same seed gives the same frame on every machine. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare: number | null = null;
  const normal = (): number => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  /** Poisson deviate: exact (Knuth) below 30, normal approximation above (error < 1% in σ). */
  const poisson = (lambda: number): number => {
    if (lambda <= 0) return 0;
    if (lambda >= 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal()));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = uniform();
    while (p > limit) {
      k++;
      p *= uniform();
    }
    return k;
  };
  return { uniform, normal, poisson };
}
export type Random = ReturnType<typeof createRandom>;

/** Standard normal cumulative distribution (Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

export const FWHM_PER_SIGMA = 2 * Math.sqrt(2 * Math.LN2);
export type PsfModel = 'gaussian' | 'moffat';

export interface PsfShape {
  model: PsfModel;
  fwhm: number;
  /** Moffat β (default 3). */
  beta?: number;
  /** Minor/major axis ratio (1 = round). */
  axisRatio?: number;
  angleDeg?: number;
}

/** Half-flux radius of the continuous profile (before pixel integration). */
export function halfFluxRadius(shape: PsfShape): number {
  const q = shape.axisRatio ?? 1;
  if (shape.model === 'gaussian') return (shape.fwhm / 2) * (q === 1 ? 1 : Math.sqrt(q));
  const beta = shape.beta ?? 3;
  const alpha = shape.fwhm / (2 * Math.sqrt(2 ** (1 / beta) - 1));
  return alpha * Math.sqrt(2 ** (1 / (beta - 1)) - 1) * (q === 1 ? 1 : Math.sqrt(q));
}

/** How far a stamp must reach so that what it leaves out is under ~0.5% of the flux. */
function stampRadius(shape: PsfShape): number {
  return Math.ceil(shape.model === 'gaussian' ? 2.5 * shape.fwhm + 2 : 6 * shape.fwhm + 2);
}

/**
 * Adds a star of total `flux` centred at (x0, y0) (pixel centres at integer coordinates) to `image`.
 * Returns the flux actually deposited (less than `flux` near the edges and by the stamp's cut).
 */
export function addStar(
  image: Float64Array,
  width: number,
  height: number,
  x0: number,
  y0: number,
  flux: number,
  shape: PsfShape,
): number {
  const r = stampRadius(shape);
  const xa = Math.max(0, Math.floor(x0 - r));
  const xb = Math.min(width - 1, Math.ceil(x0 + r));
  const ya = Math.max(0, Math.floor(y0 - r));
  const yb = Math.min(height - 1, Math.ceil(y0 + r));
  let added = 0;
  const round = (shape.axisRatio ?? 1) === 1;
  if (shape.model === 'gaussian' && round) {
    const sigma = shape.fwhm / FWHM_PER_SIGMA;
    const wx: number[] = [];
    for (let x = xa; x <= xb; x++) wx.push(normalCdf((x + 0.5 - x0) / sigma) - normalCdf((x - 0.5 - x0) / sigma));
    for (let y = ya; y <= yb; y++) {
      const wy = normalCdf((y + 0.5 - y0) / sigma) - normalCdf((y - 0.5 - y0) / sigma);
      const row = y * width;
      for (let x = xa; x <= xb; x++) {
        const v = flux * wy * wx[x - xa]!;
        image[row + x]! += v;
        added += v;
      }
    }
    return added;
  }
  const q = shape.axisRatio ?? 1;
  const theta = ((shape.angleDeg ?? 0) * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const beta = shape.beta ?? 3;
  // Major axis keeps the given FWHM; the minor axis is q times it.
  const sigma = shape.fwhm / FWHM_PER_SIGMA;
  const alpha = shape.fwhm / (2 * Math.sqrt(2 ** (1 / beta) - 1));
  const norm =
    shape.model === 'gaussian' ? 1 / (2 * Math.PI * sigma * sigma * q) : (beta - 1) / (Math.PI * alpha * alpha * q);
  const sub = 4;
  const step = 1 / sub;
  for (let y = ya; y <= yb; y++)
    for (let x = xa; x <= xb; x++) {
      let sum = 0;
      for (let j = 0; j < sub; j++)
        for (let i = 0; i < sub; i++) {
          const dx = x - 0.5 + (i + 0.5) * step - x0;
          const dy = y - 0.5 + (j + 0.5) * step - y0;
          const u = dx * cos + dy * sin;
          const v = (-dx * sin + dy * cos) / q;
          const r2 = u * u + v * v;
          sum += shape.model === 'gaussian' ? Math.exp(-r2 / (2 * sigma * sigma)) : (1 + r2 / (alpha * alpha)) ** -beta;
        }
      const value = flux * norm * sum * step * step;
      image[y * width + x]! += value;
      added += value;
    }
  return added;
}

/** Peak pixel value of a round star centred on a pixel, for choosing saturated stars. */
export function peakFraction(shape: PsfShape): number {
  if (shape.model === 'gaussian') {
    const s = shape.fwhm / FWHM_PER_SIGMA;
    const w = normalCdf(0.5 / s) - normalCdf(-0.5 / s);
    return w * w;
  }
  const beta = shape.beta ?? 3;
  const alpha = shape.fwhm / (2 * Math.sqrt(2 ** (1 / beta) - 1));
  return (beta - 1) / (Math.PI * alpha * alpha);
}

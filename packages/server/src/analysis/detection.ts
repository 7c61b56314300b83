/**
 * Detection (SExtractor-like) on a background-subtracted image: sharp pixels (cosmic rays, hot
 * pixels) are cleaned first; then the image is smoothed by a Gaussian of σ = 1 px and pixels above
 * the threshold form 8-connected components (a union–find over typed arrays: no recursion, no
 * per-pixel allocation).
 *
 * Smoothing, thresholding and labelling run in one pass over the rows: each row is smoothed
 * vertically into a row buffer, then horizontally, compared with the threshold and labelled
 * against the row above at once, and every pixel's value is added to its provisional label's
 * footprint (pixel count, flux, centroid sums, peak, bounding box, saturation) as it is labelled;
 * labels are folded into their components at the end. No smoothed image, mask or relabelling pass
 * over the frame exists: at 1024² those full-size passes cost more than the arithmetic, and at
 * 26 Mpx they were 200 MB of work buffers.
 */
import { scratchFloat32, scratchInt32 } from './scratch.js';

/** σ = 1 px Gaussian kernel, radius 3: normalized weights. */
export const DETECTION_KERNEL = (() => {
  const w = [-3, -2, -1, 0, 1, 2, 3].map((d) => Math.exp(-0.5 * d * d));
  const s = w.reduce((a, b) => a + b, 0);
  return Float32Array.from(w.map((v) => v / s));
})();
/** Noise of the smoothed image relative to the input's: √Σw² over the 2-D kernel = Σw² of the 1-D one. */
export const SMOOTHED_NOISE_FACTOR = DETECTION_KERNEL.reduce((a, v) => a + v * v, 0);

/** One connected component above the threshold. */
export interface Footprint {
  /** Compact label (1…count) of the component in `labels`. */
  label: number;
  npix: number;
  /** Sums of the positive values, and of value × x and value × y (the centroid's). */
  sum: number;
  sx: number;
  sy: number;
  /** Highest value and its index (the first in row order when several share it). */
  peak: number;
  peakIndex: number;
  xmin: number;
  xmax: number;
  ymin: number;
  ymax: number;
  saturated: boolean;
}

/**
 * Which component each pixel belongs to: `compact[labels[i]]` (0: under the threshold). The labels
 * are the provisional ones of the single pass; mapping them through `compact` when a pixel is
 * looked at costs less than rewriting every pixel. Valid until the next frame (pooled).
 */
export interface ComponentMap {
  labels: Int32Array;
  compact: Int32Array;
}

export interface Detected extends ComponentMap {
  /** Components in the order of their first pixel in row order. */
  footprints: Footprint[];
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
  for (let y = 1; y < height - 1; y++) flagSharpInRow(sub, y * width, width, minValue, fraction, flagged);
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

/**
 * cleanSharpPixels' test over one row (not its first or last pixel). The loops over the pixels are
 * functions of their own, called row by row, throughout this file: V8 then optimizes each as a
 * small whole with the types it has seen, where one large function holding every loop was
 * compiled while its first loop ran (on-stack replacement), thrown away at the next loop it had
 * not seen run yet, and compiled again, several times per frame thread (docs/performance.md).
 */
function flagSharpInRow(
  sub: Float32Array,
  row: number,
  width: number,
  minValue: number,
  fraction: number,
  flagged: number[],
): void {
  for (let x = 1; x < width - 1; x++) {
    const i = row + x;
    const v = sub[i]!;
    if (v <= minValue) continue;
    const limit = fraction * v;
    // Both tests made for every bright pixel: with the second behind ||, V8 had seen it too rarely
    // to compile it and threw the optimized loop away the first time it ran.
    const sharpAlongX = Math.max(sub[i - 1]!, sub[i + 1]!) < limit;
    const sharpAlongY = Math.max(sub[i - width]!, sub[i + width]!) < limit;
    if (sharpAlongX || sharpAlongY) flagged.push(i);
  }
}

/** Per provisional label: union–find parent and the footprint sums, growing as labels are made. */
class Provisional {
  size = 1;
  parent = new Int32Array(1024);
  npix = new Int32Array(1024);
  sum = new Float64Array(1024);
  sx = new Float64Array(1024);
  sy = new Float64Array(1024);
  peak = new Float64Array(1024);
  peakIndex = new Int32Array(1024);
  xmin = new Int32Array(1024);
  xmax = new Int32Array(1024);
  ymin = new Int32Array(1024);
  ymax = new Int32Array(1024);
  saturated = new Uint8Array(1024);

  add(x: number, y: number): number {
    if (this.size === this.parent.length) this.grow();
    const l = this.size++;
    this.parent[l] = l;
    this.npix[l] = 0;
    this.sum[l] = 0;
    this.sx[l] = 0;
    this.sy[l] = 0;
    this.peak[l] = Number.NEGATIVE_INFINITY;
    this.peakIndex[l] = -1;
    this.xmin[l] = x;
    this.xmax[l] = x;
    this.ymin[l] = y;
    this.ymax[l] = y;
    this.saturated[l] = 0;
    return l;
  }

  private grow(): void {
    const n = this.parent.length * 2;
    const grown = <T extends Int32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    const int = (k: number) => new Int32Array(k);
    const float = (k: number) => new Float64Array(k);
    this.parent = grown(this.parent, int);
    this.npix = grown(this.npix, int);
    this.sum = grown(this.sum, float);
    this.sx = grown(this.sx, float);
    this.sy = grown(this.sy, float);
    this.peak = grown(this.peak, float);
    this.peakIndex = grown(this.peakIndex, int);
    this.xmin = grown(this.xmin, int);
    this.xmax = grown(this.xmax, int);
    this.ymin = grown(this.ymin, int);
    this.ymax = grown(this.ymax, int);
    this.saturated = grown(this.saturated, (k) => new Uint8Array(k));
  }

  /** Folds label `l` into `r` (its root). */
  merge(r: number, l: number): void {
    this.npix[r]! += this.npix[l]!;
    this.sum[r]! += this.sum[l]!;
    this.sx[r]! += this.sx[l]!;
    this.sy[r]! += this.sy[l]!;
    const p = this.peak[l]!;
    if (p > this.peak[r]! || (p === this.peak[r]! && this.peakIndex[l]! < this.peakIndex[r]!)) {
      this.peak[r] = p;
      this.peakIndex[r] = this.peakIndex[l]!;
    }
    if (this.xmin[l]! < this.xmin[r]!) this.xmin[r] = this.xmin[l]!;
    if (this.xmax[l]! > this.xmax[r]!) this.xmax[r] = this.xmax[l]!;
    if (this.ymin[l]! < this.ymin[r]!) this.ymin[r] = this.ymin[l]!;
    if (this.ymax[l]! > this.ymax[r]!) this.ymax[r] = this.ymax[l]!;
    this.saturated[r]! |= this.saturated[l]!;
  }
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
  // One store for both orders: a store seen in one order only left V8 no type feedback for the
  // other, and the labelling, optimized with this inlined, was thrown away at its first use.
  const root = Math.min(ra, rb);
  parent[Math.max(ra, rb)] = root;
  return root;
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
 * Components of the smoothed `sub` above `threshold` (near the edges the kernel is renormalized
 * over the pixels that exist), with their footprints measured on `sub`. A component is saturated
 * when one of its pixels has `raw` ≥ `saturation` or is set in `saturatedMask`.
 */
export function detectFootprints(
  sub: Float32Array,
  width: number,
  height: number,
  threshold: number,
  raw: ArrayLike<number>,
  saturation: number,
  saturatedMask: Uint8Array | undefined,
): Detected {
  // Every label is written as its row is reached, so the pooled array needs no clearing.
  const labels = scratchInt32('labels', width * height);
  // One row of the vertical pass, and of the smoothed image (single precision, as the pixels).
  const vertical = scratchFloat32('vertical-row', width);
  const smoothed = scratchFloat32('smoothed-row', width);
  const p = new Provisional();
  for (let y = 0; y < height; y++) {
    if (y >= 3 && y < height - 3) smoothColumns(sub, y * width, width, vertical);
    else for (let x = 0; x < width; x++) vertical[x] = edgeTap(sub, x, width, height, y);
    smoothRow(vertical, width, smoothed);
    labelRow(smoothed, threshold, sub, raw, saturation, saturatedMask, labels, y, width, p);
  }
  return { labels, ...foldLabels(p) };
}

const K0 = DETECTION_KERNEL[3]!;
const K1 = DETECTION_KERNEL[4]!;
const K2 = DETECTION_KERNEL[5]!;
const K3 = DETECTION_KERNEL[6]!;

/** The vertical pass at the row starting at `o` (3 rows or more from the top and bottom edges). */
function smoothColumns(sub: Float32Array, o: number, width: number, vertical: Float32Array): void {
  // Module constants live in a context object: read once into locals, not once per pixel.
  const k0 = K0;
  const k1 = K1;
  const k2 = K2;
  const k3 = K3;
  const w1 = width;
  const w2 = 2 * width;
  const w3 = 3 * width;
  for (let x = 0; x < width; x++) {
    const i = o + x;
    vertical[x] =
      k0 * sub[i]! +
      k1 * (sub[i - w1]! + sub[i + w1]!) +
      k2 * (sub[i - w2]! + sub[i + w2]!) +
      k3 * (sub[i - w3]! + sub[i + w3]!);
  }
}

/** The horizontal pass over a row of the vertical one, renormalized within 3 px of either end. */
function smoothRow(vertical: Float32Array, width: number, smoothed: Float32Array): void {
  const k0 = K0;
  const k1 = K1;
  const k2 = K2;
  const k3 = K3;
  for (let x = 3; x < width - 3; x++)
    smoothed[x] =
      k0 * vertical[x]! +
      k1 * (vertical[x - 1]! + vertical[x + 1]!) +
      k2 * (vertical[x - 2]! + vertical[x + 2]!) +
      k3 * (vertical[x - 3]! + vertical[x + 3]!);
  for (let x = 0; x < width; x++) {
    if (x === 3 && width > 6) x = width - 3;
    smoothed[x] = edgeTap(vertical, 0, 1, width, x);
  }
}

/**
 * Labels row `y` of the smoothed image against the row above (8-connected) and adds each pixel
 * over the threshold to its provisional label's footprint. The loop keeps only the test: a pixel
 * over the threshold (a few in a hundred) goes to labelPixel. V8 budgets a loop's optimization by
 * the size of its body; with the labelling inside, it compiled this loop within the first row,
 * before any pixel had crossed the threshold, and threw the code away at the first star, several
 * times in each thread's first frames (docs/performance.md).
 */
function labelRow(
  smoothed: Float32Array,
  threshold: number,
  sub: Float32Array,
  raw: ArrayLike<number>,
  saturation: number,
  saturatedMask: Uint8Array | undefined,
  labels: Int32Array,
  y: number,
  width: number,
  p: Provisional,
): void {
  const o = y * width;
  for (let x = 0; x < width; x++) {
    if (!(smoothed[x]! > threshold)) labels[o + x] = 0;
    else labelPixel(sub, raw, saturation, saturatedMask, labels, x, y, width, p);
  }
}

/** Labels pixel (x, y), over the threshold, and adds it to its provisional label's footprint. */
function labelPixel(
  sub: Float32Array,
  raw: ArrayLike<number>,
  saturation: number,
  saturatedMask: Uint8Array | undefined,
  labels: Int32Array,
  x: number,
  y: number,
  width: number,
  p: Provisional,
): void {
  const i = y * width + x;
  // Already-labelled neighbours: W, NW, N, NE.
  let label = x > 0 ? labels[i - 1]! : 0;
  if (y > 0) {
    const up = i - width;
    const nw = x > 0 ? labels[up - 1]! : 0;
    const n = labels[up]!;
    const ne = x < width - 1 ? labels[up + 1]! : 0;
    if (nw) label = label ? union(p.parent, label, nw) : nw;
    if (n) label = label ? union(p.parent, label, n) : n;
    if (ne) label = label ? union(p.parent, label, ne) : ne;
  }
  if (!label) label = p.add(x, y);
  labels[i] = label;
  const v = sub[i]!;
  p.npix[label]!++;
  if (v > 0) {
    p.sum[label]! += v;
    p.sx[label]! += v * x;
    p.sy[label]! += v * y;
  }
  if (v > p.peak[label]!) {
    p.peak[label] = v;
    p.peakIndex[label] = i;
  }
  if (x < p.xmin[label]!) p.xmin[label] = x;
  if (x > p.xmax[label]!) p.xmax[label] = x;
  if (y > p.ymax[label]!) p.ymax[label] = y;
  if (raw[i]! >= saturation || saturatedMask?.[i]) p.saturated[label] = 1;
}

/** Folds every label into its root; roots, in increasing order, become components 1…count. */
function foldLabels(p: Provisional): { compact: Int32Array; footprints: Footprint[] } {
  const compact = new Int32Array(p.size);
  const footprints: Footprint[] = [];
  for (let l = 1; l < p.size; l++) {
    const root = find(p.parent, l);
    if (root !== l) {
      p.merge(root, l);
      compact[l] = compact[root]!;
    } else compact[l] = footprints.length + 1;
    if (root === l) footprints.push({ label: compact[l]!, ...emptyFootprint });
  }
  for (let l = 1; l < p.size; l++) {
    if (find(p.parent, l) !== l) continue;
    const f = footprints[compact[l]! - 1]!;
    f.npix = p.npix[l]!;
    f.sum = p.sum[l]!;
    f.sx = p.sx[l]!;
    f.sy = p.sy[l]!;
    f.peak = p.peak[l]!;
    f.peakIndex = p.peakIndex[l]!;
    f.xmin = p.xmin[l]!;
    f.xmax = p.xmax[l]!;
    f.ymin = p.ymin[l]!;
    f.ymax = p.ymax[l]!;
    f.saturated = p.saturated[l] === 1;
  }
  return { compact, footprints };
}

const emptyFootprint = {
  npix: 0,
  sum: 0,
  sx: 0,
  sy: 0,
  peak: Number.NEGATIVE_INFINITY,
  peakIndex: -1,
  xmin: 0,
  xmax: -1,
  ymin: 0,
  ymax: -1,
  saturated: false,
};

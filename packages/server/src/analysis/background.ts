/**
 * Sky background and noise on a coarse mesh, the way SExtractor (Bertin & Arnouts 1996, §3.1) and
 * SEP estimate them, so that stars, gradients and a few bad pixels do not bias the level:
 *
 * 1. the frame is cut into boxes (64×64 px by default);
 * 2. in each box, a histogram of the pixels is clipped iteratively at ±3σ around its median until
 *    it converges; the box's level is the mode estimate 2.5·median − 1.5·mean when the clipped
 *    distribution is nearly symmetric (|mean − median| < 0.3σ), else the median (crowded box);
 *    its noise is the clipped σ, corrected for the truncation of a normal distribution at ±3σ;
 * 3. boxes with too few valid pixels take the median of their valid neighbours, then a 3×3
 *    median filter removes boxes biased by a bright star or galaxy (at the mesh's edges the window
 *    is completed by point reflection, so that a gradient is not flattened there);
 * 4. the level and noise at any pixel are interpolated bilinearly between box centres (linearly
 *    extrapolated beyond the outermost centres so that a gradient holds up to the edges).
 *
 * The global background and noise are the medians of the box values.
 */
import { scratchFloat32 } from './scratch.js';

export interface ImageLike {
  width: number;
  height: number;
  data: ArrayLike<number>;
}

export interface BackgroundOptions {
  /** Box size in pixels (default 64, SExtractor's BACK_SIZE). */
  boxSize?: number;
  /** Median filter size over boxes (default 3, BACK_FILTERSIZE); 1 turns it off. */
  filterSize?: number;
}

export interface Background {
  /** Boxes along x and y, and the box size. */
  nx: number;
  ny: number;
  boxSize: number;
  /** Level and noise per box, row-major (ny × nx). */
  level: Float32Array;
  rms: Float32Array;
  /** Medians over boxes. */
  global: number;
  globalRms: number;
}

/** Histogram bins over ±5σ: 0.01σ each, far below what the interpolated median can resolve anyway. */
const HISTOGRAM_BINS = 1024;
const CLIP_SIGMA = 3;
const MAX_CLIP_ITERATIONS = 100;
/** A box is used only when at least this fraction of its pixels is finite. */
const MIN_VALID_FRACTION = 0.5;

/** Variance of a standard normal truncated to ±t. */
export function truncatedVariance(t: number): number {
  const phi = Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
  let erf = 0;
  // Φ(t) − Φ(−t) by Simpson's rule on the density: enough for a constant computed once.
  const n = 2000;
  for (let i = 0; i <= n; i++) {
    const x = (t * i) / n;
    const w = i === 0 || i === n ? 1 : i % 2 ? 4 : 2;
    erf += (w * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI);
  }
  const mass = (2 * erf * t) / (3 * n);
  return 1 - (2 * t * phi) / mass;
}

/**
 * Iterative ±3σ clipping converges where the clip sits at 3 times the *clipped* σ, i.e. at ±t true
 * σ with t = 3·√v(t). The clipped σ is then √v(t) of the true one.
 */
export function clippedSigmaFactor(): number {
  let t = CLIP_SIGMA;
  for (let i = 0; i < 50; i++) t = CLIP_SIGMA * Math.sqrt(truncatedVariance(t));
  return Math.sqrt(truncatedVariance(t));
}

/**
 * clippedSigmaFactor() as it computes it (a test holds them equal): computing it took 100,000
 * exponentials, about 10 ms of every ingest thread's start-up, before its code was optimized.
 */
export const CLIPPED_SIGMA_FACTOR = 0.98484618644977884;

/**
 * Cumulative histogram of one box: counts, and sums of the bin centre and of its square, so that
 * each clipping iteration reads its count, mean and σ as differences of two entries instead of
 * walking the bins (the walk was most of the background's time). The sums are of multiples of ¼
 * far below 2⁵³: exact in doubles, so the differences equal the walked sums to the last bit.
 */
const cumulativeCount = new Float64Array(HISTOGRAM_BINS + 1);
const cumulativeX = new Float64Array(HISTOGRAM_BINS + 1);
const cumulativeXX = new Float64Array(HISTOGRAM_BINS + 1);
const evenHistogram = new Uint32Array(HISTOGRAM_BINS);
const oddHistogram = new Uint32Array(HISTOGRAM_BINS);

/**
 * Robust level and noise of one set of values (NaN ignored); null when too few values. `sums`, when
 * the caller added them up while gathering the values (in their order), saves the first pass.
 */
export function clippedStatistics(
  values: Float32Array,
  count: number,
  sums?: { sum: number; sum2: number },
): { level: number; rms: number } | null {
  if (count < 3) return null;
  // Pass 1 and 2: mean and σ, then again within ±2σ (as SExtractor does before the histogram),
  // so that the histogram's range is not set by a saturated star.
  let sum = 0;
  let sum2 = 0;
  if (sums) {
    sum = sums.sum;
    sum2 = sums.sum2;
  } else
    for (let i = 0; i < count; i++) {
      const v = values[i]!;
      sum += v;
      sum2 += v * v;
    }
  let mean = sum / count;
  let sigma = Math.sqrt(Math.max(0, sum2 / count - mean * mean));
  if (sigma === 0) return { level: mean, rms: 0 };
  {
    const lo = mean - 2 * sigma;
    const hi = mean + 2 * sigma;
    // Two sets of sums (even and odd values), added at the end: the adds of one set need not wait
    // for the other's, which doubles the loop's speed. (Integer pixels sum exactly either way.)
    let n = 0;
    let sumOdd = 0;
    let sum2Odd = 0;
    sum = 0;
    sum2 = 0;
    const pairs = count - (count % 2);
    for (let i = 0; i < pairs; i += 2) {
      const v = values[i]!;
      const w = values[i + 1]!;
      if (v >= lo && v <= hi) {
        n++;
        sum += v;
        sum2 += v * v;
      }
      if (w >= lo && w <= hi) {
        n++;
        sumOdd += w;
        sum2Odd += w * w;
      }
    }
    if (pairs < count) {
      const v = values[pairs]!;
      if (v >= lo && v <= hi) {
        n++;
        sum += v;
        sum2 += v * v;
      }
    }
    sum += sumOdd;
    sum2 += sum2Odd;
    if (n >= 3) {
      mean = sum / n;
      sigma = Math.sqrt(Math.max(0, sum2 / n - mean * mean));
    }
    if (sigma === 0) return { level: mean, rms: 0 };
  }
  // Histogram over mean ± 5σ (wide enough for the 3σ clipping of a distribution still skewed by
  // stars), fine enough (σ/100 per bin, interpolated) that its quantization costs nothing in accuracy.
  const lo = mean - 5 * sigma;
  const binWidth = (10 * sigma) / HISTOGRAM_BINS;
  const perBin = 1 / binWidth;
  // Two histograms, of the even and the odd values: a sky box piles into a few bins, and each
  // increment of a bin waits for the previous one to be stored; with two the waits overlap.
  const even = evenHistogram.fill(0);
  const odd = oddHistogram.fill(0);
  const pairs = count - (count % 2);
  for (let i = 0; i < pairs; i += 2) {
    const t = (values[i]! - lo) * perBin;
    const u = (values[i + 1]! - lo) * perBin;
    // t | 0 is Math.floor(t) for 0 ≤ t < 2³¹, without a call; NaN fails the test.
    if (t >= 0 && t < HISTOGRAM_BINS) even[t | 0]!++;
    if (u >= 0 && u < HISTOGRAM_BINS) odd[u | 0]!++;
  }
  if (pairs < count) {
    const t = (values[pairs]! - lo) * perBin;
    if (t >= 0 && t < HISTOGRAM_BINS) even[t | 0]!++;
  }
  const cn = cumulativeCount;
  const cx = cumulativeX;
  const cxx = cumulativeXX;
  for (let k = 0; k < HISTOGRAM_BINS; k++) {
    const h = even[k]! + odd[k]!;
    const x = k + 0.5;
    cn[k + 1] = cn[k]! + h;
    cx[k + 1] = cx[k]! + h * x;
    cxx[k + 1] = cxx[k]! + h * x * x;
  }
  let a = 0;
  let b = HISTOGRAM_BINS - 1;
  let med = mean;
  let sig = sigma;
  let m = mean;
  for (let iteration = 0; iteration < MAX_CLIP_ITERATIONS && a <= b; iteration++) {
    const before = cn[a]!;
    const n = cn[b + 1]! - before;
    if (n === 0) break;
    const meanBins = (cx[b + 1]! - cx[a]!) / n;
    const sigBins = Math.sqrt(Math.max(0, (cxx[b + 1]! - cxx[a]!) / n - meanBins * meanBins));
    // Median with linear interpolation inside its bin: the first bin k of [a, b] whose cumulative
    // count reaches n / 2 (bisection over the nondecreasing cumulative counts).
    const half = n / 2;
    let low = a;
    let high = b;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (cn[mid + 1]! - before >= half) high = mid;
      else low = mid + 1;
    }
    const h = cn[low + 1]! - cn[low]!;
    const medBins = low + (h > 0 ? (half - (cn[low]! - before)) / h : 0.5);
    m = lo + meanBins * binWidth;
    sig = sigBins * binWidth;
    med = lo + medBins * binWidth;
    const na = Math.max(0, Math.floor(medBins - CLIP_SIGMA * sigBins));
    const nb = Math.min(HISTOGRAM_BINS - 1, Math.ceil(medBins + CLIP_SIGMA * sigBins) - 1);
    if (na === a && nb === b) break;
    a = na;
    b = nb;
  }
  const level = sig > 0 && Math.abs((m - med) / sig) < 0.3 ? 2.5 * med - 1.5 * m : med;
  return { level, rms: sig / CLIPPED_SIGMA_FACTOR };
}

function median(values: number[]): number {
  values.sort((x, y) => x - y);
  const n = values.length;
  return n % 2 ? values[(n - 1) / 2]! : 0.5 * (values[n / 2 - 1]! + values[n / 2]!);
}

/** Median filter over the mesh; boxes marked NaN are filled from their valid neighbours first. */
function fillAndFilter(mesh: Float32Array, nx: number, ny: number, size: number): Float32Array {
  const filled = Float32Array.from(mesh);
  for (let pass = 0; pass < nx + ny && filled.some(Number.isNaN); pass++) {
    const prev = Float32Array.from(filled);
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        if (!Number.isNaN(prev[j * nx + i]!)) continue;
        const near: number[] = [];
        for (let dj = -1; dj <= 1; dj++)
          for (let di = -1; di <= 1; di++) {
            const x = i + di;
            const y = j + dj;
            if (x >= 0 && y >= 0 && x < nx && y < ny && !Number.isNaN(prev[y * nx + x]!)) near.push(prev[y * nx + x]!);
          }
        if (near.length) filled[j * nx + i] = median(near);
      }
  }
  if (size <= 1) return filled;
  const half = Math.floor(size / 2);
  const out = new Float32Array(nx * ny);
  const inside = (x: number, y: number) => x >= 0 && y >= 0 && x < nx && y < ny;
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++) {
      const centre = filled[j * nx + i]!;
      const near: number[] = [];
      for (let dj = -half; dj <= half; dj++)
        for (let di = -half; di <= half; di++) {
          if (inside(i + di, j + dj)) near.push(filled[(j + dj) * nx + i + di]!);
          // Beyond the edge, the point reflection through the centre box (2·centre − opposite)
          // keeps a linear gradient unbiased where a truncated window would flatten it.
          else if (inside(i - di, j - dj)) near.push(2 * centre - filled[(j - dj) * nx + i - di]!);
        }
      out[j * nx + i] = median(near);
    }
  return out;
}

/**
 * What the pass that gathers the mesh's boxes collects on the way for the frame's own statistics
 * (frame-metrics.ts): every `stride`-th pixel in index order (the finite ones) for the frame's
 * median, and the maximum with the number of pixels that share it (for the saturation level).
 * Reading the frame once for the three was the point: each read of a 1024² frame costs more than
 * the arithmetic done on it.
 */
export interface PixelTally {
  stride: number;
  /** At least ⌈pixels / stride⌉ long; filled from 0 with `sampled` values. */
  sample: Float64Array;
  sampled: number;
  max: number;
  atMax: number;
}

/**
 * Measures the background mesh of a whole image held in memory; fills `tally` on the way when
 * given. One pass over the rows: each band of `boxSize` rows is copied box by box into a pooled
 * buffer (finite values only, as float32), with each box's sum and sum of squares added up on the
 * way; then every box of the band is measured.
 */
export function estimateBackground(image: ImageLike, options: BackgroundOptions = {}, tally?: PixelTally): Background {
  const boxSize = options.boxSize ?? 64;
  const { width, height, data } = image;
  const nx = Math.max(1, Math.ceil(width / boxSize));
  const ny = Math.max(1, Math.ceil(height / boxSize));
  const level = new Float32Array(nx * ny).fill(Number.NaN);
  const rms = new Float32Array(nx * ny).fill(Number.NaN);
  const boxArea = boxSize * boxSize;
  const boxes = scratchFloat32('background-boxes', nx * boxArea);
  const filled = new Int32Array(nx);
  const sums = new Float64Array(nx);
  const squares = new Float64Array(nx);
  // The tally's running values, filled row by row (its own object: the caller's stays as it is
  // until the end).
  const running: RowTally = { next: 0, sampled: 0, max: Number.NEGATIVE_INFINITY, atMax: 0 };
  for (let j = 0; j < ny; j++) {
    const y0 = j * boxSize;
    const y1 = Math.min(height, y0 + boxSize);
    filled.fill(0);
    sums.fill(0);
    squares.fill(0);
    for (let y = y0; y < y1; y++) {
      // The maximum and the sample, while the row is in cache.
      if (tally) tallyRow(data, y * width, width, tally.stride, tally.sample, running);
      gatherRow(data, y * width, width, boxSize, nx, boxes, filled, sums, squares);
    }
    for (let i = 0; i < nx; i++) {
      const x0 = i * boxSize;
      const x1 = Math.min(width, x0 + boxSize);
      const n = filled[i]!;
      if (n < MIN_VALID_FRACTION * (y1 - y0) * (x1 - x0)) continue;
      const stats = clippedStatistics(boxes.subarray(i * boxArea), n, { sum: sums[i]!, sum2: squares[i]! });
      if (stats) {
        level[j * nx + i] = stats.level;
        rms[j * nx + i] = stats.rms;
      }
    }
  }
  if (tally) {
    tally.sampled = running.sampled;
    tally.max = running.max;
    tally.atMax = running.atMax;
  }
  return fromMesh(level, rms, nx, ny, boxSize, options.filterSize ?? 3);
}

interface RowTally {
  /** Index of the next pixel to sample. */
  next: number;
  sampled: number;
  max: number;
  atMax: number;
}

/**
 * One row's part of the tally: its maximum (and how many share it) and its every `stride`-th pixel.
 * The per-row loops are functions of their own (as in detection.ts): V8 optimizes each small
 * function whole, where the one large function that held them was compiled and thrown away several
 * times in each thread's first frames.
 */
function tallyRow(
  data: ArrayLike<number>,
  row: number,
  width: number,
  stride: number,
  sample: Float64Array,
  t: RowTally,
): void {
  const end = row + width;
  let max = t.max;
  let atMax = t.atMax;
  for (let k = row; k < end; k++) {
    const v = data[k]!;
    // The count is reset and incremented in one statement: a pixel equal to the maximum is rare,
    // and an increment of its own, without type feedback, threw the optimized row loop away.
    if (v >= max) {
      atMax = (v > max ? 0 : atMax) + 1;
      if (v > max) max = v;
    }
  }
  t.max = max;
  t.atMax = atMax;
  let next = t.next;
  let sampled = t.sampled;
  for (; next < end; next += stride) {
    const v = data[next]!;
    if (Number.isFinite(v)) sample[sampled++] = v;
  }
  t.next = next;
  t.sampled = sampled;
}

/**
 * Copies one row's finite values box by box into `boxes` (box i from i × boxSize²), adding each
 * box's sum and sum of squares on the way.
 */
function gatherRow(
  data: ArrayLike<number>,
  row: number,
  width: number,
  boxSize: number,
  nx: number,
  boxes: Float32Array,
  filled: Int32Array,
  sums: Float64Array,
  squares: Float64Array,
): void {
  const boxArea = boxSize * boxSize;
  for (let i = 0; i < nx; i++) {
    const x0 = i * boxSize;
    const x1 = Math.min(width, x0 + boxSize);
    const base = i * boxArea;
    let n = filled[i]!;
    // Two sets of sums, as in clippedStatistics, so that the adds overlap.
    let sum = 0;
    let sum2 = 0;
    let sumOdd = 0;
    let sum2Odd = 0;
    const end = row + x1;
    let x = row + x0;
    for (; x + 1 < end; x += 2) {
      const v = data[x]!;
      const w = data[x + 1]!;
      if (Number.isFinite(v)) {
        const f = Math.fround(v);
        boxes[base + n++] = f;
        sum += f;
        sum2 += f * f;
      }
      if (Number.isFinite(w)) {
        const f = Math.fround(w);
        boxes[base + n++] = f;
        sumOdd += f;
        sum2Odd += f * f;
      }
    }
    if (x < end) {
      const v = data[x]!;
      if (Number.isFinite(v)) {
        const f = Math.fround(v);
        boxes[base + n++] = f;
        sum += f;
        sum2 += f * f;
      }
    }
    filled[i] = n;
    sums[i]! += sum + sumOdd;
    squares[i]! += sum2 + sum2Odd;
  }
}

/** Completes a mesh measured box by box (also by the row-chunk reader): fill, filter, globals. */
export function fromMesh(
  level: Float32Array,
  rms: Float32Array,
  nx: number,
  ny: number,
  boxSize: number,
  filterSize = 3,
): Background {
  const anyValid = level.some((v) => !Number.isNaN(v));
  const filteredLevel = anyValid ? fillAndFilter(level, nx, ny, filterSize) : level.fill(0);
  const filteredRms = anyValid ? fillAndFilter(rms, nx, ny, filterSize) : rms.fill(0);
  return {
    nx,
    ny,
    boxSize,
    level: filteredLevel,
    rms: filteredRms,
    global: median(Array.from(filteredLevel)),
    globalRms: median(Array.from(filteredRms)),
  };
}

/**
 * Writes the interpolated level (or noise) of row `y` into `out` (length ≥ width). Box centres sit
 * at (i + ½)·boxSize − ½ in pixel coordinates (the last, partial box is treated as full size).
 */
export function interpolateRow(
  background: Background,
  which: 'level' | 'rms',
  y: number,
  width: number,
  out: Float32Array,
): void {
  const { nx, ny, boxSize } = background;
  const mesh = background[which];
  const v = (y + 0.5) / boxSize - 0.5;
  const j0 = ny === 1 ? 0 : Math.min(ny - 2, Math.max(0, Math.floor(v)));
  const ty = ny === 1 ? 0 : v - j0;
  const j1 = ny === 1 ? 0 : j0 + 1;
  // Interpolate the two mesh rows at y first; then along x per pixel.
  if (meshRow.length < nx) meshRow = new Float32Array(nx);
  const column = meshRow;
  for (let i = 0; i < nx; i++) column[i] = mesh[j0 * nx + i]! * (1 - ty) + mesh[j1 * nx + i]! * ty;
  if (nx === 1) {
    out.fill(column[0]!, 0, width);
    return;
  }
  const { index, weight } = columnWeights(background, width);
  for (let x = 0; x < width; x++) {
    const i0 = index[x]!;
    const tx = weight[x]!;
    out[x] = column[i0]! * (1 - tx) + column[i0 + 1]! * tx;
  }
}

/**
 * `data` minus the interpolated level, NaN and infinities → 0, into `out`: the values of
 * interpolateRow (the same arithmetic, rounded to float32 as its row is), without writing the
 * background row first. Along a row the interpolation is between the same two box columns for a
 * whole box's width; those two values stay in registers while the pixels stream by.
 */
export function subtractLevel(
  background: Background,
  data: ArrayLike<number>,
  width: number,
  height: number,
  out: Float32Array,
): void {
  const { nx, ny, boxSize } = background;
  const mesh = background.level;
  if (meshRow.length < nx) meshRow = new Float32Array(nx);
  const column = meshRow;
  const { index, weight } = columnWeights(background, width);
  for (let y = 0; y < height; y++) {
    const v = (y + 0.5) / boxSize - 0.5;
    const j0 = ny === 1 ? 0 : Math.min(ny - 2, Math.max(0, Math.floor(v)));
    const ty = ny === 1 ? 0 : v - j0;
    const j1 = ny === 1 ? 0 : j0 + 1;
    for (let i = 0; i < nx; i++) column[i] = mesh[j0 * nx + i]! * (1 - ty) + mesh[j1 * nx + i]! * ty;
    if (nx === 1) subtractFlatRow(data, y * width, width, column[0]!, out);
    else subtractRow(data, y * width, width, column, index, weight, out);
  }
}

/** One row of subtractLevel where the mesh is one box wide. */
function subtractFlatRow(data: ArrayLike<number>, o: number, width: number, level: number, out: Float32Array): void {
  for (let x = 0; x < width; x++) {
    const d = data[o + x]! - level;
    out[o + x] = Number.isFinite(d) ? d : 0;
  }
}

/** One row of subtractLevel: `column` holds the mesh interpolated to the row (a function per row loop, as in estimateBackground). */
function subtractRow(
  data: ArrayLike<number>,
  o: number,
  width: number,
  column: Float32Array,
  index: Int32Array,
  weight: Float32Array,
  out: Float32Array,
): void {
  let x = 0;
  while (x < width) {
    const i0 = index[x]!;
    const c0 = column[i0]!;
    const c1 = column[i0 + 1]!;
    let end = x + 1;
    while (end < width && index[end] === i0) end++;
    for (; x < end; x++) {
      const tx = weight[x]!;
      const d = data[o + x]! - Math.fround(c0 * (1 - tx) + c1 * tx);
      out[o + x] = Number.isFinite(d) ? d : 0;
    }
  }
}

/** interpolateRow's work row, kept between calls (one per thread). */
let meshRow = new Float32Array(64);

const weightCache = new WeakMap<Background, { width: number; index: Int32Array; weight: Float32Array }>();

/** Interpolation columns and weights along x are the same for every row: computed once. */
function columnWeights(background: Background, width: number) {
  const cached = weightCache.get(background);
  if (cached && cached.width === width) return cached;
  const index = new Int32Array(width);
  const weight = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const u = (x + 0.5) / background.boxSize - 0.5;
    const i0 = Math.min(background.nx - 2, Math.max(0, Math.floor(u)));
    index[x] = i0;
    weight[x] = u - i0;
  }
  const entry = { width, index, weight };
  weightCache.set(background, entry);
  return entry;
}

/** The full-resolution background or noise map. */
export function backgroundMap(
  background: Background,
  which: 'level' | 'rms',
  width: number,
  height: number,
): Float32Array {
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++)
    interpolateRow(background, which, y, width, out.subarray(y * width, (y + 1) * width));
  return out;
}

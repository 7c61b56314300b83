import { levelsFor } from './h-transform.js';

/**
 * The inverse H-transform on int32 with real shifts and masks: the same steps as
 * `inverseHTransform` (h-transform.ts, where they are explained) without the float64 emulation,
 * about twice as fast. Only for tiles whose coefficients provably keep every intermediate sum
 * inside int32 (see `fitsInt32`), and without smoothing; anything else takes the float64 path,
 * which gives the same results. The loops repeat those of h-transform.ts on purpose: sharing them
 * would put the float64 emulation back on this fast path.
 */

/**
 * Whether no intermediate value of the inverse can leave int32, given the overall sum `a0` and a
 * bound `maxCoefficient` on every other coefficient. Each level's output is at most half of
 * |h0| + 3 × maxCoefficient plus rounding terms below 2^(levels+3), so every sum stays below
 * |a0| + 6 × maxCoefficient + 2^(levels+5).
 */
export function fitsInt32(a0: number, maxCoefficient: number, nx: number, ny: number): boolean {
  return Math.abs(a0) + 6 * maxCoefficient + 2 ** (levelsFor(Math.max(nx, ny)) + 5) < 2 ** 31;
}

function unshuffle(a: Int32Array, start: number, n: number, stride: number, tmp: Int32Array): void {
  const half = (n + 1) >> 1;
  for (let i = half, t = 0; i < n; i++, t++) tmp[t] = a[start + i * stride]!;
  for (let i = half - 1; i >= 0; i--) a[start + 2 * i * stride] = a[start + i * stride]!;
  for (let i = 1, t = 0; i < n; i += 2, t++) a[start + i * stride] = tmp[t]!;
}

export function inverseHTransformInt32(a: Int32Array, nx: number, ny: number): void {
  const levels = levelsFor(Math.max(nx, ny));
  if (levels === 0) return;
  const tmp = new Int32Array((Math.max(nx, ny) + 1) >> 1);

  const bitTop = 1 << (levels + 1);
  a[0] = (a[0]! + (a[0]! >= 0 ? bitTop >> 1 : (bitTop >> 1) - 1)) & -bitTop;

  let nxtop = 1;
  let nytop = 1;
  let nxf = nx;
  let nyf = ny;
  let c = 1 << levels;
  for (let k = levels - 1; k >= 0; k--) {
    c >>= 1;
    nxtop <<= 1;
    nytop <<= 1;
    if (nxf <= c) nxtop -= 1;
    else nxf -= c;
    if (nyf <= c) nytop -= 1;
    else nyf -= c;

    const bit0 = 1 << k;
    const bit1 = bit0 << 1;
    const mask0 = -bit0;
    const mask1 = -bit1;
    const positiveRound0 = bit0 >> 1;
    const negativeRound0 = k > 0 ? positiveRound0 - 1 : 0;
    const positiveRound1 = bit0;
    const negativeRound1 = bit0 - 1;
    const negativeStep0 = positiveRound0 - negativeRound0;
    const shift = k === 0 ? 2 : 1;

    for (let i = 0; i < nxtop; i++) unshuffle(a, ny * i, nytop, 1, tmp);
    for (let j = 0; j < nytop; j++) unshuffle(a, j, nxtop, ny, tmp);

    const oddx = nxtop & 1;
    const oddy = nytop & 1;
    let i = 0;
    for (; i < nxtop - oddx; i += 2) {
      let s00 = ny * i;
      let s10 = s00 + ny;
      for (let j = 0; j < nytop - oddy; j += 2, s00 += 2, s10 += 2) {
        let h0 = a[s00]!;
        let hx = a[s10]!;
        let hy = a[s00 + 1]!;
        let hc = a[s10 + 1]!;
        // Branch-free forms of the rounding (the negative rounding term is the positive one minus
        // 1, or 0 for hc on the last level) and of "move lowbit0 towards zero": the signs of the
        // difference coefficients are noise, which a branch predictor cannot learn.
        hx = (hx + positiveRound1 - (hx >>> 31)) & mask1;
        hy = (hy + positiveRound1 - (hy >>> 31)) & mask1;
        hc = (hc + positiveRound0 - ((hc >>> 31) & negativeStep0)) & mask0;
        const lowbit0 = hc & bit0;
        const signX = hx >> 31;
        const signY = hy >> 31;
        hx -= (lowbit0 ^ signX) - signX;
        hy -= (lowbit0 ^ signY) - signY;
        const lowbit1 = (hc ^ hx ^ hy) & bit1;
        h0 = h0 >= 0 ? h0 + lowbit0 - lowbit1 : h0 + (lowbit0 === 0 ? lowbit1 : lowbit0 - lowbit1);
        a[s10 + 1] = (h0 + hx + hy + hc) >> shift;
        a[s10] = (h0 + hx - hy - hc) >> shift;
        a[s00 + 1] = (h0 - hx + hy - hc) >> shift;
        a[s00] = (h0 - hx - hy + hc) >> shift;
      }
      if (oddy) {
        let h0 = a[s00]!;
        let hx = a[s10]!;
        hx = (hx + (hx >= 0 ? positiveRound1 : negativeRound1)) & mask1;
        const lowbit1 = hx & bit1;
        h0 = h0 >= 0 ? h0 - lowbit1 : h0 + lowbit1;
        a[s10] = (h0 + hx) >> shift;
        a[s00] = (h0 - hx) >> shift;
      }
    }
    if (oddx) {
      let s00 = ny * i;
      for (let j = 0; j < nytop - oddy; j += 2, s00 += 2) {
        let h0 = a[s00]!;
        let hy = a[s00 + 1]!;
        hy = (hy + (hy >= 0 ? positiveRound1 : negativeRound1)) & mask1;
        const lowbit1 = hy & bit1;
        h0 = h0 >= 0 ? h0 - lowbit1 : h0 + lowbit1;
        a[s00 + 1] = (h0 + hy) >> shift;
        a[s00] = (h0 - hy) >> shift;
      }
      if (oddy) a[s00] = a[s00]! >> shift;
    }
  }
}

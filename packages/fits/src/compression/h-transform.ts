/**
 * The inverse H-transform of HCOMPRESS (R. White 1992; Pence et al. 2009 §4.4), with the optional
 * smoothing of lossy tiles. The coefficient array is indexed [x][y] with y varying fastest, x the
 * slow axis (`nx` rows of `ny` values): HCOMPRESS's own naming, which is the transpose of FITS's
 * (its y axis is FITS axis 1).
 *
 * Arithmetic is exact integer arithmetic carried in float64, so one implementation serves
 * ZBITPIX 8 and 16 (CFITSIO uses int) and ZBITPIX 32, whose coefficients need more than 32 bits
 * (CFITSIO uses long long): every value of a genuine tile stays far below 2^53. The shifts and
 * masks of the integer original become floor divisions by powers of two, which are exact:
 *   x >> k          → floor(x / 2^k)
 *   x & -(2^k)      → floor(x / 2^k) × 2^k
 *   x & 2^k         → 2^k when floor(x / 2^k) is odd (two's complement bit k)
 */

/** floor(x / bit) × bit after adding the rounding term for x's sign. */
function roundToMultiple(
  x: number,
  bit: number,
  inverseBit: number,
  positiveRound: number,
  negativeRound: number,
): number {
  return Math.floor((x + (x >= 0 ? positiveRound : negativeRound)) * inverseBit) * bit;
}

/** Whether two's-complement bit log2(bit) of the integer x is set. */
function hasBit(x: number, inverseBit: number): boolean {
  return Math.floor(x * inverseBit) % 2 !== 0;
}

/** ceil(log2(n)) for n ≥ 1: the number of transform levels. */
export function levelsFor(n: number): number {
  let levels = 0;
  while (2 ** levels < n) levels++;
  return levels;
}

/**
 * Undoes one level's shuffle along one line of `n` values spaced `stride` apart: the first half
 * (the sums) goes to the even positions, the second half (the differences) to the odd ones.
 */
function unshuffle(a: Float64Array, start: number, n: number, stride: number, tmp: Float64Array): void {
  const half = (n + 1) >> 1;
  for (let i = half, t = 0; i < n; i++, t++) tmp[t] = a[start + i * stride]!;
  for (let i = half - 1; i >= 0; i--) a[start + 2 * i * stride] = a[start + i * stride]!;
  for (let i = 1, t = 0; i < n; i += 2, t++) a[start + i * stride] = tmp[t]!;
}

/**
 * Nudges the difference coefficients of the current level towards values that interpolate the
 * neighbouring sums, by at most scale/2 (the rounding error the digitization allowed), and only
 * where that keeps the image monotonic. Edge coefficients are left alone.
 */
function smoothLevel(a: Float64Array, nxtop: number, nytop: number, ny: number, scale: number): void {
  const smax = scale >> 1;
  if (smax <= 0) return;
  const ny2 = ny * 2;
  const limit = (s: number) => Math.max(Math.min(s, smax), -smax);

  // x differences (a[i+1][j]) from the sums of the zones before and after in x.
  for (let i = 2; i < nxtop - 2; i += 2) {
    for (let j = 0, s00 = ny * i; j < nytop; j += 2, s00 += 2) {
      const hm = a[s00 - ny2]!;
      const h0 = a[s00]!;
      const hp = a[s00 + ny2]!;
      const dmax = Math.max(Math.min(hp - h0, h0 - hm), 0) * 4;
      const dmin = Math.min(Math.max(hp - h0, h0 - hm), 0) * 4;
      if (dmin < dmax) {
        const diff = Math.max(Math.min(hp - hm, dmax), dmin);
        a[s00 + ny] = a[s00 + ny]! + limit(Math.trunc((diff - a[s00 + ny]! * 8) / 8));
      }
    }
  }
  // y differences (a[i][j+1]).
  for (let i = 0; i < nxtop; i += 2) {
    for (let j = 2, s00 = ny * i + 2; j < nytop - 2; j += 2, s00 += 2) {
      const hm = a[s00 - 2]!;
      const h0 = a[s00]!;
      const hp = a[s00 + 2]!;
      const dmax = Math.max(Math.min(hp - h0, h0 - hm), 0) * 4;
      const dmin = Math.min(Math.max(hp - h0, h0 - hm), 0) * 4;
      if (dmin < dmax) {
        const diff = Math.max(Math.min(hp - hm, dmax), dmin);
        a[s00 + 1] = a[s00 + 1]! + limit(Math.trunc((diff - a[s00 + 1]! * 8) / 8));
      }
    }
  }
  // Cross differences (a[i+1][j+1]) from the four diagonal neighbours' sums.
  for (let i = 2; i < nxtop - 2; i += 2) {
    for (let j = 2, s00 = ny * i + 2; j < nytop - 2; j += 2, s00 += 2) {
      const s10 = s00 + ny;
      const hmm = a[s00 - ny2 - 2]!;
      const hpm = a[s00 + ny2 - 2]!;
      const hmp = a[s00 - ny2 + 2]!;
      const hpp = a[s00 + ny2 + 2]!;
      const h0 = a[s00]!;
      const hx2 = a[s10]! * 2;
      const hy2 = a[s00 + 1]! * 2;
      const dmax =
        Math.min(
          Math.min(Math.max(hpp - h0, 0) - hx2 - hy2, Math.max(h0 - hpm, 0) + hx2 - hy2),
          Math.min(Math.max(h0 - hmp, 0) - hx2 + hy2, Math.max(hmm - h0, 0) + hx2 + hy2),
        ) * 16;
      const dmin =
        Math.max(
          Math.max(Math.min(hpp - h0, 0) - hx2 - hy2, Math.min(h0 - hpm, 0) + hx2 - hy2),
          Math.max(Math.min(h0 - hmp, 0) - hx2 + hy2, Math.min(hmm - h0, 0) + hx2 + hy2),
        ) * 16;
      if (dmin < dmax) {
        const diff = Math.max(Math.min(hpp + hmm - hmp - hpm, dmax), dmin);
        a[s10 + 1] = a[s10 + 1]! + limit(Math.trunc((diff - a[s10 + 1]! * 64) / 64));
      }
    }
  }
}

/**
 * Inverts the H-transform in place: `a` holds nx × ny coefficients (y fastest) on entry and the
 * pixel values on return. `scale` is the digitization scale (only used by smoothing).
 */
export function inverseHTransform(a: Float64Array, nx: number, ny: number, smooth: boolean, scale: number): void {
  const levels = levelsFor(Math.max(nx, ny));
  // A one-pixel tile has no levels: its only coefficient is the pixel itself. (CFITSIO returns 0,
  // from a mask built with 1 << -1; its writers never make such a tile.)
  if (levels === 0) return;
  const tmp = new Float64Array((Math.max(nx, ny) + 1) >> 1);

  // The overall sum is rounded to a multiple of 2^(levels+1), as the forward transform left it.
  const bitTop = 2 ** (levels + 1);
  a[0] = roundToMultiple(a[0]!, bitTop, 1 / bitTop, bitTop / 2, bitTop / 2 - 1);

  let nxtop = 1;
  let nytop = 1;
  let nxf = nx;
  let nyf = ny;
  let c = 2 ** levels;
  for (let k = levels - 1; k >= 0; k--) {
    // nxtop, nytop: the size of the coefficient block this level expands to (ceil halvings of nx, ny).
    c /= 2;
    nxtop *= 2;
    nytop *= 2;
    if (nxf <= c) nxtop -= 1;
    else nxf -= c;
    if (nyf <= c) nytop -= 1;
    else nyf -= c;

    // Rounding for this level: hx, hy are multiples of bit1, hc of bit0 (bit0 = 2^k).
    const bit0 = 2 ** k;
    const bit1 = bit0 * 2;
    const inverseBit0 = 1 / bit0;
    const inverseBit1 = 1 / bit1;
    const positiveRound0 = k > 0 ? bit0 / 2 : 0;
    const negativeRound0 = k > 0 ? positiveRound0 - 1 : 0;
    const positiveRound1 = bit0;
    const negativeRound1 = bit0 - 1;
    // Sums are halved at every level but the last, which divides by 4.
    const divide = k === 0 ? 0.25 : 0.5;

    for (let i = 0; i < nxtop; i++) unshuffle(a, ny * i, nytop, 1, tmp);
    for (let j = 0; j < nytop; j++) unshuffle(a, j, nxtop, ny, tmp);
    if (smooth) smoothLevel(a, nxtop, nytop, ny, scale);

    const oddx = nxtop & 1;
    const oddy = nytop & 1;
    let i = 0;
    for (; i < nxtop - oddx; i += 2) {
      let s00 = ny * i;
      let s10 = s00 + ny;
      for (let j = 0; j < nytop - oddy; j += 2, s00 += 2, s10 += 2) {
        let h0 = a[s00]!;
        let hx = roundToMultiple(a[s10]!, bit1, inverseBit1, positiveRound1, negativeRound1);
        let hy = roundToMultiple(a[s00 + 1]!, bit1, inverseBit1, positiveRound1, negativeRound1);
        const hc = roundToMultiple(a[s10 + 1]!, bit0, inverseBit0, positiveRound0, negativeRound0);
        // Bit 0 of hc belongs to hx and hy; bits 0 and 1 of hc, hx, hy belong to h0 (exactly
        // invertible for negative pixels too).
        const lowbit0 = hasBit(hc, inverseBit0) ? bit0 : 0;
        hx = hx >= 0 ? hx - lowbit0 : hx + lowbit0;
        hy = hy >= 0 ? hy - lowbit0 : hy + lowbit0;
        const odd1 = (hasBit(hc, inverseBit1) !== hasBit(hx, inverseBit1)) !== hasBit(hy, inverseBit1);
        const lowbit1 = odd1 ? bit1 : 0;
        h0 = h0 >= 0 ? h0 + lowbit0 - lowbit1 : h0 + (lowbit0 === 0 ? lowbit1 : lowbit0 - lowbit1);
        a[s10 + 1] = Math.floor((h0 + hx + hy + hc) * divide);
        a[s10] = Math.floor((h0 + hx - hy - hc) * divide);
        a[s00 + 1] = Math.floor((h0 - hx + hy - hc) * divide);
        a[s00] = Math.floor((h0 - hx - hy + hc) * divide);
      }
      if (oddy) {
        // Last column of an odd-width block: only h0 and hx exist.
        let h0 = a[s00]!;
        const hx = roundToMultiple(a[s10]!, bit1, inverseBit1, positiveRound1, negativeRound1);
        const lowbit1 = hasBit(hx, inverseBit1) ? bit1 : 0;
        h0 = h0 >= 0 ? h0 - lowbit1 : h0 + lowbit1;
        a[s10] = Math.floor((h0 + hx) * divide);
        a[s00] = Math.floor((h0 - hx) * divide);
      }
    }
    if (oddx) {
      // Last row of an odd-height block: only h0 and hy exist.
      let s00 = ny * i;
      for (let j = 0; j < nytop - oddy; j += 2, s00 += 2) {
        let h0 = a[s00]!;
        const hy = roundToMultiple(a[s00 + 1]!, bit1, inverseBit1, positiveRound1, negativeRound1);
        const lowbit1 = hasBit(hy, inverseBit1) ? bit1 : 0;
        h0 = h0 >= 0 ? h0 - lowbit1 : h0 + lowbit1;
        a[s00 + 1] = Math.floor((h0 + hy) * divide);
        a[s00] = Math.floor((h0 - hy) * divide);
      }
      if (oddy) a[s00] = Math.floor(a[s00]! * divide);
    }
  }
}

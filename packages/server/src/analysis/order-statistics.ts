/**
 * Order statistics without sorting. Quickselect (Hoare's FIND, median-of-three pivot) puts the
 * k-th smallest value at index k in O(n) on average, where a sort costs O(n log n): for the
 * quarter-million-pixel samples behind a frame's median, the sort was the single largest cost of
 * measuring a 1024² frame.
 */

type Values = Float64Array | Float32Array;

/** Reorders values[0..n) so that values[k] is the k-th smallest, those before ≤ it, those after ≥ it. */
export function selectInPlace(values: Values, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // Median of three as the pivot, which also keeps sorted or constant input linear.
    const a = values[lo]!;
    const b = values[mid]!;
    const c = values[hi]!;
    const pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k]!;
}

/** Median of values[0..n) (mean of the two middle ones when n is even), reordering them; NaN if n = 0. */
export function medianInPlace(values: Values, n: number): number {
  if (n === 0) return Number.NaN;
  const k = n >> 1;
  const upper = selectInPlace(values, n, k);
  if (n % 2) return upper;
  // values[0..k) now hold the k smallest: the lower middle value is their maximum.
  let lower = values[0]!;
  for (let i = 1; i < k; i++) if (values[i]! > lower) lower = values[i]!;
  return 0.5 * (lower + upper);
}

/**
 * The TPV distortion SCAMP writes (CTYPE 'RA---TPV'): a polynomial of up to degree 7 in the
 * intermediate world coordinates (x, y) and r = √(x² + y²), applied after the linear
 * transformation and before the gnomonic projection. PVi_m (m = 0…39) are its coefficients for
 * world axis i, with x the axis's own coordinate and y the other's, so the two axes mirror each
 * other; absent coefficients are 0 (PVi_1 too, as in WCSLIB). The inverse is Newton's method on
 * the forward polynomials.
 */
import type { HeaderLike } from '../types.js';
import { numberCard } from './linear.js';

/** Powers of (own, other, r) for m = 0…39, in the order of the TPV convention. */
const TERMS: ReadonlyArray<readonly [number, number, number]> = (() => {
  const terms: [number, number, number][] = [];
  for (let degree = 0; degree <= 7; degree++) {
    for (let otherPower = 0; otherPower <= degree; otherPower++) terms.push([degree - otherPower, otherPower, 0]);
    // Odd degrees end with the radial term r^degree (m = 3, 11, 23, 39).
    if (degree % 2 === 1) terms.push([0, 0, degree]);
  }
  return terms;
})();

export interface TpvDistortion {
  /** Intermediate (x, y) in degrees → distorted (x', y') fed to the projection. */
  apply(x: number, y: number): [number, number];
  /** Distorted (x', y') → (x, y), or null when Newton's method does not converge. */
  invert(xd: number, yd: number): [number, number] | null;
}

function polynomial(coefficients: Map<number, number>, own: number, other: number): number {
  const r = Math.hypot(own, other);
  let sum = 0;
  for (const [m, c] of coefficients) {
    const term = TERMS[m];
    if (term) sum += c * own ** term[0] * other ** term[1] * r ** term[2];
  }
  return sum;
}

/** The TPV polynomials of world axes `lng` and `lat`. */
export function readTpv(header: HeaderLike, lng: number, lat: number): TpvDistortion {
  const read = (axis: number) => {
    const coefficients = new Map<number, number>();
    for (let m = 0; m < TERMS.length; m++) {
      const value = numberCard(header, `PV${axis}_${m}`);
      if (value !== undefined && value !== 0) coefficients.set(m, value);
    }
    return coefficients;
  };
  const forLng = read(lng);
  const forLat = read(lat);
  const apply = (x: number, y: number): [number, number] => [polynomial(forLng, x, y), polynomial(forLat, y, x)];
  return {
    apply,
    invert(xd, yd) {
      let x = xd;
      let y = yd;
      // Steps of 1e-7 degree (0.4 mas) for the Jacobian; the residual is driven to 1e-13 degree.
      const h = 1e-7;
      for (let iteration = 0; iteration < 50; iteration++) {
        const [fx, fy] = apply(x, y);
        const rx = fx - xd;
        const ry = fy - yd;
        if (Math.abs(rx) < 1e-13 && Math.abs(ry) < 1e-13) return [x, y];
        const [ax, ay] = apply(x + h, y);
        const [bx, by] = apply(x, y + h);
        const j11 = (ax - fx) / h;
        const j12 = (bx - fx) / h;
        const j21 = (ay - fy) / h;
        const j22 = (by - fy) / h;
        const det = j11 * j22 - j12 * j21;
        if (!Number.isFinite(det) || det === 0) return null;
        x -= (j22 * rx - j12 * ry) / det;
        y -= (-j21 * rx + j11 * ry) / det;
      }
      const [fx, fy] = apply(x, y);
      return Math.abs(fx - xd) < 1e-10 && Math.abs(fy - yd) < 1e-10 ? [x, y] : null;
    },
  };
}

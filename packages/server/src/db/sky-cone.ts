/**
 * The geometry of a cone search, without SQL.
 *
 *   coneBounds(raDeg, decDeg, radiusDeg): ConeBounds
 *       A declination band and zero, one or two RA intervals that contain the whole cone (the
 *       index-friendly prefilter), plus the unit vector and cos(radius) of the exact test
 *       `x·x0 + y·y0 + z·z0 >= cos(radius)`.
 *
 * The RA half-width of a small circle of radius r centred at declination δ is asin(sin r / cos δ)
 * (the meridians tangent to the circle), valid while the circle does not contain a pole
 * (|δ| + r < 90°); otherwise every RA is possible and only the declination band is used.
 */
import { unitVector } from './image.mapper.js';

export interface ConeBounds {
  decMin: number;
  decMax: number;
  /** Empty: no RA restriction (the cone contains a pole or spans all RA). */
  raIntervals: Array<[number, number]>;
  center: [number, number, number];
  cosRadius: number;
}

const RAD = Math.PI / 180;
// Widens the prefilter by ~4 µas so that float rounding in the bounds can never drop a row that the
// exact dot-product test would keep.
const PAD_DEG = 1e-9;

export function coneBounds(raDeg: number, decDeg: number, radiusDeg: number): ConeBounds {
  const ra = ((raDeg % 360) + 360) % 360;
  const decMin = Math.max(-90, decDeg - radiusDeg - PAD_DEG);
  const decMax = Math.min(90, decDeg + radiusDeg + PAD_DEG);
  const center = unitVector(ra, decDeg);
  const cosRadius = Math.cos(radiusDeg * RAD);
  if (Math.abs(decDeg) + radiusDeg >= 90 - PAD_DEG) return { decMin, decMax, raIntervals: [], center, cosRadius };
  const halfWidth = Math.asin(Math.sin(radiusDeg * RAD) / Math.cos(decDeg * RAD)) / RAD + PAD_DEG;
  if (halfWidth >= 180) return { decMin, decMax, raIntervals: [], center, cosRadius };
  return { decMin, decMax, raIntervals: raIntervalsAround(ra, halfWidth), center, cosRadius };
}

/** RA from `ra - halfWidth` to `ra + halfWidth` (ra in [0, 360)), split in two where it wraps at 0. */
export function raIntervalsAround(ra: number, halfWidth: number): Array<[number, number]> {
  const lo = ra - halfWidth;
  const hi = ra + halfWidth;
  if (lo < 0)
    return [
      [lo + 360, 360],
      [0, hi],
    ];
  if (hi > 360)
    return [
      [lo, 360],
      [0, hi - 360],
    ];
  return [[lo, hi]];
}

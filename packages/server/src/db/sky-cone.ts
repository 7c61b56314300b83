/**
 * The geometry of a cone search, without SQL.
 *
 *   coneBounds(raDeg, decDeg, radiusDeg): ConeBounds
 *       A declination band and zero, one or two RA intervals that contain the whole cone (the
 *       index-friendly prefilter), plus the unit vector and cos(radius) of the exact test
 *       `x·x0 + y·y0 + z·z0 >= cos(radius)`.
 *
 *   coneZones(raDeg, decDeg, radiusDeg): ConeZone[] | null
 *       The same cone cut into whole degrees of declination (floor(dec_deg)), each with the RA
 *       intervals that hold its part of the cone: what the (floor(dec_deg), ra_deg, …) index seeks.
 *       null when the cone spans too many zones to be worth it (a band search is as good).
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

export interface ConeZone {
  /** floor(dec_deg) of the rows in this zone. */
  zone: number;
  /** Empty: every RA (the zone holds a pole of the cone's circle or wraps all the way round). */
  raIntervals: Array<[number, number]>;
}

/** Past this many zones (radius ~15°) a cone is searched by its declination band instead. */
export const MAX_CONE_ZONES = 32;

/**
 * RA half-width (degrees) of the part of a small circle (centre at declination d0, radius r) that
 * lies between declinations a and b (0 when that part is empty). At a declination d the
 * circle spans cos Δα = (cos r − sin d sin d0) / (cos d cos d0); the width grows from the circle's
 * southern tip to its widest declination asin(sin d0 / cos r) and shrinks after it, so the widest
 * point of [a, b] is that declination when it lies inside, else the end nearer to it.
 */
function halfWidthBetween(d0: number, r: number, a: number, b: number): number {
  const at = (d: number): number => {
    const cd = Math.cos(d * RAD);
    if (cd < 1e-12) return 180;
    const c = (Math.cos(r * RAD) - Math.sin(d * RAD) * Math.sin(d0 * RAD)) / (cd * Math.cos(d0 * RAD));
    if (c >= 1) return 0;
    if (c <= -1) return 180;
    return Math.acos(c) / RAD;
  };
  const widest = Math.asin(Math.min(1, Math.max(-1, Math.sin(d0 * RAD) / Math.cos(r * RAD)))) / RAD;
  const d = Math.min(Math.max(widest, a), b);
  // The band ends may lie just outside the circle (cos Δα ≥ 1): zero width there, still one RA.
  return at(d);
}

export function coneZones(raDeg: number, decDeg: number, radiusDeg: number): ConeZone[] | null {
  const b = coneBounds(raDeg, decDeg, radiusDeg);
  const first = Math.floor(b.decMin);
  const last = Math.floor(b.decMax);
  if (last - first + 1 > MAX_CONE_ZONES) return null;
  const ra = ((raDeg % 360) + 360) % 360;
  const zones: ConeZone[] = [];
  for (let z = first; z <= last; z++) {
    if (b.raIntervals.length === 0) {
      zones.push({ zone: z, raIntervals: [] });
      continue;
    }
    const lo = Math.max(z, b.decMin);
    const hi = Math.min(z + 1, b.decMax);
    // Padded (float rounding near acos(1)), and never wider than the whole cone's interval.
    const half = Math.min(halfWidthBetween(decDeg, radiusDeg, lo, hi) + ZONE_PAD_DEG, halfWidthOf(b));
    zones.push({ zone: z, raIntervals: half >= 180 ? [] : raIntervalsAround(ra, half) });
  }
  return zones;
}

/** Widens each zone's RA interval: the zone widths come from trigonometry near acos(1). */
const ZONE_PAD_DEG = 1e-5;

/** The half-width of a cone's RA interval(s), from coneBounds. */
function halfWidthOf(b: ConeBounds): number {
  const total = b.raIntervals.reduce((s, [lo, hi]) => s + (hi - lo), 0);
  return total / 2;
}

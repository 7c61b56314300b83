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
 *   coneCells(raDeg, decDeg, radiusDeg): number[] | null
 *       The sky cells (skyCellOf) that may hold a position of the cone, for the
 *       (sky cell, date_obs_ms, id) index: each cell's frames in date order, merged across the
 *       cells, give a cone's newest matches without reading every match. null past MAX_CONE_CELLS.
 *   skyCellOf(x, y, z): number     the cell of a unit vector, as SKY_CELL_SQL computes it
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

/**
 * Sky cells: cubes of side 1/SKY_CELL_DIVISIONS over the unit vector (pos_x, pos_y, pos_z), numbered
 * (i·B + j)·B + k with i = floor(x·D) and B = 2D + 1. A grid over the vector needs no trigonometry in
 * SQL, has no pole where cells shrink, and with D a power of two x·D is exact in every engine, so the
 * database and this code agree on every position's cell. D = 16 (cells ~3.6° across): a 5° cone
 * needs 12–20 cells, a 0.5° cone one to four (docs/performance.md, "Cones at 1M and 10M").
 */
export const SKY_CELL_DIVISIONS = 16;
const CELL_BASE = 2 * SKY_CELL_DIVISIONS + 1;

/** The SQL of a row's sky cell, exactly as the index of migration 1800 holds it. */
export const SKY_CELL_SQL = `(floor(pos_x * ${SKY_CELL_DIVISIONS}) * ${CELL_BASE} + floor(pos_y * ${SKY_CELL_DIVISIONS})) * ${CELL_BASE} + floor(pos_z * ${SKY_CELL_DIVISIONS})`;

export function skyCellOf(x: number, y: number, z: number): number {
  const d = SKY_CELL_DIVISIONS;
  return (Math.floor(x * d) * CELL_BASE + Math.floor(y * d)) * CELL_BASE + Math.floor(z * d);
}

/** Past this many cells (a cone of ~8°) a cone's newest matches are sorted from the zone index. */
export const MAX_CONE_CELLS = 48;

/** Widens the cell tests: a cell kept by mistake costs one index seek, one dropped loses frames. */
const CELL_PAD = 1e-9;

/**
 * Every cell whose cube meets both the unit sphere and the cone's half-space x·c ≥ cos r (the cap
 * is their intersection; a cell meeting both but not the cap costs a seek, never a frame). The
 * candidates come from the cap's bounding box: along an axis at angle θ from the centre, the cap
 * reaches from cos(min(π, θ + r)) to cos(max(0, θ − r)).
 */
export function coneCells(raDeg: number, decDeg: number, radiusDeg: number): number[] | null {
  const d = SKY_CELL_DIVISIONS;
  const center = unitVector(((raDeg % 360) + 360) % 360, decDeg);
  const r = radiusDeg * RAD;
  const cosRadius = Math.cos(r);
  const range = center.map((c) => {
    const theta = Math.acos(Math.max(-1, Math.min(1, c)));
    const lo = Math.cos(Math.min(Math.PI, theta + r)) - CELL_PAD;
    const hi = Math.cos(Math.max(0, theta - r)) + CELL_PAD;
    return [Math.floor(Math.max(-1, lo) * d), Math.floor(Math.min(1, hi) * d)] as const;
  });
  const [[i0, i1], [j0, j1], [k0, k1]] = range as [[number, number], [number, number], [number, number]];
  if ((i1 - i0 + 1) * (j1 - j0 + 1) * (k1 - k0 + 1) > MAX_CONE_CELLS * 8) return null;
  const cells: number[] = [];
  for (let i = i0; i <= i1; i++)
    for (let j = j0; j <= j1; j++)
      for (let k = k0; k <= k1; k++) {
        const box = [
          [i / d, (i + 1) / d],
          [j / d, (j + 1) / d],
          [k / d, (k + 1) / d],
        ] as const;
        let nearest = 0;
        let farthest = 0;
        let reach = 0;
        for (let a = 0; a < 3; a++) {
          const [lo, hi] = box[a] as readonly [number, number];
          // The coordinate of the cube nearest the origin along this axis.
          const n = Math.max(lo, Math.min(hi, 0));
          nearest += n * n;
          farthest += Math.max(lo * lo, hi * hi);
          // The cube's farthest reach along the centre: the better corner on each axis.
          reach += Math.max(lo * (center[a] as number), hi * (center[a] as number));
        }
        if (nearest > 1 + CELL_PAD || farthest < 1 - CELL_PAD || reach < cosRadius - CELL_PAD) continue;
        cells.push((i * CELL_BASE + j) * CELL_BASE + k);
        if (cells.length > MAX_CONE_CELLS) return null;
      }
  return cells;
}

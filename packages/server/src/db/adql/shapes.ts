/**
 * Constant ADQL shapes on the unit sphere, without SQL: what the compiler needs to turn CONTAINS and
 * DISTANCE into tests on the stored unit vectors (pos_x, pos_y, pos_z) behind an index prefilter.
 *
 *   circle: centre and radius → the cone of db/sky-cone.ts.
 *   polygon: vertices joined by great circles (ADQL 2.1, 4.2.13), convex, either winding. A point is
 *     inside when it lies on the inner side of every edge plane: dot(p, vᵢ × vᵢ₊₁) ≥ 0 for a
 *     counter-clockwise ring. The bounding cone (centroid, farthest vertex) is the index prefilter.
 *   box: centre, width and height in RA/Dec (ADQL 2.0's BOX; deprecated in 2.1): a band of
 *     declination and an interval of RA (width measured along the equator), as SIA 2.0's RANGE.
 */
import { AdqlError } from '../../domain/adql.js';
import { unitVector } from '../image.mapper.js';
import { raIntervalsAround } from '../sky-cone.js';

export type Vector = [number, number, number];

export interface ConvexPolygon {
  /** Outward-or-inward-fixed edge normals: a point p is inside when dot(p, n) ≥ 0 for every n. */
  normals: Vector[];
  /** A cone that holds the polygon. */
  bound: { ra: number; dec: number; radius: number };
}

const cross = (a: Vector, b: Vector): Vector => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const dot = (a: Vector, b: Vector) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const RAD = Math.PI / 180;

export function convexPolygon(vertices: Array<[number, number]>): ConvexPolygon {
  if (vertices.length < 3) throw new AdqlError('POLYGON needs at least three vertices');
  const v = vertices.map(([ra, dec]) => unitVector(ra, dec));
  const sum = v.reduce<Vector>((s, p) => [s[0] + p[0], s[1] + p[1], s[2] + p[2]], [0, 0, 0]);
  const length = Math.hypot(...sum);
  if (length < 1e-12) throw new AdqlError('POLYGON is larger than a hemisphere or degenerate');
  const centre: Vector = [sum[0] / length, sum[1] / length, sum[2] / length];
  let normals = v.map((p, i) => cross(p, v[(i + 1) % v.length]!));
  if (normals.some((n) => Math.hypot(...n) < 1e-15))
    throw new AdqlError('POLYGON has two equal or opposite consecutive vertices');
  // Clockwise rings: flip every normal so the centroid is inside.
  if (dot(normals[0]!, centre) < 0) normals = normals.map(([x, y, z]) => [-x, -y, -z]);
  // Convex: every vertex on the inner side of every edge it is not part of, and the centroid inside.
  for (const [i, n] of normals.entries()) {
    if (dot(n, centre) < 0) throw new AdqlError('only convex POLYGONs are supported');
    for (const [j, p] of v.entries())
      if (j !== i && j !== (i + 1) % v.length && dot(n, p) < -1e-12)
        throw new AdqlError('only convex POLYGONs are supported');
  }
  const ra = (Math.atan2(centre[1], centre[0]) / RAD + 360) % 360;
  const dec = Math.asin(Math.max(-1, Math.min(1, centre[2]))) / RAD;
  // Widened by a hair so that rounding in acos never leaves a vertex outside its own bound.
  const radius = Math.max(...v.map((p) => Math.acos(Math.min(1, dot(centre, p))) / RAD)) + 1e-9;
  return { normals, bound: { ra, dec, radius } };
}

/** The RA/Dec ranges of a BOX: dec band clamped to the poles, RA interval(s) wrapped at 0. */
export function boxRanges(
  ra: number,
  dec: number,
  width: number,
  height: number,
): { decMin: number; decMax: number; raIntervals: Array<[number, number]> } {
  if (!(width >= 0 && height >= 0)) throw new AdqlError('BOX width and height must not be negative');
  const decMin = Math.max(-90, dec - height / 2);
  const decMax = Math.min(90, dec + height / 2);
  if (width >= 360) return { decMin, decMax, raIntervals: [] };
  const centre = ((ra % 360) + 360) % 360;
  return { decMin, decMax, raIntervals: raIntervalsAround(centre, width / 2) };
}

export { cross, dot, unitVector };

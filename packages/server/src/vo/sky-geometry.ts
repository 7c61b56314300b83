/**
 * Exact tests between regions of the sky, on unit vectors so that the poles and RA 0 need no
 * special case. Edges of polygons are great-circle arcs (DALI polygon, and frame footprints whose
 * corners come from the WCS); the RA/Dec box of SIA's RANGE has meridians for its RA sides and
 * parallels (small circles) for its Dec sides.
 *
 *   vec(ra, dec) / radec(v)                 degrees ↔ unit vector
 *   separationDeg(a, b)
 *   pointInPolygon(p, polygon)              winding of the polygon around p (any convexity)
 *   arcsCross(a1, a2, b1, b2)               two great-circle arcs share a point
 *   distanceToArcDeg(p, a, b)               the nearest point of an arc
 *   arcCrossesParallel(a, b, decDeg, inRa)  an arc meets the parallel at decDeg where inRa(ra)
 */
export type Vec3 = readonly [number, number, number];

const RAD = Math.PI / 180;
/** Slack of the sign tests, about 0.2 mas: points on an edge count as on both sides. */
const EPS = 1e-12;

export function vec(raDeg: number, decDeg: number): Vec3 {
  const ra = raDeg * RAD;
  const dec = decDeg * RAD;
  return [Math.cos(dec) * Math.cos(ra), Math.cos(dec) * Math.sin(ra), Math.sin(dec)];
}

export function radec(v: Vec3): [number, number] {
  const ra = Math.atan2(v[1], v[0]) / RAD;
  const dec = Math.asin(Math.max(-1, Math.min(1, v[2] / Math.hypot(v[0], v[1], v[2])))) / RAD;
  return [(ra + 360) % 360, dec];
}

export const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const cross = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const norm = (a: Vec3) => Math.hypot(a[0], a[1], a[2]);
const unit = (a: Vec3): Vec3 => {
  const n = norm(a);
  return [a[0] / n, a[1] / n, a[2] / n];
};

/** Angle between two unit vectors (atan2 form: accurate for tiny and near-180° angles). */
export function separationDeg(a: Vec3, b: Vec3): number {
  return Math.atan2(norm(cross(a, b)), dot(a, b)) / RAD;
}

/** Whether c lies on the shorter great-circle arc a→b (c on that great circle). */
function onArc(a: Vec3, b: Vec3, c: Vec3, n: Vec3): boolean {
  return dot(cross(a, c), n) >= -EPS && dot(cross(c, b), n) >= -EPS;
}

/**
 * Whether p is inside a spherical polygon (smaller than a hemisphere): the signed angles at p of
 * the triangles (p, vᵢ, vᵢ₊₁) add up to ±360° when the polygon separates p from its antipode, and
 * to 0° otherwise, whatever the polygon's convexity or winding; of p and −p, the inside one is on
 * the polygon's side of the sphere. A point on an edge counts as inside.
 */
export function pointInPolygon(p: Vec3, polygon: readonly Vec3[]): boolean {
  const side = polygon.reduce((sum, v) => sum + dot(p, v), 0);
  let total = 0;
  for (let i = 0; i < polygon.length; i++) {
    const a = polygon[i] as Vec3;
    const b = polygon[(i + 1) % polygon.length] as Vec3;
    if (separationDeg(p, a) < 1e-9) return true;
    const n = cross(a, b);
    if (Math.abs(dot(p, unit(n))) < EPS && onArc(a, b, p, n)) return true;
    // Directions from p towards a and b in the tangent plane at p, and the signed angle between them.
    const ta = cross(cross(p, a), p);
    const tb = cross(cross(p, b), p);
    total += Math.atan2(dot(cross(ta, tb), p), dot(ta, tb));
  }
  return Math.abs(total) > Math.PI && side > 0;
}

/** Whether two great-circle arcs (each shorter than 180°) share a point. */
export function arcsCross(a1: Vec3, a2: Vec3, b1: Vec3, b2: Vec3): boolean {
  const na = cross(a1, a2);
  const nb = cross(b1, b2);
  const line = cross(na, nb);
  if (norm(line) < EPS) {
    // Same great circle: they meet when an end of one lies on the other.
    if (Math.abs(dot(unit(na), b1)) > 1e-9) return false;
    return onArc(a1, a2, b1, na) || onArc(a1, a2, b2, na) || onArc(b1, b2, a1, nb) || onArc(b1, b2, a2, nb);
  }
  const c = unit(line);
  const minus: Vec3 = [-c[0], -c[1], -c[2]];
  return [c, minus].some((x) => onArc(a1, a2, x, na) && onArc(b1, b2, x, nb));
}

/** Angular distance from p to the nearest point of the arc a→b. */
export function distanceToArcDeg(p: Vec3, a: Vec3, b: Vec3): number {
  const n = cross(a, b);
  const ends = Math.min(separationDeg(p, a), separationDeg(p, b));
  if (norm(n) < EPS) return ends;
  const nu = unit(n);
  const h = dot(p, nu);
  const foot: Vec3 = [p[0] - h * nu[0], p[1] - h * nu[1], p[2] - h * nu[2]];
  if (norm(foot) < EPS) return ends;
  const f = unit(foot);
  return onArc(a, b, f, n) ? Math.min(ends, separationDeg(p, f)) : ends;
}

/**
 * Whether the arc a→b meets the parallel of declination decDeg at an RA that `inRa` accepts. A
 * point of the great circle with normal n at declination δ has cos δ (nx cos α + ny sin α) =
 * −nz sin δ, solved for α.
 */
export function arcCrossesParallel(a: Vec3, b: Vec3, decDeg: number, inRa: (raDeg: number) => boolean): boolean {
  const n = cross(a, b);
  if (norm(n) < EPS) return false;
  const cosD = Math.cos(decDeg * RAD);
  const sinD = Math.sin(decDeg * RAD);
  const A = n[0] * cosD;
  const B = n[1] * cosD;
  const C = -n[2] * sinD;
  const R = Math.hypot(A, B);
  if (R < EPS || Math.abs(C) > R) return false;
  const phase = Math.atan2(B, A);
  const delta = Math.acos(Math.max(-1, Math.min(1, C / R)));
  for (const alpha of [phase + delta, phase - delta]) {
    const ra = (((alpha / RAD) % 360) + 360) % 360;
    const x = vec(ra, decDeg);
    if (onArc(a, b, x, n) && inRa(ra)) return true;
  }
  return false;
}

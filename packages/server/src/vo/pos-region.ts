/**
 * SIA 2.0 POS regions (DALI shapes, ICRS degrees) over the catalog:
 *   CIRCLE ra dec radius
 *   RANGE ra1 ra2 dec1 dec2     ±Inf allowed; ra1 > ra2 wraps through RA 0
 *   POLYGON ra1 dec1 ra2 dec2 ra3 dec3 …   great-circle edges, either winding
 *
 * A frame matches when its footprint (s_region) intersects the region; a frame without footprint
 * matches when its centre lies in it. Each region also gives the SQL a coarse prefilter that the
 * spherical index serves (a cone, or a declination band for boxes wider than a hemisphere),
 * widened by FRAME_RADIUS_MARGIN_DEG so that a frame reaching in from outside is still read.
 */
import type { CatalogImage } from '../db/image.mapper.js';
import { DaliParameterError, parseNumber } from './dali-params.js';
import {
  arcCrossesParallel,
  arcsCross,
  distanceToArcDeg,
  pointInPolygon,
  radec,
  separationDeg,
  type Vec3,
  vec,
} from './sky-geometry.js';

/**
 * The largest frame half-diagonal the prefilter allows for: a frame wider than 10° (all-sky and
 * fisheye cameras) can be missed by a search that only touches its edge. docs/vo.md says so.
 */
export const FRAME_RADIUS_MARGIN_DEG = 5;

/** A cone in degrees. */
export interface Cone {
  ra: number;
  dec: number;
  radius: number;
}

/** The coarse part a SQL read can use: a cone, or a declination band. */
export type Prefilter = { cone: Cone } | { decMin: number; decMax: number };

export interface Region {
  prefilter: Prefilter;
  /** The exact test. */
  matches: (image: CatalogImage) => boolean;
}

/** A frame's footprint corners as vectors, or null when it has none. */
function footprintOf(image: CatalogImage): Vec3[] | null {
  const corners = image.footprint;
  if (!corners || corners.length < 3) return null;
  return corners.map(([ra, dec]) => vec(ra, dec));
}

function centreOf(image: CatalogImage): Vec3 | null {
  return image.ra_deg === null || image.dec_deg === null ? null : vec(image.ra_deg, image.dec_deg);
}

const edges = (polygon: readonly Vec3[]): Array<[Vec3, Vec3]> =>
  polygon.map((a, i) => [a, polygon[(i + 1) % polygon.length] as Vec3]);

/** Radius of the circle around the frame centre that holds the frame: footprint corners, else the FOV. */
export function frameRadiusDeg(image: CatalogImage): number {
  const centre = centreOf(image);
  const footprint = footprintOf(image);
  if (centre && footprint) return Math.max(...footprint.map((c) => separationDeg(centre, c)));
  const w = image.fov_width_deg ?? image.fov_height_deg ?? 0;
  const h = image.fov_height_deg ?? w;
  return Math.hypot(w, h) / 2;
}

const widened = (cone: Cone): Prefilter => ({
  cone: { ...cone, radius: Math.min(cone.radius + FRAME_RADIUS_MARGIN_DEG, 180) },
});

/** The region's own test of a footprint, and of a point for frames without one. */
interface Shape {
  prefilter: Prefilter;
  containsPoint: (p: Vec3) => boolean;
  intersectsPolygon: (polygon: Vec3[]) => boolean;
}

function region(shape: Shape): Region {
  return {
    prefilter: shape.prefilter,
    matches: (image) => {
      const footprint = footprintOf(image);
      if (footprint) return shape.intersectsPolygon(footprint);
      const centre = centreOf(image);
      return centre !== null && shape.containsPoint(centre);
    },
  };
}

function numbers(words: string[], infinite: boolean): number[] {
  return words.map((w) => parseNumber('POS', w, infinite));
}

export function circleShape(words: string[]): Shape {
  if (words.length !== 3) throw new DaliParameterError('POS: CIRCLE needs ra dec radius');
  const [ra, dec, radius] = numbers(words, false) as [number, number, number];
  if (ra < 0 || ra > 360 || dec < -90 || dec > 90 || !(radius > 0) || radius > 180)
    throw new DaliParameterError('POS: CIRCLE needs 0 ≤ ra ≤ 360, -90 ≤ dec ≤ 90, 0 < radius ≤ 180');
  const c = vec(ra, dec);
  const inside = (p: Vec3) => separationDeg(c, p) <= radius;
  return {
    prefilter: widened({ ra: ra % 360, dec, radius }),
    containsPoint: inside,
    intersectsPolygon: (polygon) =>
      polygon.some(inside) ||
      pointInPolygon(c, polygon) ||
      edges(polygon).some(([a, b]) => distanceToArcDeg(c, a, b) <= radius),
  };
}

export function rangeShape(words: string[]): Shape {
  if (words.length !== 4) throw new DaliParameterError('POS: RANGE needs ra1 ra2 dec1 dec2');
  const [raLo, raHi, decLo, decHi] = numbers(words, true) as [number, number, number, number];
  const fullRa = raLo === -Infinity || raHi === Infinity || raHi - raLo >= 360;
  const ra1 = fullRa ? 0 : raLo;
  const ra2 = fullRa ? 360 : raHi;
  const dec1 = Math.max(decLo, -90);
  const dec2 = Math.min(decHi, 90);
  if ([ra1, ra2].some((v) => v < 0 || v > 360) || dec1 > dec2 || Number.isNaN(dec1) || Number.isNaN(dec2))
    throw new DaliParameterError('POS: RANGE needs 0 ≤ ra ≤ 360 and dec1 ≤ dec2 within [-90, 90]');
  const wraps = ra1 > ra2;
  const inRa = (ra: number) => fullRa || (wraps ? ra >= ra1 || ra <= ra2 : ra >= ra1 && ra <= ra2);
  const containsPoint = (p: Vec3) => {
    const [ra, dec] = radec(p);
    return dec >= dec1 - 1e-12 && dec <= dec2 + 1e-12 && (Math.abs(dec) >= 90 - 1e-9 || inRa(ra));
  };
  const corners = [vec(ra1, dec1), vec(ra1, dec2), vec(ra2, dec2), vec(ra2, dec1)];
  const meridians: Array<[Vec3, Vec3]> = fullRa
    ? []
    : [
        [vec(ra1, dec1), vec(ra1, dec2)],
        [vec(ra2, dec1), vec(ra2, dec2)],
      ];
  const intersectsPolygon = (polygon: Vec3[]) =>
    polygon.some(containsPoint) ||
    (!fullRa && corners.some((c) => pointInPolygon(c, polygon))) ||
    // A polygon around a pole contains the pole, which a box reaching the pole contains.
    (dec2 >= 90 && pointInPolygon([0, 0, 1], polygon)) ||
    (dec1 <= -90 && pointInPolygon([0, 0, -1], polygon)) ||
    edges(polygon).some(
      ([a, b]) =>
        meridians.some(([m1, m2]) => arcsCross(a, b, m1, m2)) ||
        arcCrossesParallel(a, b, dec1, inRa) ||
        arcCrossesParallel(a, b, dec2, inRa),
    );
  // A cone around the box narrows the SQL read; the farthest box points from its centre are its
  // corners. Boxes wider than a hemisphere get a declination band instead.
  const raSpan = wraps ? ra2 + 360 - ra1 : ra2 - ra1;
  if (raSpan > 180 || dec2 - dec1 > 90) {
    const m = FRAME_RADIUS_MARGIN_DEG;
    return { prefilter: { decMin: dec1 - m, decMax: dec2 + m }, containsPoint, intersectsPolygon };
  }
  const raC = (ra1 + raSpan / 2) % 360;
  const decC = (dec1 + dec2) / 2;
  const centre = vec(raC, decC);
  const radius = Math.max(...corners.map((c) => separationDeg(centre, c))) * 1.000001 + 1e-9;
  return { prefilter: widened({ ra: raC, dec: decC, radius }), containsPoint, intersectsPolygon };
}

export function polygonShape(words: string[]): Shape {
  if (words.length < 6 || words.length % 2 !== 0)
    throw new DaliParameterError('POS: POLYGON needs at least 3 vertices as ra dec pairs');
  const values = numbers(words, false);
  const vertices: Vec3[] = [];
  for (let i = 0; i < values.length; i += 2) {
    const ra = values[i] as number;
    const dec = values[i + 1] as number;
    if (ra < 0 || ra > 360 || dec < -90 || dec > 90)
      throw new DaliParameterError('POS: POLYGON vertices need 0 ≤ ra ≤ 360 and -90 ≤ dec ≤ 90');
    vertices.push(vec(ra, dec));
  }
  const sum = vertices.reduce<Vec3>((s, v) => [s[0] + v[0], s[1] + v[1], s[2] + v[2]], [0, 0, 0]);
  const length = Math.hypot(...sum);
  const radius = length < 1e-9 ? 180 : Math.max(...vertices.map((v) => separationDeg(sum, v)));
  if (radius >= 90) throw new DaliParameterError('POS: POLYGON must be smaller than a hemisphere');
  const [ra, dec] = radec(sum);
  const containsPoint = (p: Vec3) => pointInPolygon(p, vertices);
  return {
    prefilter: widened({ ra, dec, radius: radius * 1.000001 + 1e-9 }),
    containsPoint,
    intersectsPolygon: (polygon) =>
      polygon.some(containsPoint) ||
      vertices.some((v) => pointInPolygon(v, polygon)) ||
      edges(polygon).some(([a, b]) => edges(vertices).some(([c, d]) => arcsCross(a, b, c, d))),
  };
}

/** The region of a POS value. */
export function parsePos(text: string): Region {
  const words = text.trim().split(/\s+/);
  const shape = (words.shift() ?? '').toUpperCase();
  if (shape === 'CIRCLE') return region(circleShape(words));
  if (shape === 'RANGE') return region(rangeShape(words));
  if (shape === 'POLYGON') return region(polygonShape(words));
  throw new DaliParameterError(`POS: unknown shape '${shape}' (CIRCLE, RANGE or POLYGON)`);
}

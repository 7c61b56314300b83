/**
 * SIA 2.0 POS regions over the catalog: CIRCLE ra dec r and RANGE ra1 ra2 dec1 dec2 (±Inf allowed;
 * ra1 > ra2 wraps through 0). Each becomes a cone the SQL read can use (a superset) and an exact
 * test per frame.
 *
 * CIRCLE: a frame matches when its bounding circle (centre + half-diagonal, from the footprint or
 * the FOV) meets the circle — a little generous near frame corners; frames whose half-diagonal
 * exceeds FRAME_RADIUS_MARGIN_DEG can be missed near their edges. RANGE: a frame matches when its
 * centre (s_ra, s_dec) lies in the box. POLYGON is refused.
 */
import { angularSeparationDeg } from '@aims/fits';
import type { CatalogImage } from '../db/image.mapper.js';
import { DaliParameterError, parseNumber } from './dali-params.js';

/** Frames whose half-diagonal exceeds this may be missed by a CIRCLE search near their edge. */
export const FRAME_RADIUS_MARGIN_DEG = 5;

/** A cone in degrees, in the catalog's filter names. */
export interface Cone {
  ra: number;
  dec: number;
  radius: number;
}

export interface Region {
  /** A cone that holds every match (none: read the whole sky). */
  cone: Cone | null;
  /** The exact test. */
  contains: (image: CatalogImage) => boolean;
}

const separation = (ra1: number, dec1: number, ra2: number, dec2: number) =>
  angularSeparationDeg({ ra: ra1, dec: dec1 }, { ra: ra2, dec: dec2 });

/** Radius of the circle around the frame centre that holds the frame: footprint corners, else the FOV. */
export function frameRadiusDeg(image: CatalogImage): number {
  const { ra_deg: ra, dec_deg: dec, footprint } = image;
  if (ra !== null && dec !== null && footprint && footprint.length >= 3)
    return Math.max(...footprint.map(([r, d]) => separation(ra, dec, r, d)));
  const w = image.fov_width_deg ?? image.fov_height_deg ?? 0;
  const h = image.fov_height_deg ?? w;
  return Math.hypot(w, h) / 2;
}

function circle(words: string[]): Region {
  if (words.length !== 3) throw new DaliParameterError('POS: CIRCLE needs ra dec radius');
  const [ra, dec, radius] = words.map((w) => parseNumber('POS', w, false)) as [number, number, number];
  if (ra < 0 || ra > 360 || dec < -90 || dec > 90 || !(radius > 0) || radius > 180)
    throw new DaliParameterError('POS: CIRCLE needs 0 ≤ ra ≤ 360, -90 ≤ dec ≤ 90, 0 < radius ≤ 180');
  // The SQL cone is widened by the largest frame half-diagonal we expect, then each frame's
  // bounding circle (centre + half-diagonal) must meet the query circle.
  return {
    cone: { ra: ra % 360, dec, radius: Math.min(radius + FRAME_RADIUS_MARGIN_DEG, 180) },
    contains: (i) =>
      i.ra_deg !== null && i.dec_deg !== null && separation(ra, dec, i.ra_deg, i.dec_deg) <= radius + frameRadiusDeg(i),
  };
}

function range(words: string[]): Region {
  if (words.length !== 4) throw new DaliParameterError('POS: RANGE needs ra1 ra2 dec1 dec2');
  const [raLo, raHi, decLo, decHi] = words.map((w) => parseNumber('POS', w, true)) as [number, number, number, number];
  const fullRa = raLo === -Infinity || raHi === Infinity || raHi - raLo >= 360;
  const ra1 = fullRa ? 0 : raLo;
  const ra2 = fullRa ? 360 : raHi;
  const dec1 = Math.max(decLo, -90);
  const dec2 = Math.min(decHi, 90);
  if ([ra1, ra2].some((v) => v < 0 || v > 360) || dec1 > dec2 || Number.isNaN(dec1) || Number.isNaN(dec2))
    throw new DaliParameterError('POS: RANGE needs 0 ≤ ra ≤ 360 and dec1 ≤ dec2 within [-90, 90]');
  const wraps = ra1 > ra2;
  const contains = (i: CatalogImage) => {
    if (i.ra_deg === null || i.dec_deg === null) return false;
    if (i.dec_deg < dec1 || i.dec_deg > dec2) return false;
    return wraps ? i.ra_deg >= ra1 || i.ra_deg <= ra2 : i.ra_deg >= ra1 && i.ra_deg <= ra2;
  };
  // A cone around the box narrows the SQL read; the farthest box points from its centre are its
  // corners. Boxes wider than a hemisphere are read whole (exact test only).
  const raSpan = wraps ? ra2 + 360 - ra1 : ra2 - ra1;
  if (raSpan > 180 || dec2 - dec1 > 90) return { cone: null, contains };
  const raC = (ra1 + raSpan / 2) % 360;
  const decC = (dec1 + dec2) / 2;
  const corners: Array<[number, number]> = [
    [ra1, dec1],
    [ra1, dec2],
    [ra2, dec1],
    [ra2, dec2],
  ];
  const radius = Math.max(...corners.map(([r, d]) => separation(raC, decC, r, d))) * 1.000001 + 1e-9;
  return { cone: radius <= 180 ? { ra: raC, dec: decC, radius } : null, contains };
}

/** The region of a POS value. */
export function parsePos(text: string): Region {
  const words = text.trim().split(/\s+/);
  const shape = (words.shift() ?? '').toUpperCase();
  if (shape === 'CIRCLE') return circle(words);
  if (shape === 'RANGE') return range(words);
  if (shape === 'POLYGON') throw new DaliParameterError('POS: POLYGON is not supported (use CIRCLE or RANGE)');
  throw new DaliParameterError(`POS: unknown shape '${shape}' (CIRCLE or RANGE)`);
}

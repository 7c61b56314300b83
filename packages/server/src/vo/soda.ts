/**
 * IVOA SODA 1.0 synchronous cutouts of one catalog frame: which pixels a request asks for.
 *
 *   parseSodaRequest(params)             ID plus at most one of CIRCLE, POLYGON, POS; PIXEL ranges
 *   pixelBox(request, wcs, axes)         1-based inclusive [x1, x2, y1, y2] within the image
 *
 * CIRCLE `ra dec r` and POLYGON `ra1 dec1 …` (DALI, SODA §3.3) and POS (`CIRCLE …`, `RANGE …`,
 * `POLYGON …`, as in SIA) select the pixels that cover the region: the bounding box of the
 * region's outline mapped through the frame's WCS, together with the image corners and edges
 * that lie inside the region. PIXEL `x1 x2 y1 y2` (or DaCHS's PIXEL_1 `x1 x2` and PIXEL_2
 * `y1 y2`) are FITS pixel ranges, 1-based and inclusive; with a region, the two intersect.
 */
import type { Wcs } from '@aims/fits';
import { DaliParameterError, type DaliParams, parseNumber, single } from './dali-params.js';
import { idFromPublisherDid } from './obscore.columns.js';
import { circleShape, polygonShape, rangeShape } from './pos-region.js';
import { radec, type Vec3, vec } from './sky-geometry.js';

export interface SodaRequest {
  id: number;
  /** The region's outline (sampled), and its test of a point. */
  region: { outline: Array<[number, number]>; contains: (raDeg: number, decDeg: number) => boolean } | null;
  /** [x1, x2] and [y1, y2], 1-based inclusive. */
  pixels: { x?: [number, number]; y?: [number, number] };
}

/** Points per edge or circle when an outline is sampled: ≤ 0.1 px error on a 4° edge of a 1"/px frame. */
const SAMPLES = 256;

/** Points along the great-circle arc a→b, a included, b not. */
function arc(a: Vec3, b: Vec3, n: number): Array<[number, number]> {
  const points: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) {
    const t = i / n;
    points.push(radec([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]), a[2] + t * (b[2] - a[2])]));
  }
  return points;
}

function circleOutline(ra: number, dec: number, r: number): Array<[number, number]> {
  const c = vec(ra, dec);
  // Two unit vectors perpendicular to the centre: east and north.
  const raRad = (ra * Math.PI) / 180;
  const decRad = (dec * Math.PI) / 180;
  const east: Vec3 = [-Math.sin(raRad), Math.cos(raRad), 0];
  const north: Vec3 = [-Math.sin(decRad) * Math.cos(raRad), -Math.sin(decRad) * Math.sin(raRad), Math.cos(decRad)];
  const rr = (r * Math.PI) / 180;
  const points: Array<[number, number]> = [[ra, dec]];
  for (let i = 0; i < SAMPLES; i++) {
    const phi = (2 * Math.PI * i) / SAMPLES;
    const e = Math.sin(rr) * Math.cos(phi);
    const n = Math.sin(rr) * Math.sin(phi);
    const k = Math.cos(rr);
    points.push(
      radec([
        k * c[0] + e * east[0] + n * north[0],
        k * c[1] + e * east[1] + n * north[1],
        k * c[2] + e * east[2] + n * north[2],
      ]),
    );
  }
  return points;
}

function polygonOutline(corners: Array<[number, number]>): Array<[number, number]> {
  const v = corners.map(([ra, dec]) => vec(ra, dec));
  return v.flatMap((a, i) => arc(a, v[(i + 1) % v.length] as Vec3, SAMPLES / 4));
}

function words(text: string): string[] {
  return text.trim().split(/\s+/);
}

function region(name: string, shape: string, args: string[]): NonNullable<SodaRequest['region']> {
  const contains = (s: { containsPoint: (p: Vec3) => boolean }) => (ra: number, dec: number) =>
    s.containsPoint(vec(ra, dec));
  try {
    switch (shape) {
      case 'CIRCLE': {
        const s = circleShape(args);
        const [ra, dec, r] = args.map(Number) as [number, number, number];
        return { outline: circleOutline(ra, dec, r), contains: contains(s) };
      }
      case 'POLYGON': {
        const s = polygonShape(args);
        const corners: Array<[number, number]> = [];
        for (let i = 0; i < args.length; i += 2) corners.push([Number(args[i]), Number(args[i + 1])]);
        return { outline: polygonOutline(corners), contains: contains(s) };
      }
      case 'RANGE': {
        const s = rangeShape(args);
        const [ra1, ra2, dec1, dec2] = args.map((w) => parseNumber('POS', w, true)) as [number, number, number, number];
        const lo = Math.max(dec1, -90);
        const hi = Math.min(dec2, 90);
        const span = ra1 === -Infinity || ra2 === Infinity ? 360 : (ra2 - ra1 + 360) % 360 || 360;
        const start = ra1 === -Infinity ? 0 : ra1;
        const outline: Array<[number, number]> = [];
        for (let i = 0; i <= SAMPLES; i++) {
          const ra = (start + (span * i) / SAMPLES) % 360;
          const dec = lo + ((hi - lo) * i) / SAMPLES;
          outline.push([ra, lo], [ra, hi], [start, dec], [(start + span) % 360, dec]);
        }
        return { outline, contains: contains(s) };
      }
      default:
        throw new DaliParameterError(`${name}: unknown shape '${shape}'`);
    }
  } catch (error) {
    // The shapes speak of POS; say which parameter it was.
    if (error instanceof DaliParameterError && name !== 'POS')
      throw new DaliParameterError(error.message.replace(/^POS: /, `${name}: `));
    throw error;
  }
}

function pixelRange(name: string, text: string, count: 2 | 4): number[] {
  const values = words(text).map((w) => parseNumber(name, w, false));
  if (values.length !== count || values.some((v) => !Number.isInteger(v)))
    throw new DaliParameterError(`${name}: expected ${count} integers (1-based pixel ranges, inclusive)`);
  for (let i = 0; i < count; i += 2)
    if ((values[i] as number) > (values[i + 1] as number)) throw new DaliParameterError(`${name}: low must be ≤ high`);
  return values;
}

export function parseSodaRequest(params: DaliParams): SodaRequest {
  const idText = single(params, 'ID');
  if (idText === undefined) throw new DaliParameterError('ID: required');
  const id = idFromPublisherDid(idText);
  if (id === null) throw new DaliParameterError(`ID: '${idText}' is not a dataset of this service`);

  const regions: Array<NonNullable<SodaRequest['region']>> = [];
  const circle = single(params, 'CIRCLE');
  if (circle !== undefined) regions.push(region('CIRCLE', 'CIRCLE', words(circle)));
  const polygon = single(params, 'POLYGON');
  if (polygon !== undefined) regions.push(region('POLYGON', 'POLYGON', words(polygon)));
  const pos = single(params, 'POS');
  if (pos !== undefined) {
    const [shape = '', ...args] = words(pos);
    regions.push(region('POS', shape.toUpperCase(), args));
  }
  if (regions.length > 1) throw new DaliParameterError('CIRCLE, POLYGON and POS: give one of them');

  const pixels: SodaRequest['pixels'] = {};
  const pixel = single(params, 'PIXEL');
  if (pixel !== undefined) {
    const [x1, x2, y1, y2] = pixelRange('PIXEL', pixel, 4) as [number, number, number, number];
    pixels.x = [x1, x2];
    pixels.y = [y1, y2];
  }
  const p1 = single(params, 'PIXEL_1');
  if (p1 !== undefined) pixels.x = pixelRange('PIXEL_1', p1, 2) as [number, number];
  const p2 = single(params, 'PIXEL_2');
  if (p2 !== undefined) pixels.y = pixelRange('PIXEL_2', p2, 2) as [number, number];
  return { id, region: regions[0] ?? null, pixels };
}

/** The 1-based inclusive pixel box of the request within an image of `width` × `height`; null: no overlap. */
export function pixelBox(
  request: SodaRequest,
  wcs: Wcs | null,
  width: number,
  height: number,
): [number, number, number, number] | null {
  let [x1, x2, y1, y2] = [1, width, 1, height];
  if (request.region) {
    if (!wcs) throw new DaliParameterError('this image has no WCS: ask for PIXEL ranges');
    const xs: number[] = [];
    const ys: number[] = [];
    const add = (x: number, y: number) => {
      xs.push(x);
      ys.push(y);
    };
    for (const [ra, dec] of request.region.outline) {
      const p = wcs.skyToPixel(ra, dec);
      if (p && Number.isFinite(p.x) && Number.isFinite(p.y)) add(p.x, p.y);
    }
    // Image edges inside the region: the region may hold the whole image, or a side of it.
    const step = Math.max(1, Math.floor(Math.max(width, height) / 64));
    const edge: Array<[number, number]> = [];
    for (let x = 0.5; x <= width + 0.5; x += step) edge.push([x, 0.5], [x, height + 0.5]);
    for (let y = 0.5; y <= height + 0.5; y += step) edge.push([0.5, y], [width + 0.5, y]);
    edge.push([width + 0.5, height + 0.5]);
    for (const [x, y] of edge) {
      const sky = wcs.pixelToSky(x, y);
      if (sky && request.region.contains(sky.ra, sky.dec)) add(x, y);
    }
    // No point of the region, and no part of the image's edge in the region: they do not overlap.
    const inImage = xs.some(
      (x, i) => x >= 0.5 && x <= width + 0.5 && (ys[i] as number) >= 0.5 && (ys[i] as number) <= height + 0.5,
    );
    if (!inImage) return null;
    // Outline points outside the image still bound the box from their side; pixel n spans n ± 0.5.
    x1 = Math.max(x1, Math.round(Math.min(...xs)));
    x2 = Math.min(x2, Math.round(Math.max(...xs)));
    y1 = Math.max(y1, Math.round(Math.min(...ys)));
    y2 = Math.min(y2, Math.round(Math.max(...ys)));
  }
  if (request.pixels.x) [x1, x2] = [Math.max(x1, request.pixels.x[0]), Math.min(x2, request.pixels.x[1])];
  if (request.pixels.y) [y1, y2] = [Math.max(y1, request.pixels.y[0]), Math.min(y2, request.pixels.y[1])];
  return x1 <= x2 && y1 <= y2 ? [x1, x2, y1, y2] : null;
}

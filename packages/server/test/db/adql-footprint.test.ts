/**
 * TAP's s_region predicates against SIA's geometry: for random frames (footprints of either winding,
 * across RA 0, around the north pole, and frames with only a centre) and random CIRCLE, POLYGON and
 * POINT shapes, the rows that ADQL returns on each engine are exactly those that vo/sky-geometry.ts
 * (through vo/pos-region.ts, SIA's own test) says meet the shape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileAdql } from '../../src/db/adql/compile.js';
import { type AdqlExecutor, createAdqlExecutor } from '../../src/db/adql/execute.js';
import { obscoreAdqlTable } from '../../src/db/adql/tables.js';
import type { CatalogImage } from '../../src/db/image.mapper.js';
import { insertImage } from '../../src/db/images.repository.js';
import { parseAdql } from '../../src/vo/adql/parser.js';
import { fovDiameterDeg } from '../../src/vo/obscore.columns.js';
import { FRAME_RADIUS_MARGIN_DEG, parsePos } from '../../src/vo/pos-region.js';
import { pointInPolygon, radec, type Vec3, vec } from '../../src/vo/sky-geometry.js';
import { DIALECTS, useSharedTestDatabase } from '../support/databases.js';
import { makeImage } from '../support/images.js';

/** Deterministic uniform numbers in [0, 1) (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Frame {
  ra: number;
  dec: number;
  footprint: Array<[number, number]> | null;
  fov: [number, number];
}

/**
 * A rectangle of half-sizes (u, v) degrees, turned by `turn` radians, in the plane tangent at the
 * centre, projected onto the sphere (gnomonic: straight sides become great-circle arcs, so the
 * footprint is convex as a WCS's is). Corners in either order.
 */
function rectangle(ra: number, dec: number, u: number, v: number, turn: number, clockwise: boolean) {
  const c = vec(ra, dec);
  const r = (ra * Math.PI) / 180;
  const d = (dec * Math.PI) / 180;
  const east: Vec3 = [-Math.sin(r), Math.cos(r), 0];
  const north: Vec3 = [-Math.sin(d) * Math.cos(r), -Math.sin(d) * Math.sin(r), Math.cos(d)];
  const tan = (deg: number) => Math.tan((deg * Math.PI) / 180);
  const corners = [
    [-u, -v],
    [u, -v],
    [u, v],
    [-u, v],
  ].map(([x, y]) => {
    const e = tan(x!) * Math.cos(turn) - tan(y!) * Math.sin(turn);
    const n = tan(x!) * Math.sin(turn) + tan(y!) * Math.cos(turn);
    return radec([
      c[0] + e * east[0] + n * north[0],
      c[1] + e * east[1] + n * north[1],
      c[2] + e * east[2] + n * north[2],
    ]);
  });
  return clockwise ? corners.reverse() : corners;
}

/** Centres uniform on the sphere, crowded at RA 0 and within 5° of the north pole. */
function centre(next: () => number): [number, number] {
  const kind = next();
  if (kind < 0.35) return [next() * 360, (Math.asin(2 * next() - 1) * 180) / Math.PI];
  if (kind < 0.7) return [(next() * 8 + 356) % 360, next() * 16 - 8];
  return [next() * 360, 85 + next() * 4.9];
}

function frames(count: number, next: () => number): Frame[] {
  return Array.from({ length: count }, (_, i) => {
    const [ra, dec] = centre(next);
    const u = 0.05 + next() * 2.9;
    const v = 0.05 + next() * 2.9;
    const fov: [number, number] = [2 * u, 2 * v];
    // One frame in eight has a centre and a field size but no footprint (no WCS): SIA matches it by centre.
    if (i % 8 === 7) return { ra, dec, footprint: null, fov };
    return { ra, dec, footprint: rectangle(ra, dec, u, v, next() * Math.PI, next() < 0.5), fov };
  });
}

const f = (x: number) => x.toFixed(10);

/** A shape near a random frame: ADQL text, the SIA POS text of the same region (or null for a point). */
function shapes(count: number, list: Frame[], next: () => number) {
  return Array.from({ length: count }, (_, i) => {
    const near = list[Math.floor(next() * list.length)]!;
    const [ra, dec] = radec(
      (() => {
        const [x, y, z] = vec(near.ra, near.dec);
        const jitter = 0.06;
        return [x + (next() - 0.5) * jitter, y + (next() - 0.5) * jitter, z + (next() - 0.5) * jitter] as Vec3;
      })(),
    );
    const kind = i % 3;
    if (kind === 0) {
      const r = 0.01 + next() * (next() < 0.8 ? 1.5 : 6);
      return { adql: `CIRCLE('ICRS', ${f(ra)}, ${f(dec)}, ${f(r)})`, pos: `CIRCLE ${f(ra)} ${f(dec)} ${f(r)}` };
    }
    if (kind === 1) {
      // A convex polygon: a turned rectangle, or a triangle, of either winding.
      const ring = rectangle(ra, dec, 0.02 + next() * 2, 0.02 + next() * 2, next() * Math.PI, next() < 0.5);
      const vertices = next() < 0.3 ? ring.slice(0, 3) : ring;
      const flat = vertices.flatMap(([a, b]) => [f(a), f(b)]);
      return { adql: `POLYGON('ICRS', ${flat.join(', ')})`, pos: `POLYGON ${flat.join(' ')}` };
    }
    return { adql: `POINT('ICRS', ${f(ra)}, ${f(dec)})`, point: [Number(f(ra)), Number(f(dec))] as [number, number] };
  });
}

const asImage = (frame: Frame) =>
  ({
    ra_deg: frame.ra,
    dec_deg: frame.dec,
    footprint: frame.footprint,
    fov_width_deg: frame.fov[0],
    fov_height_deg: frame.fov[1],
  }) as CatalogImage;

/** SIA's answer for a frame (vo/pos-region.ts), and for a point the footprint's own test. */
function expected(shape: ReturnType<typeof shapes>[number], frame: Frame): boolean {
  const image = asImage(frame);
  if ('pos' in shape && shape.pos) return parsePos(shape.pos).matches(image);
  const [ra, dec] = (shape as { point: [number, number] }).point;
  return (
    frame.footprint !== null &&
    pointInPolygon(
      vec(ra, dec),
      frame.footprint.map(([a, b]) => vec(a, b)),
    )
  );
}

const next = random(12);
const FRAMES = frames(480, next);
/**
 * A long narrow frame whose circle (s_fov/2 around the centre) reaches a target that its footprint
 * misses: the old test of circles alone returned it.
 */
const NARROW: Frame = { ra: 40, dec: 10, footprint: rectangle(40, 10, 3, 0.1, 0, false), fov: [6, 0.2] };
const NARROW_MISS = "CIRCLE('ICRS', 40, 11.5, 0.3)";
const SHAPES = shapes(240, FRAMES, next);

for (const dialect of DIALECTS)
  describe(`TAP s_region predicates against SIA's geometry (${dialect})`, () => {
    const t = useSharedTestDatabase(dialect);
    const ids = new Map<number, Frame>();
    let executor: AdqlExecutor;
    const table = obscoreAdqlTable({
      dialect,
      columns: [
        { name: 'obs_id', type: 'text' },
        { name: 's_region', type: 'region' },
        { name: 's_fov', type: 'double' },
      ],
      collection: 'test',
      didPrefix: 'ivo://test/',
      accessUrlPrefix: 'http://test/',
      accessFormat: 'application/fits',
      bands: [],
      maxFrameRadiusDeg: FRAME_RADIUS_MARGIN_DEG,
    });
    const run = async (query: string) => {
      const compiled = compileAdql(parseAdql(query), [table], { dialect, maxRows: 100_000 });
      return (await executor.run(compiled, { timeoutMs: 60_000 })).rows;
    };
    const matching = async (where: string) =>
      (await run(`SELECT obs_id FROM ivoa.obscore WHERE ${where}`)).map((r) => Number(r[0])).sort((a, b) => a - b);

    beforeAll(async () => {
      executor = createAdqlExecutor(t.database);
      for (const [i, frame] of [...FRAMES, NARROW].entries()) {
        const { id } = await insertImage(
          t.database,
          makeImage({
            rel_path: `f${i}.fits`,
            metadata: {
              ra_deg: frame.ra,
              dec_deg: frame.dec,
              footprint: frame.footprint,
              fov_width_deg: frame.fov[0],
              fov_height_deg: frame.fov[1],
            },
          }),
        );
        ids.set(id, frame);
      }
    }, 120_000);
    afterAll(() => executor?.close());

    it('returns the frames of a long narrow field only where the field itself reaches', async () => {
      const narrowId = [...ids].find(([, frame]) => frame === NARROW)![0];
      expect(await matching(`INTERSECTS(s_region, ${NARROW_MISS}) = 1`)).not.toContain(narrowId);
      expect(await matching("INTERSECTS(s_region, CIRCLE('ICRS', 42.9, 10.05, 0.1)) = 1")).toContain(narrowId);
      expect(await matching("CONTAINS(POINT('ICRS', 42.9, 10.05), s_region) = 1")).toContain(narrowId);
      expect(await matching("CONTAINS(POINT('ICRS', 40, 10.5), s_region) = 1")).not.toContain(narrowId);
    });

    it('INTERSECTS and CONTAINS(POINT, s_region) return exactly the frames SIA geometry finds', async () => {
      let found = 0;
      for (const shape of SHAPES) {
        const want = [...ids].filter(([, frame]) => expected(shape, frame)).map(([id]) => id);
        const where =
          'point' in shape ? `CONTAINS(${shape.adql}, s_region) = 1` : `INTERSECTS(s_region, ${shape.adql}) = 1`;
        expect(await matching(where), where).toEqual(want);
        // The other argument order, and the negation, partition the catalog.
        if (!('point' in shape)) expect(await matching(`INTERSECTS(${shape.adql}, s_region) = 1`), where).toEqual(want);
        const outside = await matching(`INTERSECTS(s_region, ${shape.adql}) = 0`);
        expect(outside.length + want.length, where).toBe(ids.size);
        found += want.length;
      }
      // The shapes are not all empty (nor all-sky): the comparison means something.
      expect(found).toBeGreaterThan(SHAPES.length);
      expect(found).toBeLessThan((SHAPES.length * ids.size) / 4);
    }, 300_000);

    it('counts, pages and orders what the exact test keeps', async () => {
      const shape = "CIRCLE('ICRS', 0, 0, 4)";
      const want = [...ids]
        .filter(([, frame]) => expected({ adql: shape, pos: 'CIRCLE 0 0 4' }, frame))
        .map(([id]) => id);
      expect(want.length).toBeGreaterThan(5);
      const where = `INTERSECTS(s_region, ${shape}) = 1`;
      expect(await run(`SELECT COUNT(*) FROM ivoa.obscore WHERE ${where}`)).toEqual([[want.length]]);
      const page = await run(`SELECT TOP 3 obs_id FROM ivoa.obscore WHERE ${where} ORDER BY s_fov DESC OFFSET 2`);
      // s_fov as SIA computes it: from the footprint's corners.
      const fov = (id: number) => fovDiameterDeg(asImage(ids.get(id)!))!;
      const bySize = [...want].sort((a, b) => fov(b) - fov(a));
      expect(page.map((r) => Number(r[0]))).toEqual(bySize.slice(2, 5));
    });

    it('refuses what it cannot answer exactly', () => {
      const compile = (q: string) => () => compileAdql(parseAdql(q), [table], { dialect, maxRows: 10 });
      expect(compile('SELECT obs_id FROM ivoa.obscore WHERE INTERSECTS(s_region, BOX(10, 10, 1, 1)) = 1')).toThrow(
        /BOX is not supported with s_region/,
      );
      expect(compile('SELECT obs_id FROM ivoa.obscore WHERE CONTAINS(s_region, CIRCLE(10, 10, 1)) = 1')).toThrow(
        /CONTAINS\(POINT\(…\), s_region\)/,
      );
      expect(compile('SELECT obs_id FROM ivoa.obscore WHERE CONTAINS(CIRCLE(10, 10, 1), s_region) = 1')).toThrow(
        /CONTAINS\(POINT\(…\), s_region\)/,
      );
    });
  });

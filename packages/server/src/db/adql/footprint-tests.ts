/**
 * Exact tests of a frame's footprint (ObsCore s_region: four corners joined by great-circle arcs, a
 * convex spherical quadrilateral of either winding) against a constant ADQL point, circle or
 * polygon, written as SQL over the corners' unit vectors. They decide as vo/sky-geometry.ts does
 * for SIA (test/db/adql-footprint.test.ts holds them to it), but in the statement, so that TOP,
 * OFFSET, ORDER BY, GROUP BY and COUNT see exactly the matching rows.
 *
 * Everything is a sign test on dot products and triple products (no trigonometry per row beyond
 * the corners' own vectors):
 *
 *   point in footprint     p·(cᵢ × cᵢ₊₁) has one sign for every edge, and p is on the corners'
 *                          side of the sphere (Σ p·cᵢ > 0): either winding, no antipode
 *   circle meets it        a corner within r, or the centre inside, or an edge arc within r: the
 *                          foot of the centre on the edge's great circle lies between the ends
 *                          (C·b − (a·b)(C·a) ≥ 0 and C·a − (a·b)(C·b) ≥ 0) at a distance with
 *                          sin² ≤ sin² r, i.e. (C·(a×b))² ≤ sin² r (1 − (a·b)²)
 *   polygon meets it       a corner inside the polygon, a vertex inside the footprint, or two
 *                          edges crossing (the four orientation signs of S2's SimpleCrossing)
 */
import { type RawBuilder, sql } from 'kysely';
import { cross, type Vector } from './shapes.js';

type Sql = RawBuilder<unknown>;
/** A unit vector whose components are SQL over one row. */
export type SqlVector = readonly [Sql, Sql, Sql];

/** Slack of the sign tests: a point on an edge counts as inside, as vo/sky-geometry.ts has it. */
const EPS = 1e-12;

const lit = (value: number): Sql => {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  return sql.lit(value);
};
const any = (tests: Sql[]): Sql => sql`(${sql.join(tests, sql` or `)})`;
const all = (tests: Sql[]): Sql => sql`(${sql.join(tests, sql` and `)})`;

/** k·v for a constant k. */
const dotConst = (v: SqlVector, k: Vector): Sql =>
  sql`(${v[0]} * ${lit(k[0])} + ${v[1]} * ${lit(k[1])} + ${v[2]} * ${lit(k[2])})`;
const dotRows = (a: SqlVector, b: SqlVector): Sql => sql`(${a[0]} * ${b[0]} + ${a[1]} * ${b[1]} + ${a[2]} * ${b[2]})`;
/** p·(a × b) for a constant p. */
const triple = (p: Vector, a: SqlVector, b: SqlVector): Sql =>
  sql`(${lit(p[0])} * (${a[1]} * ${b[2]} - ${a[2]} * ${b[1]}) + ${lit(p[1])} * (${a[2]} * ${b[0]} - ${a[0]} * ${b[2]}) + ${lit(p[2])} * (${a[0]} * ${b[1]} - ${a[1]} * ${b[0]}))`;

const edgesOf = <T>(ring: readonly T[]): Array<[T, T]> => ring.map((a, i) => [a, ring[(i + 1) % ring.length] as T]);

/** The corners' unit vectors from their (ra, dec) in degrees. */
export function cornerVector(ra: Sql, dec: Sql): SqlVector {
  const r = sql`radians(${ra})`;
  const d = sql`radians(${dec})`;
  return [sql`(cos(${d}) * cos(${r}))`, sql`(cos(${d}) * sin(${r}))`, sql`sin(${d})`];
}

export function footprintHoldsPoint(corners: readonly SqlVector[], p: Vector): Sql {
  const signs = edgesOf(corners).map(([a, b]) => triple(p, a, b));
  const side = sql`(${sql.join(
    corners.map((c) => dotConst(c, p)),
    sql` + `,
  )})`;
  return all([
    sql`${side} > 0`,
    any([all(signs.map((s) => sql`${s} >= ${lit(-EPS)}`)), all(signs.map((s) => sql`${s} <= ${lit(EPS)}`))]),
  ]);
}

export function footprintMeetsCircle(corners: readonly SqlVector[], centre: Vector, radiusDeg: number): Sql {
  const r = (radiusDeg * Math.PI) / 180;
  const cosR = Math.cos(r);
  const cornerInside = corners.map((c) => sql`${dotConst(c, centre)} >= ${lit(cosR)}`);
  const edgeNear = edgesOf(corners).map(([a, b]) => {
    const ab = dotRows(a, b);
    const ca = dotConst(a, centre);
    const cb = dotConst(b, centre);
    const between = [sql`${cb} - ${ab} * ${ca} >= 0`, sql`${ca} - ${ab} * ${cb} >= 0`];
    // Beyond 90° every point of the great circle's nearer half is within r.
    if (radiusDeg >= 90) return all(between);
    const sin2 = Math.sin(r) ** 2;
    return all([...between, sql`power(${triple(centre, a, b)}, 2) <= ${lit(sin2)} * (1 - power(${ab}, 2))`]);
  });
  return any([...cornerInside, ...edgeNear, footprintHoldsPoint(corners, centre)]);
}

/** `vertices` as unit vectors, `normals` pointing inwards (shapes.ts convexPolygon). */
export function footprintMeetsPolygon(corners: readonly SqlVector[], vertices: Vector[], normals: Vector[]): Sql {
  const cornerInside = corners.map((c) => all(normals.map((n) => sql`${dotConst(c, n)} >= ${lit(-EPS)}`)));
  const vertexInside = vertices.map((v) => footprintHoldsPoint(corners, v));
  const crossings: Sql[] = [];
  for (const [a, b] of edgesOf(corners))
    for (const [c, d] of edgesOf(vertices)) {
      // S2's SimpleCrossing: c and d on opposite sides of a→b's plane, a and b on opposite sides of
      // c→d's, and the two crossing points told apart by the shared sign. The constant-plane signs
      // are tested first: they are the cheap ones.
      const cd = cross(c, d);
      const ca = dotConst(a, cd);
      const cb = dotConst(b, cd);
      const abc = triple(c, a, b);
      const abd = triple(d, a, b);
      crossings.push(
        any([
          all([sql`${ca} > 0`, sql`${cb} < 0`, sql`${abc} < 0`, sql`${abd} > 0`]),
          all([sql`${ca} < 0`, sql`${cb} > 0`, sql`${abc} > 0`, sql`${abd} < 0`]),
        ]),
      );
    }
  return any([...cornerInside, ...vertexInside, ...crossings]);
}

import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { unitVector } from '../../src/db/image.mapper.js';
import type { ImageFilters } from '../../src/db/image-filters.js';
import { queryImages } from '../../src/db/image-query.js';
import { imageFacets, imageFacetsByScan } from '../../src/db/image-stats.js';
import { coneBounds, coneCells, coneZones, MAX_CONE_CELLS, skyCellOf } from '../../src/db/sky-cone.js';
import { DIALECTS, useSharedTestDatabase } from '../support/databases.js';
import { explainQueriesOf } from '../support/explain.js';
import { fakeSha256 } from '../support/images.js';

const RAD = Math.PI / 180;

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

function haversineDeg(ra1: number, dec1: number, ra2: number, dec2: number): number {
  const s1 = Math.sin(((dec2 - dec1) * RAD) / 2);
  const s2 = Math.sin(((ra2 - ra1) * RAD) / 2);
  const h = s1 * s1 + Math.cos(dec1 * RAD) * Math.cos(dec2 * RAD) * s2 * s2;
  return (2 * Math.asin(Math.min(1, Math.sqrt(h)))) / RAD;
}

interface Position {
  ra: number;
  dec: number;
}

/** Uniform on the sphere, plus crowds where cone searches go wrong: RA 0/360 and both poles. */
function positions(count: number): Position[] {
  const next = random(42);
  const out: Position[] = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 4;
    if (kind === 0) out.push({ ra: next() * 360, dec: Math.asin(2 * next() - 1) / RAD });
    else if (kind === 1) out.push({ ra: (next() * 6 + 357) % 360, dec: next() * 40 - 20 });
    else if (kind === 2) out.push({ ra: next() * 360, dec: 84 + next() * 6 });
    else out.push({ ra: next() * 360, dec: -84 - next() * 6 });
  }
  return out;
}

async function insertPositions(
  db: Db,
  list: Position[],
  firstSerial: number,
  dateOf: (n: number) => number | null = (n) => 1_700_000_000_000 + n * 60_000,
  nightOf: (n: number) => string | null = () => null,
): Promise<number[]> {
  const ids: number[] = [];
  // 14 parameters a row: 1,500 rows stay under SQLite's 32,766.
  for (let start = 0; start < list.length; start += 1500) {
    const rows = list.slice(start, start + 1500).map((p, i) => {
      const [x, y, z] = unitVector(p.ra, p.dec);
      const n = firstSerial + start + i;
      return {
        root: '/sky',
        rel_path: `p${n}.fits`,
        size_bytes: 2880,
        mtime_ms: 0,
        sha256: fakeSha256(10_000_000 + n),
        hdu_index: 0,
        ingested_at: 0,
        updated_at: 0,
        // Dated unless told (a page reads the dated frames first).
        date_obs_ms: dateOf(n),
        night: nightOf(n),
        ra_deg: p.ra,
        dec_deg: p.dec,
        pos_x: x,
        pos_y: y,
        pos_z: z,
      };
    });
    await db.db.insertInto('images').values(rows).execute();
    // In the order of the list, whatever ids the engine gave (MySQL returns no rows from an insert).
    const stored = await db.db
      .selectFrom('images')
      .select(['id', 'rel_path'])
      .where(
        'rel_path',
        'in',
        rows.map((r) => r.rel_path),
      )
      .execute();
    const idOf = new Map(stored.map((r) => [r.rel_path, r.id]));
    ids.push(...rows.map((r) => idOf.get(r.rel_path) ?? -1));
  }
  return ids;
}

const CONES: Array<[string, number, number, number]> = [
  ['across RA 0 from above', 0.5, 5, 2.5],
  ['across RA 360 from below', 359.2, -10, 1.5],
  ['wide, across RA 0', 1, 0, 12],
  ['containing the north pole', 123, 88.5, 2],
  ['touching the south pole', 200, -87, 3],
  ['centred on the pole', 0, 90, 5],
  ['near the pole, not containing it', 300, 85, 4],
  ['mid-sky', 45, 30, 10],
  ['a hemisphere and more', 10, 0, 100],
];

describe('coneBounds', () => {
  it('splits the RA range at 0/360 and drops it when the cone holds a pole', () => {
    expect(coneBounds(0.5, 0, 1).raIntervals.map(([a, b]) => [a.toFixed(6), b.toFixed(6)])).toEqual([
      ['359.500000', '360.000000'],
      ['0.000000', '1.500000'],
    ]);
    expect(coneBounds(10, 89.5, 1).raIntervals).toEqual([]);
    const atSixty = coneBounds(180, 60, 1).raIntervals[0] ?? [0, 0];
    // asin(sin 1° / cos 60°) ≈ 2.0003°, wider than 1°/cos 60° = 2°.
    expect(atSixty[1] - 180).toBeCloseTo(2.0003, 4);
  });
});

describe('coneZones', () => {
  it('holds every position of the cone in the RA intervals of its declination zone', () => {
    const next = random(7);
    const cones: Array<[number, number, number]> = [
      ...CONES.map(([, ra, dec, radius]) => [ra, dec, radius] as [number, number, number]),
      [359.5, 21.5, 5],
      [100, 88, 5],
      [37.9, 89.3, 0.5],
      [0.1, -45, 10],
    ];
    for (const [ra, dec, radius] of cones) {
      const zones = coneZones(ra, dec, radius);
      if (!zones) {
        expect(radius).toBeGreaterThan(14);
        continue;
      }
      const byZone = new Map(zones.map((z) => [z.zone, z.raIntervals]));
      let inside = 0;
      for (let i = 0; i < 20_000; i++) {
        // Points in a box around the cone, kept when within the radius (some right on its edge).
        const pd = Math.max(-90, Math.min(90, dec + (next() * 2 - 1) * radius * 1.01));
        const pr = (((ra + (next() * 2 - 1) * 180) % 360) + 360) % 360;
        if (haversineDeg(ra, dec, pr, pd) > radius) continue;
        inside++;
        const intervals = byZone.get(Math.floor(pd));
        expect(intervals, `zone of ${pr},${pd} for cone ${ra},${dec},${radius}`).toBeDefined();
        if (intervals && intervals.length > 0)
          expect(
            intervals.some(([lo, hi]) => pr >= lo && pr <= hi),
            `RA of ${pr},${pd} for cone ${ra},${dec},${radius}`,
          ).toBe(true);
      }
      expect(inside).toBeGreaterThan(0);
    }
    // Near its widest declination a 5° cone at +21.5° spans ±5.37° of RA; at its tip, less than 2°.
    const zones = coneZones(359.5, 21.5, 5) ?? [];
    expect(zones.map((z) => z.zone)).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26]);
    expect((zones[0]?.raIntervals[1] ?? [0, 0])[1]).toBeLessThan(2);
  });
});

describe('coneCells', () => {
  it("holds the sky cell of every position of the cone, and stays small for the UI's cones", () => {
    const next = random(11);
    const cones: Array<[number, number, number]> = [
      ...CONES.map(([, ra, dec, radius]) => [ra, dec, radius] as [number, number, number]),
      [359.5, 21.5, 5],
      [100, 88, 5],
      [37.9, 89.3, 0.5],
      [0, 0, 0.001],
      [45, 45, 7],
    ];
    for (const [ra, dec, radius] of cones) {
      const cells = coneCells(ra, dec, radius);
      if (!cells) {
        expect(radius).toBeGreaterThan(7);
        continue;
      }
      const held = new Set(cells);
      const [x0, y0, z0] = unitVector(ra, dec);
      const cosRadius = Math.cos(radius * RAD);
      let inside = 0;
      for (let i = 0; i < 8000; i++) {
        // Uniform in a cap a little wider than the cone, kept when inside it.
        const rho = Math.acos(1 - next() * (1 - Math.cos(Math.min(180, radius * 1.05) * RAD)));
        const phi = next() * 2 * Math.PI;
        const pd = Math.asin(Math.sin(dec * RAD) * Math.cos(rho) + Math.cos(dec * RAD) * Math.sin(rho) * Math.cos(phi));
        const pr =
          ra * RAD +
          Math.atan2(
            Math.sin(phi) * Math.sin(rho) * Math.cos(dec * RAD),
            Math.cos(rho) - Math.sin(dec * RAD) * Math.sin(pd),
          );
        const [x, y, z] = unitVector(pr / RAD, pd / RAD);
        if (x * x0 + y * y0 + z * z0 < cosRadius) continue;
        inside++;
        expect(held.has(skyCellOf(x, y, z)), `cell of ${pr / RAD},${pd / RAD} for cone ${ra},${dec},${radius}`).toBe(
          true,
        );
      }
      expect(inside).toBeGreaterThan(1000);
    }
    // The cones the web UI sends stay well under the limit of one merge.
    for (const [ra, dec, radius] of cones.filter(([, , r]) => r <= 5))
      expect((coneCells(ra, dec, radius) ?? []).length).toBeLessThanOrEqual(24);
    expect(coneCells(10, 0, 15)).toBeNull();
    expect(MAX_CONE_CELLS).toBeGreaterThan(24);
  });
});

for (const dialect of DIALECTS) {
  describe(dialect, () => {
    const t = useSharedTestDatabase(dialect);
    const list = positions(2000);

    it('finds exactly the positions a brute-force haversine finds, across RA 0/360 and near the poles', async () => {
      const ids = await insertPositions(t.database, list, 0);
      const near0 = list[1] ?? { ra: 0, dec: 0 };
      const tiny: [string, number, number, number] = [
        'tiny, next to a frame near RA 0',
        near0.ra + 0.01,
        near0.dec,
        0.05,
      ];
      for (const [label, ra, dec, radius] of [...CONES, tiny]) {
        const expected = new Set<number>();
        const ambiguous = new Set<number>();
        list.forEach((p, i) => {
          const d = haversineDeg(ra, dec, p.ra, p.dec);
          if (Math.abs(d - radius) < 1e-9) ambiguous.add(ids[i] ?? -1);
          else if (d < radius) expected.add(ids[i] ?? -1);
        });
        const sort = { column: 'id', direction: 'asc' } as const;
        const all: number[] = [];
        let total: number | null = null;
        let cursor: string | null = null;
        do {
          const page = await queryImages(
            t.database,
            { ra, dec, radius },
            { sort, limit: 1000, ...(cursor ? { cursor } : {}) },
          );
          all.push(...page.items.map((item) => item.id));
          total ??= page.total;
          cursor = page.next_cursor;
        } while (cursor);
        expect(total).toBe(all.length);
        expect(
          all.filter((id) => !ambiguous.has(id)),
          label,
        ).toEqual([...expected].sort((a, b) => a - b));
        expect(expected.size, `${label} should not be empty`).toBeGreaterThan(0);
      }
    });

    it('uses the cone index (declination, RA, unit vector), not a full scan', async () => {
      // Enough rows (spread over the sky) for PostgreSQL's planner to prefer the index.
      await insertPositions(t.database, positions(20_000), 100_000);
      await (dialect === 'mysql' ? sql`analyze table images` : sql`analyze images`).execute(t.database.db);
      const filters: ImageFilters = { ra: 150, dec: 20, radius: 0.5 };
      // The queries the app sends for a cone search: the page's ids (dated frames, then undated
      // ones when the page is not full), their rows, and the bounded total. None scans the table.
      const queries = await explainQueriesOf(t.database, (db) => queryImages(db, filters, { limit: 50 }));
      for (const { sql: text, plan } of queries)
        expect(plan, text).not.toMatch(/^SCAN images$|Seq Scan on images|^images ALL /m);
      const total = queries.find((q) => /count\(\*\)/i.test(q.sql));
      const dated =
        queries.find((q) => /union all|cross join lateral/i.test(q.sql) && !/count\(\*\)/i.test(q.sql)) ??
        queries.find((q) => /["`]date_obs_ms["`] is not null/i.test(q.sql));
      if (dialect === 'mysql') {
        // Without expression indexes, the declination band of the cone index.
        expect(total?.plan).toMatch(/images_cone_idx/);
        expect(dated?.plan).toMatch(/images_cone_idx|key=images_ra_deg_id_idx/);
        return;
      }
      // The newest first and the bounded total: the cone's sky cells (migration 1800), each read
      // from the cell index alone (SQLite merges the cells' date order).
      for (const q of [total, dated]) {
        expect(q?.plan).toMatch(/images_cone_cell_date_idx/);
        expect(q?.plan).not.toMatch(/images_cone_zone_idx/);
      }
      if (dialect === 'sqlite') expect(dated?.plan).toMatch(/MERGE \(UNION ALL\)/);
      if (dialect === 'sqlite') expect(dated?.plan).not.toMatch(/TEMP B-TREE/);
      // PostgreSQL: one subquery planned once, run per cell (a UNION ALL was planned per cell).
      if (dialect === 'postgres') expect(dated?.plan).toMatch(/Nested Loop[\s\S]*Function Scan on unnest/);
      // Another order seeks each declination zone's RA range (migration 1600).
      const byId = await explainQueriesOf(t.database, (db) =>
        queryImages(db, filters, { limit: 50, sort: { column: 'id', direction: 'asc' }, withTotal: false }),
      );
      expect(byId[0]?.plan).toMatch(/images_cone_zone_idx/);
    });

    it("pages a cone's matches newest first, and counts its newest for facets, as a brute force does", async () => {
      // Dates shared by three frames (the id breaks the tie) and some undated frames, which
      // follow the dated ones; a night for every 40 frames, for the facet counts.
      const crowd = positions(6000);
      await insertPositions(
        t.database,
        crowd,
        200_000,
        (n) => (n % 17 === 0 ? null : 1_800_000_000_000 - Math.floor(n / 3) * 60_000),
        (n) => `2027-01-${String(1 + (Math.floor(n / 40) % 28)).padStart(2, '0')}`,
      );
      const all = await t.database.db
        .selectFrom('images')
        .select(['id', 'ra_deg', 'dec_deg', 'date_obs_ms', 'night'])
        .execute();
      const byDate = (a: (typeof all)[number], b: (typeof all)[number]) =>
        a.date_obs_ms === null || b.date_obs_ms === null
          ? (a.date_obs_ms === null ? 1 : 0) - (b.date_obs_ms === null ? 1 : 0) || Number(b.id) - Number(a.id)
          : Number(b.date_obs_ms) - Number(a.date_obs_ms) || Number(b.id) - Number(a.id);
      for (const [label, ra, dec, radius] of [
        ...CONES.filter(([, , , r]) => r <= 5),
        ['small, at RA 0', 0.5, 5, 1.5],
      ] as Array<[string, number, number, number]>) {
        const inside = all.filter(
          (r) =>
            r.ra_deg !== null &&
            r.dec_deg !== null &&
            Math.abs(haversineDeg(ra, dec, r.ra_deg, r.dec_deg) - radius) > 1e-9 &&
            haversineDeg(ra, dec, r.ra_deg, r.dec_deg) < radius,
        );
        const expected = [...inside].sort(byDate).map((r) => Number(r.id));
        expect(expected.length, label).toBeGreaterThan(30);
        // About twenty pages, the first ones small (ties of three dates across page ends).
        const pageSize = Math.max(7, Math.ceil(expected.length / 20));
        const found: number[] = [];
        let cursor: string | null = null;
        do {
          const page = await queryImages(
            t.database,
            { ra, dec, radius },
            { limit: pageSize, ...(cursor ? { cursor } : {}) },
          );
          found.push(...page.items.map((i) => i.id));
          cursor = page.next_cursor;
        } while (cursor);
        expect(found, label).toEqual(expected);
        const atOffset = await queryImages(t.database, { ra, dec, radius }, { limit: 15, offset: 10 });
        expect(
          atOffset.items.map((i) => i.id),
          label,
        ).toEqual(expected.slice(10, 25));
        // Asked for some fields, the page reads only their columns: the same items, trimmed.
        const fields = ['id', 'file_name', 'ra_deg', 'date_obs'] as const;
        const trimmed = await queryImages(
          t.database,
          { ra, dec, radius },
          { limit: 15, offset: 10, fields: [...fields] },
        );
        expect(trimmed.items, label).toEqual(
          atOffset.items.map((i) => ({ id: i.id, file_name: i.file_name, ra_deg: i.ra_deg, date_obs: i.date_obs })),
        );
        expect(trimmed.next_cursor, label).toBe(atOffset.next_cursor);
        // Facets within their bound equal a grouping of every match; past it they count the
        // newest `bound` matches.
        const whole = await imageFacets(t.database, { ra, dec, radius }, { limit: 100, bound: 4000 });
        expect(whole.exact, label).toBe(expected.length <= 4000);
        const nightsOf = (list: Array<{ value: string; count: number }>) =>
          Object.fromEntries(list.map((n) => [n.value, n.count]));
        if (whole.exact)
          expect(nightsOf(whole.night), label).toEqual(
            nightsOf((await imageFacetsByScan(t.database, { ra, dec, radius }, { limit: 100 })).night),
          );
        const bound = 12;
        const facets = await imageFacets(t.database, { ra, dec, radius }, { bound, limit: 100 });
        expect(facets.exact, label).toBe(false);
        const nights = new Map<string, number>();
        const newest = [...inside].sort(byDate).slice(0, bound);
        for (const r of newest) if (r.night) nights.set(r.night, (nights.get(r.night) ?? 0) + 1);
        expect(nightsOf(facets.night), label).toEqual(Object.fromEntries(nights));
      }
    });
  });
}

import { angularSeparationDeg } from '@aims/fits';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileAdql } from '../../src/db/adql/compile.js';
import { type AdqlExecutor, AdqlTimeoutError, createAdqlExecutor } from '../../src/db/adql/execute.js';
import { imagesAdqlTable } from '../../src/db/adql/tables.js';
import { unitVector } from '../../src/db/image.mapper.js';
import { insertImage } from '../../src/db/images.repository.js';
import { parseAdql } from '../../src/vo/adql/parser.js';
import { DIALECTS, useSharedTestDatabase } from '../support/databases.js';
import { makeImage, observedAt } from '../support/images.js';

/** Frames spread over the sky, including both sides of RA 0 and near the north pole. */
const FRAMES = [
  { name: 'a', ra: 359.8, dec: 10, exptime: 60, filter: 'Ha', object: 'M 13', temp: -10, at: '2025-03-10T22:00:00' },
  { name: 'b', ra: 0.1, dec: 10.05, exptime: 120, filter: 'Ha', object: 'M13', temp: -5, at: '2025-03-11T02:00:00' },
  { name: 'c', ra: 10, dec: 10, exptime: 300, filter: 'R', object: 'NGC 7000', temp: null, at: '2025-04-01T21:00:00' },
  { name: 'd', ra: 120, dec: 89.5, exptime: 30, filter: 'r', object: 'Polaris', temp: -15, at: '2025-04-02T23:30:00' },
  { name: 'e', ra: 300, dec: 89.6, exptime: 30, filter: 'R', object: "O'Brien", temp: -15, at: '2025-04-03T01:00:00' },
  { name: 'f', ra: 180, dec: -45, exptime: 600, filter: 'OIII', object: 'M_1%', temp: 0, at: '2025-05-01T00:00:00' },
] as const;

const TABLES = [imagesAdqlTable()];

describe.each(DIALECTS)('ADQL on the catalog (%s)', (dialect) => {
  const t = useSharedTestDatabase(dialect);
  const ids = new Map<string, number>();
  let executor: AdqlExecutor;

  afterAll(() => executor?.close());
  beforeAll(async () => {
    executor = createAdqlExecutor(t.database);
    for (const f of FRAMES) {
      const [pos_x, pos_y, pos_z] = unitVector(f.ra, f.dec);
      const { id } = await insertImage(
        t.database,
        makeImage({
          rel_path: `${f.name}.fits`,
          metadata: {
            ...observedAt(f.at),
            ra_deg: f.ra,
            dec_deg: f.dec,
            exptime: f.exptime,
            filter_name: f.filter,
            object_name: f.object,
            ccd_temp: f.temp,
            image_type: 'light',
          },
          score: { quality_flag: f.exptime >= 120 },
        }),
      );
      ids.set(f.name, id);
      expect(pos_x ** 2 + pos_y ** 2 + pos_z ** 2).toBeCloseTo(1);
    }
  });

  const run = async (query: string, maxRows = 1000) => {
    const compiled = compileAdql(parseAdql(query), TABLES, { dialect, maxRows });
    const result = await executor.run(compiled, { timeoutMs: 10_000 });
    return { ...result, columns: compiled.columns.map((c) => c.name) };
  };
  const names = async (where: string) => {
    const r = await run(`SELECT rel_path FROM aims.images WHERE ${where} ORDER BY rel_path`);
    return r.rows.map((row) => String(row[0]).replace('.fits', '')).join('');
  };

  it('selects, filters and orders with every predicate form', async () => {
    expect(await names('exptime BETWEEN 60 AND 300')).toBe('abc');
    expect(await names('exptime NOT BETWEEN 60 AND 300')).toBe('def');
    expect(await names("filter_name IN ('Ha', 'OIII')")).toBe('abf');
    expect(await names('ccd_temp IS NULL')).toBe('c');
    expect(await names('ccd_temp IS NOT NULL AND NOT ccd_temp < -10')).toBe('abf');
    expect(await names('exptime = 30 OR exptime > 500')).toBe('def');
  });

  it('matches LIKE case-sensitively and ILIKE without case, with % and _ literal only when escaped by data', async () => {
    expect(await names("filter_name LIKE 'R'")).toBe('ce');
    expect(await names("filter_name ILIKE 'r'")).toBe('cde');
    expect(await names("object_name LIKE 'M%'")).toBe('abf');
    expect(await names("object_name LIKE 'M_13'")).toBe('a');
    expect(await names("object_name NOT LIKE '%1%'")).toBe('cde');
    // Quotes and SQL in a string are data.
    expect(await names("object_name = 'O''Brien'")).toBe('e');
    expect(await names("object_name = 'x''; DROP TABLE images;--'")).toBe('');
  });

  it('computes expressions, with real division and aliases usable in ORDER BY', async () => {
    const r = await run(
      "SELECT TOP 3 rel_path, exptime / 60 AS minutes, exptime * 2 + 1 AS twice, UPPER(filter_name) || '!' AS f, " +
        'ROUND(exptime / 7, 2) AS r FROM aims.images ORDER BY minutes DESC, rel_path',
    );
    expect(r.columns).toEqual(['rel_path', 'minutes', 'twice', 'f', 'r']);
    expect(r.rows).toEqual([
      ['f.fits', 10, 1201, 'OIII!', 85.71],
      ['c.fits', 5, 601, 'R!', 42.86],
      ['b.fits', 2, 241, 'HA!', 17.14],
    ]);
    expect(r.overflow).toBe(false);
  });

  it('groups and aggregates, with HAVING', async () => {
    const r = await run(
      'SELECT filter_name, COUNT(*) AS n, SUM(exptime) AS total, AVG(exptime) AS mean, MIN(ccd_temp) AS coldest ' +
        'FROM aims.images GROUP BY filter_name HAVING COUNT(*) > 1 ORDER BY filter_name',
    );
    expect(r.rows).toEqual([
      ['Ha', 2, 180, 90, -10],
      ['R', 2, 330, 165, -15],
    ]);
    const distinct = await run('SELECT COUNT(DISTINCT filter_name) FROM aims.images');
    expect(distinct.rows).toEqual([[4]]);
  });

  it('returns timestamps as ISO 8601 and compares them with ISO strings', async () => {
    expect(await names("date_obs >= '2025-04-01' AND date_obs < '2025-04-03T00:30:00'")).toBe('cd');
    const r = await run("SELECT date_obs FROM aims.images WHERE rel_path = 'b.fits'");
    expect(r.rows).toEqual([['2025-03-11T02:00:00.000Z']]);
  });

  it('finds cones across RA 0 and over the pole through CONTAINS and DISTANCE', async () => {
    expect(await names("CONTAINS(POINT('ICRS', ra_deg, dec_deg), CIRCLE('ICRS', 0, 10, 0.5)) = 1")).toBe('ab');
    expect(await names('1 = CONTAINS(POINT(ra_deg, dec_deg), CIRCLE(POINT(0, 90), 1))')).toBe('de');
    expect(await names('DISTANCE(POINT(ra_deg, dec_deg), POINT(0, 10)) < 0.5')).toBe('ab');
    expect(await names('0.5 > DISTANCE(POINT(0, 10), POINT(ra_deg, dec_deg))')).toBe('ab');
    expect(await names("CONTAINS(POINT('ICRS', ra_deg, dec_deg), CIRCLE('ICRS', 0, 10, 0.5)) = 0")).toBe('cdef');
  });

  it('computes DISTANCE as the great-circle separation', async () => {
    const r = await run(
      "SELECT rel_path, DISTANCE(POINT(ra_deg, dec_deg), POINT(0, 10)) AS d FROM aims.images WHERE rel_path IN ('a.fits', 'c.fits') ORDER BY d",
    );
    expect(r.rows[0]![0]).toBe('a.fits');
    expect(r.rows[0]![1] as number).toBeCloseTo(angularSeparationDeg({ ra: 359.8, dec: 10 }, { ra: 0, dec: 10 }), 10);
    expect(r.rows[1]![1] as number).toBeCloseTo(angularSeparationDeg({ ra: 10, dec: 10 }, { ra: 0, dec: 10 }), 10);
  });

  it('finds points in convex polygons of either winding and in boxes across RA 0', async () => {
    expect(await names('CONTAINS(POINT(ra_deg, dec_deg), POLYGON(359, 9, 1, 9, 1, 11, 359, 11)) = 1')).toBe('ab');
    expect(await names('CONTAINS(POINT(ra_deg, dec_deg), POLYGON(359, 11, 1, 11, 1, 9, 359, 9)) = 1')).toBe('ab');
    expect(
      await names('CONTAINS(POINT(ra_deg, dec_deg), POLYGON(POINT(0, 88), POINT(120, 88), POINT(240, 88))) = 1'),
    ).toBe('de');
    expect(await names('CONTAINS(POINT(ra_deg, dec_deg), BOX(0, 10, 1, 0.2)) = 1')).toBe('ab');
    expect(await names('INTERSECTS(CIRCLE(10, 10, 0.1), POINT(ra_deg, dec_deg)) = 1')).toBe('c');
  });

  it('reports overflow when more rows match than MAXREC allows', async () => {
    const r = await run('SELECT rel_path FROM aims.images ORDER BY rel_path', 4);
    expect(r.rows.map((row) => row[0])).toEqual(['a.fits', 'b.fits', 'c.fits', 'd.fits']);
    expect(r.overflow).toBe(true);
    const top = await run('SELECT TOP 2 rel_path FROM aims.images ORDER BY rel_path OFFSET 4', 4);
    expect(top.rows.map((row) => row[0])).toEqual(['e.fits', 'f.fits']);
    expect(top.overflow).toBe(false);
  });

  it('uses the cone index for CONTAINS on the position pair', async () => {
    const compiled = compileAdql(
      parseAdql('SELECT id FROM aims.images WHERE CONTAINS(POINT(ra_deg, dec_deg), CIRCLE(10, 10, 0.5)) = 1'),
      TABLES,
      { dialect, maxRows: 10 },
    );
    const q = compiled.sql.compile(t.database.db);
    const explain = dialect === 'sqlite' ? sql`explain query plan ${sql.raw(q.sql)}` : sql`explain ${sql.raw(q.sql)}`;
    // Parameters are positional; inline them for EXPLAIN (all numbers here are inlined already).
    expect(q.parameters).toEqual([]);
    const plan = JSON.stringify((await explain.execute(t.database.db)).rows);
    if (dialect === 'sqlite') expect(plan).toMatch(/USING (COVERING )?INDEX/);
    else if (dialect === 'mysql') expect(plan).toMatch(/"key":"images_cone_idx"/);
    else {
      await sql`set enable_seqscan = off`.execute(t.database.db);
      const forced = JSON.stringify((await explain.execute(t.database.db)).rows);
      await sql`set enable_seqscan = on`.execute(t.database.db);
      expect(forced).toMatch(/Index/);
    }
  });

  it('stops a query at its time limit and keeps serving', async () => {
    const slow =
      dialect === 'mysql'
        ? // A billion joined rows: MySQL stops recursion after 1000 steps by default.
          sql<
            Record<string, unknown>
          >`with recursive d(n) as (select 1 union all select n + 1 from d where n < 1000) select count(*) as c0 from d a, d b, d c`
        : dialect === 'sqlite'
          ? sql<
              Record<string, unknown>
            >`with recursive r(n) as (select 1 union all select n + 1 from r where n < 1000000000) select count(*) as c0 from r`
          : sql<Record<string, unknown>>`select count(*) as c0 from pg_sleep(5)`;
    const started = Date.now();
    await expect(
      executor.run(
        { sql: slow, table: 'x.y', columns: [{ name: 'n', type: 'integer', column: null }], limit: 1 },
        { timeoutMs: 300 },
      ),
    ).rejects.toBeInstanceOf(AdqlTimeoutError);
    expect(Date.now() - started).toBeLessThan(4000);
    expect((await run('SELECT COUNT(*) FROM aims.images')).rows).toEqual([[6]]);
  });

  it.each([
    ['SELECT nope FROM aims.images', /unknown column nope/],
    ['SELECT id FROM aims.nothing', /unknown table aims.nothing/],
    ['SELECT x.id FROM aims.images AS i', /unknown table x/],
    ['SELECT filter_name, COUNT(*) FROM aims.images', /filter_name must appear in GROUP BY/],
    ['SELECT id FROM aims.images WHERE COUNT(*) > 1', /aggregate functions are not allowed in WHERE/],
    ["SELECT id FROM aims.images WHERE exptime = 'long'", /compares a number with a string/],
    ['SELECT id FROM aims.images WHERE exptime', /WHERE needs a condition/],
    ['SELECT exptime > 1 FROM aims.images', /expected FROM, found '>'/],
    [
      "SELECT id FROM aims.images WHERE CONTAINS(POINT('GALACTIC', 1, 2), CIRCLE(1, 2, 3)) = 1",
      /'GALACTIC' is not supported/,
    ],
    [
      'SELECT id FROM aims.images WHERE CONTAINS(POINT(ra_deg, dec_deg), CIRCLE(1, 2, 3)) = 2',
      /compared with = 1 or = 0/,
    ],
    [
      'SELECT id FROM aims.images WHERE CONTAINS(POINT(ra_deg, dec_deg), POLYGON(0, 0, 10, 0, 1, 1, 0, 10)) = 1',
      /only convex/,
    ],
    ['SELECT AREA(CIRCLE(0, 0, 1)) FROM aims.images', /AREA is not supported/],
    ['SELECT FOO(1) FROM aims.images', /unknown function FOO/],
    ['SELECT id FROM aims.images ORDER BY 3', /ORDER BY 3: there is no such column/],
    ['SELECT POINT(ra_deg, dec_deg) FROM aims.images', /POINT is not a value here/],
  ])('refuses %s clearly', (query, message) => {
    expect(() => compileAdql(parseAdql(query), TABLES, { dialect, maxRows: 10 })).toThrow(message);
  });
});

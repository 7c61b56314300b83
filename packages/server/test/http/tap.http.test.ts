import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unitVector } from '../../src/db/image.mapper.js';
import { getImages, insertImage } from '../../src/db/images.repository.js';
import { bandLookup } from '../../src/vo/filter-bands.js';
import { OBSCORE_COLUMNS, obscoreRecord } from '../../src/vo/obscore.columns.js';
import { DIALECTS } from '../support/databases.js';
import { SYSTEM_PYTHON } from '../support/fixtures.js';
import { makeImage, observedAt } from '../support/images.js';
import { startTestApi, type TestApi } from './support/http-app.js';

/** Clients run as child processes while this process serves them: never spawnSync here. */
const run = promisify(execFile);
const CHECKER = join(import.meta.dirname, 'support', 'votable-check.py');

interface Parsed {
  warnings: string[];
  infos: Record<string, [string, string]>;
  fields: Array<{ name: string; datatype: string; unit: string | null; ucd: string; utype: string }>;
  rows: Array<Record<string, string | number | null>>;
}

/** The VOTable as astropy reads it (throws if astropy cannot parse it). */
function parseVotable(xml: string): Parsed {
  const run = spawnSync(SYSTEM_PYTHON, [CHECKER], { input: xml, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`astropy could not parse the VOTable: ${run.stderr}\n${xml.slice(0, 2000)}`);
  return JSON.parse(run.stdout) as Parsed;
}

const FRAMES = [
  {
    name: 'a',
    ra: 359.9,
    dec: 20,
    exptime: 60,
    filter: 'Ha',
    object: 'M 31',
    at: '2025-01-10T02:00:00',
    fov: [1.2, 0.8] as [number, number],
    footprint: [
      [359.26, 19.6],
      [0.54, 19.6],
      [0.54, 20.4],
      [359.26, 20.4],
    ] as Array<[number, number]>,
  },
  { name: 'b', ra: 0.2, dec: 20.1, exptime: 120, filter: 'Ha', object: 'M31', at: '2025-01-10T03:00:00' },
  { name: 'c', ra: 150, dec: -30, exptime: 300, filter: 'OIII', object: 'NGC <&> "x"', at: '2025-02-01T21:00:00' },
];

for (const dialect of DIALECTS)
  describe(`TAP 1.1 (${dialect})`, () => {
    let t: TestApi;
    let base: string;
    beforeAll(async () => {
      t = await startTestApi(dialect, { env: { AIMS_PUBLIC_READ: 'true' } });
      for (const f of FRAMES) {
        await insertImage(
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
              ...('fov' in f && f.fov
                ? {
                    fov_width_deg: f.fov[0],
                    fov_height_deg: f.fov[1],
                    naxis1: 4000,
                    naxis2: 2666,
                    footprint: f.footprint,
                  }
                : {}),
              telescope: 'Winer T1',
            },
            size_bytes: 2880 * 3000,
          }),
        );
        expect(unitVector(f.ra, f.dec)).toHaveLength(3);
      }
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      const address = t.app.server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/vo/tap`;
    });
    afterAll(async () => {
      await t?.close();
    });

    const sync = (params: Record<string, string>, method: 'GET' | 'POST' = 'GET') =>
      method === 'GET'
        ? t.as('user', { url: `/api/vo/tap/sync?${new URLSearchParams(params)}` })
        : t.as('user', {
            method: 'POST',
            url: '/api/vo/tap/sync',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            payload: new URLSearchParams(params).toString(),
          });

    it('answers an ADQL query with a VOTable that astropy reads, by GET and by POST', async () => {
      for (const method of ['GET', 'POST'] as const) {
        const res = await sync(
          {
            lang: 'ADQL',
            query:
              "SELECT rel_path, exptime, object_name, date_obs FROM aims.images WHERE filter_name = 'Ha' ORDER BY exptime",
          },
          method,
        );
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toContain('application/x-votable+xml');
        const p = parseVotable(res.body);
        expect(p.warnings).toEqual([]);
        expect(p.infos.QUERY_STATUS?.[0]).toBe('OK');
        expect(p.fields.map((f) => [f.name, f.datatype, f.unit])).toEqual([
          ['rel_path', 'char', null],
          ['exptime', 'double', 's'],
          ['object_name', 'char', null],
          ['date_obs', 'char', null],
        ]);
        expect(p.rows).toEqual([
          { rel_path: 'a.fits', exptime: 60, object_name: 'M 31', date_obs: '2025-01-10T02:00:00.000Z' },
          { rel_path: 'b.fits', exptime: 120, object_name: 'M31', date_obs: '2025-01-10T03:00:00.000Z' },
        ]);
      }
    });

    it('writes BINARY2, CSV and TSV with the same values, and flags overflow', async () => {
      const query = 'SELECT rel_path, exptime, ccd_temp, object_name FROM aims.images ORDER BY rel_path';
      const b2 = await sync({ LANG: 'ADQL', QUERY: query, RESPONSEFORMAT: 'votable/b2', MAXREC: '2' });
      expect(b2.headers['content-type']).toContain('serialization=BINARY2');
      const p = parseVotable(b2.body);
      expect(p.rows).toEqual([
        { rel_path: 'a.fits', exptime: 60, ccd_temp: null, object_name: 'M 31' },
        { rel_path: 'b.fits', exptime: 120, ccd_temp: null, object_name: 'M31' },
      ]);
      expect(b2.body).toMatch(/<\/TABLE>\n<INFO name="QUERY_STATUS" value="OVERFLOW"\/>/);

      const csv = await sync({ LANG: 'ADQL', QUERY: query, RESPONSEFORMAT: 'csv' });
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.body).toBe(
        'rel_path,exptime,ccd_temp,object_name\r\na.fits,60,,M 31\r\nb.fits,120,,M31\r\nc.fits,300,,"NGC <&> ""x"""\r\n',
      );
      const tsv = await sync({ LANG: 'ADQL', QUERY: query, FORMAT: 'text/tab-separated-values' });
      expect(tsv.body.split('\r\n')[3]).toBe('c.fits\t300\t\tNGC <&> "x"');
    });

    it('answers TAP_SCHEMA queries describing every published table and column', async () => {
      const res = await sync({
        LANG: 'ADQL',
        QUERY:
          "SELECT column_name, datatype, unit FROM TAP_SCHEMA.columns WHERE table_name = 'aims.images' AND column_name IN ('exptime', 'ra_deg') ORDER BY column_name",
      });
      expect(parseVotable(res.body).rows).toEqual([
        { column_name: 'exptime', datatype: 'double', unit: 's' },
        { column_name: 'ra_deg', datatype: 'double', unit: 'deg' },
      ]);
      const tables = await sync({
        LANG: 'ADQL',
        QUERY: 'SELECT table_name FROM tap_schema.tables ORDER BY table_index',
      });
      expect(parseVotable(tables.body).rows.map((r) => r.table_name)).toEqual([
        'ivoa.obscore',
        'aims.images',
        'TAP_SCHEMA.schemas',
        'TAP_SCHEMA.tables',
        'TAP_SCHEMA.columns',
        'TAP_SCHEMA.keys',
        'TAP_SCHEMA.key_columns',
      ]);
    });

    it('publishes ivoa.obscore with the same values as the SIA records, searchable on the cone index', async () => {
      const res = await sync({
        LANG: 'ADQL',
        QUERY:
          "SELECT * FROM ivoa.obscore WHERE CONTAINS(POINT('ICRS', s_ra, s_dec), CIRCLE('ICRS', 0, 20, 1)) = 1 ORDER BY obs_id",
      });
      const tap = parseVotable(res.body);
      expect(
        tap.warnings.filter((w) => !/W06: Invalid UCD '(meta\.ref\.ivoid|pos\.outline;obs\.field)'/.test(w)),
      ).toEqual([]);
      expect(tap.fields.map((f) => f.name)).toEqual(OBSCORE_COLUMNS.map((c) => c.name));
      expect(tap.rows).toHaveLength(2);
      const images = await getImages(
        t.database,
        tap.rows.map((r) => Number(r.obs_id)),
      );
      const context = { baseUrl: 'http://localhost:80', bands: bandLookup() };
      for (const row of tap.rows) {
        const image = images.find((i) => i.id === Number(row.obs_id))!;
        const record = obscoreRecord(image, context);
        for (const column of OBSCORE_COLUMNS) {
          const expected = record[column.name] ?? null;
          const actual = row[column.name] ?? null;
          if (typeof expected === 'number') expect(actual, column.name).toBeCloseTo(expected, 9);
          else expect(actual, column.name).toBe(expected);
        }
      }
      expect(tap.rows[0]).toMatchObject({ em_min: expect.any(Number), s_fov: expect.any(Number), target_name: 'M 31' });

      // A frame whose footprint reaches the circle is found through s_region; one without a footprint
      // is found by its centre only, which is 0.25° away.
      const around = await sync({
        LANG: 'ADQL',
        QUERY: "SELECT target_name FROM ivoa.obscore WHERE INTERSECTS(s_region, CIRCLE('ICRS', 0.45, 20, 0.01)) = 1",
      });
      expect(parseVotable(around.body).rows).toEqual([{ target_name: 'M 31' }]);
      const band = await sync({
        LANG: 'ADQL',
        QUERY: 'SELECT COUNT(*) AS n FROM ivoa.obscore WHERE em_min < 6.6e-7 AND em_max > 6.55e-7',
      });
      expect(parseVotable(band.body).rows).toEqual([{ n: 2 }]);
    });

    it.each([
      [{ QUERY: 'SELECT id FROM aims.images' }, /UsageFault: LANG is required/],
      [{ LANG: 'SQL', QUERY: 'SELECT 1' }, /UsageFault: LANG=SQL is not supported/],
      [{ LANG: 'ADQL' }, /UsageFault: QUERY is required/],
      [{ LANG: 'ADQL', QUERY: 'SELECT nope FROM aims.images' }, /UsageFault: unknown column nope/],
      [
        { LANG: 'ADQL', QUERY: 'SELECT * FROM aims.images a JOIN aims.images b ON a.id = b.id' },
        /UsageFault: JOIN is not supported/,
      ],
      [{ LANG: 'ADQL', QUERY: 'SELECT id FROM aims.images', MAXREC: '-1' }, /UsageFault: MAXREC=-1/],
      [
        { LANG: 'ADQL', QUERY: 'SELECT id FROM aims.images', RESPONSEFORMAT: 'fits' },
        /UsageFault: RESPONSEFORMAT=fits/,
      ],
    ])('refuses %j with a DALI error document', async (params, message) => {
      const res = await sync(params as Record<string, string>);
      expect(res.statusCode).toBe(400);
      const p = parseVotable(res.body);
      expect(p.infos.QUERY_STATUS?.[0]).toBe('ERROR');
      expect(p.infos.QUERY_STATUS?.[1]).toMatch(message);
    });

    it('serves VOSI capabilities, availability and tables', async () => {
      const caps = await t.as('user', { url: '/api/vo/tap/capabilities' });
      expect(caps.body).toContain('standardID="ivo://ivoa.net/std/TAP"');
      expect(caps.body).toContain('<form>CONTAINS</form>');
      const tables = await t.as('user', { url: '/api/vo/tap/tables' });
      expect(tables.body).toContain('<name>aims.images</name>');
      expect((await t.as('user', { url: '/api/vo/tap/availability' })).body).toContain('<vosi:available>true');
    });

    it('is usable from pyvo, the Python VO client', async () => {
      const script = [
        'import sys, pyvo',
        'svc = pyvo.dal.TAPService(sys.argv[1])',
        "r = svc.run_sync(\"SELECT TOP 5 rel_path, exptime FROM aims.images WHERE 1 = CONTAINS(POINT('ICRS', ra_deg, dec_deg), CIRCLE('ICRS', 0, 20, 1)) ORDER BY rel_path\")",
        'print(",".join(str(x) for x in r["rel_path"]))',
        'print(",".join(t.name for t in svc.tables))',
        'a = svc.run_async("SELECT COUNT(*) AS n FROM aims.images WHERE exptime >= 100")',
        'print(a["n"][0])',
      ].join('\n');
      const { stdout, stderr } = await run(SYSTEM_PYTHON, ['-c', script, base], { timeout: 60_000 });
      expect(stderr).toBe('');
      const [names, tables, count] = stdout.trim().split('\n');
      expect(names).toBe('a.fits,b.fits');
      expect(tables).toContain('aims.images');
      expect(count).toBe('2');
    });

    it('runs asynchronous jobs (UWS 1.1): create, run, wait, result, abort, delete; owners only', async () => {
      const form = (params: Record<string, string>) => ({
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(params).toString(),
      });
      const created = await t.as('user', {
        method: 'POST',
        url: '/api/vo/tap/async',
        ...form({ LANG: 'ADQL', QUERY: 'SELECT rel_path FROM aims.images ORDER BY rel_path', RUNID: 'mine' }),
      });
      expect(created.statusCode).toBe(303);
      const jobUrl = new URL(String(created.headers.location)).pathname;
      expect((await t.as('user', { url: `${jobUrl}/phase` })).body).toBe('PENDING');
      // Another account cannot see the job, nor run it.
      expect((await t.as('downloader', { url: jobUrl })).statusCode).toBe(404);
      expect(
        (await t.as('downloader', { method: 'POST', url: `${jobUrl}/phase`, ...form({ PHASE: 'RUN' }) })).statusCode,
      ).toBe(404);

      const run = await t.as('user', { method: 'POST', url: `${jobUrl}/phase`, ...form({ PHASE: 'RUN' }) });
      expect(run.statusCode).toBe(303);
      const done = await t.as('user', { url: `${jobUrl}?WAIT=30` });
      expect(done.body).toContain('<uws:phase>COMPLETED</uws:phase>');
      expect(done.body).toContain('<uws:runId>mine</uws:runId>');
      const result = await t.as('user', { url: `${jobUrl}/results/result` });
      expect(parseVotable(result.body).rows.map((r) => r.rel_path)).toEqual(['a.fits', 'b.fits', 'c.fits']);

      const failing = await t.as('user', {
        method: 'POST',
        url: '/api/vo/tap/async',
        ...form({ LANG: 'ADQL', QUERY: 'SELECT nope FROM aims.images', PHASE: 'RUN' }),
      });
      const failedUrl = new URL(String(failing.headers.location)).pathname;
      expect((await t.as('user', { url: `${failedUrl}?WAIT=30` })).body).toContain('<uws:phase>ERROR</uws:phase>');
      const error = parseVotable((await t.as('user', { url: `${failedUrl}/error` })).body);
      expect(error.infos.QUERY_STATUS?.[1]).toMatch(/^UsageFault: unknown column nope/);

      const pending = await t.as('user', {
        method: 'POST',
        url: '/api/vo/tap/async',
        ...form({ LANG: 'ADQL', QUERY: 'SELECT id FROM aims.images' }),
      });
      const pendingUrl = new URL(String(pending.headers.location)).pathname;
      await t.as('user', { method: 'POST', url: `${pendingUrl}/phase`, ...form({ PHASE: 'ABORT' }) });
      expect((await t.as('user', { url: `${pendingUrl}/phase` })).body).toBe('ABORTED');

      const list = await t.as('user', { url: '/api/vo/tap/async' });
      expect(list.body.match(/<uws:jobref /g)).toHaveLength(3);
      expect((await t.as('downloader', { url: '/api/vo/tap/async' })).body).not.toContain('<uws:jobref ');
      const deleted = await t.as('user', { method: 'DELETE', url: pendingUrl });
      expect(deleted.statusCode).toBe(303);
      expect((await t.as('user', { url: pendingUrl })).statusCode).toBe(404);
    });

    it('answers in VOTables that stilts votlint finds nothing wrong with, in every format', async () => {
      const work = mkdtempSync(join(tmpdir(), 'aims-tap-votlint-'));
      const query = 'SELECT * FROM ivoa.obscore ORDER BY obs_id';
      const documents: Record<string, Record<string, string>> = {
        tabledata: { LANG: 'ADQL', QUERY: query },
        binary2: { LANG: 'ADQL', QUERY: query, RESPONSEFORMAT: 'votable/b2' },
        overflow: { LANG: 'ADQL', QUERY: 'SELECT * FROM aims.images', MAXREC: '1' },
        metadata: { LANG: 'ADQL', QUERY: 'SELECT * FROM aims.images', MAXREC: '0' },
        'tap-schema': { LANG: 'ADQL', QUERY: 'SELECT * FROM TAP_SCHEMA.columns', RESPONSEFORMAT: 'votable/b2' },
        aggregate: {
          LANG: 'ADQL',
          QUERY: 'SELECT filter_name, COUNT(*) AS n, AVG(exptime) FROM aims.images GROUP BY filter_name',
        },
        error: { LANG: 'ADQL', QUERY: 'SELECT nope FROM aims.images' },
      };
      const reports: Record<string, string> = {};
      for (const [name, params] of Object.entries(documents)) {
        const path = join(work, `${name}.vot`);
        writeFileSync(path, (await sync(params)).body);
        const { stdout, stderr } = await run('stilts', ['votlint', `votable=${path}`]);
        reports[name] = `${stdout}${stderr}`.trim();
      }
      rmSync(work, { recursive: true, force: true });
      expect(reports).toEqual(Object.fromEntries(Object.keys(documents).map((n) => [n, ''])));
    });

    it('passes STILTS taplint with no errors', async () => {
      const { stdout } = await run('stilts', ['taplint', `tapurl=${base}`, 'report=EWF', 'maxrepeat=3'], {
        timeout: 300_000,
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(stdout).toMatch(/Totals:/);
      // Errors and warnings: none. Failures (stages taplint could not run) only where this service
      // offers nothing to test: ObsLocTAP's ivoa.obsplan and table uploads (docs/vo.md).
      const findings = stdout.split('\n').filter((l) => /^[EWF]-/.test(l));
      expect(findings.filter((l) => !/^F-(LOC-NOTP|UPL-NOUP)-/.test(l))).toEqual([]);
    });
  });

describe('TAP limits from the configuration', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi('sqlite', {
      env: { AIMS_PUBLIC_READ: 'true', AIMS_TAP_MAXREC: '2', AIMS_TAP_MAXREC_LIMIT: '3', AIMS_TAP_ASYNC_SECONDS: '90' },
    });
    for (const f of FRAMES.concat(FRAMES))
      await insertImage(t.database, makeImage({ metadata: { ra_deg: f.ra, dec_deg: f.dec, object_name: f.object } }));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('returns AIMS_TAP_MAXREC rows by default, at most AIMS_TAP_MAXREC_LIMIT, and says so in its capabilities', async () => {
    const rows = async (extra: Record<string, string>) => {
      const params = new URLSearchParams({ LANG: 'ADQL', QUERY: 'SELECT id FROM aims.images', ...extra });
      const res = await t.as('user', { url: `/api/vo/tap/sync?${params}` });
      expect(res.statusCode).toBe(200);
      const parsed = parseVotable(res.body);
      return { count: parsed.rows.length, overflow: parsed.infos.QUERY_STATUS?.[0] };
    };
    expect(await rows({})).toEqual({ count: 2, overflow: 'OVERFLOW' });
    expect(await rows({ MAXREC: '100' })).toEqual({ count: 3, overflow: 'OVERFLOW' });
    const caps = (await t.as('user', { url: '/api/vo/tap/capabilities' })).body;
    expect(caps).toContain('<outputLimit><default unit="row">2</default><hard unit="row">3</hard></outputLimit>');
    expect(caps).toContain('<executionDuration><default>90</default><hard>90</hard></executionDuration>');
  });
});

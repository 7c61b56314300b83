import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { angularSeparationDeg } from '@aims/fits';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiToken } from '../../src/auth/api-token-secret.js';
import { createApiToken } from '../../src/db/api-tokens.repository.js';
import { insertImage } from '../../src/db/images.repository.js';
import { SIA_COLUMNS } from '../../src/vo/votable.js';
import { DIALECTS } from '../support/databases.js';
import { SYSTEM_PYTHON } from '../support/fixtures.js';
import { makeImage, observedAt } from '../support/images.js';
import { startTestApi, type TestApi } from './support/http-app.js';

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
  if (run.status !== 0) throw new Error(`astropy could not parse the VOTable: ${run.stderr}\n${xml}`);
  return JSON.parse(run.stdout) as Parsed;
}

// 2025-01-10T00:00Z is MJD 60685.
const MJD_2025_01_10 = 60685;

const FRAMES = {
  m31a: {
    rel_path: 'n1/m31_a.fits',
    size_bytes: 2880 * 1000,
    metadata: {
      ...observedAt('2025-01-10T02:00:00'),
      mjd_obs: MJD_2025_01_10 + 2 / 24,
      ra_deg: 10,
      dec_deg: 20,
      exptime: 60,
      object_name: 'M31 <&> "core"',
      filter_name: 'R',
      instrument: 'ZWO ASI2600MM',
      telescope: 'Winer T1',
      naxis1: 6000,
      naxis2: 4000,
      pixel_scale_arcsec: 1.2,
      fov_width_deg: 2,
      fov_height_deg: 1.3,
      footprint: [
        [9, 19.35],
        [11, 19.35],
        [11, 20.65],
        [9, 20.65],
      ] as Array<[number, number]>,
    },
    quality: { fwhm_arcsec: 2.5 },
  },
  m31b: {
    rel_path: 'n1/m31_b.fits',
    metadata: {
      ...observedAt('2025-01-10T03:00:00'),
      ra_deg: 10.5,
      dec_deg: 20.2,
      exptime: 120,
      object_name: 'M31',
      instrument: 'QHY600',
      pixel_scale_arcsec: 0.9,
    },
  },
  far: {
    rel_path: 'n2/far.fits',
    metadata: {
      ...observedAt('2025-02-01T05:00:00'),
      ra_deg: 200,
      dec_deg: -30,
      exptime: 300,
      object_name: 'NGC 5128',
    },
  },
  wrap: {
    rel_path: 'n3/wrap.fits',
    metadata: { ...observedAt('2025-01-11T23:59:00'), ra_deg: 359.8, dec_deg: 0.5, exptime: 30 },
  },
};

for (const dialect of DIALECTS)
  describe(`SIA 2.0 (${dialect})`, () => {
    let t: TestApi;
    const ids: Record<string, number> = {};
    beforeAll(async () => {
      t = await startTestApi(dialect);
      for (const [name, frame] of Object.entries(FRAMES)) {
        const result = await insertImage(t.database, makeImage(frame));
        ids[name] = result.id;
      }
    });
    afterAll(async () => {
      await t.close();
    });

    const query = (qs: string) => t.as('user', { url: `/api/vo/sia/query?${qs}`, headers: { host: 'aims.test:8080' } });
    const obsIds = (p: Parsed) => p.rows.map((r) => Number(r.obs_id)).sort((a, b) => a - b);
    const idsOf = (...names: string[]) => names.map((n) => ids[n] as number).sort((a, b) => a - b);

    it('POS CIRCLE finds the frames whose centre is in the circle, as a valid VOTable of ObsCore columns', async () => {
      const res = await query(`POS=${encodeURIComponent('CIRCLE 10.2 20.1 1')}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('application/x-votable+xml');
      const p = parseVotable(res.body);
      // ObsCore 1.1's UCDs meta.ref.ivoid and pos.outline postdate the UCD word list astropy checks;
      // anything else astropy warns about is a defect.
      expect(
        p.warnings.filter((w) => !/W06: Invalid UCD '(meta\.ref\.ivoid|pos\.outline;obs\.field)'/.test(w)),
      ).toEqual([]);
      expect(p.infos.QUERY_STATUS?.[0]).toBe('OK');
      expect(p.fields.map((f) => f.name)).toEqual(SIA_COLUMNS);
      const sRa = p.fields.find((f) => f.name === 's_ra');
      expect(sRa).toMatchObject({ datatype: 'double', unit: 'deg', ucd: 'pos.eq.ra' });
      expect(p.fields.find((f) => f.name === 't_min')?.utype).toBe(
        'obscore:Char.TimeAxis.Coverage.Bounds.Limits.StartTime',
      );
      expect(obsIds(p)).toEqual(idsOf('m31a', 'm31b'));

      const a = p.rows.find((r) => Number(r.obs_id) === ids.m31a);
      expect(a).toMatchObject({
        dataproduct_type: 'image',
        calib_level: 1,
        obs_collection: 'AIMS',
        obs_publisher_did: `ivo://aims/images?${ids.m31a}`,
        access_url: `http://aims.test:8080/api/vo/datalink?ID=${encodeURIComponent(`ivo://aims/images?${ids.m31a}`)}`,
        access_format: 'application/x-votable+xml;content=datalink',
        access_estsize: 2813, // ceil(2 880 000 / 1024)
        target_name: 'M31 <&> "core"',
        s_ra: 10,
        s_dec: 20,
        s_region: 'POLYGON ICRS 9 19.35 11 19.35 11 20.65 9 20.65',
        s_resolution: 2.5,
        t_exptime: 60,
        t_resolution: 60,
        t_xel: 1,
        em_xel: 1,
        o_ucd: 'phot.count',
        instrument_name: 'ZWO ASI2600MM',
        facility_name: 'Winer T1',
        s_xel1: 6000,
        s_xel2: 4000,
        pol_states: null,
        pol_xel: null,
      });
      // s_fov: the diameter of the circle around the centre through the farthest corner.
      expect(a?.s_fov).toBeCloseTo(2 * angularSeparationDeg({ ra: 10, dec: 20 }, { ra: 9, dec: 19.35 }), 9);
      // The R filter: Cousins R, 562–720 nm.
      expect(a?.em_min).toBeCloseTo(562e-9, 15);
      expect(a?.em_max).toBeCloseTo(720e-9, 15);
      expect(a?.em_res_power).toBeCloseTo(641 / 158, 9);
      expect(a?.t_min).toBeCloseTo(MJD_2025_01_10 + 2 / 24, 9);
      expect(a?.t_max).toBeCloseTo(MJD_2025_01_10 + 2 / 24 + 60 / 86400, 9);
      const b = p.rows.find((r) => Number(r.obs_id) === ids.m31b);
      // No MJD-OBS stored: derived from DATE-OBS; no FWHM: the pixel scale; no footprint: empty.
      expect(b?.t_min).toBeCloseTo(MJD_2025_01_10 + 3 / 24, 9);
      expect(b?.s_resolution).toBe(0.9);
      expect(b?.s_region).toBeNull();
    });

    it('parameter names are case-insensitive; a small circle excludes the neighbour', async () => {
      const p = parseVotable((await query(`pos=${encodeURIComponent('CIRCLE 10 20 0.1')}`)).body);
      expect(obsIds(p)).toEqual(idsOf('m31a'));
    });

    it('CIRCLE finds a frame covering the position though its centre is outside the circle', async () => {
      // m31a's footprint reaches RA 9–11, Dec 19.35–20.65 (half-diagonal ≈ 1.19°); m31b has no FOV.
      const edge = parseVotable((await query(`POS=${encodeURIComponent('CIRCLE 9.2 19.5 0.01')}`)).body);
      expect(obsIds(edge)).toEqual(idsOf('m31a'));
      const beyond = parseVotable((await query(`POS=${encodeURIComponent('CIRCLE 8 18.5 0.01')}`)).body);
      expect(obsIds(beyond)).toEqual([]);
    });

    it('POS RANGE, including one that wraps through RA 0', async () => {
      const box = parseVotable((await query(`POS=${encodeURIComponent('RANGE 9.9 10.6 19 21')}`)).body);
      expect(obsIds(box)).toEqual(idsOf('m31a', 'm31b'));
      // m31a's footprint reaches RA 11: a box east of its centre meets it, one beyond 11 does not.
      const edge = parseVotable((await query(`POS=${encodeURIComponent('RANGE 10.9 12 19 21')}`)).body);
      expect(obsIds(edge)).toEqual(idsOf('m31a'));
      const beyond = parseVotable((await query(`POS=${encodeURIComponent('RANGE 11.1 12 19 21')}`)).body);
      expect(obsIds(beyond)).toEqual([]);
      const wrap = parseVotable((await query(`POS=${encodeURIComponent('RANGE 359 1 -1 1')}`)).body);
      expect(obsIds(wrap)).toEqual(idsOf('wrap'));
      const south = parseVotable((await query(`POS=${encodeURIComponent('RANGE -Inf +Inf -90 0')}`)).body);
      expect(obsIds(south)).toEqual(idsOf('far'));
    });

    it('TIME is an MJD interval the exposure overlaps; -Inf/+Inf are open ends', async () => {
      // 02:00:30 is inside m31a's 60 s exposure only.
      const t1 = MJD_2025_01_10 + (2 * 3600 + 30) / 86400;
      const inside = parseVotable((await query(`TIME=${encodeURIComponent(`${t1} ${t1}`)}`)).body);
      expect(obsIds(inside)).toEqual(idsOf('m31a'));
      const day = parseVotable((await query(`TIME=${MJD_2025_01_10}+${MJD_2025_01_10 + 1}`)).body);
      expect(obsIds(day)).toEqual(idsOf('m31a', 'm31b'));
      const later = parseVotable((await query(`TIME=${MJD_2025_01_10 + 1}+%2BInf`)).body);
      expect(obsIds(later)).toEqual(idsOf('far', 'wrap'));
      const earlier = parseVotable((await query(`TIME=-Inf+${MJD_2025_01_10 + 0.1}`)).body);
      expect(obsIds(earlier)).toEqual(idsOf('m31a'));
      // Far outside any calendar the day filters know: no rows, not an error.
      for (const far of ['1e12+%2BInf', '-1e12+-1e11', '-1e12+1e12']) {
        const res = await query(`TIME=${far}`);
        expect(res.statusCode).toBe(200);
        expect(parseVotable(res.body).rows).toHaveLength(far === '-1e12+1e12' ? 4 : 0);
      }
    });

    it('EXPTIME, INSTRUMENT, TARGET, COLLECTION, CALIB, DPTYPE; strings exact, repeats ORed', async () => {
      expect(obsIds(parseVotable((await query('EXPTIME=100+400')).body))).toEqual(idsOf('m31b', 'far'));
      expect(obsIds(parseVotable((await query('EXPTIME=120')).body))).toEqual(idsOf('m31b'));
      expect(obsIds(parseVotable((await query('INSTRUMENT=QHY600')).body))).toEqual(idsOf('m31b'));
      expect(obsIds(parseVotable((await query('TARGET=NGC+5128')).body))).toEqual(idsOf('far'));
      expect(obsIds(parseVotable((await query('TARGET=NGC+5128&target=M31')).body))).toEqual(idsOf('m31b', 'far'));
      expect(obsIds(parseVotable((await query('TARGET=M31&INSTRUMENT=QHY600')).body))).toEqual(idsOf('m31b'));
      expect(obsIds(parseVotable((await query('FACILITY=Winer+T1')).body))).toEqual(idsOf('m31a'));
      expect(
        obsIds(parseVotable((await query(`ID=${encodeURIComponent(`ivo://aims/images?${ids.far}`)}`)).body)),
      ).toEqual(idsOf('far'));
      expect(obsIds(parseVotable((await query('COLLECTION=AIMS&CALIB=1&DPTYPE=image')).body))).toEqual(
        idsOf('m31a', 'm31b', 'far', 'wrap'),
      );
      for (const other of [
        'COLLECTION=other',
        'COLLECTION=aims',
        'CALIB=2',
        'DPTYPE=cube',
        'DPTYPE=spectrum',
        'INSTRUMENT=qhy600',
        'TARGET=ngc5128',
        'POL=I',
        'BAND=1e-6',
      ]) {
        const res = await query(other);
        expect(res.statusCode).toBe(200);
        expect(parseVotable(res.body).rows).toEqual([]);
      }
    });

    it('MAXREC cuts the rows and says OVERFLOW', async () => {
      const p = parseVotable((await query('MAXREC=2')).body);
      expect(p.infos.QUERY_STATUS?.[0]).toBe('OVERFLOW');
      expect(obsIds(p)).toEqual(idsOf('m31a', 'm31b'));
      const exact = parseVotable((await query('MAXREC=4')).body);
      expect(exact.infos.QUERY_STATUS?.[0]).toBe('OK');
      expect(exact.rows).toHaveLength(4);
      const zero = parseVotable((await query('MAXREC=0')).body);
      expect(zero.infos.QUERY_STATUS?.[0]).toBe('OVERFLOW');
      expect(zero.rows).toEqual([]);
    });

    it.each([
      ['POS=CIRCLE+10+20', 'POS: CIRCLE needs'],
      ['POS=CIRCLE+abc+20+1', "POS: 'abc' is not a number"],
      ['POS=CIRCLE+10+95+1', 'POS: CIRCLE needs'],
      ['POS=POLYGON+1+1+2+2', 'POLYGON needs at least 3 vertices'],
      ['POS=BOX+1+2+3+4', 'unknown shape'],
      ['TIME=60000+60001+60002', 'TIME: expected an interval'],
      ['TIME=60001+60000', 'TIME: low must be'],
      ['BAND=red', "BAND: 'red' is not a number"],
      ['MAXREC=-1', 'MAXREC'],
      ['MAXREC=1&MAXREC=2', 'MAXREC: only one value'],
      ['RESPONSEFORMAT=json', 'RESPONSEFORMAT'],
      ['CALIB=raw', 'CALIB'],
    ])('%s → 400 with QUERY_STATUS ERROR, a UsageFault', async (qs, message) => {
      const res = await query(qs);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/x-votable+xml');
      const p = parseVotable(res.body);
      expect(p.infos.QUERY_STATUS?.[0]).toBe('ERROR');
      expect(p.infos.QUERY_STATUS?.[1]).toMatch(/^UsageFault: /);
      expect(p.infos.QUERY_STATUS?.[1]).toContain(message);
    });

    it('POS POLYGON and repeated POS (ORed); a frame matches by its footprint', async () => {
      // A triangle over m31a's south-west corner (9, 19.35), not over any centre.
      const corner = encodeURIComponent('POLYGON 8.5 19 9.5 19 9 19.6');
      expect(obsIds(parseVotable((await query(`POS=${corner}`)).body))).toEqual(idsOf('m31a'));
      const two = `POS=${corner}&POS=${encodeURIComponent('CIRCLE 200 -30 0.1')}`;
      expect(obsIds(parseVotable((await query(two)).body))).toEqual(idsOf('m31a', 'far'));
    });

    it('POST with a form body is the same query as GET', async () => {
      const res = await t.as('user', {
        method: 'POST',
        url: '/api/vo/sia/query',
        headers: { host: 'aims.test', 'content-type': 'application/x-www-form-urlencoded' },
        payload: `pos=${encodeURIComponent('CIRCLE 10.2 20.1 1')}&TARGET=M31`,
      });
      expect(res.statusCode).toBe(200);
      expect(obsIds(parseVotable(res.body))).toEqual(idsOf('m31b'));
    });

    it('needs a signed-in user (401), and download links still need download rights', async () => {
      for (const path of ['query?POS=CIRCLE+10+20+1', 'capabilities', 'availability']) {
        const res = await t.as('anonymous', { url: `/api/vo/sia/${path}` });
        expect(res.statusCode).toBe(401);
        expect(res.headers['www-authenticate']).toBe('Basic realm="AIMS", charset="UTF-8"');
      }
      const link = await t.as('user', { url: `/api/images/${ids.m31a}/download` });
      expect(link.statusCode).toBe(403);
    });

    it('an API token is accepted as Bearer and as the password of HTTP Basic (any user name)', async () => {
      const { token, hash, prefix } = generateApiToken();
      await createApiToken(t.database, {
        userId: t.ids.user,
        name: 'topcat',
        tokenHash: hash,
        prefix,
        expiresAt: null,
      });
      const url = '/api/vo/sia/query?TARGET=NGC+5128';
      const basic = (user: string, password: string) =>
        `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
      for (const authorization of [
        `Bearer ${token}`,
        basic('anything', token),
        basic('', token),
        basic('x', t.tokens.user),
      ]) {
        const res = await t.app.inject({ url, headers: { authorization } });
        expect(res.statusCode).toBe(200);
        expect(obsIds(parseVotable(res.body))).toEqual(idsOf('far'));
      }
      for (const authorization of [basic('anything', 'wrong'), basic('anything', ''), 'Digest abc']) {
        const res = await t.app.inject({ url, headers: { authorization } });
        expect(res.statusCode).toBe(401);
      }
    });

    it('VOSI capabilities name the query endpoint; availability says available', async () => {
      const caps = await t.as('user', { url: '/api/vo/sia/capabilities', headers: { host: 'aims.test' } });
      expect(caps.statusCode).toBe(200);
      expect(caps.body).toContain('standardID="ivo://ivoa.net/std/SIA#query-2.0"');
      expect(caps.body).toContain('<accessURL use="full">http://aims.test/api/vo/sia/query</accessURL>');
      const avail = await t.as('user', { url: '/api/vo/sia/availability' });
      expect(avail.statusCode).toBe(200);
      expect(avail.body).toContain('<vosi:available>true</vosi:available>');
    });
  });

describe('SIA 2.0 with AIMS_PUBLIC_READ=true', () => {
  it('answers anonymous queries', async () => {
    const t = await startTestApi('sqlite', { env: { AIMS_PUBLIC_READ: 'true' }, personas: false });
    try {
      await insertImage(t.database, makeImage(FRAMES.far));
      const res = await t.as('anonymous', { url: '/api/vo/sia/query?TARGET=NGC+5128' });
      expect(res.statusCode).toBe(200);
      expect(parseVotable(res.body).rows).toHaveLength(1);
    } finally {
      await t.close();
    }
  });
});

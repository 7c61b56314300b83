/**
 * The community's own clients and validators against AIMS on a real port: pyvo (SIA 2.0 search,
 * DataLink, SODA cutouts, with an API token as the HTTP Basic password), STILTS votlint on every
 * kind of VOTable AIMS answers, and STILTS cone servicetype=sia2 (TOPCAT's SIA client). The
 * catalog logic runs on every dialect in sia.http/datalink.http; the clients only need one.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiToken } from '../../src/auth/api-token-secret.js';
import { createApiToken } from '../../src/db/api-tokens.repository.js';
import { insertImage } from '../../src/db/images.repository.js';
import { SYSTEM_PYTHON } from '../support/fixtures.js';
import { makeImage, observedAt } from '../support/images.js';
import { startTestApi, type TestApi } from './support/http-app.js';
import { writeFrame } from './support/vo-frame.js';

const PYVO_CLIENT = join(import.meta.dirname, 'support', 'pyvo-client.py');
const STILTS = '/usr/bin/stilts';
const hasPyvo = spawnSync(SYSTEM_PYTHON, ['-c', 'import pyvo'], { encoding: 'utf8' }).status === 0;
const hasStilts = spawnSync(STILTS, ['-version'], { encoding: 'utf8' }).status === 0;

/**
 * Runs a client without blocking the event loop: the server under test answers in this process.
 */
function run(command: string, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** What votlint reports, one line each, without its "no errors" chatter. */
function votlint(path: string): string[] {
  const run = spawnSync(STILTS, ['votlint', `votable=${path}`], { encoding: 'utf8' });
  return `${run.stdout}${run.stderr}`
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

describe.skipIf(!hasPyvo || !hasStilts)('VO clients against a running AIMS', () => {
  let t: TestApi;
  let base = '';
  let token = '';
  const ids: Record<string, number> = {};
  const work = mkdtempSync(join(tmpdir(), 'aims-vo-clients-'));

  beforeAll(async () => {
    const images = mkdtempSync(join(tmpdir(), 'aims-vo-images-'));
    const frame = writeFrame(images);
    t = await startTestApi('sqlite', { env: { AIMS_IMAGE_DIR: images, AIMS_PUBLIC_READ: 'true' } });
    const footprint: Array<[number, number]> = [
      [149.97, 1.97],
      [150.03, 1.97],
      [150.03, 2.03],
      [149.97, 2.03],
    ];
    const field = makeImage({
      root: images,
      rel_path: 'field.fits',
      size_bytes: frame.size,
      metadata: {
        ...observedAt('2025-01-10T02:00:00'),
        ra_deg: 150,
        dec_deg: 2,
        exptime: 60,
        filter_name: 'Ha',
        object_name: 'test field',
        instrument: 'ZWO ASI2600MM',
        naxis1: 200,
        naxis2: 150,
        footprint,
      },
    });
    ids.field = (await insertImage(t.database, field)).id;
    const other = makeImage({
      metadata: { ...observedAt('2025-02-01T05:00:00'), ra_deg: 200, dec_deg: -30, exptime: 300, filter_name: 'V' },
    });
    ids.other = (await insertImage(t.database, other)).id;
    const secret = generateApiToken();
    await createApiToken(t.database, {
      userId: t.ids.downloader,
      name: 'pyvo',
      tokenHash: secret.hash,
      prefix: secret.prefix,
      expiresAt: null,
    });
    token = secret.token;
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await t.close();
  });

  it('pyvo searches with SIA 2.0, follows DataLink and cuts out through SODA', async () => {
    const pyvo = await run(SYSTEM_PYTHON, [PYVO_CLIENT, base, token]);
    expect(pyvo.status, pyvo.stderr).toBe(0);
    const seen = JSON.parse(pyvo.stdout);
    expect(seen.query_url).toBe(`${base}/api/vo/sia/query`);
    expect(seen.cone).toEqual([ids.field]);
    expect(seen.columns).toContain('em_res_power');
    expect(seen.band).toEqual([ids.field]); // Hα, not V
    expect(seen.time).toEqual([ids.field]);
    expect(seen.target).toEqual([ids.field]);
    expect(seen.maxrec).toEqual({ rows: 1, status: 'OVERFLOW' });
    expect(seen.error).toMatch(/UsageFault: POS: CIRCLE needs ra dec radius/);
    expect(seen.this_url).toBe(`${base}/api/images/${ids.field}/download`);
    expect(seen.this_status).toBe(200);
    expect(seen.cutout_shape[0]).toBeGreaterThan(30);
    expect(seen.cutout_shape[0]).toBeLessThan(45);
  });

  it('stilts votlint finds no errors in any VOTable AIMS answers', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const did = encodeURIComponent(`ivo://aims/images?${ids.field}`);
    const documents: Record<string, string> = {
      'sia-results': '/api/vo/sia/query?POS=CIRCLE+150+2+1',
      'sia-empty': '/api/vo/sia/query?POL=I',
      'sia-overflow': '/api/vo/sia/query?MAXREC=1',
      'sia-metadata': '/api/vo/sia/query?MAXREC=0',
      'sia-error': '/api/vo/sia/query?POS=CIRCLE+1',
      datalink: `/api/vo/datalink?ID=${did}`,
      'datalink-error': '/api/vo/datalink?ID=nothing',
      'datalink-usage': '/api/vo/datalink',
    };
    const reports: Record<string, string[]> = {};
    for (const [name, url] of Object.entries(documents)) {
      const res = await t.app.inject({ url, headers: auth });
      const path = join(work, `${name}.vot`);
      writeFileSync(path, res.body);
      reports[name] = votlint(path);
    }
    // Every report is empty: no errors and no warnings.
    expect(reports).toEqual(Object.fromEntries(Object.keys(documents).map((n) => [n, []])));
  });

  it('stilts cone servicetype=sia2 (TOPCAT’s SIA client) reads the search', async () => {
    const out = join(work, 'cone.csv');
    const args = ['cone', 'servicetype=sia2', `serviceurl=${base}/api/vo/sia/query`, 'lon=150', 'lat=2', 'radius=0.05'];
    const cone = await run(STILTS, [...args, `out=${out}`, 'ofmt=csv']);
    expect(cone.status, cone.stderr).toBe(0);
    const csv = readFileSync(out, 'utf8').trim().split('\n');
    expect(csv).toHaveLength(2);
    const header = csv[0]?.split(',') ?? [];
    const row = csv[1]?.split(',') ?? [];
    expect(row[header.indexOf('obs_id')]).toBe(String(ids.field));
  });
});

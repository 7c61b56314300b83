import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPreviewRenders, type PreviewRenders } from '../../src/catalog/preview-renders.js';
import { insertImage } from '../../src/db/images.repository.js';
import { DIALECTS } from '../support/databases.js';
import { SYSTEM_PYTHON } from '../support/fixtures.js';
import { makeImage } from '../support/images.js';
import { startTestApi, type TestApi } from './support/http-app.js';
import { HEIGHT, SCALE_DEG, WIDTH, writeFrame } from './support/vo-frame.js';

const CHECKER = join(import.meta.dirname, 'support', 'votable-check.py');
const CUTOUT_CHECKER = join(import.meta.dirname, 'support', 'cutout-check.py');

interface Parsed {
  warnings: string[];
  infos: Record<string, [string, string]>;
  fields: Array<{ name: string }>;
  rows: Array<Record<string, string | number | boolean | null>>;
}

function parseVotable(xml: string): Parsed {
  const run = spawnSync(SYSTEM_PYTHON, [CHECKER], { input: xml, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`astropy could not parse the VOTable: ${run.stderr}\n${xml}`);
  return JSON.parse(run.stdout) as Parsed;
}

interface CutoutCheck {
  shape: [number, number];
  offset: [number, number];
  max_sky_error_deg: number;
  data_equal: boolean;
  centre_pixel?: [number, number];
}

for (const dialect of DIALECTS)
  describe(`DataLink and SODA cutouts (${dialect})`, () => {
    let t: TestApi;
    let renders: PreviewRenders;
    let id = 0;
    let original = '';
    const did = () => encodeURIComponent(`ivo://aims/images?${id}`);
    const work = mkdtempSync(join(tmpdir(), 'aims-soda-'));

    beforeAll(async () => {
      const images = mkdtempSync(join(tmpdir(), 'aims-soda-images-'));
      const frame = writeFrame(images);
      original = frame.path;
      // Cutouts are made in the on-demand preview threads, as `aims serve` does (main.ts).
      renders = createPreviewRenders({
        previewDir: mkdtempSync(join(tmpdir(), 'aims-soda-previews-')),
        renders: 1,
        queue: 4,
      });
      t = await startTestApi(dialect, { env: { AIMS_IMAGE_DIR: images }, deps: { previews: renders } });
      id = (
        await insertImage(
          t.database,
          makeImage({
            root: images,
            rel_path: 'field.fits',
            size_bytes: frame.size,
            metadata: { ra_deg: 150, dec_deg: 2 },
          }),
        )
      ).id;
    });
    afterAll(async () => {
      await t.close();
    });

    /** The cutout of `query` as the downloader, written to disk and compared with the original by astropy. */
    async function cutout(query: string, centre?: [number, number]): Promise<CutoutCheck> {
      const res = await t.as('downloader', { url: `/api/vo/soda?ID=${did()}&${query}` });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('application/fits');
      const path = join(work, `cut-${Math.random().toString(36).slice(2)}.fits`);
      writeFileSync(path, res.rawPayload);
      const args = [CUTOUT_CHECKER, original, path, ...(centre ? centre.map(String) : [])];
      const run = spawnSync(SYSTEM_PYTHON, args, { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(run.stderr);
      return JSON.parse(run.stdout) as CutoutCheck;
    }

    it('DataLink: #this and #cutout for users allowed to download, #preview for all', async () => {
      const asDownloader = await t.as('downloader', {
        url: `/api/vo/datalink?ID=${did()}`,
        headers: { host: 'aims.test' },
      });
      expect(asDownloader.statusCode).toBe(200);
      expect(asDownloader.headers['content-type']).toContain('application/x-votable+xml;content=datalink');
      const links = parseVotable(asDownloader.body);
      // SODA's UCD pos.outline;obs postdates the UCD word list astropy checks; nothing else may warn.
      expect(links.warnings.filter((w) => !/W06: Invalid UCD 'pos\.outline;obs'/.test(w))).toEqual([]);
      const bySemantics = Object.fromEntries(links.rows.map((r) => [r.semantics, r]));
      expect(bySemantics['#this']).toMatchObject({
        ID: `ivo://aims/images?${id}`,
        access_url: `http://aims.test/api/images/${id}/download`,
        content_type: 'image/fits',
        error_message: null,
      });
      expect(bySemantics['#preview']?.access_url).toBe(`http://aims.test/api/images/${id}/preview?size=medium`);
      expect(bySemantics['#cutout']).toMatchObject({ service_def: 'soda', access_url: null });
      expect(asDownloader.body).toContain('value="ivo://ivoa.net/std/SODA#sync-1.0"');
      expect(asDownloader.body).toContain('value="http://aims.test/api/vo/soda"');

      const asUser = parseVotable((await t.as('user', { url: `/api/vo/datalink?ID=${did()}` })).body);
      const refused = Object.fromEntries(asUser.rows.map((r) => [r.semantics, r]));
      expect(refused['#this']).toMatchObject({
        access_url: null,
        error_message: expect.stringMatching(/^NotAuthorizedFault: /),
      });
      expect(refused['#cutout']).toMatchObject({
        service_def: null,
        error_message: expect.stringMatching(/^NotAuthorizedFault: /),
      });
      expect(refused['#preview']?.access_url).toContain(`/api/images/${id}/preview`);
    });

    it('DataLink: an unknown ID is an error row; no ID is a UsageFault', async () => {
      const res = await t.as('user', { url: '/api/vo/datalink?ID=ivo%3A%2F%2Faims%2Fimages%3F999999&ID=nonsense' });
      const rows = parseVotable(res.body).rows;
      expect(rows.map((r) => r.error_message)).toEqual([
        'NotFoundFault: no dataset ivo://aims/images?999999',
        'NotFoundFault: no dataset nonsense',
      ]);
      const none = await t.as('user', { url: '/api/vo/datalink' });
      expect(none.statusCode).toBe(400);
      expect(parseVotable(none.body).infos.QUERY_STATUS?.[1]).toBe('UsageFault: ID: required');
    });

    it('SODA PIXEL: exactly the pixels asked for, with a WCS that puts them where they were', async () => {
      const before = renders.stats().started;
      const check = await cutout('PIXEL=11+40+21+35');
      expect(check).toMatchObject({ shape: [30, 15], offset: [10, 20], data_equal: true });
      expect(check.max_sky_error_deg).toBeLessThan(1e-9);
      const dachs = await cutout('PIXEL_1=1+5&PIXEL_2=146+200');
      expect(dachs).toMatchObject({ shape: [5, 5], offset: [0, 145], data_equal: true });
      // Both were cut in a worker thread, not on the HTTP thread.
      expect(renders.stats().started - before).toBe(2);
    });

    it('SODA CIRCLE and POS: the pixels covering the region, WCS kept', async () => {
      // 0.005° = 18.5 px radius around a point off the centre.
      const ra = 150.01;
      const dec = 2.005;
      for (const query of [`CIRCLE=${ra}+${dec}+0.005`, `POS=${encodeURIComponent(`CIRCLE ${ra} ${dec} 0.005`)}`]) {
        const check = await cutout(query, [ra, dec]);
        expect(check.data_equal).toBe(true);
        expect(check.max_sky_error_deg).toBeLessThan(1e-9);
        const radiusPx = 0.005 / SCALE_DEG;
        // The box is the circle's, to the pixel: about 2r + 1 wide and high.
        expect(Math.abs(check.shape[0] - (2 * radiusPx + 1))).toBeLessThanOrEqual(1.5);
        expect(Math.abs(check.shape[1] - (2 * radiusPx + 1))).toBeLessThanOrEqual(1.5);
        const [cx, cy] = check.centre_pixel ?? [0, 0];
        expect(cx - check.offset[0]).toBeGreaterThan(radiusPx - 1);
        expect(cx - check.offset[0]).toBeLessThan(check.shape[0] - radiusPx + 1);
        expect(cy - check.offset[1]).toBeGreaterThan(radiusPx - 1);
      }
      // A circle larger than the frame: the whole frame.
      expect(await cutout('CIRCLE=150+2+1')).toMatchObject({
        shape: [WIDTH, HEIGHT],
        offset: [0, 0],
        data_equal: true,
      });
      // A region and pixel ranges intersect.
      expect(await cutout('CIRCLE=150+2+1&PIXEL=1+10+1+10')).toMatchObject({ shape: [10, 10], offset: [0, 0] });
    });

    it('SODA POLYGON and POS RANGE', async () => {
      const poly = await cutout(`POLYGON=${encodeURIComponent('149.995 1.995 150.005 1.995 150 2.005')}`);
      expect(poly.data_equal).toBe(true);
      expect(poly.max_sky_error_deg).toBeLessThan(1e-9);
      expect(poly.shape[0]).toBeGreaterThan(30);
      expect(poly.shape[0]).toBeLessThan(60);
      const range = await cutout(`POS=${encodeURIComponent('RANGE 149.99 150.01 1.99 2.01')}`);
      expect(range.data_equal).toBe(true);
      expect(range.shape[0]).toBeGreaterThan(70);
      expect(range.shape[0]).toBeLessThan(130);
    });

    it.each([
      ['', 'UsageFault: ID: required'],
      ['ID=42abc', "UsageFault: ID: '42abc' is not a dataset of this service"],
      ['CIRCLE=10+10+0.01', 'UsageFault: the region does not overlap the image'],
      ['CIRCLE=150+2', 'UsageFault: CIRCLE: CIRCLE needs ra dec radius'],
      ['PIXEL=1+2+3', 'UsageFault: PIXEL: expected 4 integers'],
      ['PIXEL=300+400+1+10', 'UsageFault: the region does not overlap the image'],
      ['CIRCLE=150+2+1&POS=CIRCLE+150+2+1', 'UsageFault: CIRCLE, POLYGON and POS: give one of them'],
    ])('SODA %s → 400 text/plain', async (query, message) => {
      const withId = query.startsWith('ID=') || query === '' ? query : `ID=${did()}&${query}`;
      const res = await t.as('downloader', { url: `/api/vo/soda?${withId}` });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('text/plain');
      expect(res.body).toContain(message);
    });

    it('SODA needs download rights; DataLink needs read access', async () => {
      expect((await t.as('user', { url: `/api/vo/soda?ID=${did()}&PIXEL=1+2+1+2` })).statusCode).toBe(403);
      const anonymous = await t.as('anonymous', { url: `/api/vo/soda?ID=${did()}&PIXEL=1+2+1+2` });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.headers['www-authenticate']).toContain('Basic');
      expect((await t.as('anonymous', { url: `/api/vo/datalink?ID=${did()}` })).statusCode).toBe(401);
      expect(
        (await t.as('downloader', { url: '/api/vo/soda?ID=ivo%3A%2F%2Faims%2Fimages%3F999999&PIXEL=1+2+1+2' }))
          .statusCode,
      ).toBe(404);
    });
  });

import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertImage } from '../../src/db/images.repository.js';
import type { ImageMetadata } from '../../src/domain/image.js';
import { DIALECTS } from '../support/databases.js';
import { makeImage, observedAt } from '../support/images.js';
import { startTestApi, type TestApi } from './support/http-app.js';
import { parseCsv, unzip } from './support/unzip.js';

const SETUP: Partial<ImageMetadata> = { camera: 'ASI294MM', gain: 120, xbinning: 2, ybinning: 2, filter_name: 'OIII' };

/** One light of M 13 and its calibration, a near miss of each kind, and a second light. */
const FRAMES: Record<string, Partial<ImageMetadata>> = {
  'm13_001.fits': {
    ...SETUP,
    ...observedAt('2025-06-01T23:00:00', '2025-06-01'),
    image_type: 'light',
    exptime: 180,
    ccd_temp: -15,
    object_name: 'M 13',
  },
  'm13_002.fits': {
    ...SETUP,
    ...observedAt('2025-06-01T23:05:00', '2025-06-01'),
    image_type: 'light',
    exptime: 180,
    ccd_temp: -15,
    object_name: 'M13',
  },
  'master_dark_180s.fits': {
    ...SETUP,
    ...observedAt('2025-05-20T12:00:00', '2025-05-19'),
    image_type: 'dark',
    exptime: 180,
    ccd_temp: -15.5,
    master_frame: true,
    combined_frames: 50,
  },
  'dark_180s_warm.fits': {
    ...SETUP,
    ...observedAt('2025-06-02T03:00:00', '2025-06-01'),
    image_type: 'dark',
    exptime: 180,
    ccd_temp: -5,
  },
  'flat_oiii_1.fits': {
    ...SETUP,
    ...observedAt('2025-06-01T20:00:00', '2025-06-01'),
    image_type: 'flat',
    exptime: 1.5,
  },
  'flat_oiii_2.fits': {
    ...SETUP,
    ...observedAt('2025-06-01T20:01:00', '2025-06-01'),
    image_type: 'flat',
    exptime: 1.5,
  },
  'flat_ha.fits': {
    ...SETUP,
    ...observedAt('2025-06-01T20:02:00', '2025-06-01'),
    image_type: 'flat',
    exptime: 1.5,
    filter_name: 'Ha',
  },
  'bias_bin1.fits': {
    ...SETUP,
    ...observedAt('2025-06-01T19:00:00', '2025-06-01'),
    image_type: 'bias',
    exptime: 0,
    xbinning: 1,
    ybinning: 1,
  },
};

for (const dialect of DIALECTS)
  describe(`calibration API (${dialect})`, () => {
    let t: TestApi;
    let root: string;
    const ids: Record<string, number> = {};
    const content: Record<string, Buffer> = {};
    beforeAll(async () => {
      t = await startTestApi(dialect);
      root = mkdtempSync(join(tmpdir(), 'aims-calibration-'));
      t.config.imageDirs.push(root);
      for (const [name, metadata] of Object.entries(FRAMES)) {
        const data = Buffer.from(`SIMPLE  = T ${name}`.padEnd(2880, ' '));
        writeFileSync(join(root, name), data);
        content[name] = data;
        const sha256 = createHash('sha256').update(data).digest('hex');
        const image = makeImage({ root, rel_path: name, sha256, size_bytes: data.length, metadata });
        ids[name] = (await insertImage(t.database, image)).id;
      }
    });
    afterAll(async () => {
      await t.close();
      rmSync(root, { recursive: true, force: true });
    });
    const name = (id: number) => Object.keys(ids).find((k) => ids[k] === id);

    describe('GET /api/images/{id}/calibration', () => {
      it('lists the matches per kind with their reasons, and what is missing', async () => {
        const res = await t.as('user', { url: `/api/images/${ids['m13_001.fits']}/calibration` });
        expect(res.statusCode).toBe(200);
        const body = res.json();
        expect(body).toMatchObject({ image_id: ids['m13_001.fits'], applies: true, notes: [] });
        expect(body.kinds.dark.matches.map((m: { id: number }) => name(m.id))).toEqual(['master_dark_180s.fits']);
        expect(body.kinds.dark.matches[0]).toMatchObject({
          master_frame: true,
          combined_frames: 50,
          selected: true,
          reasons: expect.arrayContaining(['sensor -15.5 °C, within ±2 °C', 'master frame (50 combined)']),
        });
        // Nearest first: the second flat was taken a minute closer to the light.
        expect(body.kinds.flat.matches.map((m: { id: number }) => name(m.id))).toEqual([
          'flat_oiii_2.fits',
          'flat_oiii_1.fits',
        ]);
        expect(body.kinds.flat.matches.every((m: { selected: boolean }) => m.selected)).toBe(true);
        expect(body.kinds.bias).toMatchObject({
          matches: [],
          missing: expect.stringMatching(/^no bias frame within 180 days passes every rule/),
          near_misses: [{ id: ids['bias_bin1.fits'], failed: ['binning 1×1, not 2×2'] }],
        });
      });

      it('is 401 without a session, 400 for a bad id, 404 for an unknown one', async () => {
        expect((await t.as('anonymous', { url: `/api/images/${ids['m13_001.fits']}/calibration` })).statusCode).toBe(
          401,
        );
        const bad = await t.as('user', { url: '/api/images/abc/calibration' });
        expect(bad.statusCode).toBe(400);
        expect(bad.json()).toMatchObject({ parameter: 'id' });
        const missing = await t.as('user', { url: '/api/images/987654/calibration' });
        expect(missing.statusCode).toBe(404);
        expect(missing.json().message).toBe('no image 987654');
      });
    });

    describe('POST /api/downloads with_calibration', () => {
      const post = (persona: 'downloader' | 'user', payload: object) =>
        t.as(persona, { method: 'POST', url: '/api/downloads', payload });

      it('adds the selected calibration in the folders stacking tools expect, with the manifest', async () => {
        const lights = [ids['m13_001.fits'] as number, ids['m13_002.fits'] as number];
        const res = await post('downloader', { ids: lights, with_calibration: true });
        expect(res.statusCode).toBe(200);
        const entries = await unzip(res.rawPayload);
        expect(entries.map((e) => e.name).sort()).toEqual([
          'darks/master_dark_180s.fits',
          'flats/flat_oiii_1.fits',
          'flats/flat_oiii_2.fits',
          'lights/m13_001.fits',
          'lights/m13_002.fits',
          'manifest.csv',
        ]);
        for (const entry of entries)
          if (entry.name !== 'manifest.csv') expect(entry.data.equals(content[entry.name.split('/')[1]!]!)).toBe(true);
        const [header, ...rows] = parseCsv(entries.find((e) => e.name === 'manifest.csv')!.data.toString('utf8'));
        const col = (c: string) => header!.indexOf(c);
        expect(col('included_as')).toBeGreaterThan(0);
        const roles = Object.fromEntries(rows.map((r) => [r[col('name')], [r[col('status')], r[col('included_as')]]]));
        expect(roles).toEqual({
          'lights/m13_001.fits': ['ok', 'selected'],
          'lights/m13_002.fits': ['ok', 'selected'],
          'darks/master_dark_180s.fits': ['ok', 'calibration'],
          'flats/flat_oiii_1.fits': ['ok', 'calibration'],
          'flats/flat_oiii_2.fits': ['ok', 'calibration'],
        });
      });

      it('by filters too; without the flag, the ZIP is flat as before', async () => {
        const res = await post('downloader', { filters: { object: 'm13' }, with_calibration: true });
        expect(res.statusCode).toBe(200);
        expect((await unzip(res.rawPayload)).map((e) => e.name)).toContain('darks/master_dark_180s.fits');
        const plain = await post('downloader', { ids: [ids['m13_001.fits']] });
        expect((await unzip(plain.rawPayload)).map((e) => e.name)).toEqual(['m13_001.fits', 'manifest.csv']);
      });

      it('is refused to users who may not download, and checks its input', async () => {
        expect((await post('user', { ids: [ids['m13_001.fits']], with_calibration: true })).statusCode).toBe(403);
        const bad = await post('downloader', { ids: [ids['m13_001.fits']], with_calibration: 'yes' });
        expect(bad.statusCode).toBe(400);
      });
    });
  });

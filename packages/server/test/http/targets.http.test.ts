import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertImage } from '../../src/db/images.repository.js';
import type { ImageMetadata } from '../../src/domain/image.js';
import { DIALECTS } from '../support/databases.js';
import { makeImage, observedAt } from '../support/images.js';
import { startTestApi, type TestApi } from './support/http-app.js';
import { parseCsv } from './support/unzip.js';

type Frame = Partial<ImageMetadata> & { flag?: boolean; score?: number };

/** M 13 under three spellings over two nights, one frame of M 92, and calibration frames. */
const FRAMES: Frame[] = [
  {
    object_name: 'M 13',
    filter_name: 'Ha',
    exptime: 300,
    ...observedAt('2025-06-01T22:00:00', '2025-06-01'),
    ra_deg: 250.42,
    dec_deg: 36.46,
    flag: true,
    score: 80,
  },
  {
    object_name: 'M13',
    filter_name: 'ha',
    exptime: 300,
    ...observedAt('2025-06-01T22:10:00', '2025-06-01'),
    ra_deg: 250.43,
    dec_deg: 36.47,
    flag: false,
    score: 40,
  },
  {
    object_name: 'm13',
    filter_name: 'HA',
    exptime: 600,
    ...observedAt('2025-06-03T23:00:00', '2025-06-03'),
    ra_deg: 250.41,
    dec_deg: 36.45,
    flag: true,
    score: 90,
  },
  {
    object_name: 'M 13',
    filter_name: 'OIII',
    exptime: 120,
    ...observedAt('2025-06-03T23:30:00', '2025-06-03'),
    flag: true,
    score: 70,
  },
  {
    object_name: 'M 92',
    filter_name: 'L',
    exptime: 60,
    ...observedAt('2025-05-01T22:00:00', '2025-05-01'),
    ra_deg: 259.28,
    dec_deg: 43.14,
    flag: false,
  },
  // A dark that names the target is not a frame of it.
  { object_name: 'M 13', image_type: 'dark', exptime: 300, ...observedAt('2025-06-02T10:00:00', '2025-06-01') },
];

for (const dialect of DIALECTS)
  describe(`targets API (${dialect})`, () => {
    let t: TestApi;
    beforeAll(async () => {
      t = await startTestApi(dialect);
      for (const { flag, score, ...metadata } of FRAMES)
        await insertImage(
          t.database,
          makeImage({
            metadata: { image_type: 'light', ...metadata },
            score: { quality_flag: flag ?? false, quality_score: score ?? null },
          }),
        );
    });
    afterAll(() => t.close());
    const get = (url: string) => t.as('user', { url });

    it('groups every spelling of a name into one target with totals per filter', async () => {
      const res = await get('/api/targets?sort=name');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.total).toBe(2);
      expect(body.items.map((i: { key: string }) => i.key)).toEqual(['m13', 'm92']);
      const m13 = body.items[0];
      expect(m13).toMatchObject({
        key: 'm13',
        name: 'M 13',
        frames: 4,
        good_frames: 3,
        integration_seconds: 1320,
        good_integration_seconds: 1020,
        nights: 2,
        first_date_obs: '2025-06-01T22:00:00.000Z',
        last_date_obs: '2025-06-03T23:30:00.000Z',
      });
      expect(m13.filters).toEqual([
        { filter_name: 'HA', frames: 3, good_frames: 2, integration_seconds: 1200, good_integration_seconds: 900 },
        { filter_name: 'OIII', frames: 1, good_frames: 1, integration_seconds: 120, good_integration_seconds: 120 },
      ]);
      expect(m13.ra_deg).toBeCloseTo(250.42, 2);
      expect(m13.dec_deg).toBeCloseTo(36.46, 2);
    });

    it('sorts, pages and searches', async () => {
      const byTime = await get('/api/targets?sort=integration_seconds&order=asc&limit=1');
      expect(byTime.json()).toMatchObject({ total: 2, items: [{ key: 'm92' }] });
      expect((await get('/api/targets?sort=integration_seconds&offset=1')).json().items[0].key).toBe('m92');
      expect((await get('/api/targets')).json().items[0].key).toBe('m13');
      expect((await get('/api/targets?q=m%2092')).json().items.map((i: { key: string }) => i.key)).toEqual(['m92']);
    });

    it('gives the same numbers as CSV, one row per target and filter', async () => {
      const res = await get('/api/targets?format=csv&sort=name');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      const [header, ...rows] = parseCsv(res.body);
      const col = (c: string) => header!.indexOf(c);
      expect(rows.map((r) => [r[col('key')], r[col('filter_name')], r[col('filter_integration_seconds')]])).toEqual([
        ['m13', 'HA', '1200'],
        ['m13', 'OIII', '120'],
        ['m92', 'L', '60'],
      ]);
      expect(rows[0]?.[col('integration_seconds')]).toBe('1320');
    });

    it('one target: found by any spelling, with cumulative integration and its best frames', async () => {
      const res = await get(`/api/targets/${encodeURIComponent('M 13')}`);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ key: 'm13', frames: 4, integration_seconds: 1320 });
      expect(body.integration).toEqual([
        {
          filter_name: 'Ha',
          points: [
            {
              night: '2025-06-01',
              seconds: 600,
              good_seconds: 300,
              cumulative_seconds: 600,
              cumulative_good_seconds: 300,
            },
            {
              night: '2025-06-03',
              seconds: 600,
              good_seconds: 600,
              cumulative_seconds: 1200,
              cumulative_good_seconds: 900,
            },
          ],
        },
        {
          filter_name: 'OIII',
          points: [
            {
              night: '2025-06-03',
              seconds: 120,
              good_seconds: 120,
              cumulative_seconds: 120,
              cumulative_good_seconds: 120,
            },
          ],
        },
      ]);
      expect(body.best_frames.map((f: { quality_score: number }) => f.quality_score)).toEqual([90, 80, 70, 40]);
      expect((await get('/api/targets/m13')).json().frames).toBe(4);
    });

    it('counts a new frame at once, though the list is kept between requests', async () => {
      const before = (await get('/api/targets?q=m92')).json().items[0];
      await insertImage(
        t.database,
        makeImage({
          metadata: {
            image_type: 'light',
            object_name: 'M92',
            filter_name: 'L',
            exptime: 90,
            ...observedAt('2025-05-02T22:00:00', '2025-05-02'),
          },
          score: { quality_flag: true, quality_score: 75 },
        }),
      );
      const after = (await get('/api/targets?q=m92')).json().items[0];
      expect([before.frames, before.integration_seconds, before.nights]).toEqual([1, 60, 1]);
      expect(after).toMatchObject({ frames: 2, good_frames: 1, integration_seconds: 150, nights: 2 });
    });

    it('is 404 for an unknown target, 400 for a bad sort, 401 without a session', async () => {
      const missing = await get('/api/targets/ngc7000');
      expect(missing.statusCode).toBe(404);
      expect(missing.json().message).toBe('no target ngc7000');
      const bad = await get('/api/targets?sort=password');
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ parameter: 'sort' });
      expect((await t.as('anonymous', { url: '/api/targets' })).statusCode).toBe(401);
      expect((await t.as('anonymous', { url: '/api/targets/m13' })).statusCode).toBe(401);
    });
  });

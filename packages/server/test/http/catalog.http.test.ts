import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMissingPreview } from '../../src/catalog/previews.js';
import { insertImage } from '../../src/db/images.repository.js';
import { DIALECTS } from '../support/databases.js';
import { describeWithFixtures } from '../support/fixtures.js';
import { makeImage } from '../support/images.js';
import { type Catalog, LINKED_NAME, REAL_FILES, REAL_ROOT, seedCatalog } from './support/catalog.js';
import { startTestApi, type TestApi } from './support/http-app.js';
import { parseCsv, unzip } from './support/unzip.js';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

for (const dialect of DIALECTS)
  describeWithFixtures(`catalog API (${dialect})`, () => {
    let t: TestApi;
    let c: Catalog;
    beforeAll(async () => {
      t = await startTestApi(dialect, {
        deps: { previews: (image, size) => renderMissingPreview(t.config.previewDir, image, size) },
      });
      c = await seedCatalog(t.database);
      // The roots are made by the seeding; the app reads config.imageDirs on each download.
      t.config.imageDirs.push(...c.roots);
    });
    afterAll(async () => {
      await t.close();
      rmSync(c.scratch, { recursive: true, force: true });
    });

    const ids = (res: { json(): { items: Array<{ id: number }> } }) =>
      res
        .json()
        .items.map((i) => i.id)
        .sort((a, b) => a - b);
    const idsOf = (...names: string[]) => names.map((n) => c.ids[n]!).sort((a, b) => a - b);
    const get = (url: string) => t.as('user', { url });

    describe('the observatory validation queries', () => {
      it('telescope=Winer matches every spelling of the name, and names that contain it', async () => {
        const res = await get('/api/images?telescope=Winer');
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({ total: 4, total_exact: true });
        expect(ids(res)).toEqual(idsOf('w1', 'w2', 'w3', 'w4'));
        expect(ids(await get('/api/images?telescope=OBSERVATORY 0.5'))).toEqual(idsOf('w4'));
        expect((await get('/api/images?telescope=winer%25')).json().total).toBe(0);
      });

      it('min_temp=-10 keeps frames at -10 °C and warmer', async () => {
        const res = await get('/api/images?min_temp=-10&telescope=winer');
        expect(ids(res)).toEqual(idsOf('w1', 'w3'));
        const all = await get('/api/images?min_temp=-10&limit=1000');
        for (const item of all.json().items) expect(item.ccd_temp).toBeGreaterThanOrEqual(-10);
        expect(ids(all)).toEqual(idsOf('w1', 'w3', 'o1'));
      });

      it('filter_name=lrg matches LRG, lrg and Lrg', async () => {
        expect(ids(await get('/api/images?filter_name=lrg'))).toEqual(idsOf('w1', 'w2', 'w4'));
        expect(ids(await get('/api/images?filter_name=LRG'))).toEqual(idsOf('w1', 'w2', 'w4'));
      });

      it('start_time=22:00&end_time=04:00 crosses midnight, both ends inclusive', async () => {
        const res = await get('/api/images?start_time=22:00&end_time=04:00&limit=1000');
        // w1 22:15 and w2 03:59 in; w3 04:01 and o1 21:59 out; the real files were taken 00:00–03:00.
        expect(ids(res)).toEqual(idsOf('w1', 'w2', ...REAL_FILES));
        expect(ids(await get('/api/images?start_time=22:00&end_time=04:00&telescope=winer'))).toEqual(
          idsOf('w1', 'w2'),
        );
        expect(ids(await get('/api/images?start_time=04:01&end_time=04:01'))).toEqual(idsOf('w3'));
        const items = res.json().items as Array<{ date_obs: string }>;
        for (const item of items) {
          const hhmm = item.date_obs.slice(11, 16);
          expect(hhmm >= '22:00' || hhmm <= '04:00').toBe(true);
        }
      });

      it('date=2024-11-06 is the UTC day of DATE-OBS; night groups by observing night', async () => {
        expect(ids(await get('/api/images?date=2024-11-06'))).toEqual(idsOf('w2', 'w3', 'w4', 'o1'));
        expect(ids(await get('/api/images?night=2024-11-05'))).toEqual(idsOf('w1', 'w2', 'w3'));
      });

      it('treats an injection string as a value: no match, no harm', async () => {
        const res = await get(`/api/images?telescope=${encodeURIComponent("' OR 1=1 --")}`);
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({ total: 0, items: [] });
        const object = await get(`/api/images?object=${encodeURIComponent("x'); DROP TABLE images; --")}`);
        expect(object.json().total).toBe(0);
        expect((await get('/api/images?limit=1')).json().total).toBe(Object.keys(c.ids).length);
      });

      it('a missing id is a 404, a malformed one a 400 naming it', async () => {
        const missing = await get('/api/images/987654');
        expect(missing.statusCode).toBe(404);
        expect(missing.json()).toEqual({ error: 'Not Found', message: 'no image 987654' });
        const bad = await get('/api/images/abc');
        expect(bad.statusCode).toBe(400);
        expect(bad.json()).toMatchObject({ parameter: 'id' });
      });
    });

    describe('bad parameters are 400s that name the parameter', () => {
      const cases: Array<[string, string, RegExp]> = [
        ['min_temp=abc', 'min_temp', /^min_temp must be a number$/],
        ['max_temp=warm', 'max_temp', /must be a number/],
        ['min_quality=101', 'min_quality', /must be <= 100/],
        ['max_rotator_angle_deg=361', 'max_rotator_angle_deg', /must be <= 360/],
        ['date=2024-13-01', 'date', /YYYY-MM-DD/],
        ['date=2023-02-30', 'date', /YYYY-MM-DD/],
        ['date=yesterday', 'date', /a date YYYY-MM-DD/],
        ['night=2024/11/05', 'night', /YYYY-MM-DD/],
        ['start_time=25:00', 'start_time', /HH:MM/],
        ['end_time=4pm', 'end_time', /HH:MM/],
        ['image_type=selfie', 'image_type', /light, dark, flat, bias, other/],
        ['ra=10&dec=20', 'radius', /go together/],
        ['ra=10&dec=95&radius=1', 'dec', /<= 90/],
        ['ra=10&dec=0&radius=0', 'radius', /> 0/],
        ['sort=password_hash', 'sort', /must be one of/],
        ['sort=id:sideways', 'sort', /^sort must be one of id, file_path, .* or "col:desc"$/],
        ['order=sideways', 'order', /^order must be one of asc, desc$/],
        ['limit=0', 'limit', />= 1/],
        ['limit=5000', 'limit', /<= 1000/],
        ['offset=-1', 'offset', />= 0/],
        ['cursor=nonsense', 'cursor', /cursor/],
        ['fields=id,secret', 'fields', /unknown field 'secret'/],
        // A name of Object.prototype is not a field either.
        ['fields=id,constructor', 'fields', /unknown field 'constructor'/],
        ['format=xml', 'format', /^format must be one of json, csv$/],
        ['telescop=Winer', 'telescop', /not a known field/],
        ['header.EXPTIME%3E=abc', 'header.EXPTIME', /number/],
      ];
      for (const [query, parameter, message] of cases)
        it(`${query} → 400 (${parameter})`, async () => {
          const res = await get(`/api/images?${query}`);
          expect(res.statusCode).toBe(400);
          const body = res.json();
          expect(body.error).toBe('Bad Request');
          expect(body.parameter).toBe(parameter);
          expect(body.message).toMatch(message);
        });

      it('the exact body for min_temp=abc', async () => {
        expect((await get('/api/images?min_temp=abc')).json()).toEqual({
          error: 'Bad Request',
          message: 'min_temp must be a number',
          parameter: 'min_temp',
        });
      });
    });

    describe('pages, fields, sort and exports', () => {
      it('pages by keyset cursor through every match exactly once', async () => {
        const seen: number[] = [];
        let url = '/api/images?limit=3&sort=id';
        for (;;) {
          const page = (await get(url)).json();
          seen.push(...page.items.map((i: { id: number }) => i.id));
          if (!page.next_cursor) break;
          url = `/api/images?limit=3&sort=id&cursor=${page.next_cursor}`;
        }
        expect(seen).toEqual(Object.values(c.ids).sort((a, b) => a - b));
      });

      it('sorts descending and selects fields', async () => {
        const res = await get('/api/images?telescope=winer&sort=-ccd_temp&fields=ccd_temp,object_name');
        const items = res.json().items;
        expect(items.map((i: { ccd_temp: number }) => i.ccd_temp)).toEqual([-9.5, -10, -15, -20]);
        for (const item of items) expect(Object.keys(item).sort()).toEqual(['ccd_temp', 'id', 'object_name']);
      });

      it('exports the same query as CSV and JSON', async () => {
        const csv = await get('/api/images?telescope=winer&format=csv&sort=id');
        expect(csv.statusCode).toBe(200);
        expect(csv.headers['content-type']).toMatch(/^text\/csv/);
        expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="aims-images-.*\.csv"$/);
        const rows = parseCsv(csv.body);
        expect(rows[0]?.slice(0, 3)).toEqual(['id', 'file_path', 'date_obs']);
        expect(rows.slice(1).map((r) => Number(r[0]))).toEqual(idsOf('w1', 'w2', 'w3', 'w4'));
        const json = await get('/api/images?telescope=winer&format=json&fields=id,telescope&sort=id');
        expect(json.json()).toEqual([
          { id: c.ids.w1, telescope: 'Winer' },
          { id: c.ids.w2, telescope: 'WINER' },
          { id: c.ids.w3, telescope: 'winer' },
          { id: c.ids.w4, telescope: 'Winer Observatory 0.5m' },
        ]);
      });

      it('counts facets and summarizes nights', async () => {
        const facets = (await get('/api/images/facets?telescope=winer')).json();
        expect(facets.image_type).toEqual([
          { value: 'light', count: 3 },
          { value: 'dark', count: 1 },
        ]);
        expect(facets.filter_name.find((f: { value: string }) => f.value.toLowerCase() === 'lrg').count).toBe(3);
        const nights = (await get('/api/nights?telescope=winer')).json().items;
        expect(nights).toEqual([
          expect.objectContaining({ night: '2024-11-06', frames: 1, min_ccd_temp: -20, max_ccd_temp: -20 }),
          expect.objectContaining({ night: '2024-11-05', frames: 3, min_ccd_temp: -15, max_ccd_temp: -9.5 }),
        ]);
        expect((await get('/api/nights?night=nope')).json().parameter).toBe('night');
        expect((await get('/api/images/facets?min_temp=x')).json().parameter).toBe('min_temp');
      });

      it('lists the searchable header keywords, as a scan of the keyword rows finds them', async () => {
        const res = await get('/api/images/keywords');
        expect(res.statusCode).toBe(200);
        expect(res.headers['cache-control']).toBe('private, max-age=60');
        const scanned = await t.database.db.selectFrom('image_keywords').select('key').distinct().execute();
        expect(scanned.length).toBeGreaterThan(1);
        const expected = scanned.map((r) => r.key).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        expect(res.json()).toEqual({ keywords: expected, complete: true });
      });

      it('shows one image with its headers and other paths', async () => {
        const res = await get(`/api/images/${c.ids[REAL_FILES[0]!]}`);
        expect(res.statusCode).toBe(200);
        const body = res.json();
        expect(body.header[0].cards[0]).toEqual({ key: 'TELESCOP', value: 'FEDER', comment: 'real' });
        expect(body.sha256).toBe(c.sha256[REAL_FILES[0]!]);
        expect(body.paths).toEqual([]);
      });
    });

    describe('previews', () => {
      it('renders a missing preview on demand from the original, then serves it from disk', async () => {
        const url = `/api/images/${c.ids[REAL_FILES[1]!]}/preview?size=medium`;
        const first = await t.as('user', { url });
        expect(first.statusCode).toBe(200);
        expect(first.headers['content-type']).toBe('image/png');
        // Only the format asked for was rendered: a client that also takes WebP is served the PNG
        // already on disk rather than waiting for a second encode.
        const webp = await t.as('user', { url, headers: { accept: 'image/webp,*/*' } });
        expect(webp.headers['content-type']).toBe('image/png');
        expect(webp.rawPayload.subarray(1, 4).toString('latin1')).toBe('PNG');
        const png = await t.as('user', { url });
        expect(png.headers['content-type']).toBe('image/png');
        expect(png.rawPayload.subarray(1, 4).toString('latin1')).toBe('PNG');
        const again = await t.as('user', { url, headers: { 'if-none-match': String(png.headers.etag) } });
        expect(again.statusCode).toBe(304);
      });

      it('is a 404 when the original cannot be read', async () => {
        const res = await t.as('user', { url: `/api/images/${c.ids.w1}/preview` });
        expect(res.statusCode).toBe(404);
        expect(res.json().message).toBe(`no thumb preview of image ${c.ids.w1}`);
      });
    });

    describe('downloads', () => {
      const file = REAL_FILES[0]!;
      const bytes = () => readFileSync(join(REAL_ROOT, file));

      it('streams the original with its name, SHA-256 and length', async () => {
        const res = await t.as('downloader', { url: `/api/images/${c.ids[file]}/download` });
        expect(res.statusCode).toBe(200);
        expect(res.rawPayload.equals(bytes())).toBe(true);
        expect(res.headers['content-disposition']).toBe(`attachment; filename="${file}"`);
        expect(res.headers['x-content-sha256']).toBe(c.sha256[file]);
        expect(res.headers.digest).toBe(`sha-256=${Buffer.from(c.sha256[file]!, 'hex').toString('base64')}`);
        expect(Number(res.headers['content-length'])).toBe(bytes().length);
        expect(res.headers['accept-ranges']).toBe('bytes');
      });

      it('answers HEAD with the headers of the file and no body', async () => {
        const res = await t.as('downloader', { method: 'HEAD', url: `/api/images/${c.ids[file]}/download` });
        expect(res.statusCode).toBe(200);
        expect(Number(res.headers['content-length'])).toBe(bytes().length);
        expect(res.headers['x-content-sha256']).toBe(c.sha256[file]);
        expect(res.rawPayload.length).toBe(0);
      });

      it('answers Range requests with 206, suffix ranges, and 416 outside the file', async () => {
        const part = await t.as('admin', {
          url: `/api/images/${c.ids[file]}/download`,
          headers: { range: 'bytes=2880-5759' },
        });
        expect(part.statusCode).toBe(206);
        expect(part.headers['content-range']).toBe(`bytes 2880-5759/${bytes().length}`);
        expect(part.rawPayload.equals(bytes().subarray(2880, 5760))).toBe(true);
        const tail = await t.as('admin', {
          url: `/api/images/${c.ids[file]}/download`,
          headers: { range: 'bytes=-100' },
        });
        expect(tail.rawPayload.equals(bytes().subarray(bytes().length - 100))).toBe(true);
        const outside = await t.as('admin', {
          url: `/api/images/${c.ids[file]}/download`,
          headers: { range: `bytes=${bytes().length}-` },
        });
        expect(outside.statusCode).toBe(416);
        expect(outside.headers['content-range']).toBe(`bytes */${bytes().length}`);
      });

      it('never serves a path outside the image roots', async () => {
        for (const name of ['escape', 'traversal', 'foreignRoot']) {
          const res = await t.as('admin', { url: `/api/images/${c.ids[name]}/download` });
          expect(res.statusCode).toBe(404);
          expect(res.body).not.toContain('secret');
          expect(res.body).not.toContain(c.scratch);
        }
        // A symlink that stays inside the roots is fine.
        const inside = await t.as('admin', { url: `/api/images/${c.ids.linked}/download` });
        expect(inside.statusCode).toBe(200);
        expect(sha256(inside.rawPayload)).toBe(c.sha256.linked);
      });

      it('streams a ZIP of stored entries whose names, sizes and SHA-256 match the files', async () => {
        const wanted = [...REAL_FILES.map((f) => c.ids[f]!), c.ids.linked!];
        const res = await t.as('downloader', { method: 'POST', url: '/api/downloads', payload: { ids: wanted } });
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toBe('application/zip');
        expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
        const entries = await unzip(res.rawPayload);
        const byName = new Map(entries.map((e) => [e.name, e]));
        const linkedName = LINKED_NAME.replace('.fit', `_${c.ids.linked}.fit`);
        const realFirst = REAL_FILES[0]!.replace('.fit', `_${c.ids[REAL_FILES[0]!]}.fit`);
        expect([...byName.keys()].sort()).toEqual(
          [...REAL_FILES.slice(1), realFirst, linkedName, 'manifest.csv'].sort(),
        );
        for (const e of entries) expect(e.compressionMethod).toBe(0);
        for (const f of REAL_FILES) {
          const onDisk = readFileSync(join(REAL_ROOT, f));
          const entry = byName.get(f === REAL_FILES[0] ? realFirst : f)!;
          expect(entry.size).toBe(onDisk.length);
          expect(sha256(entry.data)).toBe(sha256(onDisk));
        }
        const manifest = parseCsv(byName.get('manifest.csv')!.data.toString('utf8'));
        const header = manifest[0]!;
        expect(header.slice(0, 6)).toEqual(['name', 'status', 'size_bytes', 'sha256', 'catalog_sha256', 'id']);
        for (const row of manifest.slice(1)) {
          const entry = byName.get(row[0]!)!;
          expect(row[1]).toBe('ok');
          expect(Number(row[2])).toBe(entry.size);
          expect(row[3]).toBe(sha256(entry.data));
          expect(row[3]).toBe(row[4]);
        }
        const log = (await t.as('admin', { url: '/api/admin/audit?action=download.zip' })).json();
        expect(log.items[0]).toMatchObject({
          actor_email: 'downloader@example.org',
          details: { files: 5, missing: 0 },
        });
      });

      it('builds the ZIP from filters too, listing unreadable files as missing', async () => {
        const res = await t.as('admin', {
          method: 'POST',
          url: '/api/downloads',
          payload: { filters: { telescope: 'evil' } },
        });
        expect(res.statusCode).toBe(404);
        const feder = await t.as('admin', {
          method: 'POST',
          url: '/api/downloads',
          payload: { filters: { telescope: 'FEDER', object: 'ngc-6946' } },
        });
        expect(feder.statusCode).toBe(200);
        const names = (await unzip(feder.rawPayload)).map((e) => e.name).sort();
        expect(names).toEqual([...REAL_FILES, 'manifest.csv'].sort());
        const mixed = await t.as('admin', {
          method: 'POST',
          url: '/api/downloads',
          payload: { ids: [c.ids[REAL_FILES[1]!], c.ids.escape] },
        });
        const entries = await unzip(mixed.rawPayload);
        const manifest = parseCsv(entries.find((e) => e.name === 'manifest.csv')!.data.toString());
        expect(manifest.slice(1).map((r) => r[1])).toEqual(['ok', 'missing']);
      });

      it('serves files whose names a ZIP must not hold as they are, singly and under safe names in a ZIP', async () => {
        // Legal names on Linux that read as a drive, a climb out of the folder or a line break elsewhere.
        const own = c.roots[1]!;
        mkdirSync(join(own, 'hostile'), { recursive: true });
        const hostile = ['C:evil.fits', '..\\..\\x.fits', 'line\r\nbreak.fits', 'C_evil.fits'];
        const content = new Map<number, Buffer>();
        for (const [index, name] of hostile.entries()) {
          const data = Buffer.from(`SIMPLE  = T / hostile name ${index} ${name}`);
          writeFileSync(join(own, 'hostile', name), data);
          const { id } = await insertImage(
            t.database,
            makeImage({ root: own, rel_path: `hostile/${name}`, size_bytes: data.length, sha256: sha256(data) }),
          );
          content.set(id, data);
        }
        const ids = [...content.keys()];
        for (const id of ids) {
          const single = await t.as('downloader', { url: `/api/images/${id}/download` });
          expect(single.statusCode).toBe(200);
          expect(single.rawPayload.equals(content.get(id)!)).toBe(true);
          expect(single.headers['content-disposition']).not.toMatch(/[\\/\r\n]/);
        }
        const res = await t.as('downloader', { method: 'POST', url: '/api/downloads', payload: { ids } });
        expect(res.statusCode).toBe(200);
        const entries = await unzip(res.rawPayload);
        const names = entries.map((e) => e.name);
        expect(names).toEqual([
          `C_evil_${ids[0]}.fits`,
          '.._.._x.fits',
          'line__break.fits',
          `C_evil_${ids[3]}.fits`,
          'manifest.csv',
        ]);
        for (const name of names) {
          expect(name).not.toMatch(/[/\\:]/);
          expect([...name].every((ch) => ch.charCodeAt(0) >= 0x20)).toBe(true);
        }
        for (const [index, id] of ids.entries()) expect(entries[index]!.data.equals(content.get(id)!)).toBe(true);
        const manifest = parseCsv(entries.at(-1)!.data.toString('utf8'));
        expect(manifest.slice(1).map((r) => [r[0], r[1]])).toEqual(names.slice(0, 4).map((n) => [n, 'ok']));
      });

      it('refuses a bad ZIP request with 400 or 404', async () => {
        const post = (payload: unknown) =>
          t.as('admin', { method: 'POST', url: '/api/downloads', payload: payload as object });
        expect((await post({})).json().parameter).toBe('ids');
        expect((await post({ ids: [], filters: {} })).statusCode).toBe(400);
        expect((await post({ ids: [c.ids.w1], filters: {} })).json().parameter).toBe('ids');
        expect((await post({ ids: ['x'] })).json().parameter).toBe('ids[0]');
        expect((await post({ filters: { min_temp: 'cold' } })).json().parameter).toBe('filters.min_temp');
        expect((await post({ ids: [999999] })).statusCode).toBe(404);
      });

      it('audits every single-file download', async () => {
        const log = (await t.as('admin', { url: '/api/admin/audit?action=download.file' })).json();
        expect(log.items.length).toBeGreaterThanOrEqual(4);
        expect(log.items.at(-1)).toMatchObject({
          actor_email: 'downloader@example.org',
          target: `image:${c.ids[file]}`,
          details: { file, bytes: bytes().length },
        });
      });
    });
  });

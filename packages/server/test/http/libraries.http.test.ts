/**
 * /api/admin/libraries on every catalog engine: who may call it, which folders may become
 * libraries (inside AIMS_LIBRARY_ROOTS only, no `..`, no link out, existing, readable), the rules
 * of configured libraries, and what adding and removing one does to serving and to its frames.
 */
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFits } from '@aims/fits';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerConfiguredLibraries } from '../../src/catalog/libraries.service.js';
import { insertImage } from '../../src/db/images.repository.js';
import { DIALECTS } from '../support/databases.js';
import { makeImage, observedAt } from '../support/images.js';
import { startTestApi, type TestApi } from './support/http-app.js';

const runningAsRoot = process.getuid?.() === 0;

for (const dialect of DIALECTS) {
  describe(`libraries API on ${dialect}`, () => {
    let t: TestApi;
    let work: string;
    /** AIMS_LIBRARY_ROOTS. */
    let allowed: string;
    let configured: string;

    beforeAll(async () => {
      work = realpathSync(mkdtempSync(join(tmpdir(), 'aims-libraries-')));
      allowed = join(work, 'allowed');
      configured = join(work, 'configured');
      for (const dir of ['allowed/night1', 'allowed/night2/sub', 'allowed/night3', 'outside', 'configured'])
        mkdirSync(join(work, dir), { recursive: true });
      writeFileSync(join(allowed, 'not-a-folder.fits'), 'x');
      symlinkSync(join(work, 'outside'), join(allowed, 'link-out'));
      symlinkSync(join(allowed, 'night3'), join(allowed, 'link-in'));
      t = await startTestApi(dialect, {
        env: { AIMS_LIBRARY_ROOTS: allowed, AIMS_IMAGE_DIR: configured, AIMS_EXCLUDE: '**/tmp/**' },
      });
      await registerConfiguredLibraries(t.database, t.config);
    });
    afterAll(async () => {
      await t?.close();
      rmSync(work, { recursive: true, force: true });
    });

    const add = (body: Record<string, unknown>) =>
      t.as('admin', { method: 'POST', url: '/api/admin/libraries', payload: body });
    const list = async () => (await t.as('admin', { url: '/api/admin/libraries' })).json();

    it('is for admins only', async () => {
      expect((await t.as('anonymous', { url: '/api/admin/libraries' })).statusCode).toBe(401);
      expect((await t.as('user', { url: '/api/admin/libraries' })).statusCode).toBe(403);
      expect((await t.as('downloader', { method: 'POST', url: '/api/admin/libraries', payload: {} })).statusCode).toBe(
        403,
      );
      expect((await t.as('user', { method: 'DELETE', url: '/api/admin/libraries/1' })).statusCode).toBe(403);
    });

    it('lists the configured folder as a library that only the configuration changes', async () => {
      const body = await list();
      expect(body.allowed_roots).toEqual([allowed]);
      expect(body.items).toHaveLength(1);
      const [library] = body.items;
      expect(library).toMatchObject({
        path: configured,
        origin: 'config',
        exclude: ['**/tmp/**'],
        paused: false,
        frames: 0,
        state: 'unwatched',
      });
      const remove = await t.as('admin', { method: 'DELETE', url: `/api/admin/libraries/${library.id}` });
      expect(remove.statusCode).toBe(409);
      expect(remove.json().message).toMatch(/AIMS_IMAGE_DIR/);
      const pause = await t.as('admin', {
        method: 'PATCH',
        url: `/api/admin/libraries/${library.id}`,
        payload: { paused: true },
      });
      expect(pause.statusCode).toBe(409);
      const zone = await t.as('admin', {
        method: 'PATCH',
        url: `/api/admin/libraries/${library.id}`,
        payload: { timezone: 'America/Chicago', name: 'Roof camera' },
      });
      expect(zone.statusCode).toBe(200);
      expect(zone.json()).toMatchObject({ timezone: 'America/Chicago', name: 'Roof camera', origin: 'config' });
    });

    it.each<[string, () => string, RegExp]>([
      ['outside AIMS_LIBRARY_ROOTS', () => join(work, 'outside'), /outside the folders AIMS_LIBRARY_ROOTS allows/],
      ['with ..', () => `${allowed}/night1/../../outside`, /contains '\.\.'/],
      ['a link that leads out', () => join(allowed, 'link-out'), /resolves to .*outside.* outside the folders/],
      ['missing', () => join(allowed, 'no-such-night'), /does not exist/],
      ['not a folder', () => join(allowed, 'not-a-folder.fits'), /is not a folder/],
      ['relative', () => 'allowed/night1', /is not absolute/],
      ['the data folder', () => t.dataDir, /data folder|outside the folders/],
    ])('refuses a folder %s with 400 and a reason', async (_case, path, message) => {
      const res = await add({ path: path() });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: 'Bad Request', parameter: 'path' });
      expect(res.json().message).toMatch(message);
      expect((await list()).items).toHaveLength(1);
    });

    it.skipIf(runningAsRoot)('refuses a folder the server cannot read', async () => {
      const locked = join(allowed, 'locked');
      mkdirSync(locked);
      chmodSync(locked, 0);
      try {
        const res = await add({ path: locked });
        expect(res.statusCode).toBe(400);
        expect(res.json().message).toMatch(/cannot be read/);
      } finally {
        chmodSync(locked, 0o755);
        rmSync(locked, { recursive: true });
      }
    });

    it('refuses an unknown time zone and settings out of range', async () => {
      const zone = await add({ path: join(allowed, 'night1'), timezone: 'Mars/Olympus' });
      expect(zone.statusCode).toBe(400);
      expect(zone.json()).toMatchObject({ parameter: 'timezone' });
      expect((await add({ path: join(allowed, 'night1'), longitude_deg: 200 })).statusCode).toBe(400);
      expect((await add({ path: join(allowed, 'night1'), watch: true })).statusCode).toBe(400);
    });

    let night1: number;
    it('adds a folder inside the roots; a link inside them is stored as its real path', async () => {
      const res = await add({ path: join(allowed, 'night1'), exclude: ['**/flats-tmp/**'], use_polling: true });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({
        path: join(allowed, 'night1'),
        name: 'night1',
        origin: 'admin',
        exclude: ['**/flats-tmp/**'],
        use_polling: true,
        paused: false,
        rescan_seconds: null,
        frames: 0,
      });
      night1 = res.json().id;
      const linked = await add({ path: join(allowed, 'link-in'), name: 'Third night', longitude_deg: -105.5 });
      expect(linked.statusCode).toBe(201);
      expect(linked.json()).toMatchObject({
        path: join(allowed, 'night3'),
        name: 'Third night',
        longitude_deg: -105.5,
      });
      expect((await list()).items.map((l: { path: string }) => l.path)).toEqual([
        configured,
        join(allowed, 'night1'),
        join(allowed, 'night3'),
      ]);
    });

    it('refuses a folder that lies in or holds another library with 409', async () => {
      mkdirSync(join(allowed, 'night1/sub'), { recursive: true });
      const inner = await add({ path: join(allowed, 'night1/sub') });
      expect(inner.statusCode).toBe(409);
      expect(inner.json().message).toMatch(/lies in library/);
      const outer = await add({ path: allowed });
      expect(outer.statusCode).toBe(409);
      expect(outer.json().message).toMatch(/holds library/);
    });

    it('pauses and resumes; counts its frames; serves them only while it is a library', async () => {
      const folder = join(allowed, 'night2');
      const bytes = writeFits([{ bitpix: 8, axes: [4, 4], data: new Uint8Array(16), cards: [] }]);
      writeFileSync(join(folder, 'sub/frame.fits'), bytes);
      const { createHash } = await import('node:crypto');
      const { id: imageId } = await insertImage(
        t.database,
        makeImage({
          root: folder,
          rel_path: 'sub/frame.fits',
          sha256: createHash('sha256').update(bytes).digest('hex'),
          size_bytes: bytes.length,
          metadata: { ...observedAt('2024-05-01T22:00:00', '2024-05-01'), image_type: 'light' },
        }),
      );
      await insertImage(t.database, makeImage({ root: folder, rel_path: 'sub/other.fits' }));
      const download = () => t.as('downloader', { url: `/api/images/${imageId}/download` });
      expect((await download()).statusCode).toBe(404);

      const res = await add({ path: folder, paused: true });
      expect(res.statusCode).toBe(201);
      const id = res.json().id;
      expect((await download()).statusCode).toBe(200);
      const listed = (await list()).items.find((l: { id: number }) => l.id === id);
      expect(listed).toMatchObject({ frames: 2, paused: true, state: 'paused' });

      const resume = await t.as('admin', {
        method: 'PUT',
        url: `/api/admin/libraries/${id}`,
        payload: { paused: false },
      });
      expect(resume.statusCode).toBe(200);
      expect(resume.json()).toMatchObject({ paused: false, state: 'unwatched', frames: 2 });
      expect(
        (await t.as('admin', { method: 'PATCH', url: `/api/admin/libraries/${id}`, payload: {} })).statusCode,
      ).toBe(400);

      // This process runs no watcher: a rescan cannot start here.
      expect((await t.as('admin', { method: 'POST', url: `/api/admin/libraries/${id}/rescan` })).statusCode).toBe(503);
      expect((await t.as('admin', { method: 'POST', url: '/api/admin/libraries/999999/rescan' })).statusCode).toBe(404);

      // Removed, frames kept: still in the catalog, no longer served.
      const removed = await t.as('admin', { method: 'DELETE', url: `/api/admin/libraries/${id}?frames=keep` });
      expect(removed.statusCode).toBe(200);
      expect(removed.json()).toEqual({ id, path: folder, frames: 2, frames_removed: false });
      expect((await t.as('admin', { url: `/api/images/${imageId}` })).statusCode).toBe(200);
      expect((await download()).statusCode).toBe(404);
      expect((await t.as('admin', { method: 'DELETE', url: `/api/admin/libraries/${id}` })).statusCode).toBe(404);

      const audit = await t.as('admin', { url: '/api/admin/audit?action=library.remove' });
      expect(audit.json().items[0]).toMatchObject({
        target: `library:${id}`,
        details: { path: folder, frames: 2, frames_removed: false },
      });
    });

    it('removes a library with its frames when asked, and says how many', async () => {
      const folder = join(allowed, 'night2');
      const before = (await t.as('admin', { url: '/api/images?limit=1' })).json().total;
      const res = await add({ path: folder });
      const id = res.json().id;
      const bad = await t.as('admin', { method: 'DELETE', url: `/api/admin/libraries/${id}?frames=burn` });
      expect(bad.statusCode).toBe(400);
      const removed = await t.as('admin', { method: 'DELETE', url: `/api/admin/libraries/${id}?frames=remove` });
      expect(removed.json()).toEqual({ id, path: folder, frames: 2, frames_removed: true });
      expect((await t.as('admin', { url: '/api/images?limit=1' })).json().total).toBe(before - 2);
      const night = (await t.as('admin', { url: '/api/nights' })).json().items;
      expect(night.find((n: { night: string }) => n.night === '2024-05-01')).toBeUndefined();
    });

    it('changes settings of an admin library', async () => {
      const res = await t.as('admin', {
        method: 'PATCH',
        url: `/api/admin/libraries/${night1}`,
        payload: { rescan_seconds: 600, timezone: 'Europe/Berlin', exclude: [] },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        rescan_seconds: 600,
        timezone: 'Europe/Berlin',
        exclude: [],
        use_polling: true,
      });
      const cleared = await t.as('admin', {
        method: 'PATCH',
        url: `/api/admin/libraries/${night1}`,
        payload: { timezone: null, rescan_seconds: null },
      });
      expect(cleared.json()).toMatchObject({ timezone: null, rescan_seconds: null });
    });
  });
}

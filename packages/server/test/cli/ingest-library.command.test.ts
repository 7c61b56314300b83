/**
 * Libraries across processes, on every catalog engine: `aims ingest DIR` registers DIR as a library
 * (unless --no-library) and a running server serves the frames it catalogued at once; a library
 * an admin adds through the API is watched at once, without a restart, and its frames arrive.
 */
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/password.js';
import { loadConfig } from '../../src/config/config.js';
import { type Database, openDatabase } from '../../src/db/connection.js';
import { listLibraries } from '../../src/db/libraries.repository.js';
import { createUser } from '../../src/db/users.repository.js';
import { type RunningServer, startServer } from '../../src/main.js';
import { runAims } from '../support/aims-process.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { writeSyntheticNight } from '../support/synthetic-night.js';

const PASSWORD = 'a library of photons';

async function until<T>(check: () => Promise<T | false | null | undefined>, what: string, timeoutMs = 60_000) {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`${what}: not reached in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

for (const dialect of DIALECTS) {
  describe(`libraries across processes on ${dialect}`, () => {
    let work: string;
    let test: TestDatabase;
    let database: Database;
    let server: RunningServer | undefined;
    let token: string;

    const call = async (path: string, init: RequestInit = {}) =>
      fetch(`${server!.url}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${token}`,
          ...(init.body ? { 'content-type': 'application/json' } : {}),
          ...init.headers,
        },
      });

    beforeAll(async () => {
      work = realpathSync(mkdtempSync(join(tmpdir(), 'aims-library-cli-')));
      test = await createTestDatabase(dialect);
      database = await openDatabase(test.url);
      await createUser(database, {
        email: 'admin@example.org',
        passwordHash: await hashPassword(PASSWORD),
        canDownload: true,
      });
      const config = loadConfig(
        {
          AIMS_DATA_DIR: join(work, 'data'),
          AIMS_LIBRARY_ROOTS: join(work, 'share'),
          AIMS_STABLE_SECONDS: '0',
          AIMS_LOG_LEVEL: 'silent',
          AIMS_WORKERS: '1',
          JWT_SECRET: 'a-test-secret-that-is-long-enough-0123456789',
        },
        { databaseUrl: test.url, port: 0 },
      );
      server = await startServer(config, { signals: false });
      const login = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@example.org', password: PASSWORD }),
      });
      token = (await login.json()).access_token;
    });
    afterAll(async () => {
      await server?.close();
      await database?.close();
      await test?.drop();
      rmSync(work, { recursive: true, force: true });
    });

    it('aims ingest registers its folder, and the running server serves the frames at once', async () => {
      const frames = writeSyntheticNight(join(work, 'camera/2024-05-01'), { count: 2, width: 24, height: 24 });
      const { done } = runAims(['ingest', join(work, 'camera'), '--db', test.url, '--json', '--skip-analysis'], {
        AIMS_LOG_LEVEL: 'silent',
        AIMS_DATA_DIR: join(work, 'data'),
      });
      const result = await done;
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toMatchObject({ files: 2, ingested: 2 });

      const libraries = await listLibraries(database);
      expect(libraries).toEqual([
        expect.objectContaining({ path: join(work, 'camera'), origin: 'cli', name: 'camera' }),
      ]);
      // Outside AIMS_LIBRARY_ROOTS: the CLI is trusted with the file system, the API is not.
      const listed = await (await call('/api/admin/libraries')).json();
      expect(listed.items).toEqual([expect.objectContaining({ path: join(work, 'camera'), frames: 2 })]);

      const page = await (await call('/api/images?sort=date_obs')).json();
      expect(page.total).toBe(2);
      const first = page.items[0];
      const download = await call(`/api/images/${first.id}/download`);
      expect(download.status).toBe(200);
      expect(Buffer.from(await download.arrayBuffer())).toEqual(readFileSync(frames[0]!.path));

      // Ingesting a folder inside it adds no second library.
      const again = await runAims(['ingest', join(work, 'camera/2024-05-01'), '--db', test.url, '--json'], {
        AIMS_LOG_LEVEL: 'silent',
        AIMS_DATA_DIR: join(work, 'data'),
      }).done;
      expect(again.code).toBe(0);
      expect(await listLibraries(database)).toHaveLength(1);
    });

    it('with --no-library it catalogues without serving', async () => {
      writeSyntheticNight(join(work, 'elsewhere'), { count: 1, width: 24, height: 24, seed: 5 });
      const result = await runAims(
        ['ingest', join(work, 'elsewhere'), '--db', test.url, '--json', '--skip-analysis', '--no-library'],
        { AIMS_LOG_LEVEL: 'silent', AIMS_DATA_DIR: join(work, 'data') },
      ).done;
      expect(JSON.parse(result.stdout)).toMatchObject({ ingested: 1 });
      expect(await listLibraries(database)).toHaveLength(1);
      const page = await (await call(`/api/images?limit=10`)).json();
      const item = page.items.find((i: { file_path: string }) => i.file_path.startsWith(join(work, 'elsewhere')));
      expect((await call(`/api/images/${item.id}/download`)).status).toBe(404);
    });

    it('a library added through the API is watched at once: its frames and new ones arrive', async () => {
      const folder = join(work, 'share/roof');
      mkdirSync(folder, { recursive: true });
      writeSyntheticNight(join(folder, 'n1'), { count: 2, width: 24, height: 24, seed: 11 });
      const res = await call('/api/admin/libraries', {
        method: 'POST',
        body: JSON.stringify({ path: folder, timezone: 'Asia/Tokyo' }),
      });
      expect(res.status).toBe(201);
      const { id } = await res.json();
      const library = async () =>
        (await (await call('/api/admin/libraries')).json()).items.find((l: { id: number }) => l.id === id);
      await until(async () => (await library()).frames === 2, 'the first scan');
      expect(['watching', 'scanning']).toContain((await library()).state);
      // A frame written later is seen by the watcher.
      writeSyntheticNight(join(folder, 'n2'), { count: 1, width: 24, height: 24, seed: 12 });
      await until(async () => (await library()).frames === 3, 'the watcher');
      // The synthetic headers carry no site longitude: the library's time zone dates the night.
      const page = await (await call('/api/images?limit=100')).json();
      const ours = page.items.filter((i: { file_path: string }) => i.file_path.startsWith(folder));
      expect(ours).toHaveLength(3);
      for (const item of ours) {
        const detail = await (await call(`/api/images/${item.id}`)).json();
        expect(detail.normalization.sources.night).toBe('library time zone');
        expect(detail.night).toMatch(/^2024-05-0[12]$/);
      }
      const cameraFrame = page.items.find((i: { file_path: string }) => i.file_path.startsWith(join(work, 'camera')));
      const cameraDetail = await (await call(`/api/images/${cameraFrame.id}`)).json();
      expect(cameraDetail.normalization.sources.night).toBe('server time zone');

      // Paused: no watcher; removed with its frames.
      const paused = await call(`/api/admin/libraries/${id}`, {
        method: 'PATCH',
        body: JSON.stringify({ paused: true }),
      });
      expect((await paused.json()).state).toBe('paused');
      const removed = await call(`/api/admin/libraries/${id}?frames=remove`, { method: 'DELETE' });
      expect(await removed.json()).toMatchObject({ frames: 3, frames_removed: true });
    });
  });
}

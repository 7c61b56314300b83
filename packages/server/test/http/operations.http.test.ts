import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JWT_SECRET_FILE, resolveJwtSecret } from '../../src/auth/jwt-secret.js';
import { runFixityTick } from '../../src/catalog/fixity.js';
import { loadConfig } from '../../src/config/config.js';
import { openDatabase } from '../../src/db/connection.js';
import { insertImage } from '../../src/db/images.repository.js';
import { buildApp } from '../../src/http/app.js';
import { createTestDatabase, DIALECTS } from '../support/databases.js';
import { makeImage } from '../support/images.js';
import { PASSWORD, startTestApi } from './support/http-app.js';

describe('the session secret', () => {
  it('is generated once in the data folder (mode 0600) and reused; a short JWT_SECRET is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aims-secret-'));
    try {
      const first = resolveJwtSecret(undefined, dir);
      expect(first.length).toBeGreaterThanOrEqual(43);
      expect(statSync(join(dir, JWT_SECRET_FILE)).mode & 0o777).toBe(0o600);
      expect(resolveJwtSecret(undefined, dir)).toBe(first);
      expect(readFileSync(join(dir, JWT_SECRET_FILE), 'utf8').trim()).toBe(first);
      expect(() => resolveJwtSecret('too short', dir)).toThrow(/^JWT_SECRET: /);
      expect(resolveJwtSecret('x'.repeat(32), dir)).toBe('x'.repeat(32));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a token signed before a restart still works after it (same data folder)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aims-restart-'));
    const test = await createTestDatabase('sqlite');
    const database = await openDatabase(test.url);
    try {
      const config = loadConfig({ AIMS_DATA_DIR: dir, AIMS_LOG_LEVEL: 'silent' }, { databaseUrl: test.url });
      const one = await buildApp({ config, database, logger: false });
      const signup = await one.inject({
        method: 'POST',
        url: '/api/auth/signup',
        payload: { email: 'a@example.org', password: PASSWORD },
      });
      await one.close();
      const two = await buildApp({ config, database, logger: false });
      const me = await two.inject({
        url: '/api/user/me',
        headers: { authorization: `Bearer ${signup.json().access_token}` },
      });
      expect(me.statusCode).toBe(200);
      await two.close();
    } finally {
      await database.close();
      await test.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the web UI', () => {
  it('is served at / with index.html for client-side routes, never for /api', async () => {
    const web = mkdtempSync(join(tmpdir(), 'aims-web-'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>AIMS</title>');
    writeFileSync(join(web, 'app.js'), 'console.log(1)');
    const t = await startTestApi('sqlite', { personas: false, deps: { webDir: web } });
    try {
      const index = await t.app.inject({ url: '/' });
      expect(index.statusCode).toBe(200);
      expect(index.body).toContain('<title>AIMS</title>');
      expect((await t.app.inject({ url: '/app.js' })).headers['content-type']).toMatch(/javascript/);
      expect((await t.app.inject({ url: '/nights/2024-11-05' })).body).toContain('<title>AIMS</title>');
      const api = await t.app.inject({ url: '/api/nothing-here' });
      expect(api.statusCode).toBe(404);
      expect(api.json().error).toBe('Not Found');
    } finally {
      await t.close();
      rmSync(web, { recursive: true, force: true });
    }
  });
});

for (const dialect of DIALECTS)
  describe(`operations (${dialect})`, () => {
    it('two simultaneous first sign-ups: exactly one admin', async () => {
      const t = await startTestApi(dialect, { personas: false });
      try {
        const results = await Promise.all(
          ['one', 'two', 'three'].map((n) =>
            t.app.inject({
              method: 'POST',
              url: '/api/auth/signup',
              payload: { email: `${n}@example.org`, password: PASSWORD },
            }),
          ),
        );
        expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201]);
        expect(results.filter((r) => r.json().user.role === 'admin')).toHaveLength(1);
      } finally {
        await t.close();
      }
    });

    it('health answers 503 when the database is down', async () => {
      const t = await startTestApi(dialect, { personas: false });
      try {
        expect((await t.app.inject({ url: '/api/health' })).statusCode).toBe(200);
        await t.database.close();
        const down = await t.app.inject({ url: '/api/health' });
        expect(down.statusCode).toBe(503);
        expect(down.json()).toMatchObject({ status: 'unavailable', database: { ok: false, dialect } });
        // Other routes fail without leaking internals.
        const signup = await t.app.inject({
          method: 'POST',
          url: '/api/auth/signup',
          payload: { email: 'x@example.org', password: PASSWORD },
        });
        expect(signup.statusCode).toBe(500);
        expect(signup.json()).toEqual({ error: 'Internal Server Error', message: 'internal error' });
      } finally {
        await t.close();
      }
    });

    it('health and the admin panel report the fixity check; a lost file makes the health degraded', async () => {
      const t = await startTestApi(dialect, { env: { AIMS_FIXITY_DAYS: '14' } });
      try {
        const fresh = await t.app.inject({ url: '/api/health' });
        expect(fresh.statusCode).toBe(200);
        expect(fresh.json()).toMatchObject({
          status: 'ok',
          fixity: {
            every_days: 14,
            last_run: null,
            problems: { changed: 0, missing: 0, unreadable: 0, checksum_bad: 0 },
          },
        });
        const image = makeImage({ root: '/nowhere/at/all', rel_path: 'gone.fits' });
        const { id } = await insertImage(t.database, image);
        await insertImage(t.database, { ...makeImage(), checksum_status: 'bad', checksum_hdus: [] });
        // Two images over 14 days: one a tick, the first catalogued first.
        const report = await runFixityTick(t.database, 14);
        expect(report?.unreadable).toBe(1);
        const health = await t.app.inject({ url: '/api/health' });
        expect(health.statusCode).toBe(200);
        expect(health.json()).toMatchObject({
          status: 'degraded',
          fixity: {
            last_run: { source: 'server', files: 1, unreadable: 1 },
            problems: { unreadable: 1, checksum_bad: 1 },
          },
        });
        const panel = await t.as('admin', { url: '/api/admin/fixity' });
        expect(panel.statusCode).toBe(200);
        expect(panel.json().items).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ image_id: id, problem: 'unreadable', file_path: '/nowhere/at/all/gone.fits' }),
            expect.objectContaining({ problem: 'checksum_bad' }),
          ]),
        );
        const detail = await t.as('admin', { url: `/api/images/${id}` });
        expect(detail.json()).toMatchObject({ fixity_status: 'unreadable', checksums: [] });
      } finally {
        await t.close();
      }
    });

    it('CORS: only configured origins get CORS headers, preflight included', async () => {
      const t = await startTestApi(dialect, { personas: false, env: { AIMS_CORS_ORIGINS: 'https://ui.example.org/' } });
      try {
        const ok = await t.app.inject({ url: '/api/health', headers: { origin: 'https://ui.example.org' } });
        expect(ok.headers['access-control-allow-origin']).toBe('https://ui.example.org');
        expect(ok.headers['access-control-allow-credentials']).toBe('true');
        const other = await t.app.inject({ url: '/api/health', headers: { origin: 'https://evil.example' } });
        expect(other.headers['access-control-allow-origin']).toBeUndefined();
        const preflight = await t.app.inject({
          method: 'OPTIONS',
          url: '/api/images',
          headers: {
            origin: 'https://ui.example.org',
            'access-control-request-method': 'GET',
            'access-control-request-headers': 'authorization',
          },
        });
        expect(preflight.statusCode).toBe(204);
        expect(preflight.headers['access-control-allow-headers']).toBe('authorization');
      } finally {
        await t.close();
      }
    });
  });

/**
 * Live events from every process: a running server (main.ts, with its own watcher) and an
 * `aims ingest` child process on the same catalog. What the child ingests and what it fails on
 * reaches the server's event streams through the event outbox; failures only reach administrators;
 * what the server ingests itself arrives once.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/password.js';
import { loadConfig } from '../../src/config/config.js';
import { openDatabase } from '../../src/db/connection.js';
import { createUser } from '../../src/db/users.repository.js';
import { type RunningServer, startServer } from '../../src/main.js';
import { runAims } from '../support/aims-process.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { writeSyntheticNight } from '../support/synthetic-night.js';

const PASSWORD = 'correct horse battery';

/** An open event stream: its text so far, and a way to wait for a piece of it. */
async function openStream(base: string, token: string) {
  const abort = new AbortController();
  const res = await fetch(`${base}/api/events`, {
    headers: { authorization: `Bearer ${token}` },
    signal: abort.signal,
  });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const stream = {
    text: '',
    async until(needle: string, timeoutMs = 60_000) {
      const deadline = setTimeout(() => abort.abort(), timeoutMs);
      try {
        while (!stream.text.includes(needle)) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`stream ended before ${needle}`);
          stream.text += decoder.decode(value, { stream: true });
        }
      } catch (error) {
        throw new Error(`no '${needle}' in: ${stream.text}`, { cause: error });
      } finally {
        clearTimeout(deadline);
      }
    },
    close: () => abort.abort(),
  };
  return stream;
}

const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

for (const dialect of DIALECTS)
  describe(`live events from another process (${dialect})`, () => {
    let work: string;
    let test: TestDatabase;
    let server: RunningServer;
    const tokens = { admin: '', user: '' };

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'aims-live-'));
      test = await createTestDatabase(dialect);
      mkdirSync(join(work, 'watched'));
      const config = loadConfig(
        { AIMS_DATA_DIR: join(work, 'data'), AIMS_LOG_LEVEL: 'silent', AIMS_STABLE_SECONDS: '0', AIMS_WORKERS: '1' },
        { databaseUrl: test.url, host: '127.0.0.1', port: 0, imageDirs: [join(work, 'watched')] },
      );
      server = await startServer(config, { signals: false });
      const database = await openDatabase(test.url);
      try {
        const passwordHash = await hashPassword(PASSWORD);
        for (const role of ['admin', 'user'] as const) {
          await createUser(database, { email: `${role}@example.org`, passwordHash, role });
          const res = await fetch(`${server.url}/api/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email: `${role}@example.org`, password: PASSWORD }),
          });
          expect(res.status).toBe(200);
          tokens[role] = ((await res.json()) as { access_token: string }).access_token;
        }
      } finally {
        await database.close();
      }
    });
    afterAll(async () => {
      await server?.close();
      await test?.drop();
      rmSync(work, { recursive: true, force: true });
    });

    it('relays what aims ingest did: frames to everyone, failures to administrators only', async () => {
      const admin = await openStream(server.url, tokens.admin);
      const user = await openStream(server.url, tokens.user);
      await admin.until('event: watcher.state');
      await user.until('event: watcher.state');

      const batch = join(work, 'batch');
      const [good] = writeSyntheticNight(batch, { count: 1, width: 32, height: 32, seed: 5 });
      const bad = join(batch, 'not-fits.fits');
      writeFileSync(bad, 'this is not a FITS file\n'.repeat(200));
      const cli = await runAims(['ingest', batch, '--db', test.url, '--json', '--workers', '1'], {
        AIMS_DATA_DIR: join(work, 'data'),
      }).done;
      expect(JSON.parse(cli.stdout)).toMatchObject({ files: 2, ingested: 1, failed: 1 });

      const goodEvent = `"file_path":${JSON.stringify(good!.path)},"duplicate":false}`;
      await admin.until(goodEvent);
      await admin.until(`event: ingest.failed\ndata: {"file_path":${JSON.stringify(bad)},"state":"failed"`);
      await user.until(goodEvent);

      // A frame the server ingests itself: after the child's events in the outbox, so once it has
      // arrived, everything before it has too. A second one shows the first was not sent twice.
      const watched = writeSyntheticNight(join(work, 'own'), { count: 2, width: 32, height: 32, seed: 9 });
      const own = watched.map((_frame, i) => {
        const path = join(work, 'watched', `own-${i}.fits`);
        return { path, event: `"file_path":${JSON.stringify(path)},"duplicate":false}` };
      });
      copyFileSync(watched[0]!.path, own[0]!.path);
      await admin.until(own[0]!.event);
      await user.until(own[0]!.event);
      copyFileSync(watched[1]!.path, own[1]!.path);
      await admin.until(own[1]!.event);
      await user.until(own[1]!.event);

      expect(occurrences(admin.text, 'event: ingest.failed')).toBe(1);
      expect(user.text).not.toContain('ingest.failed');
      expect(user.text).not.toContain('not-fits');
      for (const stream of [admin, user]) {
        expect(occurrences(stream.text, goodEvent)).toBe(1);
        expect(occurrences(stream.text, own[0]!.event)).toBe(1);
        expect(occurrences(stream.text, 'event: image.ingested')).toBe(3);
      }
      admin.close();
      user.close();
    });
  });

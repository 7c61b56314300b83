import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFixity } from '../../src/catalog/fixity.js';
import { createApiToken } from '../../src/db/api-tokens.repository.js';
import { recordAudit } from '../../src/db/audit.repository.js';
import { CatalogCopyError, copyCatalog, verifyCatalogCopy } from '../../src/db/catalog-copy.js';
import { COPIED_TABLES, NOT_COPIED_TABLES } from '../../src/db/catalog-tables.js';
import { type Database, openDatabase } from '../../src/db/connection.js';
import { countByState } from '../../src/db/ingest-ledger.repository.js';
import { createSession } from '../../src/db/sessions.repository.js';
import { createTapJob, saveTapResult } from '../../src/db/tap-jobs.repository.js';
import { createUser, findUserByEmail } from '../../src/db/users.repository.js';
import { runAims } from '../support/aims-process.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { writeSyntheticNight } from '../support/synthetic-night.js';

/** Rows per copied table. */
async function dump(database: Database): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { name } of COPIED_TABLES) {
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(name)}`.execute(
      database.db,
    );
    counts[name] = Number(rows[0]?.n);
  }
  return counts;
}

for (const dialect of DIALECTS)
  describe(`the tables migrate-catalog copies, on ${dialect}`, () => {
    it('are exactly the tables the migrations create', async () => {
      const test = await createTestDatabase(dialect);
      const database = await openDatabase(test.url);
      try {
        const tables = (await database.db.introspection.getTables()).map((t) => t.name).sort();
        expect(tables).toEqual([...COPIED_TABLES.map((t) => t.name), ...Object.keys(NOT_COPIED_TABLES)].sort());
      } finally {
        await database.close();
        await test.drop();
      }
    });
  });

/** Every engine but SQLite: each gets the round trip SQLite → engine → SQLite. */
const SERVER_ENGINES = DIALECTS.filter((d) => d !== 'sqlite');

for (const engine of DIALECTS.includes('sqlite') ? SERVER_ENGINES : [])
  describe(`aims migrate-catalog between SQLite and ${engine}`, () => {
    let work: string;
    let sqliteSource: TestDatabase;
    let server: TestDatabase;
    let sqliteBack: TestDatabase;
    let sourceCounts: Record<string, number>;

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'aims-copy-'));
      const night = writeSyntheticNight(join(work, 'images/2024-05-01'), { count: 12, width: 48, height: 48 });
      // An exact copy elsewhere: a row of image_paths.
      mkdirSync(join(work, 'images/copies'));
      copyFileSync(night[0]!.path, join(work, 'images/copies/copy.fits'));
      [sqliteSource, server, sqliteBack] = await Promise.all([
        createTestDatabase('sqlite'),
        createTestDatabase(engine),
        createTestDatabase('sqlite'),
      ]);
      const ingest = await runAims(['ingest', join(work, 'images'), '--db', sqliteSource.url, '--json']).done;
      expect(ingest.code).toBe(0);
      expect(JSON.parse(ingest.stdout)).toMatchObject({ ingested: 12 });
      const source = await openDatabase(sqliteSource.url);
      try {
        const { user } = await createUser(source, {
          email: 'ada@example.org',
          passwordHash: 'scrypt$x',
          canDownload: true,
        });
        await createUser(source, { email: 'bob@example.org', external: { kind: 'google', subject: 'g-1' } });
        await createApiToken(source, {
          userId: user.id,
          name: 'script',
          tokenHash: 'h'.repeat(64),
          prefix: 'aims_ab',
          expiresAt: null,
        });
        await createSession(source, user.id, 3600);
        await createTapJob(source, {
          id: 'job-1',
          ownerId: user.id,
          phase: 'COMPLETED',
          runId: null,
          parameters: { QUERY: ['SELECT TOP 5 * FROM ivoa.obscore'], LANG: ['ADQL'] },
          baseUrl: 'http://127.0.0.1:8080',
          executionDurationS: 60,
          createdMs: Date.now(),
          destructionMs: Date.now() + 86_400_000,
        });
        await saveTapResult(source, 'job-1', '<VOTABLE>…</VOTABLE>');
        await recordAudit(source, {
          actorId: user.id,
          actorEmail: user.email,
          action: 'download',
          target: 'image:1',
          details: { ids: [1, 2], zip: true, note: 'ü' },
          ip: '127.0.0.1',
        });
        // A fixity run: a row of fixity_runs, and verified_at/fixity_status on images and paths.
        await runFixity(source, { all: true }, { source: 'cli' });
        sourceCounts = await dump(source);
      } finally {
        await source.close();
      }
    }, 180_000);

    afterAll(async () => {
      await Promise.all([sqliteSource?.drop(), server?.drop(), sqliteBack?.drop()]);
      rmSync(work, { recursive: true, force: true });
    });

    it(`copies SQLite to ${engine} with ids kept, checksums equal, and ids generated after them`, async () => {
      expect(sourceCounts.images).toBe(12);
      // Every table has rows to copy, so none is verified vacuously (the generated frames carry no
      // observing site, hence no night).
      const empty = Object.keys(sourceCounts).filter((t) => sourceCounts[t] === 0 && t !== 'catalog_nights');
      expect(empty).toEqual([]);
      expect(sourceCounts.image_keywords).toBeGreaterThan(12 * 10);
      const source = await openDatabase(sqliteSource.url);
      const target = await openDatabase(server.url);
      try {
        const copied = await copyCatalog(source, target, { batchRows: 5 });
        expect(Object.fromEntries(copied)).toEqual(sourceCounts);
        const checks = await verifyCatalogCopy(source, target);
        expect(checks.every((c) => c.ok)).toBe(true);
        expect(checks.find((c) => c.table === 'audit_log')?.targetRows).toBe(2); // the download and the fixity run
        expect(await countByState(target)).toMatchObject({ ingested: 12 });
        const ada = await findUserByEmail(target, 'ada@example.org');
        expect(ada).toMatchObject({ role: 'admin', can_download: true });
        // The identity sequence was moved past the copied ids.
        const { user } = await createUser(target, { email: 'cy@example.org' });
        expect(user.id).toBe(3);
      } finally {
        await source.close();
        await target.close();
      }
    });

    it(`copies ${engine} back to SQLite: the same checksums as the original`, async () => {
      const original = await openDatabase(sqliteSource.url);
      const middle = await openDatabase(server.url);
      const back = await openDatabase(sqliteBack.url);
      try {
        // The user added on the server engine above goes along; take it out of the comparison.
        await middle.db.deleteFrom('users').where('email', '=', 'cy@example.org').execute();
        await copyCatalog(middle, back);
        // JSON columns are text on SQLite, so the original and the round trip compare through the
        // server engine, where both are read as JSON: the same checksums on all three.
        const there = await verifyCatalogCopy(original, middle);
        const returned = await verifyCatalogCopy(middle, back);
        expect(returned.map((c) => c.targetChecksum)).toEqual(there.map((c) => c.sourceChecksum));
        expect(returned.every((c) => c.ok)).toBe(true);
        expect(await dump(back)).toEqual(sourceCounts);
      } finally {
        await Promise.all([original.close(), middle.close(), back.close()]);
      }
    });

    it('refuses a target that holds other data or a copy of another catalog', async () => {
      const source = await openDatabase(sqliteSource.url);
      const back = await openDatabase(sqliteBack.url);
      const other = await createTestDatabase(engine);
      const otherDb = await openDatabase(other.url);
      try {
        // sqliteBack holds a finished copy of the server engine's catalog, not of this SQLite file.
        await expect(copyCatalog(source, back)).rejects.toMatchObject({ code: 'COPY_OTHER_SOURCE' });
        await createUser(otherDb, { email: 'someone@example.org' });
        const refused = await copyCatalog(source, otherDb).catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(CatalogCopyError);
        expect((refused as CatalogCopyError).message).toMatch(/not empty \(users: 1 rows\)/);
      } finally {
        await Promise.all([source.close(), back.close(), otherDb.close()]);
        await other.drop();
      }
    });

    it('resumes in the middle of a table after a copy that stopped between batches', async () => {
      const fresh = await createTestDatabase(engine);
      const source = await openDatabase(sqliteSource.url);
      const target = await openDatabase(fresh.url);
      try {
        let batches = 0;
        const stop = new Error('stopped');
        const first = copyCatalog(source, target, {
          batchRows: 7,
          onBatch(table) {
            if (table === 'image_keywords' && ++batches === 3) throw stop;
          },
        });
        await expect(first).rejects.toBe(stop);
        const partial = await dump(target);
        expect(partial.images).toBe(12);
        expect(partial.image_keywords).toBeGreaterThan(0);
        expect(partial.image_keywords).toBeLessThan(sourceCounts.image_keywords!);
        expect(partial.ingest_ledger).toBe(0);
        let resumedFlag: boolean | undefined;
        let rowsLeft = 0;
        await copyCatalog(source, target, {
          batchRows: 7,
          onStart(left, resumed) {
            rowsLeft = left;
            resumedFlag = resumed;
          },
        });
        expect(resumedFlag).toBe(true);
        const total = Object.values(sourceCounts).reduce((a, b) => a + b, 0);
        expect(rowsLeft).toBe(total - Object.values(partial).reduce((a, b) => a + b, 0));
        expect((await verifyCatalogCopy(source, target)).every((c) => c.ok)).toBe(true);
      } finally {
        await Promise.all([source.close(), target.close()]);
        await fresh.drop();
      }
    });

    for (const other of SERVER_ENGINES.filter((e) => e !== engine))
      it(`copies ${engine} to ${other}`, async () => {
        const fresh = await createTestDatabase(other);
        const source = await openDatabase(server.url);
        const target = await openDatabase(fresh.url);
        try {
          await copyCatalog(source, target);
          const checks = await verifyCatalogCopy(source, target);
          expect(checks.filter((c) => !c.ok)).toEqual([]);
          expect(checks.find((c) => c.table === 'image_keywords')?.targetRows).toBe(sourceCounts.image_keywords);
        } finally {
          await Promise.all([source.close(), target.close()]);
          await fresh.drop();
        }
      });

    it('reports the tables that differ when the source changed after the copy', async () => {
      const source = await openDatabase(sqliteSource.url);
      const target = await openDatabase(server.url);
      try {
        await target.db.updateTable('images').set({ object_name: 'changed' }).where('id', '=', 1).execute();
        const error = await verifyCatalogCopy(source, target).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'COPY_VERIFY_FAILED' });
        expect((error as Error).message).toMatch(/images \(12 rows in the source, 12 in the target, other values\)/);
        expect((error as Error).message).not.toMatch(/image_keywords/);
      } finally {
        await Promise.all([source.close(), target.close()]);
      }
    });
  });

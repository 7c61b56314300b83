import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  DatabaseError,
  inTransaction,
  migrateToLatest,
  migrateUpTo,
  openDatabase,
  postgresPoolConfig,
} from '../../src/db/connection.js';
import { getImage } from '../../src/db/images.repository.js';
import { MIGRATIONS } from '../../src/db/migrations/index.js';
import { createTestDatabase, DIALECTS, withTestDatabase } from '../support/databases.js';

describe('postgresPoolConfig', () => {
  it('takes TLS from sslmode and the CA file, and keeps sslmode away from pg', () => {
    const plain = postgresPoolConfig('postgres://u@db.example:5432/aims');
    expect(plain.ssl).toBeUndefined();
    const required = postgresPoolConfig('postgres://u@db.example/aims?sslmode=require&application_name=aims');
    expect(required.ssl).toEqual({ rejectUnauthorized: false });
    expect(required.connectionString).toBe('postgres://u@db.example/aims?application_name=aims');
    // The catalog's sessions run without parallel workers; options given in the URL are kept.
    expect(plain.options).toBe('-c max_parallel_workers_per_gather=0');
    expect(postgresPoolConfig('postgres://u@h/aims?options=-c%20search_path%3Daims').options).toBe(
      '-c search_path=aims -c max_parallel_workers_per_gather=0',
    );
    expect(postgresPoolConfig('postgres://u@h/aims?sslmode=verify-full').ssl).toEqual({ rejectUnauthorized: true });
    expect(postgresPoolConfig('postgres://u@h/aims?sslmode=disable').ssl).toBe(false);
    const caFile = join(mkdtempSync(join(tmpdir(), 'aims-ca-')), 'ca.pem');
    writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    expect(postgresPoolConfig('postgres://u@h/aims?sslmode=require', { caFile }).ssl).toEqual({
      ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
      rejectUnauthorized: true,
    });
  });

  it.runIf(DIALECTS.includes('postgres'))('opens sessions without parallel workers', async () => {
    await withTestDatabase('postgres', async (database) => {
      const shown = await sql<{ v: string }>`select current_setting('max_parallel_workers_per_gather') as v`.execute(
        database.db,
      );
      expect(shown.rows[0]?.v).toBe('0');
    });
  });

  it('fails to open with DB_OPEN_FAILED when the CA file cannot be read', async () => {
    await expect(openDatabase('postgres://u@127.0.0.1/x', { caFile: '/nonexistent/ca.pem' })).rejects.toMatchObject({
      code: 'DB_OPEN_FAILED',
    });
  });
});

describe('openDatabase', () => {
  it('rejects a URL of another kind with a stable code', async () => {
    await expect(openDatabase('oracle://x')).rejects.toMatchObject({ code: 'DB_URL_INVALID' });
    await expect(openDatabase('mysql://x')).rejects.toMatchObject({ code: 'DB_URL_INVALID' });
    await expect(openDatabase('mysql://x')).rejects.toBeInstanceOf(DatabaseError);
  });

  it('creates the folder of a SQLite file and opens it in WAL mode with foreign keys', async () => {
    await withTestDatabase('sqlite', async (database, url) => {
      expect(existsSync(url.slice('sqlite:'.length))).toBe(true);
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(database.db);
      expect(mode.rows[0]?.journal_mode).toBe('wal');
      const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(database.db);
      expect(fk.rows[0]?.foreign_keys).toBe(1);
    });
  });
});

describe('SQLite transactions', () => {
  it('take the write lock at BEGIN, so another process never sees a half-done read-then-write', async () => {
    await withTestDatabase('sqlite', async (first, url) => {
      const second = await openDatabase(url, { busyTimeoutMs: 50 });
      try {
        let release = () => {};
        const held = new Promise<void>((resolve) => {
          release = resolve;
        });
        let entered = () => {};
        const inside = new Promise<void>((resolve) => {
          entered = resolve;
        });
        const transaction = inTransaction(first, async (tx) => {
          await tx.db.selectFrom('ingest_ledger').selectAll().execute();
          entered();
          await held;
        });
        await inside;
        const write = second.db
          .insertInto('ingest_ledger')
          .values({
            root: '/r',
            rel_path: 'x',
            size_bytes: 1,
            mtime_ms: 1,
            state: 'pending',
            discovered_at: 1,
            updated_at: 1,
          })
          .execute();
        await expect(write).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
        release();
        await transaction;
        await second.db
          .insertInto('ingest_ledger')
          .values({
            root: '/r',
            rel_path: 'x',
            size_bytes: 1,
            mtime_ms: 1,
            state: 'pending',
            discovered_at: 1,
            updated_at: 1,
          })
          .execute();
        // Nested calls join the open transaction; a failure rolls back all of it.
        await expect(
          inTransaction(first, async (tx) => {
            await tx.db.deleteFrom('ingest_ledger').execute();
            await inTransaction(tx, async (inner) => {
              await inner.db.deleteFrom('ingest_ledger').execute();
              throw new Error('boom');
            });
          }),
        ).rejects.toThrow('boom');
        expect(await first.db.selectFrom('ingest_ledger').selectAll().execute()).toHaveLength(1);
      } finally {
        await second.close();
      }
    });
  });
});

for (const dialect of DIALECTS) {
  describe(dialect, () => {
    it('migrates an empty database to the catalog tables, once', async () => {
      const test = await createTestDatabase(dialect);
      try {
        const first = await openDatabase(test.url, { migrate: false });
        expect(await migrateToLatest(first)).toEqual(Object.keys(MIGRATIONS));
        const tables = (await first.db.introspection.getTables()).map((t) => t.name);
        expect(tables).toEqual(expect.arrayContaining(['images', 'image_paths', 'image_keywords', 'ingest_ledger']));
        await first.close();
        const second = await openDatabase(test.url);
        expect(await migrateToLatest(second)).toEqual([]);
        await second.close();
      } finally {
        await test.drop();
      }
    });

    it('moves headers written under the first catalog schema into image_headers', async () => {
      await withTestDatabase(
        dialect,
        async (database) => {
          await migrateUpTo(database, '2026_11_24_1000_catalog');
          const d = database.dialect;
          const headers = [{ index: 0, type: 'IMAGE', cards: [{ key: 'EXPTIME', value: 30, comment: 's' }] }];
          // biome-ignore lint/suspicious/noExplicitAny: the table as it was before the migration under test
          const old = database.db as any;
          const insert = old.insertInto('images').values({
            root: '/r',
            rel_path: 'a.fits',
            size_bytes: 1,
            mtime_ms: 1,
            sha256: 'f'.repeat(64),
            hdu_index: 0,
            ingested_at: 0,
            updated_at: 0,
            headers: d.toDbJson(headers),
            normalization: d.toDbJson({ reasons: { gain: 'no GAIN' }, sources: {} }),
          });
          const id = d.supportsReturning
            ? Number((await insert.returning('id').executeTakeFirstOrThrow()).id)
            : Number((await insert.executeTakeFirstOrThrow()).insertId);
          expect(await migrateToLatest(database)).toContain('2026_11_24_1130_catalog_headers');
          const detail = await getImage(database, id);
          expect(detail?.header).toEqual(headers);
          expect(detail?.normalization).toEqual({ reasons: { gain: 'no GAIN' }, sources: {} });
          const columns = (await database.db.introspection.getTables()).find((t) => t.name === 'images')?.columns;
          expect(columns?.map((c) => c.name)).not.toContain('headers');
        },
        { migrate: false },
      );
    });

    it('returns counts and bigints as numbers and round-trips booleans', async () => {
      await withTestDatabase(dialect, async ({ db, dialect: d }) => {
        await db
          .insertInto('ingest_ledger')
          .values({
            root: '/r',
            rel_path: 'a.fits',
            size_bytes: 2 ** 40,
            mtime_ms: 1_764_000_000_123,
            inode: 99,
            state: 'pending',
            retryable: d.toDbBool(true),
            discovered_at: 1,
            updated_at: 1,
          })
          .execute();
        const row = await db.selectFrom('ingest_ledger').selectAll().executeTakeFirstOrThrow();
        expect(row.size_bytes).toBe(2 ** 40);
        expect(row.mtime_ms).toBe(1_764_000_000_123);
        expect(d.fromDbBool(row.retryable)).toBe(true);
        const count = await db
          .selectFrom('ingest_ledger')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow();
        expect(count.n).toBe(1);
      });
    });
  });
}

/**
 * Throw-away databases for store tests. Every store test runs on each dialect in DIALECTS:
 *
 *   for (const dialect of DIALECTS)
 *     describe(dialect, () => {
 *       const t = useTestDatabase(dialect);          // fresh database per test, migrated
 *       // or useSharedTestDatabase(dialect): one database for the whole describe (read-only tests)
 *       it('…', async () => { await insertImage(t.database, …) });
 *     });
 *
 * or `await withTestDatabase(dialect, async (database) => …)` for one-off use.
 * `AIMS_TEST_DIALECTS=sqlite,postgres` (any of sqlite, postgres, mysql; `mariadb` names mysql)
 * narrows the set; default all three.
 * PostgreSQL: a `aims_t_<random>` database on AIMS_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/test),
 * dropped afterwards.
 * MySQL/MariaDB: a `aims_t_<random>` database on AIMS_TEST_MYSQL_URL (default mysql://root@127.0.0.1:3306/),
 * dropped afterwards. When that server does not answer, the global setup says so in one line and
 * mysql leaves DIALECTS (under CI=true it fails the run instead).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, inject } from 'vitest';
import { type Database, type OpenDatabaseOptions, openDatabase } from '../../src/db/connection.js';
import type { DialectName } from '../../src/db/dialect.js';

export const DIALECTS: DialectName[] = (process.env.AIMS_TEST_DIALECTS ?? 'sqlite,postgres,mysql')
  .split(',')
  .map((d) => (d.trim() === 'mariadb' ? 'mysql' : d.trim()))
  .filter((d): d is DialectName => d === 'sqlite' || d === 'postgres' || d === 'mysql')
  .filter((d) => d !== 'mysql' || inject('mysqlReachable'));

const PG_ADMIN_URL = process.env.AIMS_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const MYSQL_ADMIN_URL = process.env.AIMS_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/';

export interface TestDatabase {
  /** The URL: open it again to get a second, independent connection to the same database. */
  url: string;
  /** Drops the database / removes the folder. Close your Database objects first. */
  drop(): Promise<void>;
}

/** Creates an empty database (not migrated: openDatabase migrates). */
export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'aims-db-'));
    return {
      url: `sqlite:${join(dir, 'catalog', 'aims.db')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `aims_t_${randomBytes(6).toString('hex')}`;
  if (dialect === 'mysql') {
    await mysqlAdminQuery(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    const url = new URL(MYSQL_ADMIN_URL);
    url.pathname = `/${name}`;
    return { url: url.toString(), drop: () => mysqlAdminQuery(`DROP DATABASE IF EXISTS ${name}`) };
  }
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function mysqlAdminQuery(text: string): Promise<void> {
  const connection = await mysql.createConnection({ uri: MYSQL_ADMIN_URL });
  try {
    await connection.query(text);
  } finally {
    await connection.end();
  }
}

/** Runs fn with a fresh, migrated database of this dialect; closes and drops it afterwards. */
export async function withTestDatabase<T>(
  dialect: DialectName,
  fn: (database: Database, url: string) => Promise<T>,
  options?: OpenDatabaseOptions,
): Promise<T> {
  const test = await createTestDatabase(dialect);
  const database = await openDatabase(test.url, options);
  try {
    return await fn(database, test.url);
  } finally {
    await database.close();
    await test.drop();
  }
}

/** A fresh, migrated database for each test of the enclosing describe. */
export function useTestDatabase(
  dialect: DialectName,
  options?: OpenDatabaseOptions,
): { database: Database; url: string } {
  const state = {} as { database: Database; url: string; test: TestDatabase };
  beforeEach(async () => {
    state.test = await createTestDatabase(dialect);
    state.url = state.test.url;
    state.database = await openDatabase(state.test.url, options);
  });
  afterEach(async () => {
    await state.database?.close();
    await state.test?.drop();
  });
  return state;
}

/** One fresh, migrated database shared by every test of the enclosing describe. */
export function useSharedTestDatabase(
  dialect: DialectName,
  options?: OpenDatabaseOptions,
): { database: Database; url: string } {
  const state = {} as { database: Database; url: string; test: TestDatabase };
  beforeAll(async () => {
    state.test = await createTestDatabase(dialect);
    state.url = state.test.url;
    state.database = await openDatabase(state.test.url, options);
  });
  afterAll(async () => {
    await state.database?.close();
    await state.test?.drop();
  });
  return state;
}

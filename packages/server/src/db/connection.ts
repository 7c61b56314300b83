/**
 * Opening the catalog database.
 *
 *   openDatabase(url, options?): Promise<Database>   `sqlite:PATH`, `postgres://…` or `mysql://…`; runs migrations;
 *                                                     `waitForServerMs`: keeps trying a server not up yet
 *   unreachableCode(error): string | null             the driver code of a server that could not be reached
 *   migrateToLatest(db): Promise<string[]>            names of the migrations it applied
 *   migrateUpTo(db, name): Promise<string[]>          up to and including one migration (tests)
 *   postgresPoolConfig(url, options?): pg.PoolConfig  TLS from sslmode / CA file
 *   mysqlPoolConfig(url, options?): PoolOptions       TLS from ssl / ssl-ca (mysql2)
 *   inTransaction(db, fn): Promise<T>                 fn gets a Db bound to the transaction
 *   checkpointThreadOf(db): CheckpointThread | undefined   SQLite opened with `checkpointThread`
 *
 * Repositories take a `Db` (`{ db, dialect }`) first, so the same function runs inside or outside a
 * transaction and can ask the dialect for converters.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  type Migration,
  type MigrationResultSet,
  Migrator,
  MysqlDialect,
  PostgresDialect,
  SqliteDialect,
  sql,
} from 'kysely';
import type { PoolOptions as MysqlPoolOptions } from 'mysql2';
import type pg from 'pg';
import { ensurePrivateFile, tightenFile, type Warn, warnOnStderr } from '../util/private-files.js';
import { CheckpointThread, type CheckpointThreadOptions } from './checkpoint-thread.js';
import { type DialectInfo, dialectInfo, dialectOfUrl } from './dialect.js';
import { MIGRATIONS } from './migrations/index.js';
import { SqliteStatements } from './prepared.js';
import type { Schema } from './schema.js';

export interface Db {
  db: Kysely<Schema>;
  dialect: DialectInfo;
  /**
   * SQLite, inside a write transaction only: prepared statements that run synchronously on the
   * connection the transaction holds (prepared.ts). Outside one, another task may hold the
   * connection in its own transaction, and only Kysely's connection lock keeps the two apart.
   */
  statements?: SqliteStatements;
  /**
   * Inside a transaction only: work gathered during it and done once, just before it commits (the
   * summary rows that every writer shares are updated there, in one sorted pass, so that two
   * writers never hold them while waiting for each other's frames).
   */
  beforeCommit?: Array<(tx: Db) => Promise<void>>;
}

export interface Database extends Db {
  url: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Run pending migrations at open (default true). */
  migrate?: boolean;
  /** PEM file of the CA that signed the PostgreSQL or MySQL server's certificate (default $AIMS_DATABASE_CA_FILE). */
  caFile?: string | undefined;
  /** PostgreSQL and MySQL pool size (default 10). */
  poolSize?: number;
  /** SQLite: milliseconds a writer waits for the lock before SQLITE_BUSY (default 10 s). */
  busyTimeoutMs?: number;
  /** SQLite: told when a catalog file's mode was tightened to 0600 (default: a warning on stderr). */
  warn?: Warn;
  /**
   * SQLite file: WAL checkpoints on a thread of their own instead of inside the writer's commits
   * (checkpoint-thread.ts; `aims ingest`, whose one connection writes frame after frame).
   */
  checkpointThread?: boolean | CheckpointThreadOptions;
  /**
   * PostgreSQL and MySQL: how long to keep trying while the server cannot be reached (refused,
   * timed out, not resolved, starting up), in ms (default 0: fail at once). A server and its
   * workers started beside their database (compose) wait for it rather than exit.
   */
  waitForServerMs?: number;
}

export class DatabaseError extends Error {
  override readonly name = 'DatabaseError';
  constructor(
    readonly code: 'DB_URL_INVALID' | 'DB_OPEN_FAILED' | 'DB_MIGRATION_FAILED',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export async function openDatabase(url: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  let name: ReturnType<typeof dialectOfUrl>;
  try {
    name = dialectOfUrl(url);
  } catch (cause) {
    throw new DatabaseError('DB_URL_INVALID', (cause as Error).message);
  }
  const deadline = Date.now() + (options.waitForServerMs ?? 0);
  for (let attempt = 0; ; attempt++) {
    try {
      return await openOnce(url, name, options);
    } catch (error) {
      const code = unreachableCode(error);
      const left = deadline - Date.now();
      if (name === 'sqlite' || code === null || left <= 0) throw error;
      const delay = Math.min(250 * 2 ** attempt, 5000, left);
      (options.warn ?? warnOnStderr)(
        `the database server cannot be reached (${code}); trying again in ${(delay / 1000).toFixed(1)} s`,
      );
      await new Promise((done) => setTimeout(done, delay));
    }
  }
}

/** Driver error codes of a server that is not there (yet), not of a refused login or bad SQL. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  // PostgreSQL: the database system is starting up / shutting down.
  '57P03',
]);

/** The code that says the server could not be reached, searched through causes and aggregates. */
export function unreachableCode(error: unknown): string | null {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const { code, cause, errors } = e as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return code;
    queue.push(cause, ...(Array.isArray(errors) ? errors : []));
  }
  return null;
}

async function openOnce(
  url: string,
  name: ReturnType<typeof dialectOfUrl>,
  options: OpenDatabaseOptions,
): Promise<Database> {
  const database =
    name === 'sqlite'
      ? openSqlite(url, options)
      : name === 'mysql'
        ? await openMysql(url, options)
        : await openPostgres(url, options);
  if (options.migrate ?? true) {
    try {
      await migrateToLatest(database);
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  return database;
}

function openSqlite(url: string, options: OpenDatabaseOptions): Database {
  const raw = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  const memory = raw === ':memory:';
  const path = memory ? raw : resolve(raw);
  let sqlite: SqliteDatabase.Database;
  try {
    const warn = options.warn ?? warnOnStderr;
    if (!memory) {
      // The catalog holds password and token hashes: owner-only from the moment it exists. Its
      // folder is created 0700 (an existing one is left alone: it may be shared, such as /tmp).
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      ensurePrivateFile(path, warn);
    }
    sqlite = new SqliteDatabase(path);
    // WAL: readers never block the writer; NORMAL sync is durable across process crashes in WAL mode.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 10_000)}`);
    sqlite.pragma('foreign_keys = ON');
    // SQLite creates -wal and -shm with the main file's mode; ones left by an earlier, looser
    // catalog keep theirs until tightened.
    if (!memory) for (const suffix of ['-wal', '-shm']) tightenFile(path + suffix, warn);
    // The default 2 MB page cache makes every count over 100k rows a stream of read() calls; a
    // larger cache and memory-mapped reads keep a million-frame catalog's indexes in memory.
    sqlite.pragma('cache_size = -65536');
    sqlite.pragma('mmap_size = 1073741824');
    // Planner statistics (STAT4 is compiled in): without them SQLite guesses which index to use.
    // 0x10002 = analyze what needs it, with a bounded effort, at open of a long-lived connection.
    // analysis_limit bounds each index's analysis to ~1000 rows, so this stays milliseconds at 1M frames.
    sqlite.pragma('analysis_limit = 1000');
    sqlite.pragma('optimize = 0x10002');
  } catch (cause) {
    throw new DatabaseError('DB_OPEN_FAILED', `cannot open SQLite database ${path}: ${(cause as Error).message}`, {
      cause,
    });
  }
  // Kysely prepares every statement it runs; the same few statements, prepared again for every
  // frame, took longer than running them. Prepared statements are kept by SQL text.
  const statements = new SqliteStatements(sqlite);
  const db = new Kysely<Schema>({
    dialect: new SqliteDialect({
      database: { prepare: (sqlText: string) => statements.prepare(sqlText), close: () => sqlite.close() },
    }),
  });
  sqliteStatements.set(db, statements);
  const checkpoints =
    options.checkpointThread && !memory
      ? CheckpointThread.start(sqlite, path, {
          busyTimeoutMs: options.busyTimeoutMs ?? 10_000,
          ...(typeof options.checkpointThread === 'object' ? options.checkpointThread : {}),
        })
      : undefined;
  if (checkpoints) checkpointThreads.set(db, checkpoints);
  const close = async () => {
    // Its last checkpoints first: this connection, closing last, then finds little left to copy.
    await checkpoints?.close();
    // Refreshes the statistics that this session's writes made stale (cheap when nothing changed).
    if (sqlite.open && !sqlite.readonly) {
      try {
        sqlite.pragma('optimize');
      } catch {
        // A busy or read-only file: the statistics wait for the next close.
      }
    }
    await db.destroy();
  };
  return { db, dialect: dialectInfo('sqlite'), url, close };
}

// Counts and sums come back as int8/numeric; within 2^53 a number is exact and far easier to use.
const PG_INT8 = 20;
const PG_NUMERIC = 1700;
function pgTypes(driver: typeof pg): pg.CustomTypesConfig {
  return {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === PG_INT8) return (value: string) => Number(value);
      if (oid === PG_NUMERIC) return (value: string) => Number(value);
      return driver.types.getTypeParser(oid, format);
    },
  } as pg.CustomTypesConfig;
}

/**
 * The pg pool settings for a URL. TLS: `sslmode=require` encrypts without verifying the server (as
 * libpq does); `verify-ca`/`verify-full`, or a CA file, verify the certificate; `disable` turns TLS off.
 */
export function postgresPoolConfig(url: string, options: OpenDatabaseOptions = {}): pg.PoolConfig {
  const parsed = new URL(url);
  const sslmode = parsed.searchParams.get('sslmode');
  // We configure TLS ourselves so that the CA file option and sslmode agree; pg would otherwise
  // reinterpret sslmode from the URL and override our `ssl` object.
  parsed.searchParams.delete('sslmode');
  const caFile = options.caFile ?? process.env.AIMS_DATABASE_CA_FILE;
  let ssl: pg.PoolConfig['ssl'];
  if (sslmode === 'disable') ssl = false;
  else if (caFile) ssl = { ca: readFileSync(caFile, 'utf8'), rejectUnauthorized: true };
  else if (sslmode === 'require') ssl = { rejectUnauthorized: false };
  else if (sslmode === 'verify-ca' || sslmode === 'verify-full') ssl = { rejectUnauthorized: true };
  // No parallel workers for the catalog's own queries: pages and counts stop after a few hundred
  // rows, and starting workers cost 6–10 ms before the first row (a page of a keyword in every
  // frame: 0.6–0.9 ms serial, 6–10 ms parallel, at a million frames on 2 cores). ADQL queries,
  // which may scan, turn them back on in their own transaction (adql/execute.ts).
  const sessionOptions = [parsed.searchParams.get('options'), `-c max_parallel_workers_per_gather=0`]
    .filter(Boolean)
    .join(' ');
  parsed.searchParams.delete('options');
  return {
    connectionString: parsed.toString(),
    ...(ssl === undefined ? {} : { ssl }),
    max: options.poolSize ?? 10,
    options: sessionOptions,
  };
}

/** pg is loaded when a PostgreSQL catalog is opened: a SQLite `aims ingest` does not pay for it. */
async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<Database> {
  const driver = (await import('pg')).default;
  let pool: pg.Pool;
  try {
    pool = new driver.Pool({ ...postgresPoolConfig(url, options), types: pgTypes(driver) });
  } catch (cause) {
    throw new DatabaseError('DB_OPEN_FAILED', `cannot configure PostgreSQL: ${(cause as Error).message}`, { cause });
  }
  // An idle connection dropped by the server (restart, failover) is reported here; pg discards the
  // client and the next query opens a new one. Without a listener the error would end the process.
  pool.on('error', () => {});
  // A connection in use (inside a transaction, between statements) reports the drop on the client
  // itself, where pg-pool listens only while it is idle: the statement that used it fails, the
  // pool discards it when it comes back, and the process lives (a restart of PostgreSQL in the
  // middle of an ingest ended `aims serve` here: test/faults/database-restart.test.ts).
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: dialectInfo('postgres'), url, close: () => db.destroy() };
}

/**
 * The mysql2 pool settings for a `mysql://` or `mariadb://` URL. TLS: `ssl=true` (or `verify`)
 * verifies the server against the system's CAs; `ssl-ca=/path/ca.pem` (or the CA file option)
 * against that CA; `ssl=require` encrypts without verifying (as PostgreSQL's sslmode=require);
 * `ssl=false` turns it off. Without any of them the connection is plain, as mysql2's default.
 */
export function mysqlPoolConfig(url: string, options: OpenDatabaseOptions = {}): MysqlPoolOptions {
  const parsed = new URL(url);
  const param = (name: string) => parsed.searchParams.get(name) ?? parsed.searchParams.get(name.replace('-', '_'));
  const sslParam = param('ssl')?.toLowerCase();
  const caFile = param('ssl-ca') ?? options.caFile ?? process.env.AIMS_DATABASE_CA_FILE;
  let ssl: MysqlPoolOptions['ssl'];
  if (sslParam === 'false' || sslParam === '0' || sslParam === 'disable') ssl = undefined;
  else if (caFile) ssl = { ca: readFileSync(caFile, 'utf8'), rejectUnauthorized: true };
  else if (sslParam === 'require' || sslParam === 'required') ssl = { rejectUnauthorized: false };
  else if (sslParam === 'true' || sslParam === '1' || sslParam === 'verify') ssl = { rejectUnauthorized: true };
  else if (sslParam !== undefined)
    throw new DatabaseError('DB_URL_INVALID', `unknown ssl=${sslParam} in the MySQL URL: use true, require or false`);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!database)
    throw new DatabaseError('DB_URL_INVALID', 'the MySQL URL names no database: mysql://user:password@host:3306/NAME');
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username) || 'root',
    password: decodeURIComponent(parsed.password),
    database,
    ...(ssl === undefined ? {} : { ssl }),
    connectionLimit: options.poolSize ?? 10,
    charset: 'utf8mb4',
    // DECIMAL (sums, averages) as numbers, BIGINT as numbers while exact; JSON as text, as MariaDB
    // returns it anyway (the dialect parses it).
    decimalNumbers: true,
    supportBigNumbers: true,
    jsonStrings: true,
    timezone: 'Z',
  };
}

/**
 * Every connection: MySQL 8's default SQL mode (so MariaDB checks what MySQL would refuse), and
 * READ COMMITTED, as PostgreSQL: REPEATABLE READ's gap locks make concurrent writers of the ledger
 * and the summary tables deadlock where PostgreSQL lets them through.
 */
const MYSQL_SESSION = [
  "set session sql_mode = 'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'",
  'set session transaction isolation level read committed',
];

/** mysql2 is loaded when a MySQL catalog is opened, as pg is for PostgreSQL. */
async function openMysql(url: string, options: OpenDatabaseOptions): Promise<Database> {
  const driver = (await import('mysql2')).default;
  let pool: ReturnType<typeof driver.createPool>;
  try {
    pool = driver.createPool(mysqlPoolConfig(url, options));
  } catch (cause) {
    if (cause instanceof DatabaseError) throw cause;
    throw new DatabaseError('DB_OPEN_FAILED', `cannot configure MySQL: ${(cause as Error).message}`, { cause });
  }
  // As for pg: a connection dropped while idle must not end the process.
  pool.on('connection', (connection) => connection.on('error', () => {}));
  const dialect = dialectInfo('mysql');
  const db = new Kysely<Schema>({
    dialect: new MysqlDialect({
      pool,
      onCreateConnection: async (connection) => {
        for (const statement of MYSQL_SESSION) await connection.executeQuery(CompiledQuery.raw(statement));
      },
    }),
    plugins: [...dialect.plugins],
  });
  return { db, dialect, url, close: () => db.destroy() };
}

function migrator(database: Db): Migrator {
  const migrations: Record<string, Migration> = {};
  for (const [name, m] of Object.entries(MIGRATIONS)) {
    const down = m.down;
    migrations[name] = {
      up: (db) => m.up(db, database.dialect),
      ...(down ? { down: (db) => down(db, database.dialect) } : {}),
    };
  }
  return new Migrator({ db: database.db, provider: { getMigrations: async () => migrations } });
}

function applied(outcome: MigrationResultSet): string[] {
  const { error, results } = outcome;
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new DatabaseError('DB_MIGRATION_FAILED', `migration ${failed} failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Applies every migration not yet applied, in name order; returns their names. */
export async function migrateToLatest(database: Db): Promise<string[]> {
  return applied(await migrator(database).migrateToLatest());
}

/** Applies migrations up to and including `name` (tests of a migration over older data). */
export async function migrateUpTo(database: Db, name: string): Promise<string[]> {
  return applied(await migrator(database).migrateTo(name));
}

/** The statement cache of each SQLite catalog, handed to the transactions begun on it. */
const sqliteStatements = new WeakMap<Kysely<Schema>, SqliteStatements>();

/** The checkpoint thread of each SQLite catalog opened with one. */
const checkpointThreads = new WeakMap<Kysely<Schema>, CheckpointThread>();

/** The checkpoint thread of a SQLite catalog opened with `checkpointThread` (tests, figures). */
export function checkpointThreadOf(database: Db): CheckpointThread | undefined {
  return checkpointThreads.get(database.db);
}

/** Connections inside a transaction begun by hand (SQLite's BEGIN IMMEDIATE), for nesting. */
const manualTransactions = new WeakSet<Kysely<Schema>>();

/**
 * Runs fn in one transaction; fn's Db is bound to it. Nested calls reuse the open transaction.
 * On SQLite the transaction takes the write lock at BEGIN: a deferred transaction that reads and
 * then writes fails at once with SQLITE_BUSY when another process wrote in between (WAL snapshot),
 * without waiting for busy_timeout; `aims serve` and `aims ingest` share a file.
 */
export async function inTransaction<T>(database: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  if (database.db.isTransaction || manualTransactions.has(database.db)) return fn(database);
  const run = async (tx: Db) => {
    const result = await fn(tx);
    for (const work of tx.beforeCommit ?? []) await work(tx);
    return result;
  };
  const begin = database.dialect.beginWriteTransaction;
  if (begin === null)
    return database.db.transaction().execute((trx) => run({ db: trx, dialect: database.dialect, beforeCommit: [] }));
  const statements = sqliteStatements.get(database.db);
  const checkpoints = checkpointThreads.get(database.db);
  const waiting = checkpoints?.beforeWrite();
  if (waiting) await waiting;
  return database.db.connection().execute(async (conn) => {
    manualTransactions.add(conn);
    try {
      await sql.raw(begin).execute(conn);
      try {
        const result = await run({
          db: conn,
          dialect: database.dialect,
          beforeCommit: [],
          ...(statements ? { statements } : {}),
        });
        await sql`commit`.execute(conn);
        checkpoints?.committed();
        return result;
      } catch (error) {
        await sql`rollback`.execute(conn).catch(() => {});
        throw error;
      }
    } finally {
      manualTransactions.delete(conn);
    }
  });
}

/**
 * Runs compiled ADQL within a time limit, on every engine, without stalling the server:
 *
 *   SQLite      in a worker thread with its own read-only connection (better-sqlite3 blocks the
 *               thread it runs on); past the limit the thread is terminated.
 *   PostgreSQL  in a transaction with `statement_timeout`, so the server cancels the statement.
 *
 *   createAdqlExecutor(database) → { run(query, { timeoutMs, signal }), close() }
 *   AdqlTimeoutError: the query ran past its limit (TAP answers it as an error, not a partial result).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { Piscina } from 'piscina';
import { threadExecArgv } from '../../util/thread-pool.js';
import type { Database } from '../connection.js';
import type { CompiledQuery, OutputColumn } from './compile.js';
import type { SqliteQueryTask } from './sqlite-query.worker.js';

export class AdqlTimeoutError extends Error {
  override readonly name = 'AdqlTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`the query ran longer than its limit of ${Math.round(timeoutMs / 1000)} s`);
  }
}

export type AdqlValue = number | string | null;

export interface AdqlResult {
  rows: AdqlValue[][];
  /** More rows matched than the query may return (MAXREC). */
  overflow: boolean;
}

export interface AdqlRunOptions {
  timeoutMs: number;
  /** Aborts the query (the client went away, the job was aborted). */
  signal?: AbortSignal;
}

export interface AdqlExecutor {
  run(query: CompiledQuery, options: AdqlRunOptions): Promise<AdqlResult>;
  close(): Promise<void>;
}

export function createAdqlExecutor(database: Database): AdqlExecutor {
  const path = sqlitePath(database.url);
  const file = path ? workerFile() : undefined;
  if (path && file) return sqliteExecutor(database, path, file);
  return {
    run: (query, options) => runOnConnection(database, query, options),
    close: async () => {},
  };
}

function sqliteExecutor(database: Database, path: string, filename: string): AdqlExecutor {
  const pool = new Piscina({
    filename,
    minThreads: 0,
    maxThreads: 2,
    idleTimeout: 60_000,
    execArgv: threadExecArgv([]),
  });
  return {
    async run(query, { timeoutMs, signal }) {
      const compiled = query.sql.compile(database.db);
      const task: SqliteQueryTask = {
        path,
        sql: compiled.sql,
        parameters: [...compiled.parameters],
        maxRows: query.limit + 1,
      };
      const timeout = AbortSignal.timeout(timeoutMs);
      const abort = signal ? AbortSignal.any([timeout, signal]) : timeout;
      try {
        const rows = (await pool.run(task, { signal: abort })) as Record<string, unknown>[];
        return toResult(query, rows);
      } catch (error) {
        if (timeout.aborted) throw new AdqlTimeoutError(timeoutMs);
        throw error;
      }
    },
    close: () => pool.destroy(),
  };
}

/** PostgreSQL's default max_parallel_workers_per_gather, for ADQL queries. */
const ADQL_PARALLEL_WORKERS = 2;

async function runOnConnection(database: Database, query: CompiledQuery, options: AdqlRunOptions): Promise<AdqlResult> {
  if (database.dialect.name === 'mysql') return runOnMysql(database, query, options);
  if (database.dialect.name !== 'postgres') return toResult(query, (await query.sql.execute(database.db)).rows);
  try {
    const rows = await database.db.transaction().execute(async (tx) => {
      await sql`select set_config('statement_timeout', ${String(Math.max(1, Math.round(options.timeoutMs)))}, true)`.execute(
        tx,
      );
      // The catalog's connections start without parallel workers (connection.ts); an ADQL query
      // may scan a table, where PostgreSQL's default of two helps.
      await sql`select set_config('max_parallel_workers_per_gather', ${String(ADQL_PARALLEL_WORKERS)}, true)`.execute(
        tx,
      );
      return (await query.sql.execute(tx)).rows;
    });
    return toResult(query, rows);
  } catch (error) {
    // 57014: query_canceled (statement_timeout).
    if ((error as { code?: string }).code === '57014') throw new AdqlTimeoutError(options.timeoutMs);
    throw error;
  }
}

/**
 * MySQL and MariaDB name their statement time limits differently (max_execution_time in ms, a
 * SELECT hint; max_statement_time in seconds): the query is stopped from outside instead, with
 * KILL QUERY on its connection, which both accept.
 */
async function runOnMysql(database: Database, query: CompiledQuery, options: AdqlRunOptions): Promise<AdqlResult> {
  return database.db.connection().execute(async (conn) => {
    const { rows } = await sql<{ id: number }>`select connection_id() as id`.execute(conn);
    const id = Number(rows[0]?.id);
    let killed = false;
    const timer = setTimeout(
      () => {
        killed = true;
        sql`kill query ${sql.raw(String(Math.trunc(id)))}`.execute(database.db).catch(() => {});
      },
      Math.max(1, Math.round(options.timeoutMs)),
    );
    try {
      return toResult(query, (await query.sql.execute(conn)).rows);
    } catch (error) {
      // ER_QUERY_INTERRUPTED
      if (killed || (error as { code?: string }).code === 'ER_QUERY_INTERRUPTED')
        throw new AdqlTimeoutError(options.timeoutMs);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  });
}

function toResult(query: CompiledQuery, rows: Record<string, unknown>[]): AdqlResult {
  return {
    rows: rows.slice(0, query.limit).map((row) => query.columns.map((column, i) => toValue(column, row[`c${i}`]))),
    overflow: rows.length > query.limit,
  };
}

function toValue(column: OutputColumn, value: unknown): AdqlValue {
  if (value === null || value === undefined) return null;
  switch (column.type) {
    case 'double':
    case 'integer':
      // pg returns bigint, numeric and count(*) as strings.
      return typeof value === 'number' ? value : Number(value);
    case 'timestamp':
      return new Date(Number(value)).toISOString();
    case 'region':
      return stcsPolygon(value);
    default:
      return String(value);
  }
}

/** A footprint ([[ra, dec], …], JSON text or parsed) as an STC-S polygon, as SIA shows s_region. */
function stcsPolygon(value: unknown): string | null {
  const corners = (typeof value === 'string' ? JSON.parse(value) : value) as Array<[number, number]> | null;
  if (!Array.isArray(corners) || corners.length < 3) return null;
  return `POLYGON ICRS ${corners.map(([ra, dec]) => `${ra} ${dec}`).join(' ')}`;
}

function sqlitePath(url: string): string | null {
  if (!url.startsWith('sqlite:')) return null;
  const raw = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  return raw === ':memory:' ? null : resolve(raw);
}

/** The compiled worker (tests run sources: the build in dist/ is used, as for the frame workers). */
function workerFile(): string | undefined {
  const here = fileURLToPath(new URL('./sqlite-query.worker.js', import.meta.url));
  if (existsSync(here)) return here;
  const built = here.replace(/([/\\])src([/\\]db[/\\])/, '$1dist$2');
  return existsSync(built) ? built : undefined;
}

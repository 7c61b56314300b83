/**
 * Planner statistics of a SQLite catalog after it has grown. openDatabase runs a bounded analysis
 * (`analysis_limit`), which keeps no STAT4 samples; without them SQLite cannot weigh a range against
 * another (`ccd_temp` between −16 and −14, a quarter of a million frames, looked as rare as a
 * narrow one) and picks plans that sort every match. A full ANALYZE of a million-frame catalog
 * reads every index (tens of seconds), so it runs only when the catalog has grown since the last
 * one, on a thread and a connection of its own, one index at a time (analyze.worker.ts).
 * PostgreSQL (autovacuum's analyze) and MariaDB (persistent InnoDB statistics) keep their own.
 *
 *   plannerStatistics(db, minFrames?): Promise<StatisticsState | null>   frames now and at the last analysis; null off SQLite
 *   refreshPlannerStatistics(database, options?): Promise<StatisticsRefresh>   full analysis of the images indexes
 *   refreshStatisticsIfStale(database, log?, options?): Promise<StatisticsRefresh | null>   the two together (ingest)
 */
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import { compiledExecArgv, compiledWorkerFile } from '../util/thread-pool.js';
import { countOf } from './catalog-summary.js';
import type { Database, Db } from './connection.js';

/** Below this many frames the bounded analysis is good enough (and a full one is quick anyway). */
export const STATISTICS_MIN_FRAMES = 20_000;
/** A full analysis again once the catalog has this many times the frames it had at the last one. */
export const STATISTICS_GROWTH = 1.25;

export interface StatisticsState {
  frames: number;
  /** Rows of images at the last analysis (sqlite_stat1), 0 when never analysed. */
  analyzedRows: number;
  /** Whether STAT4 samples of images exist (a full analysis ran and no bounded one replaced it). */
  samples: boolean;
  stale: boolean;
}

export interface StatisticsRefresh {
  indexes: number;
  ms: number;
  /** The longest single statement: how long a writer may have waited. */
  longestMs: number;
}

export async function plannerStatistics(db: Db, minFrames = STATISTICS_MIN_FRAMES): Promise<StatisticsState | null> {
  if (db.dialect.name !== 'sqlite') return null;
  const frames = await countOf(db, '*', {});
  const tables = await sql<{ name: string }>`
    select name from sqlite_master where type = 'table' and name in ('sqlite_stat1', 'sqlite_stat4')`.execute(db.db);
  const has = (t: string) => tables.rows.some((r) => r.name === t);
  let analyzedRows = 0;
  if (has('sqlite_stat1')) {
    // The first number of an index's statistics is the rows of its table at that analysis (the
    // largest of them: a partial index counts fewer). Not one named index: indexes come and go.
    const stats = await sql<{ stat: string }>`
      select stat from sqlite_stat1 where tbl = 'images' and idx is not null`.execute(db.db);
    for (const { stat } of stats.rows) analyzedRows = Math.max(analyzedRows, Number.parseInt(stat, 10) || 0);
  }
  const samples =
    has('sqlite_stat4') &&
    (await sql<{ n: number }>`select count(*) as n from sqlite_stat4 where tbl = 'images'`.execute(db.db)).rows[0]
      ?.n !== 0;
  const stale = frames >= minFrames && (!samples || frames >= analyzedRows * STATISTICS_GROWTH);
  return { frames, analyzedRows, samples, stale };
}

/**
 * Full analysis of every index of images but the unique ones (looked up by equality, they need no
 * samples; the path index alone took 5 s at a million frames). Runs on its own thread when the
 * catalog is a file and the compiled worker exists, else on the catalog's connection.
 */
export async function refreshPlannerStatistics(
  database: Database,
  options: { pauseMs?: number; busyTimeoutMs?: number } = {},
): Promise<StatisticsRefresh> {
  const started = performance.now();
  const listed = await sql<{ name: string }>`
    select name from sqlite_master
    where type = 'index' and tbl_name = 'images' and name not like 'sqlite_autoindex_%'
    order by name`.execute(database.db);
  const indexes = listed.rows.map((r) => r.name);
  const path = database.url.slice('sqlite:'.length);
  const file = compiledWorkerFile(new URL('./analyze.worker.js', import.meta.url));
  let times: Array<{ index: string; ms: number }>;
  if (file && path !== ':memory:' && path !== '') {
    times = await new Promise((resolve, reject) => {
      const worker = new Worker(file, {
        workerData: {
          path,
          indexes,
          pauseMs: options.pauseMs ?? 200,
          busyTimeoutMs: options.busyTimeoutMs ?? 30_000,
        },
        execArgv: compiledExecArgv(process.execArgv),
      });
      worker.once('message', (m: { times: typeof times; error?: string }) =>
        m.error ? reject(new Error(`planner statistics: ${m.error}`)) : resolve(m.times),
      );
      worker.once('error', reject);
    });
    // This connection reads the statistics again (they are loaded with the schema).
    await sql`analyze sqlite_schema`.execute(database.db);
  } else {
    times = [];
    await sql`pragma analysis_limit = 0`.execute(database.db);
    try {
      for (const index of indexes) {
        const t0 = performance.now();
        await sql`analyze ${sql.id(index)}`.execute(database.db);
        times.push({ index, ms: performance.now() - t0 });
      }
    } finally {
      await sql`pragma analysis_limit = 1000`.execute(database.db);
    }
  }
  return {
    indexes: times.length,
    ms: Math.round(performance.now() - started),
    longestMs: Math.round(Math.max(0, ...times.map((t) => t.ms))),
  };
}

export async function refreshStatisticsIfStale(
  database: Database,
  log?: (message: string, fields: Record<string, unknown>) => void,
  options: { minFrames?: number; pauseMs?: number } = {},
): Promise<StatisticsRefresh | null> {
  const state = await plannerStatistics(database, options.minFrames);
  if (!state?.stale) return null;
  const done = await refreshPlannerStatistics(
    database,
    options.pauseMs === undefined ? {} : { pauseMs: options.pauseMs },
  );
  log?.('planner statistics refreshed', { ...done, frames: state.frames, before: state.analyzedRows });
  return done;
}

/**
 * Asynchronous TAP jobs (UWS 1.1) and their stored results.
 *
 *   createTapJob / getTapJob / listTapJobs / deleteTapJob
 *   updateTapJob(db, id, changes, { fromPhases })  compare-and-set on the phase: only one of two
 *                                                   racing requests (run vs abort) wins
 *   claimQueuedTapJob(db, by, now)                  QUEUED → EXECUTING for one job, or null
 *   saveTapResult / readTapResult                   the result document in chunks
 *   deleteExpiredTapJobs(db, now)                   jobs past their destruction time
 */
import type { Db } from './connection.js';

export type UwsPhase =
  | 'PENDING'
  | 'QUEUED'
  | 'EXECUTING'
  | 'COMPLETED'
  | 'ERROR'
  | 'ABORTED'
  | 'HELD'
  | 'SUSPENDED'
  | 'ARCHIVED';

export interface TapJobsTable {
  id: string;
  owner_id: number | null;
  phase: UwsPhase;
  run_id: string | null;
  parameters: string;
  /** Scheme and host of the request that made the job: links in its result start with it. */
  base_url: string;
  execution_duration_s: number;
  created_ms: number;
  started_ms: number | null;
  ended_ms: number | null;
  destruction_ms: number;
  error: string | null;
  result_type: string | null;
  result_rows: number | null;
  claimed_by: string | null;
}

export interface TapJobResultsTable {
  job_id: string;
  seq: number;
  chunk: string;
}

export interface TapJobsSchema {
  tap_jobs: TapJobsTable;
  tap_job_results: TapJobResultsTable;
}

export interface TapJob {
  id: string;
  ownerId: number | null;
  phase: UwsPhase;
  runId: string | null;
  /** Upper-case names → values, as given. */
  parameters: Record<string, string[]>;
  baseUrl: string;
  executionDurationS: number;
  createdMs: number;
  startedMs: number | null;
  endedMs: number | null;
  destructionMs: number;
  error: string | null;
  resultType: string | null;
  resultRows: number | null;
}

/** Characters per stored chunk: 16,000 UTF-8 characters fit MySQL's 64 KB TEXT. */
const CHUNK = 16_000;

function mapJob(row: TapJobsTable): TapJob {
  const n = (v: number | string | null) => (v === null ? null : Number(v));
  return {
    id: row.id,
    ownerId: n(row.owner_id),
    phase: row.phase,
    runId: row.run_id,
    parameters: JSON.parse(row.parameters) as Record<string, string[]>,
    baseUrl: row.base_url,
    executionDurationS: Number(row.execution_duration_s),
    createdMs: Number(row.created_ms),
    startedMs: n(row.started_ms),
    endedMs: n(row.ended_ms),
    destructionMs: Number(row.destruction_ms),
    error: row.error,
    resultType: row.result_type,
    resultRows: n(row.result_rows),
  };
}

export async function createTapJob(
  { db }: Db,
  job: Pick<
    TapJob,
    | 'id'
    | 'ownerId'
    | 'phase'
    | 'runId'
    | 'parameters'
    | 'baseUrl'
    | 'executionDurationS'
    | 'createdMs'
    | 'destructionMs'
  >,
): Promise<void> {
  await db
    .insertInto('tap_jobs')
    .values({
      id: job.id,
      owner_id: job.ownerId,
      phase: job.phase,
      run_id: job.runId,
      parameters: JSON.stringify(job.parameters),
      base_url: job.baseUrl,
      execution_duration_s: job.executionDurationS,
      created_ms: job.createdMs,
      destruction_ms: job.destructionMs,
      started_ms: null,
      ended_ms: null,
      error: null,
      result_type: null,
      result_rows: null,
      claimed_by: null,
    })
    .execute();
}

export async function getTapJob({ db }: Db, id: string): Promise<TapJob | null> {
  const row = await db.selectFrom('tap_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? mapJob(row) : null;
}

/** The jobs of one owner (null: anonymous jobs), newest first. */
export async function listTapJobs(
  { db }: Db,
  ownerId: number | null,
  filter: { phases?: UwsPhase[]; last?: number } = {},
): Promise<TapJob[]> {
  let q = db
    .selectFrom('tap_jobs')
    .selectAll()
    .where('owner_id', ownerId === null ? 'is' : '=', ownerId)
    .orderBy('created_ms', 'desc');
  if (filter.phases?.length) q = q.where('phase', 'in', filter.phases);
  q = q.limit(filter.last ?? 1000);
  return (await q.execute()).map(mapJob);
}

export interface TapJobChanges {
  phase?: UwsPhase;
  runId?: string | null;
  parameters?: Record<string, string[]>;
  executionDurationS?: number;
  destructionMs?: number;
  startedMs?: number | null;
  endedMs?: number | null;
  error?: string | null;
  resultType?: string | null;
  resultRows?: number | null;
  claimedBy?: string | null;
}

/** Applies changes when the job is in one of `fromPhases` (any when omitted); whether it did. */
export async function updateTapJob(
  { db }: Db,
  id: string,
  changes: TapJobChanges,
  options: { fromPhases?: UwsPhase[] } = {},
): Promise<boolean> {
  const set: Partial<TapJobsTable> = {};
  if (changes.phase !== undefined) set.phase = changes.phase;
  if (changes.runId !== undefined) set.run_id = changes.runId;
  if (changes.parameters !== undefined) set.parameters = JSON.stringify(changes.parameters);
  if (changes.executionDurationS !== undefined) set.execution_duration_s = changes.executionDurationS;
  if (changes.destructionMs !== undefined) set.destruction_ms = changes.destructionMs;
  if (changes.startedMs !== undefined) set.started_ms = changes.startedMs;
  if (changes.endedMs !== undefined) set.ended_ms = changes.endedMs;
  if (changes.error !== undefined) set.error = changes.error;
  if (changes.resultType !== undefined) set.result_type = changes.resultType;
  if (changes.resultRows !== undefined) set.result_rows = changes.resultRows;
  if (changes.claimedBy !== undefined) set.claimed_by = changes.claimedBy;
  let q = db.updateTable('tap_jobs').set(set).where('id', '=', id);
  if (options.fromPhases) q = q.where('phase', 'in', options.fromPhases);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Takes the oldest QUEUED job for `by` (compare-and-set, so two processes never run one job). */
export async function claimQueuedTapJob(database: Db, by: string, now = Date.now()): Promise<TapJob | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const next = await database.db
      .selectFrom('tap_jobs')
      .select('id')
      .where('phase', '=', 'QUEUED')
      .orderBy('created_ms')
      .limit(1)
      .executeTakeFirst();
    if (!next) return null;
    const claimed = await updateTapJob(
      database,
      next.id,
      { phase: 'EXECUTING', startedMs: now, claimedBy: by },
      { fromPhases: ['QUEUED'] },
    );
    if (claimed) return getTapJob(database, next.id);
  }
  return null;
}

/** Jobs left EXECUTING by a process that stopped: their time is up, so they cannot still be running. */
export async function failStaleTapJobs({ db }: Db, now = Date.now(), graceMs = 60_000): Promise<number> {
  const stale = await db
    .selectFrom('tap_jobs')
    .select(['id', 'started_ms', 'execution_duration_s'])
    .where('phase', '=', 'EXECUTING')
    .execute();
  let failed = 0;
  for (const job of stale) {
    if (Number(job.started_ms ?? 0) + Number(job.execution_duration_s) * 1000 + graceMs > now) continue;
    const result = await db
      .updateTable('tap_jobs')
      .set({ phase: 'ERROR', ended_ms: now, error: 'the server stopped while the job ran; run it again' })
      .where('id', '=', job.id)
      .where('phase', '=', 'EXECUTING')
      .executeTakeFirst();
    failed += Number(result.numUpdatedRows);
  }
  return failed;
}

export async function saveTapResult(database: Db, id: string, body: string): Promise<void> {
  await database.db.transaction().execute(async (tx) => {
    await tx.deleteFrom('tap_job_results').where('job_id', '=', id).execute();
    for (let seq = 0, at = 0; at < body.length || seq === 0; seq++, at += CHUNK)
      await tx
        .insertInto('tap_job_results')
        .values({ job_id: id, seq, chunk: body.slice(at, at + CHUNK) })
        .execute();
  });
}

export async function* readTapResult({ db }: Db, id: string): AsyncGenerator<string> {
  // A few chunks at a time: a large result never sits in memory whole.
  for (let seq = 0; ; seq += 16) {
    const rows = await db
      .selectFrom('tap_job_results')
      .select(['seq', 'chunk'])
      .where('job_id', '=', id)
      .where('seq', '>=', seq)
      .where('seq', '<', seq + 16)
      .orderBy('seq')
      .execute();
    for (const row of rows) yield row.chunk;
    if (rows.length < 16) return;
  }
}

export async function deleteTapJob({ db }: Db, id: string): Promise<void> {
  await db.deleteFrom('tap_job_results').where('job_id', '=', id).execute();
  await db.deleteFrom('tap_jobs').where('id', '=', id).execute();
}

export async function deleteExpiredTapJobs(database: Db, now = Date.now()): Promise<number> {
  const expired = await database.db.selectFrom('tap_jobs').select('id').where('destruction_ms', '<', now).execute();
  for (const { id } of expired) await deleteTapJob(database, id);
  return expired.length;
}

/**
 * The ingest ledger: one row per discovered path and what became of it.
 *
 *   upsertDiscovered(db, files, nowMs?): Promise<LedgerEntry[]>
 *       Inserts new paths as pending; a known path goes back to pending only when its size, mtime or
 *       inode changed. Returns exactly the rows that are new or changed.
 *   claimPending(db, workerId, limit, { staleAfterMs?, nowMs? }?): Promise<LedgerEntry[]>
 *       Takes up to `limit` pending rows for one worker (oldest first). A claim older than
 *       staleAfterMs (default 30 min) counts as abandoned and can be taken again. Two claimers never
 *       get the same row: FOR UPDATE SKIP LOCKED on PostgreSQL, one atomic UPDATE … RETURNING on SQLite.
 *   completeEntry(db, id, { state, reason?, imageId?, claimedBy?, nowMs? }): Promise<boolean>
 *       state ingested | duplicate | unchanged | rejected. With claimedBy, only if still that worker's.
 *   failEntry(db, id, reason, retryable, { claimedBy?, nowMs? }?): Promise<boolean>
 *   requeue(db, { ids?, states?, retryableOnly? }, nowMs?): Promise<number>   back to pending
 *   retryFailed(db, failedBeforeMs, nowMs?): Promise<number>   retryable failures older than
 *       failedBeforeMs back to pending, keeping their attempts (the pipeline's own retries)
 *   releaseClaims(db, workerId, nowMs?): Promise<number>   on graceful shutdown: claims go back
 *   forgetFileFacts(db, root, relPath, nowMs?): Promise<number>   the file was removed: whatever
 *       appears at that path later (the same file restored) is read again
 *   stillAsRead(db, id, workerId, { mtime_ms, inode }): Promise<boolean>   inside the transaction
 *       that writes a frame: whether the row is still this worker's claim with the facts of the
 *       file that was read (not rewritten, removed or rediscovered meanwhile); locks the row where
 *       the engine can, so that none of those can slip in before the commit
 *   lockClaims(db, ids): Promise<void>   at the start of a transaction that writes several frames:
 *       reads (and locks) their rows in one statement for the stillAsRead calls that follow
 *   listClaimants(db): Promise<string[]>   worker ids holding claims on pending rows
 *   countByState(db): Promise<Record<IngestState, number>>
 *   listLedger(db, { states?, root?, pathContains?, retryable?, limit?, offset? }?): Promise<{ total, items }>
 *   getLedgerEntry(db, id) / findLedgerEntry(db, root, relPath): Promise<LedgerEntry | null>
 */
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { INGEST_STATES, type IngestState } from '../domain/image.js';
import { type Db, inTransaction } from './connection.js';
import { ciContains, type DbBool, type DialectInfo, isDistinct } from './dialect.js';
import { preparedQuery } from './prepared.js';
import type { IngestLedgerRow, Schema } from './schema.js';

export interface DiscoveredFile {
  root: string;
  /** Relative to root, `/`-separated. */
  rel_path: string;
  size_bytes: number;
  mtime_ms: number;
  inode: number | null;
}

export interface LedgerEntry extends DiscoveredFile {
  id: number;
  file_path: string;
  state: IngestState;
  reason: string | null;
  retryable: boolean;
  attempts: number;
  image_id: number | null;
  claimed_by: string | null;
  claimed_at: string | null;
  discovered_at: string;
  updated_at: string;
}

export type FinalState = Exclude<IngestState, 'pending' | 'failed'>;

const iso = (ms: number) => new Date(ms).toISOString();

export function mapLedgerEntry(row: IngestLedgerRow, d: DialectInfo): LedgerEntry {
  return {
    id: row.id,
    root: row.root,
    rel_path: row.rel_path,
    file_path: `${row.root.replace(/\/+$/, '')}/${row.rel_path}`,
    size_bytes: row.size_bytes,
    mtime_ms: row.mtime_ms,
    inode: row.inode,
    state: row.state as IngestState,
    reason: row.reason,
    retryable: d.fromDbBool(row.retryable),
    attempts: row.attempts,
    image_id: row.image_id,
    claimed_by: row.claimed_by,
    claimed_at: row.claimed_at === null ? null : iso(row.claimed_at),
    discovered_at: iso(row.discovered_at),
    updated_at: iso(row.updated_at),
  };
}

// 11 parameters a row: 1,000 rows stay far below SQLite's 32,766 and PostgreSQL's 65,535 limits.
const UPSERT_BATCH_ROWS = 1000;

export async function upsertDiscovered(db: Db, files: DiscoveredFile[], nowMs = Date.now()): Promise<LedgerEntry[]> {
  const changed: LedgerEntry[] = [];
  const d = db.dialect;
  for (let start = 0; start < files.length; start += UPSERT_BATCH_ROWS) {
    const batch = files.slice(start, start + UPSERT_BATCH_ROWS);
    const upsert = db.db
      .insertInto('ingest_ledger')
      .values(
        batch.map((f) => ({
          root: f.root,
          rel_path: f.rel_path,
          size_bytes: f.size_bytes,
          mtime_ms: f.mtime_ms,
          inode: f.inode,
          state: 'pending',
          reason: null,
          retryable: d.toDbBool(false),
          attempts: 0,
          discovered_at: nowMs,
          updated_at: nowMs,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['root', 'rel_path'])
          .doUpdateSet((eb) => ({
            size_bytes: eb.ref('excluded.size_bytes'),
            mtime_ms: eb.ref('excluded.mtime_ms'),
            inode: eb.ref('excluded.inode'),
            state: 'pending',
            reason: null,
            retryable: d.toDbBool(false),
            attempts: 0,
            claimed_by: null,
            claimed_at: null,
            updated_at: nowMs,
          }))
          .where((eb) =>
            eb.or([
              isDistinct(eb.ref('ingest_ledger.size_bytes'), eb.ref('excluded.size_bytes')),
              isDistinct(eb.ref('ingest_ledger.mtime_ms'), eb.ref('excluded.mtime_ms')),
              isDistinct(eb.ref('ingest_ledger.inode'), eb.ref('excluded.inode')),
            ]),
          ),
      );
    const rows = d.supportsReturning
      ? await upsert.returningAll().execute()
      : await upsertedRows(db, upsert, batch, nowMs);
    for (const row of rows) changed.push(mapLedgerEntry(row, d));
  }
  return changed;
}

/**
 * Without RETURNING (MySQL): the rows the upsert inserted or changed are those of the batch that
 * now carry its timestamp (a row it left alone keeps its older updated_at).
 */
async function upsertedRows(
  db: Db,
  upsert: { execute(): Promise<unknown> },
  batch: DiscoveredFile[],
  nowMs: number,
): Promise<IngestLedgerRow[]> {
  await upsert.execute();
  const wanted = new Set(batch.map((f) => `${f.root}\u0000${f.rel_path}`));
  const rows = await db.db
    .selectFrom('ingest_ledger')
    .selectAll()
    .where('updated_at', '=', nowMs)
    .where('root', 'in', [...new Set(batch.map((f) => f.root))])
    .where(
      'rel_path',
      'in',
      batch.map((f) => f.rel_path),
    )
    .orderBy('id')
    .execute();
  return rows.filter((r) => wanted.has(`${r.root}\u0000${r.rel_path}`));
}

export interface ClaimOptions {
  /** A claim older than this is considered abandoned (its worker died). Default 30 minutes. */
  staleAfterMs?: number;
  nowMs?: number;
}

export async function claimPending(
  db: Db,
  workerId: string,
  limit: number,
  options: ClaimOptions = {},
): Promise<LedgerEntry[]> {
  const nowMs = options.nowMs ?? Date.now();
  const staleBefore = nowMs - (options.staleAfterMs ?? 30 * 60_000);
  const claimable = (on: Db) =>
    on.db
      .selectFrom('ingest_ledger')
      .select('id')
      .where('state', '=', 'pending')
      .where((eb) => eb.or([eb('claimed_by', 'is', null), eb('claimed_at', '<', staleBefore)]))
      .orderBy('id')
      .limit(Math.max(0, Math.trunc(limit)))
      .$if(db.dialect.supportsSkipLocked, (qb) => qb.forUpdate().skipLocked());
  const claim = (tx: Db, ids: ReturnType<typeof claimable> | number[]) =>
    tx.db
      .updateTable('ingest_ledger')
      .set((eb) => ({
        claimed_by: workerId,
        claimed_at: nowMs,
        attempts: eb('attempts', '+', 1),
        updated_at: nowMs,
      }))
      .where('id', 'in', ids);
  // MySQL can neither return the updated rows nor update a table through a subquery on itself
  // (nor take LIMIT in an IN subquery): the ids are locked and read first, in one transaction.
  const rows = db.dialect.supportsReturning
    ? await claim(db, claimable(db)).returningAll().execute()
    : await inTransaction(db, async (tx) => {
        const ids = (await claimable(tx).execute()).map((r) => r.id);
        if (ids.length === 0) return [];
        await claim(tx, ids).execute();
        return tx.db.selectFrom('ingest_ledger').selectAll().where('id', 'in', ids).execute();
      });
  return rows.map((row) => mapLedgerEntry(row, db.dialect)).sort((a, b) => a.id - b.id);
}

export interface CompleteOptions {
  state: FinalState;
  reason?: string | null;
  imageId?: number | null;
  /** Only complete if the row is still claimed by this worker (it was not re-discovered meanwhile). */
  claimedBy?: string;
  nowMs?: number;
}

type CompletionArgs = [
  id: number,
  state: string,
  reason: string | null,
  imageId: number | null,
  retryable: unknown,
  nowMs: number,
];

/** The completion UPDATE both prepared forms share; the claimed form adds one condition. */
function completion(db: Db, ...[id, state, reason, imageId, retryable, nowMs]: CompletionArgs) {
  return db.db
    .updateTable('ingest_ledger')
    .set({
      state,
      reason,
      retryable: retryable as DbBool,
      image_id: imageId,
      claimed_by: null,
      claimed_at: null,
      updated_at: nowMs,
    })
    .where('id', '=', id);
}

// Run once per frame: prepared once (prepared.ts), in both forms.
const completeRow = preparedQuery(6, completion);

const completeClaimedRow = preparedQuery(7, (db: Db, claimedBy: string, ...args: CompletionArgs) =>
  completion(db, ...args).where('claimed_by', '=', claimedBy),
);

export async function completeEntry(db: Db, id: number, outcome: CompleteOptions): Promise<boolean> {
  const args = [
    id,
    outcome.state,
    outcome.reason ?? null,
    outcome.imageId ?? null,
    db.dialect.toDbBool(false),
    outcome.nowMs ?? Date.now(),
  ] as const;
  const changed =
    outcome.claimedBy === undefined
      ? await completeRow.run(db, ...args)
      : await completeClaimedRow.run(db, outcome.claimedBy, ...args);
  return changed === 1;
}

export async function failEntry(
  db: Db,
  id: number,
  reason: string,
  retryable: boolean,
  options: { claimedBy?: string; nowMs?: number } = {},
): Promise<boolean> {
  const result = await db.db
    .updateTable('ingest_ledger')
    .set({
      state: 'failed',
      reason,
      retryable: db.dialect.toDbBool(retryable),
      claimed_by: null,
      claimed_at: null,
      updated_at: options.nowMs ?? Date.now(),
    })
    .where('id', '=', id)
    .$if(options.claimedBy !== undefined, (qb) => qb.where('claimed_by', '=', options.claimedBy ?? ''))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface RequeueFilter {
  ids?: number[];
  /** Default ['failed']. */
  states?: IngestState[];
  retryableOnly?: boolean;
}

export async function requeue(db: Db, filter: RequeueFilter = {}, nowMs = Date.now()): Promise<number> {
  const states = filter.states ?? ['failed'];
  if (states.length === 0 || filter.ids?.length === 0) return 0;
  const result = await db.db
    .updateTable('ingest_ledger')
    .set({
      state: 'pending',
      reason: null,
      retryable: db.dialect.toDbBool(false),
      attempts: 0,
      claimed_by: null,
      claimed_at: null,
      updated_at: nowMs,
    })
    .where('state', 'in', states)
    .$if(filter.ids !== undefined, (qb) => qb.where('id', 'in', filter.ids ?? []))
    .$if(filter.retryableOnly === true, (qb) => qb.where('retryable', '=', db.dialect.toDbBool(true)))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function retryFailed(db: Db, failedBeforeMs: number, nowMs = Date.now()): Promise<number> {
  const result = await db.db
    .updateTable('ingest_ledger')
    // The reason stays: the ledger shows why an entry is waiting for another try.
    .set({ state: 'pending', retryable: db.dialect.toDbBool(false), updated_at: nowMs })
    .where('state', '=', 'failed')
    .where('retryable', '=', db.dialect.toDbBool(true))
    .where('updated_at', '<', failedBeforeMs)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function releaseClaims(db: Db, workerId: string, nowMs = Date.now()): Promise<number> {
  const result = await db.db
    .updateTable('ingest_ledger')
    .set({ claimed_by: null, claimed_at: null, updated_at: nowMs })
    .where('claimed_by', '=', workerId)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function forgetFileFacts(db: Db, root: string, relPath: string, nowMs = Date.now()): Promise<number> {
  // -1 is no mtime a file can have, so the next discovery of this path always counts as a change.
  const result = await db.db
    .updateTable('ingest_ledger')
    .set({ mtime_ms: -1, inode: null, updated_at: nowMs })
    .where('root', '=', root)
    .where('rel_path', '=', relPath)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

type ClaimFacts = Pick<IngestLedgerRow, 'mtime_ms' | 'inode' | 'claimed_by'>;

/** Rows lockClaims read, by transaction (its beforeCommit list) and id; each is used once. */
const lockedClaims = new WeakMap<object, Map<number, ClaimFacts>>();

/** Ids in one statement at most (MySQL and SQLite take far more parameters; rounds are 64). */
const CLAIM_IDS_PER_SELECT = 1000;

function selectClaims(db: Db, ids: number[]) {
  return db.db
    .selectFrom('ingest_ledger')
    .select(['id', 'mtime_ms', 'inode', 'claimed_by'])
    .where('id', 'in', ids)
    .orderBy('id')
    .$if(db.dialect.supportsSkipLocked, (qb) => qb.forUpdate());
}

/**
 * The claim facts of every frame a transaction is about to write, read with one statement (rows
 * locked in id order where the engine can, so that two writers meet them in the same order) instead
 * of one a frame: the stillAsRead calls of the same transaction use them. Locked at the start, the
 * rows cannot change before the commit, as with a lock taken just before each frame's write.
 */
export async function lockClaims(db: Db, ids: readonly number[]): Promise<void> {
  const hooks = db.beforeCommit;
  if (!hooks || ids.length === 0) return;
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const rows = new Map<number, ClaimFacts>();
  for (let start = 0; start < sorted.length; start += CLAIM_IDS_PER_SELECT)
    for (const row of await selectClaims(db, sorted.slice(start, start + CLAIM_IDS_PER_SELECT)).execute())
      rows.set(Number(row.id), row);
  // An id without a row was deleted: stillAsRead says so without asking again.
  lockedClaims.set(hooks, new Map(sorted.map((id) => [id, rows.get(id) ?? MISSING_ROW])));
}

const MISSING_ROW: ClaimFacts = { mtime_ms: Number.NaN, inode: null, claimed_by: null };

export async function stillAsRead(
  db: Db,
  id: number,
  workerId: string,
  facts: { mtime_ms: number; inode: number | null },
): Promise<boolean> {
  const locked = db.beforeCommit ? lockedClaims.get(db.beforeCommit) : undefined;
  let row: ClaimFacts | undefined = locked?.get(id);
  if (row) locked?.delete(id);
  else row = await selectClaims(db, [id]).executeTakeFirst();
  if (row === MISSING_ROW) row = undefined;
  const inode = row?.inode === null || row?.inode === undefined ? null : Number(row.inode);
  return (
    row !== undefined && row.claimed_by === workerId && Number(row.mtime_ms) === facts.mtime_ms && inode === facts.inode
  );
}

export async function countByState(db: Db): Promise<Record<IngestState, number>> {
  const rows = await db.db
    .selectFrom('ingest_ledger')
    .select((eb) => ['state', eb.fn.countAll<number>().as('n')])
    .groupBy('state')
    .execute();
  const counts = Object.fromEntries(INGEST_STATES.map((s) => [s, 0])) as Record<IngestState, number>;
  for (const row of rows) if (row.state in counts) counts[row.state as IngestState] = Number(row.n);
  return counts;
}

export interface LedgerListFilter {
  states?: IngestState[];
  root?: string;
  /** Case-insensitive substring of rel_path. */
  pathContains?: string;
  retryable?: boolean;
  /** Default 100, at most 1000. */
  limit?: number;
  offset?: number;
}

export async function listLedger(
  db: Db,
  filter: LedgerListFilter = {},
): Promise<{ total: number; items: LedgerEntry[] }> {
  const d = db.dialect;
  const where = (eb: ExpressionBuilder<Schema, 'ingest_ledger'>) => {
    const parts: Expression<SqlBool>[] = [];
    if (filter.states?.length) parts.push(eb('state', 'in', filter.states));
    if (filter.root !== undefined) parts.push(eb('root', '=', filter.root));
    if (filter.pathContains) parts.push(ciContains(eb.ref('rel_path'), filter.pathContains));
    if (filter.retryable !== undefined) parts.push(eb('retryable', '=', d.toDbBool(filter.retryable)));
    return eb.and(parts);
  };
  // No transaction: on SQLite it would take the write lock, and a total a moment apart from its
  // page is harmless for a listing.
  {
    const tx = db;
    const total = await tx.db
      .selectFrom('ingest_ledger')
      .where(where)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const rows = await tx.db
      .selectFrom('ingest_ledger')
      .where(where)
      .selectAll()
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .limit(Math.min(Math.max(filter.limit ?? 100, 0), 1000))
      .offset(Math.max(filter.offset ?? 0, 0))
      .execute();
    return { total: Number(total.n), items: rows.map((r) => mapLedgerEntry(r, d)) };
  }
}

export async function getLedgerEntry(db: Db, id: number): Promise<LedgerEntry | null> {
  const row = await db.db.selectFrom('ingest_ledger').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? mapLedgerEntry(row, db.dialect) : null;
}

export async function findLedgerEntry(db: Db, root: string, relPath: string): Promise<LedgerEntry | null> {
  const row = await db.db
    .selectFrom('ingest_ledger')
    .selectAll()
    .where('root', '=', root)
    .where('rel_path', '=', relPath)
    .executeTakeFirst();
  return row ? mapLedgerEntry(row, db.dialect) : null;
}

/** Worker ids holding claims on pending rows (to find claims of processes that died). */
export async function listClaimants(db: Db): Promise<string[]> {
  const rows = await db.db
    .selectFrom('ingest_ledger')
    .select('claimed_by')
    .distinct()
    .where('state', '=', 'pending')
    .where('claimed_by', 'is not', null)
    .execute();
  return rows.map((r) => r.claimed_by).filter((c): c is string => c !== null);
}

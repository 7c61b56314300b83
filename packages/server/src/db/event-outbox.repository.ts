/**
 * The event outbox: events written in the transaction of the change they report, read by every
 * server's follower (event-follower.ts) by id.
 *
 *   recordEvent(db, event, nowMs?): Promise<void>     inside the caller's transaction, inserted at its
 *       commit with the transaction's other events; on PostgreSQL the transaction also notifies
 *       EVENTS_CHANNEL once, at its commit
 *   eventsAfter(db, afterId, alsoIds, limit): Promise<StoredEvent[]>   in id order: every id > afterId,
 *       and those of alsoIds (ids skipped earlier because their transaction had not committed)
 *   latestEventId(db): Promise<number>                0 when there is none
 *   pruneEvents(db, olderThanMs): Promise<number>      rows deleted
 */
import { sql } from 'kysely';
import { EVENT_AUDIENCE, type EventAudience, OUTBOX_EVENTS, type OutboxEvent } from '../util/events.js';
import type { Db } from './connection.js';

/** The PostgreSQL notification channel a commit with events wakes. */
export const EVENTS_CHANNEL = 'aims_events';

export interface StoredEvent {
  id: number;
  /** null: a type this version does not know (written by a newer one), passed over, not guessed at. */
  event: OutboxEvent | null;
  audience: EventAudience;
}

/** Events of each open transaction, keyed by its beforeCommit list: inserted together at its commit. */
const pendingEvents = new WeakMap<object, EventRow[]>();

/** Rows a statement inserts at most (five parameters each; SQLite allows 32,766). */
const EVENT_ROWS_PER_INSERT = 500;

type EventRow = { type: string; payload: string; audience: EventAudience; created_at: number };

/**
 * Inside a transaction the event is inserted at its commit, with the other events of the same
 * transaction in one statement (in the order they were recorded): an ingest round commits 64
 * frames at once, and a statement built and run per frame cost a tenth of the round's catalog
 * writes. It still exists exactly when the transaction commits. Outside one, it is inserted at once.
 */
export async function recordEvent(db: Db, event: OutboxEvent, nowMs = Date.now()): Promise<void> {
  const row: EventRow = {
    type: event.type,
    payload: JSON.stringify(event.data),
    audience: EVENT_AUDIENCE[event.type],
    created_at: nowMs,
  };
  const commit = db.beforeCommit;
  if (!commit) {
    await insertEvents(db, [row]);
    if (db.dialect.supportsListenNotify) await notify(db);
    return;
  }
  const pending = pendingEvents.get(commit);
  if (pending) {
    pending.push(row);
    return;
  }
  const rows = [row];
  pendingEvents.set(commit, rows);
  commit.push((tx) => insertEvents(tx, rows));
  // NOTIFY inside a transaction is delivered at its commit (and never after a rollback); one per
  // transaction is enough, as listeners read everything after the last id they saw.
  if (db.dialect.supportsListenNotify) commit.push(notify);
}

async function insertEvents(db: Db, rows: EventRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += EVENT_ROWS_PER_INSERT)
    await db.db
      .insertInto('event_outbox')
      .values(rows.slice(start, start + EVENT_ROWS_PER_INSERT))
      .execute();
}

async function notify(db: Db): Promise<void> {
  await sql`select pg_notify(${EVENTS_CHANNEL}, '')`.execute(db.db);
}

const isOutboxEvent = (type: string): type is OutboxEvent['type'] =>
  (OUTBOX_EVENTS as readonly string[]).includes(type);

export async function eventsAfter(
  db: Db,
  afterId: number,
  alsoIds: readonly number[],
  limit: number,
): Promise<StoredEvent[]> {
  const rows = await db.db
    .selectFrom('event_outbox')
    .select(['id', 'type', 'payload', 'audience'])
    .where((eb) => (alsoIds.length ? eb.or([eb('id', '>', afterId), eb('id', 'in', alsoIds)]) : eb('id', '>', afterId)))
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: Number(row.id),
    event: isOutboxEvent(row.type) ? ({ type: row.type, data: JSON.parse(row.payload) } as OutboxEvent) : null,
    // Anything but a plain 'all' is kept from everyone but administrators.
    audience: row.audience === 'all' ? 'all' : 'admin',
  }));
}

export async function latestEventId(db: Db): Promise<number> {
  const row = await db.db
    .selectFrom('event_outbox')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

export async function pruneEvents(db: Db, olderThanMs: number): Promise<number> {
  const result = await db.db.deleteFrom('event_outbox').where('created_at', '<', olderThanMs).executeTakeFirst();
  return Number(result.numDeletedRows);
}

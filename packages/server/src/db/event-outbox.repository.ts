/**
 * The event outbox: events written in the transaction of the change they report, read by every
 * server's follower (event-follower.ts) by id.
 *
 *   recordEvent(db, event, nowMs?): Promise<void>     inside the caller's transaction; on PostgreSQL
 *       the transaction also notifies EVENTS_CHANNEL once, at its commit
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

/** The transactions (by their beforeCommit list) that already notify at commit. */
const notifying = new WeakSet<object>();

export async function recordEvent(db: Db, event: OutboxEvent, nowMs = Date.now()): Promise<void> {
  await db.db
    .insertInto('event_outbox')
    .values({
      type: event.type,
      payload: JSON.stringify(event.data),
      audience: EVENT_AUDIENCE[event.type],
      created_at: nowMs,
    })
    .execute();
  if (!db.dialect.supportsListenNotify) return;
  // NOTIFY inside a transaction is delivered at its commit (and never after a rollback); one per
  // transaction is enough, as listeners read everything after the last id they saw.
  const commit = db.beforeCommit;
  if (!commit) {
    await notify(db);
  } else if (!notifying.has(commit)) {
    notifying.add(commit);
    commit.push(notify);
  }
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

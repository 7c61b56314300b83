/**
 * Follows the event outbox (event-outbox.repository.ts) for one server: every event written after
 * it started, by any process, is handed to `deliver` once.
 *
 *   followEvents(database, { deliver, pollMs?, log?, onListening? }): Promise<EventFollower>
 *   EventFollower.poke()    read now (this process just committed events)
 *   EventFollower.close()   stops reading; resolves once the listener connection has ended
 *
 * Every engine is polled by id, an indexed range read that costs next to nothing. PostgreSQL also
 * keeps one connection listening on EVENTS_CHANNEL: a commit with events notifies it and the
 * follower reads at once; the poll then only backs it up (slower), and is fast again while that
 * connection is down (a server restart) and being opened again.
 *
 * Ids are handed out when a row is inserted, not when it commits: with concurrent writers
 * (PostgreSQL, MySQL) id 11 may be visible before id 10. An id skipped that way is kept as a gap
 * and asked for again until it appears or GAP_WAIT_MS has passed (a rolled-back insert leaves a
 * gap for good).
 */
import type pg from 'pg';
import type { AimsEvent, EventAudience } from '../util/events.js';
import { type Database, postgresPoolConfig } from './connection.js';
import { EVENTS_CHANNEL, eventsAfter, latestEventId } from './event-outbox.repository.js';

/** Poll interval without a listener: what a browser waits at most for another process's frame. */
export const EVENT_POLL_MS = 400;
/** Poll interval while a PostgreSQL listener is connected (notifications do the waking). */
const LISTENING_POLL_MS = 5000;
/** How long an id skipped by a later commit is looked for: longer than any ingest transaction. */
const GAP_WAIT_MS = 60_000;
/** Gaps kept at most (an engine handing out ids in steps of 2 or 3 makes one per row). */
const MAX_GAPS = 1000;
const BATCH = 500;
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5000;

export interface EventFollowerOptions {
  deliver: (event: AimsEvent, audience: EventAudience) => void;
  /** Poll interval without a listener (default EVENT_POLL_MS). */
  pollMs?: number;
  /** Poll interval while listening on PostgreSQL (default 5 s). */
  listeningPollMs?: number;
  log?: (level: 'info' | 'warn', message: string, fields?: Record<string, unknown>) => void;
  /** PostgreSQL: called each time the listener connection is (again) listening. */
  onListening?: () => void;
}

export interface EventFollower {
  poke(): void;
  close(): Promise<void>;
}

export async function followEvents(database: Database, options: EventFollowerOptions): Promise<EventFollower> {
  const follower = new Follower(database, options, await latestEventId(database));
  if (database.dialect.supportsListenNotify) follower.listen();
  follower.schedule();
  return follower;
}

class Follower implements EventFollower {
  /** Skipped ids → when they were first missed. */
  private readonly gaps = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private client: pg.Client | undefined;
  private listening = false;
  private reconnectMs = RECONNECT_MIN_MS;
  private reconnectTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly database: Database,
    private readonly options: EventFollowerOptions,
    private lastId: number,
  ) {}

  poke(): void {
    if (this.closed) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.reading = this.read()
      .catch((error: unknown) => this.options.log?.('warn', 'events: outbox read failed', { err: String(error) }))
      .finally(() => {
        this.reading = undefined;
        if (this.again && !this.closed) {
          this.again = false;
          this.poke();
        } else {
          this.schedule();
        }
      });
  }

  schedule(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    const ms = this.listening
      ? (this.options.listeningPollMs ?? LISTENING_POLL_MS)
      : (this.options.pollMs ?? EVENT_POLL_MS);
    this.timer = setTimeout(() => this.poke(), ms);
    this.timer.unref();
  }

  private async read(): Promise<void> {
    for (;;) {
      const rows = await eventsAfter(this.database, this.lastId, [...this.gaps.keys()], BATCH);
      const now = Date.now();
      for (const row of rows) {
        if (this.gaps.delete(row.id)) {
          // A late commit filling a gap.
        } else if (row.id > this.lastId) {
          for (let id = this.lastId + 1; id < row.id && this.gaps.size < MAX_GAPS; id++) this.gaps.set(id, now);
          this.lastId = row.id;
        } else {
          continue;
        }
        if (row.event) this.options.deliver(row.event, row.audience);
      }
      for (const [id, since] of this.gaps) if (now - since > GAP_WAIT_MS) this.gaps.delete(id);
      if (rows.length < BATCH || this.closed) return;
    }
  }

  /** PostgreSQL: one connection of its own, LISTENing; opened again whenever it is lost. */
  listen(): void {
    void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const driver = (await import('pg')).default;
    const { max: _max, ...config } = postgresPoolConfig(this.database.url);
    const client = new driver.Client({ ...config, application_name: 'aims-events' });
    this.client = client;
    let lost = false;
    const onLost = (error?: unknown) => {
      if (lost) return;
      lost = true;
      this.listening = false;
      this.client = undefined;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      if (this.closed) return;
      this.options.log?.('warn', 'events: listener connection lost', { err: String(error ?? 'ended') });
      this.schedule();
      this.reconnectTimer = setTimeout(() => void this.connect(), this.reconnectMs);
      this.reconnectTimer.unref();
      this.reconnectMs = Math.min(this.reconnectMs * 2, RECONNECT_MAX_MS);
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', () => this.poke());
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    } catch (error) {
      onLost(error);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.listening = true;
    this.reconnectMs = RECONNECT_MIN_MS;
    this.options.onListening?.();
    // What was committed while nobody listened.
    this.poke();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    this.listening = false;
    await client?.end().catch(() => undefined);
    await this.reading;
  }
}

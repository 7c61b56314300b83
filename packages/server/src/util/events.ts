import { EventEmitter } from 'node:events';

/**
 * What happens inside AIMS that someone may want to watch live (the web UI through
 * `GET /api/events`). Publishers (ingest, rescans) and subscribers (the SSE route) only share
 * this file, so neither imports the other. `image.ingested` and `ingest.failed` are not published
 * by ingest directly: it writes them to the catalog's event outbox, from any process, and each
 * server's follower (db/event-follower.ts) publishes them here (docs/decisions/0012).
 */
export interface AimsEventMap {
  /** A frame entered the catalog (or a duplicate path was recorded against an existing image). */
  'image.ingested': { image_id: number; file_path: string; duplicate: boolean };
  /** A file could not be ingested; `reason` is the ledger's reason. */
  'ingest.failed': { file_path: string; state: 'failed' | 'rejected'; reason: string };
  /** Files waiting in the ledger (pending) and being worked on right now. */
  'queue.depth': { pending: number; active: number };
  /** The watcher started, stopped or fell back to polling. */
  'watcher.state': { state: WatcherState };
}

export type WatcherState = 'off' | 'starting' | 'watching' | 'polling' | 'error';
export type AimsEventName = keyof AimsEventMap;
export type AimsEvent = { [K in AimsEventName]: { type: K; data: AimsEventMap[K] } }[AimsEventName];

/** Who may receive an event: everyone who may read the catalog, or administrators only. */
export type EventAudience = 'all' | 'admin';

/** Failures name paths and reasons (the layout of the disks, what broke): administrators only. */
export const EVENT_AUDIENCE: Readonly<Record<AimsEventName, EventAudience>> = {
  'image.ingested': 'all',
  'ingest.failed': 'admin',
  'queue.depth': 'all',
  'watcher.state': 'all',
};

/** The events that travel between processes through the catalog's event outbox. */
export const OUTBOX_EVENTS = ['image.ingested', 'ingest.failed'] as const satisfies readonly AimsEventName[];
export type OutboxEventName = (typeof OUTBOX_EVENTS)[number];
export type OutboxEvent = Extract<AimsEvent, { type: OutboxEventName }>;

/** A typed, in-process event bus. Listeners that throw are isolated from publishers. */
export class EventBus {
  readonly #emitter = new EventEmitter();

  constructor() {
    // One listener per open SSE connection; many browsers may be watching.
    this.#emitter.setMaxListeners(0);
  }

  publish<K extends AimsEventName>(type: K, data: AimsEventMap[K]): void {
    this.relay({ type, data } as AimsEvent);
  }

  /** Publishes an event that arrived whole (from the event outbox). */
  relay(event: AimsEvent): void {
    this.#emitter.emit('event', event);
  }

  /** Calls `listener` for every event; returns the function that unsubscribes it. */
  subscribe(listener: (event: AimsEvent) => void): () => void {
    const safe = (event: AimsEvent) => {
      try {
        listener(event);
      } catch {
        // A broken subscriber (a closed socket) must never break ingest.
      }
    };
    this.#emitter.on('event', safe);
    return () => this.#emitter.off('event', safe);
  }

  listenerCount(): number {
    return this.#emitter.listenerCount('event');
  }
}

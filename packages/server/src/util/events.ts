import { EventEmitter } from 'node:events';

/**
 * What happens inside AIMS that someone may want to watch live (the web UI through
 * `GET /api/events`). Publishers (ingest, rescans) and subscribers (the SSE route) only share
 * this file, so neither imports the other.
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

/** A typed, in-process event bus. Listeners that throw are isolated from publishers. */
export class EventBus {
  readonly #emitter = new EventEmitter();

  constructor() {
    // One listener per open SSE connection; many browsers may be watching.
    this.#emitter.setMaxListeners(0);
  }

  publish<K extends AimsEventName>(type: K, data: AimsEventMap[K]): void {
    this.#emitter.emit('event', { type, data } as AimsEvent);
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

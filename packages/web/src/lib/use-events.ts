/** Live events from GET /api/events (server-sent): queue depth, watcher state, new frames, failures. */
import { useEffect, useState } from 'react';
import type { AimsEvent } from '../api/types.js';

const KEEP = 60;

interface Line {
  at: string;
  event: AimsEvent;
}

export type FrameEvent = Extract<AimsEvent, { type: 'image.ingested' }>['data'];

export function useEvents(onFrame?: (frame: FrameEvent) => void) {
  const [lines, setLines] = useState<Line[]>([]);
  const [queue, setQueue] = useState<{ pending: number; active: number } | null>(null);
  const [watcher, setWatcher] = useState<string | null>(null);
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/events');
    const push = (event: AimsEvent) =>
      setLines((prev) => [{ at: new Date().toISOString().slice(11, 19), event }, ...prev].slice(0, KEEP));
    const parse = (type: AimsEvent['type']) => (message: MessageEvent<string>) => {
      try {
        const event = { type, data: JSON.parse(message.data) } as AimsEvent;
        if (event.type === 'queue.depth') setQueue(event.data);
        else if (event.type === 'watcher.state') setWatcher(event.data.state);
        else {
          push(event);
          if (event.type === 'image.ingested') onFrame?.(event.data);
        }
      } catch {
        // A malformed event is skipped; the stream goes on.
      }
    };
    const types: AimsEvent['type'][] = ['image.ingested', 'ingest.failed', 'queue.depth', 'watcher.state'];
    const handlers = types.map((t) => [t, parse(t)] as const);
    for (const [t, h] of handlers) source.addEventListener(t, h as EventListener);
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    return () => source.close();
  }, [onFrame]);

  return { lines, queue, watcher, connected };
}

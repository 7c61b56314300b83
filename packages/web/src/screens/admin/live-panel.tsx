/** Live ingest activity from GET /api/events (server-sent events): queue depth, watcher, new frames, failures. */
import { useEffect, useState } from 'react';
import type { AimsEvent } from '../../api/types.js';

const KEEP = 60;

interface Line {
  at: string;
  event: AimsEvent;
}

export function useEvents(onFrame?: () => void) {
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
          if (event.type === 'image.ingested') onFrame?.();
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

export function LivePanel({ onFrame }: { onFrame?: () => void }) {
  const { lines, queue, watcher, connected } = useEvents(onFrame);
  return (
    <section className="panel live" aria-labelledby="live-title">
      <div className="panel-head">
        <h2 id="live-title">Live ingest</h2>
        <span className={`badge ${connected ? 'badge-good' : 'badge-poor'}`}>
          {connected ? 'connected' : 'reconnecting…'}
        </span>
      </div>
      <dl className="kv">
        <div className="kv-row">
          <dt>Queue</dt>
          <dd>{queue ? `${queue.pending} waiting, ${queue.active} in progress` : '–'}</dd>
        </div>
        <div className="kv-row">
          <dt>Watcher</dt>
          <dd>{watcher ?? '–'}</dd>
        </div>
      </dl>
      <ol className="event-log" aria-live="polite" aria-relevant="additions">
        {lines.length === 0 && (
          <li className="muted">Waiting for new frames… Copy FITS files into a watched folder to see them arrive.</li>
        )}
        {lines.map((l, i) => (
          <li key={`${l.at}-${i}`} className={l.event.type === 'ingest.failed' ? 'event-failed' : ''}>
            <span className="muted num">{l.at}</span>{' '}
            {l.event.type === 'image.ingested' ? (
              <>
                {l.event.data.duplicate ? 'duplicate of a known frame: ' : 'new frame: '}
                <a href={`/images/${l.event.data.image_id}`}>{l.event.data.file_path}</a>
              </>
            ) : l.event.type === 'ingest.failed' ? (
              <>
                {l.event.data.state}: {l.event.data.file_path} — {l.event.data.reason}
              </>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

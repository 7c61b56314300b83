/** Live ingest activity from GET /api/events (server-sent events): queue depth, watcher, new frames, failures. */
import { useEvents } from '../../lib/use-events.js';

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
          // biome-ignore lint/suspicious/noArrayIndexKey: events carry no id and two can share a timestamp.
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

/** The ingest ledger: every discovered file, its state and the reason; re-queue and rescan. */
import { useState } from 'react';
import { api } from '../../api/endpoints.js';
import type { IngestState } from '../../api/types.js';
import { ErrorNote, Spinner } from '../../components/status.js';
import { bytes, utc } from '../../lib/format.js';
import { useApi } from '../../lib/use-api.js';

const STATES: IngestState[] = ['pending', 'ingested', 'duplicate', 'unchanged', 'rejected', 'failed'];

export function IngestPanel({ refreshKey }: { refreshKey: number }) {
  const [state, setState] = useState<IngestState | undefined>('failed');
  const [path, setPath] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const ledger = useApi(
    () => api.ledger({ state, path: path.trim() || undefined, limit: 200 }),
    [state, path, refreshKey],
  );

  const act = async (what: () => Promise<string>) => {
    setMessage(null);
    try {
      setMessage(await what());
      ledger.reload();
    } catch (e) {
      setMessage(`Failed: ${(e as Error).message}`);
    }
  };
  const requeueAll = () =>
    act(async () => `${(await api.requeue({ states: ['failed', 'rejected'] })).requeued} files put back in the queue.`);
  const requeueOne = (id: number) =>
    act(async () => `${(await api.requeue({ ids: [id] })).requeued} file put back in the queue.`);
  const rescan = () => act(async () => ((await api.rescan()).started ? 'Rescan started.' : 'Rescan not started.'));

  const counts = ledger.data?.counts ?? {};
  return (
    <section className="panel" aria-labelledby="ingest-title">
      <div className="panel-head">
        <h2 id="ingest-title">Ingest ledger</h2>
        <button type="button" className="btn btn-small" onClick={() => void rescan()}>
          Rescan folders now
        </button>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void requeueAll()}
          disabled={!(counts.failed || counts.rejected)}
        >
          Re-queue all failed and rejected
        </button>
        {message && (
          <span role="status" className="muted">
            {message}
          </span>
        )}
      </div>
      {ledger.data?.image_dirs && (
        <p className="hint">
          Watched folders:{' '}
          {ledger.data.image_dirs.length
            ? ledger.data.image_dirs.map((d) => <code key={d}>{d}</code>)
            : 'none configured (AIMS_IMAGE_DIR or --images)'}
        </p>
      )}
      <fieldset className="chips">
        <legend className="visually-hidden">State</legend>
        <button
          type="button"
          className={`chip ${state === undefined ? 'chip-on' : ''}`}
          aria-pressed={state === undefined}
          onClick={() => setState(undefined)}
        >
          all
        </button>
        {STATES.map((s) => (
          <button
            key={s}
            type="button"
            className={`chip ${state === s ? 'chip-on' : ''} state-${s}`}
            aria-pressed={state === s}
            onClick={() => setState(s)}
          >
            {s}
            <span className="chip-count">{(counts[s] ?? 0).toLocaleString('en-US')}</span>
          </button>
        ))}
        <input
          type="search"
          aria-label="Filter by path"
          placeholder="path contains…"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          className="inline-search"
        />
      </fieldset>
      {ledger.error && <ErrorNote error={ledger.error} retry={ledger.reload} />}
      {!ledger.data && !ledger.error && <Spinner />}
      {ledger.data && ledger.data.items.length === 0 && (
        <p className="muted">
          {state === 'failed'
            ? 'No failures. Every discovered file was ingested or skipped for a reason.'
            : 'Nothing here.'}
        </p>
      )}
      {ledger.data && ledger.data.items.length > 0 && (
        <div className="scroll ledger-scroll">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">State</th>
                <th scope="col">Reason</th>
                <th scope="col" className="right">
                  Tries
                </th>
                <th scope="col" className="right">
                  Size
                </th>
                <th scope="col">Updated</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {ledger.data.items.map((e) => (
                <tr key={e.id}>
                  <td className="mono small" title={e.file_path}>
                    {e.image_id ? <a href={`/images/${e.image_id}`}>{e.rel_path}</a> : e.rel_path}
                  </td>
                  <td>
                    <span className={`badge state-${e.state}`}>{e.state}</span>
                  </td>
                  <td className="reason">{e.reason ?? ''}</td>
                  <td className="right">{e.attempts}</td>
                  <td className="right">{bytes(e.size_bytes)}</td>
                  <td className="muted">{utc(e.updated_at)}</td>
                  <td>
                    {(e.state === 'failed' || e.state === 'rejected') && (
                      <button type="button" className="btn btn-small" onClick={() => void requeueOne(e.id)}>
                        Re-queue
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {ledger.data.total > ledger.data.items.length && (
            <p className="hint">
              Showing {ledger.data.items.length} of {ledger.data.total.toLocaleString('en-US')}; narrow by state or
              path.
            </p>
          )}
        </div>
      )}
    </section>
  );
}

/**
 * Libraries: the folders AIMS watches and serves. Add one (inside the folders the server allows),
 * change its settings, pause or resume it, rescan it, or remove it with or without its frames.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../../api/endpoints.js';
import type { Library, LibrarySettings } from '../../api/types.js';
import { ErrorNote, Spinner } from '../../components/status.js';
import { useApi } from '../../lib/use-api.js';

/** Frame counts and states change while a library is scanned: the list is read again this often. */
const REFRESH_MS = 3000;

const ORIGIN: Record<Library['origin'], string> = {
  config: 'configuration',
  admin: 'added here',
  cli: 'aims ingest',
};

/** The ledger's colours: trouble red, running green. */
const STATE_CLASS: Partial<Record<Library['state'], string>> = {
  offline: 'state-failed',
  error: 'state-failed',
  watching: 'state-ingested',
  polling: 'state-ingested',
};

interface Draft {
  path: string;
  name: string;
  exclude: string;
  rescan: string;
  polling: boolean;
  timezone: string;
  longitude: string;
}

const EMPTY: Draft = { path: '', name: '', exclude: '', rescan: '', polling: false, timezone: '', longitude: '' };

function draftOf(l: Library): Draft {
  return {
    path: l.path,
    name: l.name,
    exclude: l.exclude.join(', '),
    rescan: l.rescan_seconds === null ? '' : String(l.rescan_seconds),
    polling: l.use_polling,
    timezone: l.timezone ?? '',
    longitude: l.longitude_deg === null ? '' : String(l.longitude_deg),
  };
}

/** The draft as API settings; a configured library sends only what it may change. */
function settingsOf(d: Draft, configured: boolean): LibrarySettings {
  const common: LibrarySettings = {
    timezone: d.timezone.trim() || null,
    longitude_deg: d.longitude.trim() === '' ? null : Number(d.longitude),
    ...(d.name.trim() ? { name: d.name.trim() } : {}),
  };
  if (configured) return common;
  return {
    ...common,
    exclude: d.exclude
      .split(',')
      .map((g) => g.trim())
      .filter(Boolean),
    rescan_seconds: d.rescan.trim() === '' ? null : Number(d.rescan),
    use_polling: d.polling,
  };
}

function LibraryForm({
  initial,
  editing,
  onSubmit,
  onCancel,
}: {
  initial: Draft;
  editing: Library | null;
  onSubmit(draft: Draft): Promise<void>;
  onCancel?(): void;
}) {
  const [draft, setDraft] = useState(initial);
  const [busy, setBusy] = useState(false);
  useEffect(() => setDraft(initial), [initial]);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const configured = editing?.origin === 'config';
  const id = editing ? `lib-${editing.id}` : 'lib-new';
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await onSubmit(draft);
      if (!editing) setDraft(EMPTY);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="library-form" onSubmit={(e) => void submit(e)}>
      {!editing && (
        <div className="field">
          <label htmlFor={`${id}-path`}>Folder on the server</label>
          <input
            id={`${id}-path`}
            required
            value={draft.path}
            placeholder="/srv/observatory/roof-camera"
            onChange={(e) => set({ path: e.target.value })}
          />
        </div>
      )}
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            value={draft.name}
            placeholder="the folder's name"
            onChange={(e) => set({ name: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-exclude`}>Skip (globs, comma-separated)</label>
          <input
            id={`${id}-exclude`}
            value={draft.exclude}
            disabled={configured}
            placeholder="**/rejected/**, *.tmp.fits"
            onChange={(e) => set({ exclude: e.target.value })}
          />
        </div>
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-rescan`}>Rescan every (seconds)</label>
          <input
            id={`${id}-rescan`}
            type="number"
            min={0}
            max={86400}
            value={draft.rescan}
            disabled={configured}
            placeholder="server default"
            onChange={(e) => set({ rescan: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-timezone`}>Time zone for observing nights</label>
          <input
            id={`${id}-timezone`}
            value={draft.timezone}
            placeholder="e.g. Europe/Berlin"
            onChange={(e) => set({ timezone: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-longitude`}>Site longitude (° east)</label>
          <input
            id={`${id}-longitude`}
            type="number"
            min={-180}
            max={180}
            step="any"
            value={draft.longitude}
            onChange={(e) => set({ longitude: e.target.value })}
          />
        </div>
      </div>
      <div className="inline-form">
        <input
          id={`${id}-polling`}
          type="checkbox"
          checked={draft.polling}
          disabled={configured}
          onChange={(e) => set({ polling: e.target.checked })}
        />
        <label htmlFor={`${id}-polling`}>Poll for new files (network shares send no file events)</label>
      </div>
      <div className="inline-form">
        <button type="submit" className="btn btn-primary btn-small" disabled={busy}>
          {editing ? 'Save settings' : 'Add library'}
        </button>
        {onCancel && (
          <button type="button" className="btn btn-small" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

function RemoveLibrary({ library, onDone }: { library: Library; onDone(message: string | null): void }) {
  const [frames, setFrames] = useState<'keep' | 'remove'>('keep');
  const remove = async () => {
    const removed = await api.removeLibrary(library.id, frames);
    onDone(
      `Removed library ${library.name}: ${removed.frames.toLocaleString('en-US')} frames ${
        removed.frames_removed ? 'removed from the catalog' : 'kept in the catalog (no longer served)'
      }.`,
    );
  };
  return (
    <fieldset className="remove-library">
      <legend>Remove {library.name}</legend>
      <div className="inline-form">
        <input
          type="radio"
          id={`keep-${library.id}`}
          name={`frames-${library.id}`}
          checked={frames === 'keep'}
          onChange={() => setFrames('keep')}
        />
        <label htmlFor={`keep-${library.id}`}>
          Keep its {library.frames.toLocaleString('en-US')} frames in the catalog
        </label>
      </div>
      <div className="inline-form">
        <input
          type="radio"
          id={`drop-${library.id}`}
          name={`frames-${library.id}`}
          checked={frames === 'remove'}
          onChange={() => setFrames('remove')}
        />
        <label htmlFor={`drop-${library.id}`}>
          Remove its {library.frames.toLocaleString('en-US')} frames from the catalog
        </label>
      </div>
      <div className="inline-form">
        <button
          type="button"
          className="btn btn-small btn-danger"
          onClick={() => void remove().catch((e) => onDone(`Failed: ${(e as Error).message}`))}
        >
          Remove library
        </button>
        <button type="button" className="btn btn-small" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </fieldset>
  );
}

export function LibrariesPanel({ refreshKey }: { refreshKey: number }) {
  const [tick, setTick] = useState(0);
  const list = useApi(() => api.libraries(), [refreshKey, tick]);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<number | null>(null);
  const [removing, setRemoving] = useState<number | null>(null);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  const act = async (what: () => Promise<string>) => {
    setMessage(null);
    setError(null);
    try {
      setMessage(await what());
      list.reload();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const add = (draft: Draft) =>
    act(async () => {
      const library = await api.addLibrary({ path: draft.path.trim(), ...settingsOf(draft, false) });
      return `Added library ${library.name} (${library.path}): it is scanned now.`;
    });
  const save = (library: Library, draft: Draft) =>
    act(async () => {
      await api.updateLibrary(library.id, settingsOf(draft, library.origin === 'config'));
      setEditing(null);
      return `Saved the settings of ${library.name}.`;
    });
  const pause = (library: Library) =>
    act(async () => {
      const changed = await api.updateLibrary(library.id, { paused: !library.paused });
      return changed.paused ? `${library.name} is paused.` : `${library.name} is watched again.`;
    });
  const rescan = (library: Library) =>
    act(async () => ((await api.rescanLibrary(library.id)).started ? `Rescanning ${library.name}.` : 'Not started.'));

  const data = list.data;
  return (
    <section className="panel" aria-labelledby="libraries-title">
      <div className="panel-head">
        <h2 id="libraries-title">Libraries</h2>
        {message && (
          <span role="status" className="muted">
            {message}
          </span>
        )}
      </div>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
      {list.error && !data && <ErrorNote error={list.error} retry={list.reload} />}
      {!data && !list.error && <Spinner />}
      {data && (
        <>
          <div className="scroll">
            <table className="data libraries-table">
              <thead>
                <tr>
                  <th scope="col">Library</th>
                  <th scope="col">State</th>
                  <th scope="col" className="right">
                    Frames
                  </th>
                  <th scope="col">Settings</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.items.length === 0 && (
                  <tr>
                    <td colSpan={5} className="muted">
                      No library yet: add a folder below, or run <code>aims ingest DIR</code>.
                    </td>
                  </tr>
                )}
                {data.items.map((l) => (
                  <tr key={l.id} data-library={l.path}>
                    <td>
                      <strong>{l.name}</strong>
                      <div className="mono small">{l.path}</div>
                      <div className="muted small">{ORIGIN[l.origin]}</div>
                    </td>
                    <td>
                      <span className={`badge ${STATE_CLASS[l.state] ?? ''}`}>{l.state}</span>
                      {l.state_reason && <div className="reason small">{l.state_reason}</div>}
                    </td>
                    <td className="right" data-frames={l.frames}>
                      {l.frames.toLocaleString('en-US')}
                    </td>
                    <td className="small">
                      {l.exclude.length > 0 && <div>skips {l.exclude.join(', ')}</div>}
                      <div>
                        {l.use_polling ? 'polls' : 'file events'}, rescan{' '}
                        {l.rescan_seconds === null ? 'default' : `every ${l.rescan_seconds} s`}
                      </div>
                      {(l.timezone || l.longitude_deg !== null) && (
                        <div>
                          nights: {l.longitude_deg !== null ? `${l.longitude_deg}°` : ''} {l.timezone ?? ''}
                        </div>
                      )}
                    </td>
                    <td className="actions">
                      <button type="button" className="btn btn-small" onClick={() => setEditing(l.id)}>
                        Edit<span className="visually-hidden"> {l.name}</span>
                      </button>
                      {l.origin !== 'config' && (
                        <>
                          <button type="button" className="btn btn-small" onClick={() => void pause(l)}>
                            {l.paused ? 'Resume' : 'Pause'}
                            <span className="visually-hidden"> {l.name}</span>
                          </button>
                          <button type="button" className="btn btn-small" onClick={() => setRemoving(l.id)}>
                            Remove<span className="visually-hidden"> {l.name}</span>
                          </button>
                        </>
                      )}
                      {!l.paused && (
                        <button type="button" className="btn btn-small" onClick={() => void rescan(l)}>
                          Rescan<span className="visually-hidden"> {l.name}</span>
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {data.items
            .filter((l) => l.id === removing)
            .map((l) => (
              <RemoveLibrary
                key={l.id}
                library={l}
                onDone={(text) => {
                  setRemoving(null);
                  if (text) setMessage(text);
                  list.reload();
                }}
              />
            ))}
          {data.items
            .filter((l) => l.id === editing)
            .map((l) => (
              <div key={l.id} className="library-edit">
                <h3>Settings of {l.name}</h3>
                {l.origin === 'config' && (
                  <p className="hint">
                    Set by AIMS_IMAGE_DIR or --images: its exclusions, schedule and polling come from the configuration.
                  </p>
                )}
                <LibraryForm
                  initial={draftOf(l)}
                  editing={l}
                  onSubmit={(draft) => save(l, draft)}
                  onCancel={() => setEditing(null)}
                />
              </div>
            ))}
          <h3>Add a library</h3>
          <p className="hint">
            Folders inside{' '}
            {data.allowed_roots.map((r) => (
              <code key={r}>{r}</code>
            ))}{' '}
            (AIMS_LIBRARY_ROOTS) may be added here. Its frames are catalogued at once and served to those allowed to
            download.
          </p>
          <LibraryForm initial={EMPTY} editing={null} onSubmit={add} />
        </>
      )}
    </section>
  );
}

/**
 * The calibration of a light frame (GET /api/images/{id}/calibration): per kind, the matching
 * frames with why each matched, or what is missing and the nearest frames with the rules they fail;
 * and the frame with its calibration as one ZIP, in the folders stacking tools expect.
 */
import { useState } from 'react';
import { downloadZip, saveBlob } from '../../api/download.js';
import { api } from '../../api/endpoints.js';
import type { CalibrationKind, CalibrationKindReport, CalibrationMatch } from '../../api/types.js';
import { ErrorNote, Spinner } from '../../components/status.js';
import { bytes, num } from '../../lib/format.js';
import { Link } from '../../lib/router.js';
import { useApi } from '../../lib/use-api.js';

const KINDS: Array<[CalibrationKind, string]> = [
  ['bias', 'Bias'],
  ['dark', 'Darks'],
  ['flat', 'Flats'],
];
/** Matches shown per kind before "more". */
const SHOWN = 5;

function when(days: number): string {
  const n = Math.abs(days);
  const amount = n < 1 ? `${num(n * 24, 1)} h` : `${num(n, 1)} d`;
  return days < 0 ? `${amount} before` : `${amount} after`;
}

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function Match({ match }: { match: CalibrationMatch }) {
  return (
    <li className="calibration-match">
      <Link href={`/images/${match.id}`} className="mono small">
        {match.file_name}
      </Link>{' '}
      {match.master_frame && (
        <span className="badge badge-accent">master{match.combined_frames ? ` ×${match.combined_frames}` : ''}</span>
      )}{' '}
      {match.selected && <span className="badge badge-good">selected</span>}
      <div className="small muted">{match.reasons.join(' · ')}</div>
      {match.notes.length > 0 && <div className="small hint">{match.notes.join(' · ')}</div>}
    </li>
  );
}

function Kind({ kind, title, report }: { kind: CalibrationKind; title: string; report: CalibrationKindReport }) {
  const [all, setAll] = useState(false);
  const shown = all ? report.matches : report.matches.slice(0, SHOWN);
  return (
    <div className="calibration-kind" data-kind={kind}>
      <h3>
        {title}{' '}
        {report.matches.length > 0 ? (
          <span className="badge badge-good">{report.matches.length} found</span>
        ) : (
          <span className="badge badge-poor">missing</span>
        )}
      </h3>
      {report.missing && <p className="small">{report.missing}</p>}
      {shown.length > 0 && (
        <ul className="calibration-list">
          {shown.map((m) => (
            <Match key={m.id} match={m} />
          ))}
        </ul>
      )}
      {report.matches.length > shown.length && (
        <button type="button" className="btn btn-small" onClick={() => setAll(true)}>
          Show all {report.matches.length}
        </button>
      )}
      {report.near_misses.length > 0 && (
        <details className="near-misses">
          <summary className="small">Nearest {kind} frames, and why they do not match</summary>
          <ul className="calibration-list">
            {report.near_misses.map((m) => (
              <li key={m.id}>
                <Link href={`/images/${m.id}`} className="mono small">
                  {m.file_name}
                </Link>{' '}
                <span className="muted small">{when(m.days_apart)}</span>
                <div className="small">{m.failed.join(' · ')}</div>
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

function DownloadWithCalibration({ id }: { id: number }) {
  const [state, setState] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const start = async () => {
    setBusy(true);
    setState(null);
    try {
      const { blob, fileName } = await downloadZip({ ids: [id], with_calibration: true }, () => undefined);
      saveBlob(blob, fileName);
      setState(`Saved ${fileName} · ${bytes(blob.size)}`);
    } catch (e) {
      setState(`Download failed: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <p>
      <button type="button" className="btn btn-small" disabled={busy} onClick={() => void start()}>
        {busy ? 'Preparing the ZIP…' : 'Download with calibration (ZIP)'}
      </button>{' '}
      {state && (
        <span className="muted small" role="status">
          {state}
        </span>
      )}
    </p>
  );
}

export function CalibrationPanel({ id, canDownload }: { id: number; canDownload: boolean }) {
  const { data, error, reload } = useApi((signal) => api.calibration(id, signal), [id]);
  return (
    <section className="panel calibration-panel" aria-labelledby="calibration-title">
      <h2 id="calibration-title">Calibration</h2>
      {error && <ErrorNote error={error} retry={reload} />}
      {!data && !error && <Spinner label="Matching calibration frames…" />}
      {data && (
        <>
          {data.notes.length > 0 && <p className="hint">{sentence(data.notes.join('; '))}.</p>}
          {KINDS.map(([kind, title]) => (
            <Kind key={kind} kind={kind} title={title} report={data.kinds[kind]} />
          ))}
          <p className="small muted">
            Rules: same camera, binning, gain and offset; darks of the same exposure within a few degrees; flats of the
            same filter and rotation; nearest in time, masters first.
          </p>
          {canDownload && <DownloadWithCalibration id={id} />}
        </>
      )}
    </section>
  );
}

/**
 * One target: its integration time per filter (the same numbers as the targets list), how it grew
 * night by night, its best frames, its frames, and the good frames with their calibration as a ZIP.
 */
import { useState } from 'react';
import { downloadZip, saveBlob } from '../api/download.js';
import { api, previewUrl } from '../api/endpoints.js';
import type { TargetDetail } from '../api/types.js';
import { PreviewImage } from '../components/preview-image.js';
import { ErrorNote, Spinner } from '../components/status.js';
import { formatDec, formatRa } from '../lib/angles.js';
import { bytes, DASH, duration, int, num, utc } from '../lib/format.js';
import { Link } from '../lib/router.js';
import { useApi } from '../lib/use-api.js';
import { IntegrationPlot } from './target/integration-plot.js';

/** Frames listed on the page; the search screen has them all. */
const FRAMES_SHOWN = 200;
const FRAME_FIELDS = 'id,file_name,date_obs,night,filter_name,exptime,fwhm_arcsec,quality_score,quality_flag';
const IDS_PER_PAGE = 1000;

const seconds = (s: number) => `${int(Math.round(s))} s`;

/** Ids of the target's good frames, page by page. */
async function goodFrameIds(key: string): Promise<number[]> {
  const ids: number[] = [];
  for (let offset = 0; ; offset += IDS_PER_PAGE) {
    const page = await api.images(
      { object: key, image_type: 'light' },
      { sort: 'id', limit: IDS_PER_PAGE, offset, fields: 'id,quality_flag' },
    );
    for (const item of page.items) if (item.quality_flag) ids.push(item.id);
    if (page.items.length < IDS_PER_PAGE) return ids;
  }
}

function DownloadGood({ target }: { target: TargetDetail }) {
  const [state, setState] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (target.good_frames === 0) return <p className="hint">No good frames (quality flag) to download yet.</p>;
  const start = async () => {
    setBusy(true);
    setState(null);
    try {
      const ids = await goodFrameIds(target.key);
      const { blob, fileName } = await downloadZip({ ids, with_calibration: true }, () => undefined);
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
      <button type="button" className="btn btn-primary btn-small" disabled={busy} onClick={() => void start()}>
        {busy ? 'Preparing the ZIP…' : `Download the ${int(target.good_frames)} good frames (with calibration)`}
      </button>{' '}
      {state && (
        <span className="muted small" role="status">
          {state}
        </span>
      )}
    </p>
  );
}

function Frames({ target }: { target: TargetDetail }) {
  const { data, error, reload } = useApi(
    (signal) =>
      api.images(
        { object: target.key, image_type: 'light' },
        { sort: 'date_obs', limit: FRAMES_SHOWN, fields: FRAME_FIELDS },
        signal,
      ),
    [target.key],
  );
  return (
    <section className="panel" aria-labelledby="target-frames-title">
      <h2 id="target-frames-title">Frames</h2>
      {error && <ErrorNote error={error} retry={reload} />}
      {!data && !error && <Spinner label="Loading the frames…" />}
      {data && (
        <>
          <div className="table-scroll">
            <table className="data target-frames">
              <thead>
                <tr>
                  <th scope="col">Frame</th>
                  <th scope="col">Date (UTC)</th>
                  <th scope="col">Filter</th>
                  <th scope="col" className="right">
                    Exposure
                  </th>
                  <th scope="col" className="right">
                    FWHM ″
                  </th>
                  <th scope="col" className="right">
                    Quality
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((f) => (
                  <tr key={f.id} data-id={f.id}>
                    <td>
                      <Link href={`/images/${f.id}`} className="mono small">
                        {f.file_name}
                      </Link>
                    </td>
                    <td className="small">{utc(f.date_obs)}</td>
                    <td>{f.filter_name ?? DASH}</td>
                    <td className="right num">{num(f.exptime, 0)} s</td>
                    <td className="right num">{num(f.fwhm_arcsec, 2)}</td>
                    <td className="right num">
                      {num(f.quality_score, 0)}
                      {f.quality_flag && <span className="badge badge-good">good</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="hint">
            {data.total > data.items.length ? `The first ${data.items.length} of ${int(data.total)} frames. ` : ''}
            <Link href={`/?object=${encodeURIComponent(target.key)}&image_type=light`}>Open them in Search</Link>
          </p>
        </>
      )}
    </section>
  );
}

export default function TargetScreen({ targetKey, canDownload }: { targetKey: string; canDownload: boolean }) {
  const { data: target, error, reload } = useApi((signal) => api.target(targetKey, signal), [targetKey]);
  if (error) return <ErrorNote error={error} retry={reload} />;
  if (!target) return <Spinner label="Loading the target…" />;
  return (
    <div className="page target-page">
      <div className="page-head">
        <Link href="/targets" className="btn btn-small">
          ← Targets
        </Link>
        <h1>{target.name}</h1>
        <span className="muted">
          {target.ra_deg === null ? 'no position' : `${formatRa(target.ra_deg, 1)} ${formatDec(target.dec_deg, 0)}`} ·{' '}
          {utc(target.first_date_obs)} → {utc(target.last_date_obs)}
        </span>
      </div>
      <div className="stats">
        <div className="stat" data-stat="integration">
          <span className="stat-value">{duration(target.integration_seconds)}</span>
          <span className="stat-label">integration ({seconds(target.integration_seconds)})</span>
        </div>
        <div className="stat" data-stat="good-integration">
          <span className="stat-value">{duration(target.good_integration_seconds)}</span>
          <span className="stat-label">good ({seconds(target.good_integration_seconds)})</span>
        </div>
        <div className="stat" data-stat="frames">
          <span className="stat-value">{int(target.frames)}</span>
          <span className="stat-label">frames</span>
        </div>
        <div className="stat" data-stat="good-frames">
          <span className="stat-value">{int(target.good_frames)}</span>
          <span className="stat-label">good frames</span>
        </div>
        <div className="stat" data-stat="nights">
          <span className="stat-value">{int(target.nights)}</span>
          <span className="stat-label">nights</span>
        </div>
      </div>
      {canDownload && <DownloadGood target={target} />}
      <div className="plots-grid">
        <section className="panel" aria-labelledby="per-filter-title">
          <h2 id="per-filter-title">Per filter</h2>
          <table className="data per-filter">
            <thead>
              <tr>
                <th scope="col">Filter</th>
                <th scope="col" className="right">
                  Frames
                </th>
                <th scope="col" className="right">
                  Good
                </th>
                <th scope="col" className="right">
                  Integration
                </th>
                <th scope="col" className="right">
                  Good integration
                </th>
              </tr>
            </thead>
            <tbody>
              {target.filters.map((f) => (
                <tr key={f.filter_name ?? ''} data-filter={f.filter_name ?? ''}>
                  <td>{f.filter_name ?? 'no filter'}</td>
                  <td className="right num">{int(f.frames)}</td>
                  <td className="right num">{int(f.good_frames)}</td>
                  <td className="right num" title={duration(f.integration_seconds)}>
                    {seconds(f.integration_seconds)}
                  </td>
                  <td className="right num" title={duration(f.good_integration_seconds)}>
                    {seconds(f.good_integration_seconds)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <IntegrationPlot series={target.integration} />
      </div>
      <section className="panel" aria-labelledby="best-title">
        <h2 id="best-title">Best frames</h2>
        {target.best_frames.length === 0 ? (
          <p className="muted">No scored frames yet.</p>
        ) : (
          <ul className="results-grid best-frames">
            {target.best_frames.map((f) => (
              <li key={f.id} className="tile">
                <Link href={`/images/${f.id}`} className="tile-link">
                  <PreviewImage
                    className="tile-img"
                    src={previewUrl(f.id)}
                    alt={`Preview of ${f.file_name ?? f.id}`}
                    loading="lazy"
                    decoding="async"
                  />
                </Link>
                <div className="tile-meta">
                  <span className="tile-title">
                    {f.filter_name ?? DASH} · {num(f.exptime, 0)} s · quality {num(f.quality_score, 0)}
                  </span>
                  <span className="tile-sub">{utc(f.date_obs)}</span>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      <Frames target={target} />
    </div>
  );
}

/** One frame: the image with a cursor readout, what the catalog knows, why its score, every header card. */
import { useEffect } from 'react';
import { api, downloadUrl } from '../api/endpoints.js';
import { type ImageDetail, mayDownload, type User } from '../api/types.js';
import { ErrorNote, Spinner } from '../components/status.js';
import { formatDec, formatRa } from '../lib/angles.js';
import { neighbours, recallBrowse } from '../lib/browse.js';
import { bytes, DASH, int, num, utc } from '../lib/format.js';
import { Link, navigate } from '../lib/router.js';
import { useApi } from '../lib/use-api.js';
import { CalibrationPanel } from './frame/calibration-panel.js';
import { HeaderTable } from './frame/header-table.js';
import { PixelViewer } from './frame/pixel-viewer.js';
import { QualityPanel } from './frame/quality-panel.js';

/** A definition list of labelled values, one row each. */
function KeyValues({ rows }: { rows: Array<[string, React.ReactNode]> }) {
  return (
    <dl className="kv">
      {rows.map(([k, v]) => (
        <div key={k} className="kv-row">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function Facts({ image }: { image: ImageDetail }) {
  const rows: Array<[string, React.ReactNode]> = [
    ['Object', image.object_name ?? DASH],
    ['Type', image.image_type_raw ? `${image.image_type} (${image.image_type_raw})` : (image.image_type ?? DASH)],
    ['Date (UTC)', utc(image.date_obs)],
    // biome-ignore lint/correctness/useJsxKeyInIterable: a fixed table of facts rendered by position, not a list.
    ['Night', image.night ? <Link href={`/nights/${image.night}`}>{image.night}</Link> : DASH],
    ['Exposure', image.exptime === null || image.exptime === undefined ? DASH : `${num(image.exptime, 2)} s`],
    ['Filter', image.filter_name ?? DASH],
    [
      'RA / Dec',
      image.ra_deg === null || image.ra_deg === undefined
        ? DASH
        : `${formatRa(image.ra_deg, 2)} ${formatDec(image.dec_deg, 1)} (${num(image.ra_deg, 5)}°, ${num(image.dec_deg, 5)}°)`,
    ],
    ['Position from', image.position_source ?? DASH],
    ['Telescope', image.telescope ?? DASH],
    ['Camera', image.instrument ?? image.camera ?? DASH],
    ['Observatory', image.observatory ?? DASH],
    [
      'CCD temp',
      image.ccd_temp === null || image.ccd_temp === undefined
        ? DASH
        : `${num(image.ccd_temp, 1)} °C (set ${num(image.set_temp, 1)})`,
    ],
    ['Gain / offset', `${num(image.gain, 0)} / ${num(image.offset, 0)}`],
    ['Binning', image.xbinning ? `${image.xbinning}×${image.ybinning}` : DASH],
    ['Pixels', image.naxis1 ? `${image.naxis1} × ${image.naxis2}, BITPIX ${image.bitpix}` : DASH],
    ['Pixel scale', image.pixel_scale_arcsec ? `${num(image.pixel_scale_arcsec, 3)} ″/px` : DASH],
    [
      'Field',
      image.fov_width_deg
        ? `${num(image.fov_width_deg * 60, 1)}′ × ${num((image.fov_height_deg ?? 0) * 60, 1)}′`
        : DASH,
    ],
    ['Airmass', num(image.airmass, 3)],
    ['Rotator', image.rotator_angle_deg == null ? DASH : `${num(image.rotator_angle_deg, 1)}°`],
    [
      'Sun altitude',
      image.sun_alt_deg === null || image.sun_alt_deg === undefined ? DASH : `${num(image.sun_alt_deg, 1)}°`,
    ],
    [
      'Moon',
      image.moon_illumination === null || image.moon_illumination === undefined
        ? DASH
        : `${num(image.moon_illumination * 100, 0)}% lit, ${num(image.moon_separation_deg, 0)}° away`,
    ],
  ];
  const metrics: Array<[string, string]> = [
    ['FWHM', `${num(image.fwhm_arcsec, 2)} ″ (${num(image.fwhm_px, 2)} px)`],
    ['HFR', `${num(image.hfr_px, 2)} px`],
    ['Stars', int(image.star_count)],
    ['Eccentricity', num(image.eccentricity, 2)],
    ['Background', `${num(image.background, 1)} ± ${num(image.noise, 1)}`],
    ['SNR weight', num(image.snr_weight, 3)],
    [
      'Saturated',
      image.saturated_fraction === null || image.saturated_fraction === undefined
        ? DASH
        : `${num(image.saturated_fraction * 100, 3)}%`,
    ],
  ];
  return (
    <>
      <section className="panel" aria-labelledby="facts-title">
        <h2 id="facts-title">Metadata</h2>
        <KeyValues rows={rows} />
      </section>
      <section className="panel" aria-labelledby="metrics-title">
        <h2 id="metrics-title">Measured</h2>
        {image.analysis_note && <p className="hint">{image.analysis_note}</p>}
        <KeyValues rows={metrics} />
      </section>
    </>
  );
}

const CHECKSUM_WORDS: Record<NonNullable<ImageDetail['checksum_status']> | 'unknown', string> = {
  ok: 'verified (CHECKSUM/DATASUM of every HDU)',
  partial: 'verified where present (some HDUs carry none)',
  absent: 'none in the file',
  bad: 'does not verify',
  unknown: 'not checked (catalogued before checksums were verified)',
};

function Copies({ image, canDownload }: { image: ImageDetail; canDownload: boolean }) {
  return (
    <section className="panel" aria-labelledby="copies-title">
      <h2 id="copies-title">File</h2>
      <dl className="kv">
        <div className="kv-row">
          <dt>Path</dt>
          <dd className="mono">{image.file_path}</dd>
        </div>
        <div className="kv-row">
          <dt>Size</dt>
          <dd>{bytes(image.size_bytes)}</dd>
        </div>
        <div className="kv-row">
          <dt>SHA-256</dt>
          <dd className="mono small">{image.sha256}</dd>
        </div>
        <div className="kv-row">
          <dt>Ingested</dt>
          <dd>{utc(image.ingested_at)}</dd>
        </div>
        <div className="kv-row">
          <dt>FITS checksum</dt>
          <dd data-testid="checksum-status">{CHECKSUM_WORDS[image.checksum_status ?? 'unknown']}</dd>
        </div>
        <div className="kv-row">
          <dt>Last verified</dt>
          <dd>
            {image.verified_at ? utc(image.verified_at) : DASH}
            {image.fixity_status && image.fixity_status !== 'ok' && (
              <span className="badge badge-poor">{image.fixity_status}</span>
            )}
          </dd>
        </div>
      </dl>
      {image.checksum_status === 'bad' && (
        <div className="callout callout-error" role="alert">
          <p>
            The FITS checksum of this file does not verify: its bytes were damaged before (or while) it reached the
            archive. It is catalogued so that it can be judged, but should not be trusted.
          </p>
          <ul className="small">
            {image.checksums
              .filter((h) => h.reason)
              .map((h) => (
                <li key={h.index}>{h.reason}</li>
              ))}
          </ul>
        </div>
      )}
      {image.fixity_status && image.fixity_status !== 'ok' && (
        <p className="callout callout-error">
          The last check found the file {image.fixity_status}: {image.fixity_reason}
        </p>
      )}
      {image.missing_since && (
        <p className="callout callout-error">The file is missing since {utc(image.missing_since)}.</p>
      )}
      {image.paths.length > 0 && (
        <>
          <h3>Other copies and earlier paths</h3>
          <ul className="paths mono small">
            {image.paths.map((p) => (
              <li key={p.file_path + p.recorded_at}>
                {p.file_path} <span className="badge">{p.kind}</span>
                {p.missing_since && <span className="badge badge-poor">missing</span>}
                {p.fixity_status && p.fixity_status !== 'ok' && (
                  <span className="badge badge-poor" title={p.fixity_reason ?? undefined}>
                    {p.fixity_status}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {canDownload ? (
        <a className="btn btn-primary" href={downloadUrl(image.id)} download={image.file_name}>
          Download original ({bytes(image.size_bytes)})
        </a>
      ) : (
        <p className="hint">Your account may not download originals; an administrator can allow it.</p>
      )}
    </section>
  );
}

/** Previous / next frame of the search this frame was opened from (keys p and n, or k and j). */
function Stepper({ id }: { id: number }) {
  const browse = recallBrowse();
  const { previous, next, index, count } = neighbours(browse, id);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (event.ctrlKey || event.metaKey || event.altKey || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
      if ((event.key === 'n' || event.key === 'j') && next !== undefined) navigate(`/images/${next}`);
      if ((event.key === 'p' || event.key === 'k') && previous !== undefined) navigate(`/images/${previous}`);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [next, previous]);
  if (!browse || index < 0) return null;
  return (
    <nav className="stepper" aria-label="Frames of the search">
      <Link href={`/${browse.search}`} className="btn btn-small">
        Results
      </Link>
      {previous !== undefined ? (
        <Link href={`/images/${previous}`} className="btn btn-small" aria-keyshortcuts="p" title="Previous frame (p)">
          ‹ Previous
        </Link>
      ) : (
        <span className="btn btn-small" aria-disabled="true">
          ‹ Previous
        </span>
      )}
      <span className="muted num">
        {index + 1} / {count}
      </span>
      {next !== undefined ? (
        <Link href={`/images/${next}`} className="btn btn-small" aria-keyshortcuts="n" title="Next frame (n)">
          Next ›
        </Link>
      ) : (
        <span className="btn btn-small" aria-disabled="true">
          Next ›
        </span>
      )}
    </nav>
  );
}

export default function FrameScreen({ id, user }: { id: number; user: User }) {
  const { data: image, error, reload } = useApi((signal) => api.image(id, signal), [id]);
  const canDownload = mayDownload(user);
  if (error) return <ErrorNote error={error} retry={reload} />;
  if (!image) return <Spinner label="Loading the frame…" />;
  return (
    <div className="page frame-page">
      <div className="page-head">
        <Stepper id={id} />
        <button
          type="button"
          className="btn btn-small"
          onClick={() => (window.history.length > 1 ? window.history.back() : navigate('/'))}
        >
          ← Back
        </button>
        <h1>{image.file_name}</h1>
        <span className="muted">
          {image.object_name ?? image.image_type} · {image.filter_name ?? DASH} · {num(image.exptime, 0)} s ·{' '}
          {utc(image.date_obs)}
        </span>
      </div>
      <div className="frame-grid">
        <div className="frame-main">
          <PixelViewer image={image} canDownload={canDownload} />
          <HeaderTable hdus={image.header} initial={image.hdu_index ?? 0} />
        </div>
        <div className="frame-side">
          <QualityPanel image={image} />
          {image.image_type === 'light' && <CalibrationPanel id={image.id} canDownload={canDownload} />}
          <Facts image={image} />
          <Copies image={image} canDownload={canDownload} />
        </div>
      </div>
    </div>
  );
}

/**
 * Nights: every observing night with its summary, and one night as a dashboard — frames, targets,
 * seeing and quality through the night, CCD temperature, and where the telescope pointed.
 */
import { useMemo } from 'react';
import { api } from '../api/endpoints.js';
import type { ImageItem, NightSummary } from '../api/types.js';
import { type Point, type Pointing, SeriesPlot, SkyMap } from '../components/plots.js';
import { Empty, ErrorNote, Spinner } from '../components/status.js';
import { DASH, duration, int, num, utc } from '../lib/format.js';
import { Link } from '../lib/router.js';
import { useApi } from '../lib/use-api.js';
import { CALIBRATION_FIELDS, CalibrationCheck } from './nights/calibration-check.js';

/** A night has at most this many frames drawn; busier nights are sampled by the first page. */
const NIGHT_FRAME_LIMIT = 1000;
const NIGHT_FIELDS = `id,file_name,date_obs,object_name,image_type,filter_name,exptime,ccd_temp,ra_deg,dec_deg,fwhm_arcsec,fwhm_px,quality_score,quality_flag,star_count,${CALIBRATION_FIELDS}`;

function NightList({ nights, current }: { nights: NightSummary[]; current: string | null }) {
  return (
    <nav className="panel night-list" aria-label="Nights">
      <h2>Nights</h2>
      <table className="data">
        <thead>
          <tr>
            <th scope="col">Night</th>
            <th scope="col" className="right">
              Frames
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
          {nights.map((n) => (
            <tr key={n.night} className={n.night === current ? 'current' : ''}>
              <td>
                <Link href={`/nights/${n.night}`} aria-current={n.night === current ? 'page' : undefined}>
                  {n.night}
                </Link>
              </td>
              <td className="right">{int(n.frames)}</td>
              <td className="right">{num(n.median_fwhm_arcsec, 2)}</td>
              <td className="right">{num(n.mean_quality, 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </nav>
  );
}

interface Target {
  name: string;
  frames: number;
  exposure: number;
  filters: Set<string>;
  ra: number[];
  dec: number[];
}

function targetsOf(images: ImageItem[]): Target[] {
  const map = new Map<string, Target>();
  for (const i of images) {
    if (i.image_type !== 'light') continue;
    const name = i.object_name ?? '(no object)';
    let t = map.get(name);
    if (!t) {
      t = { name, frames: 0, exposure: 0, filters: new Set(), ra: [], dec: [] };
      map.set(name, t);
    }
    t.frames++;
    t.exposure += i.exptime ?? 0;
    if (i.filter_name) t.filters.add(i.filter_name);
    if (i.ra_deg !== null && i.ra_deg !== undefined && i.dec_deg !== null && i.dec_deg !== undefined) {
      t.ra.push(i.ra_deg);
      t.dec.push(i.dec_deg);
    }
  }
  return [...map.values()].sort((a, b) => b.frames - a.frames);
}

/** Mean RA that survives the 0h/24h wrap. */
function meanRa(values: number[]): number {
  const s = values.reduce((a, v) => a + Math.sin((v * Math.PI) / 180), 0);
  const c = values.reduce((a, v) => a + Math.cos((v * Math.PI) / 180), 0);
  return ((((Math.atan2(s, c) * 180) / Math.PI) % 360) + 360) % 360;
}

function series(images: ImageItem[], value: (i: ImageItem) => number | null | undefined): Point[] {
  return images.flatMap((i) => {
    const v = value(i);
    const t = i.date_obs ? Date.parse(i.date_obs) : Number.NaN;
    return v === null || v === undefined || Number.isNaN(t)
      ? []
      : [
          {
            x: t,
            y: v,
            label: `${i.file_name}: ${v.toFixed(2)}`,
            tone: i.quality_flag ? 'good' : i.quality_score !== null && i.quality_score !== undefined ? 'poor' : '',
          },
        ];
  });
}

function NightDashboard({ summary }: { summary: NightSummary }) {
  const { data, error, reload } = useApi(
    (signal) =>
      api.images(
        { night: summary.night },
        { sort: 'date_obs', limit: NIGHT_FRAME_LIMIT, fields: NIGHT_FIELDS },
        signal,
      ),
    [summary.night],
  );
  const images = data?.items ?? [];
  const targets = useMemo(() => targetsOf(images), [images]);
  const pointings: Pointing[] = targets
    .filter((t) => t.ra.length)
    .map((t, i) => ({
      label: t.name,
      ra: meanRa(t.ra),
      dec: t.dec.reduce((a, v) => a + v, 0) / t.dec.length,
      count: t.frames,
      group: i,
    }));
  const lights = images.filter((i) => i.image_type === 'light');
  const byType = images.reduce<Record<string, number>>((acc, i) => {
    const k = i.image_type ?? 'other';
    acc[k] = (acc[k] ?? 0) + 1;
    return acc;
  }, {});

  return (
    <div className="night-dashboard">
      <div className="page-head">
        <h1>Night of {summary.night}</h1>
        <span className="muted">
          {utc(summary.first_date_obs)} → {utc(summary.last_date_obs)} UTC
        </span>
        <Link className="btn btn-small" href={`/?night=${summary.night}`}>
          Open these frames in Search
        </Link>
      </div>
      <div className="stats">
        <div className="stat">
          <span className="stat-value">{int(summary.frames)}</span>
          <span className="stat-label">frames</span>
        </div>
        <div className="stat">
          <span className="stat-value">{duration(summary.exposure_seconds)}</span>
          <span className="stat-label">exposure</span>
        </div>
        <div className="stat">
          <span className="stat-value">{num(summary.median_fwhm_arcsec, 2)}″</span>
          <span className="stat-label">median FWHM</span>
        </div>
        <div className="stat">
          <span className="stat-value">{num(summary.mean_quality, 0)}</span>
          <span className="stat-label">mean quality</span>
        </div>
        <div className="stat">
          <span className="stat-value">{int(summary.flagged)}</span>
          <span className="stat-label">good frames</span>
        </div>
        <div className="stat">
          <span className="stat-value">
            {num(summary.min_ccd_temp, 1)} … {num(summary.max_ccd_temp, 1)}
          </span>
          <span className="stat-label">CCD °C</span>
        </div>
        <div className="stat">
          <span className="stat-value stat-small">
            {Object.entries(byType)
              .map(([k, v]) => `${v} ${k}`)
              .join(' · ') || DASH}
          </span>
          <span className="stat-label">by type</span>
        </div>
      </div>
      {error && <ErrorNote error={error} retry={reload} />}
      {!data && !error && <Spinner label="Loading the night's frames…" />}
      {data && (
        <div className="plots-grid">
          <SeriesPlot
            title="Seeing (median FWHM per frame)"
            unit="arcsec"
            points={series(lights, (i) => i.fwhm_arcsec ?? null)}
            joined={false}
            empty="No star measurements (calibration frames, or analysis skipped)."
          />
          <SeriesPlot
            title="Quality score"
            unit="0–100"
            points={series(lights, (i) => i.quality_score)}
            joined={false}
            empty="No scored frames."
          />
          <SeriesPlot
            title="CCD temperature"
            unit="°C"
            points={series(images, (i) => i.ccd_temp)}
            empty="No CCD temperature in the headers."
          />
          <SkyMap pointings={pointings} title="Pointings (RA/Dec)" />
          <CalibrationCheck lights={lights} />
          <section className="panel targets" aria-labelledby="targets-title">
            <h2 id="targets-title">Targets</h2>
            {targets.length === 0 ? (
              <p className="muted">No light frames this night.</p>
            ) : (
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">Object</th>
                    <th scope="col" className="right">
                      Frames
                    </th>
                    <th scope="col" className="right">
                      Exposure
                    </th>
                    <th scope="col">Filters</th>
                  </tr>
                </thead>
                <tbody>
                  {targets.map((t) => (
                    <tr key={t.name}>
                      <td>
                        <Link href={`/?night=${summary.night}&object=${encodeURIComponent(t.name)}`}>{t.name}</Link>
                      </td>
                      <td className="right">{t.frames}</td>
                      <td className="right">{duration(t.exposure)}</td>
                      <td>{[...t.filters].join(' ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </div>
      )}
      {data && data.total > images.length && (
        <p className="hint">
          Plots show the first {images.length} of {data.total} frames of this night.
        </p>
      )}
    </div>
  );
}

export default function NightsScreen({ night }: { night: string | null }) {
  const { data, error, reload } = useApi((signal) => api.nights({}, signal), []);
  if (error) return <ErrorNote error={error} retry={reload} />;
  if (!data) return <Spinner label="Loading nights…" />;
  const nights = [...data.items].sort((a, b) => b.night.localeCompare(a.night));
  if (nights.length === 0)
    return (
      <div className="page">
        <Empty title="No observing nights yet.">
          <p>Nights appear as soon as frames with a DATE-OBS are ingested. See Search for where to put files.</p>
        </Empty>
      </div>
    );
  const current = nights.find((n) => n.night === night) ?? nights[0]!;
  return (
    <div className="page nights-layout">
      <NightList nights={nights} current={current.night} />
      <NightDashboard summary={current} />
    </div>
  );
}

/**
 * Hand-rolled SVG plots: a time series (points, optionally joined) and a sky map of pointings.
 * Small and fast; each has a title and a text description for screen readers.
 */
import { type ReactNode, useId } from 'react';

export interface Point {
  x: number;
  y: number;
  label?: string;
  tone?: string;
}

/** Round tick values covering [min, max]: steps of 1, 2 or 5 × 10^n. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

const W = 560;
const H = 200;
const PAD = { left: 46, right: 12, top: 10, bottom: 26 };

interface SeriesProps {
  title: string;
  unit?: string;
  points: Point[];
  /** x values are epoch milliseconds: ticks show UTC hours. */
  time?: boolean;
  joined?: boolean;
  /** A horizontal reference line (a threshold). */
  reference?: { y: number; label: string };
  empty?: ReactNode;
}

function hhmm(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

export function SeriesPlot({ title, unit, points, time = true, joined = true, reference, empty }: SeriesProps) {
  const id = useId();
  const usable = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  if (usable.length === 0)
    return (
      <figure className="plot">
        <figcaption>{title}</figcaption>
        <p className="muted plot-empty">{empty ?? 'No values for this night.'}</p>
      </figure>
    );
  const xs = usable.map((p) => p.x);
  const ys = usable.map((p) => p.y).concat(reference ? [reference.y] : []);
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  const padY = (y1 - y0) * 0.08 || Math.abs(y0) * 0.1 || 1;
  [y0, y1] = [y0 - padY, y1 + padY];
  const sx = (x: number) => PAD.left + ((x - x0) / (x1 - x0)) * (W - PAD.left - PAD.right);
  const sy = (y: number) => H - PAD.bottom - ((y - y0) / (y1 - y0)) * (H - PAD.top - PAD.bottom);
  const sorted = [...usable].sort((a, b) => a.x - b.x);
  const xTicks = time ? niceTicks(x0 / 3_600_000, x1 / 3_600_000, 6).map((h) => h * 3_600_000) : niceTicks(x0, x1, 6);
  const yTicks = niceTicks(y0, y1, 4);
  const values = usable.map((p) => p.y);
  const summary = `${usable.length} values from ${Math.min(...values).toFixed(2)} to ${Math.max(...values).toFixed(2)}${unit ? ` ${unit}` : ''}`;
  return (
    <figure className="plot">
      <figcaption id={`${id}-t`}>
        {title}
        {unit && <span className="muted"> ({unit})</span>}
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-t ${id}-d`} preserveAspectRatio="none">
        <title>{title}</title>
        <desc id={`${id}-d`}>{summary}</desc>
        {yTicks.map((t) => (
          <g key={`y${t}`}>
            <line x1={PAD.left} x2={W - PAD.right} y1={sy(t)} y2={sy(t)} className="grid-line" />
            <text x={PAD.left - 6} y={sy(t) + 4} className="tick" textAnchor="end">
              {Math.abs(t) >= 1000 ? t.toExponential(1) : t}
            </text>
          </g>
        ))}
        {xTicks.map((t) => (
          <text key={`x${t}`} x={sx(t)} y={H - 8} className="tick" textAnchor="middle">
            {time ? hhmm(t) : t}
          </text>
        ))}
        {reference && (
          <g>
            <line x1={PAD.left} x2={W - PAD.right} y1={sy(reference.y)} y2={sy(reference.y)} className="ref-line" />
            <text x={W - PAD.right - 4} y={sy(reference.y) - 4} className="tick" textAnchor="end">
              {reference.label}
            </text>
          </g>
        )}
        {joined && sorted.length > 1 && (
          <polyline className="series-line" points={sorted.map((p) => `${sx(p.x)},${sy(p.y)}`).join(' ')} />
        )}
        {sorted.map((p, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: points have no identity of their own; the series is redrawn whole.
          <circle key={i} cx={sx(p.x)} cy={sy(p.y)} r={3} className={`dot ${p.tone ?? ''}`}>
            {p.label && <title>{p.label}</title>}
          </circle>
        ))}
      </svg>
    </figure>
  );
}

export interface Pointing {
  ra: number;
  dec: number;
  label: string;
  count: number;
  group: number;
}

/**
 * Pointings on an equirectangular sky: RA from 24 h on the left to 0 h on the right (east left,
 * as the sky looks from the ground), Dec from −90° to +90°; marker area grows with frame count.
 */
export function SkyMap({ pointings, title = 'Pointings' }: { pointings: Pointing[]; title?: string }) {
  const id = useId();
  const w = 560;
  const h = 280;
  const x = (ra: number) => ((360 - ra) / 360) * w;
  const y = (dec: number) => ((90 - dec) / 180) * h;
  return (
    <figure className="plot sky">
      <figcaption id={`${id}-t`}>{title}</figcaption>
      <svg viewBox={`-30 -6 ${w + 40} ${h + 24}`} role="img" aria-labelledby={`${id}-t ${id}-d`}>
        <title>{title}</title>
        <desc id={`${id}-d`}>
          {pointings.length
            ? pointings
                .map((p) => `${p.label}: ${p.count} frames at RA ${(p.ra / 15).toFixed(2)} h, Dec ${p.dec.toFixed(1)}°`)
                .join('; ')
            : 'No pointings with coordinates.'}
        </desc>
        <rect x={0} y={0} width={w} height={h} className="sky-bg" />
        {[0, 3, 6, 9, 12, 15, 18, 21, 24].map((hour) => (
          <g key={hour}>
            <line x1={x(hour * 15)} x2={x(hour * 15)} y1={0} y2={h} className="grid-line" />
            <text x={x(hour * 15)} y={h + 14} className="tick" textAnchor="middle">
              {hour}h
            </text>
          </g>
        ))}
        {[-60, -30, 0, 30, 60].map((dec) => (
          <g key={dec}>
            <line x1={0} x2={w} y1={y(dec)} y2={y(dec)} className={dec === 0 ? 'grid-line strong' : 'grid-line'} />
            <text x={-4} y={y(dec) + 4} className="tick" textAnchor="end">
              {dec > 0 ? `+${dec}` : dec}°
            </text>
          </g>
        ))}
        {pointings.map((p) => (
          <g key={`${p.label}-${p.ra}-${p.dec}`} className={`pointing g${p.group % 6}`}>
            <circle cx={x(p.ra)} cy={y(p.dec)} r={3 + Math.sqrt(p.count) * 1.5}>
              <title>
                {p.label}: {p.count} frames
              </title>
            </circle>
            <text x={x(p.ra) + 6 + Math.sqrt(p.count) * 1.5} y={y(p.dec) + 4} className="sky-label">
              {p.label}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}

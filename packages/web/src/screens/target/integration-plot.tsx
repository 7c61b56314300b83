/**
 * Cumulative integration per filter, night by night: one step line per filter in hours, x the
 * observing nights in time order. Hand-drawn SVG like the other plots (components/plots.tsx).
 */
import { useId } from 'react';
import type { TargetDetail } from '../../api/types.js';
import { niceTicks } from '../../components/plots.js';
import { duration } from '../../lib/format.js';

const W = 560;
const H = 220;
const PAD = { left: 46, right: 12, top: 10, bottom: 26 };
/** The sky-map palette (styles.css .g0–.g5), so a filter keeps its colour. */
const COLOURS = ['#7aa7ff', '#5fd08a', '#e8c15a', '#ff9b72', '#c792ea', '#4fd1d9'];
const MS_PER_DAY = 86_400_000;

const nightMs = (night: string) => Date.parse(`${night}T00:00:00Z`);

export function IntegrationPlot({
  series,
  good = false,
}: {
  series: TargetDetail['integration'];
  /** Good frames only. */
  good?: boolean;
}) {
  const id = useId();
  const title = good ? 'Cumulative integration of good frames' : 'Cumulative integration';
  const value = (p: TargetDetail['integration'][number]['points'][number]) =>
    (good ? p.cumulative_good_seconds : p.cumulative_seconds) / 3600;
  const points = series.flatMap((s) => s.points.map((p) => ({ x: nightMs(p.night), y: value(p) })));
  if (points.length === 0)
    return (
      <figure className="plot">
        <figcaption>{title}</figcaption>
        <p className="muted plot-empty">No dated frames.</p>
      </figure>
    );
  let x0 = Math.min(...points.map((p) => p.x));
  let x1 = Math.max(...points.map((p) => p.x));
  if (x0 === x1) [x0, x1] = [x0 - MS_PER_DAY, x1 + MS_PER_DAY];
  const y1 = Math.max(...points.map((p) => p.y), 0.01) * 1.08;
  const sx = (x: number) => PAD.left + ((x - x0) / (x1 - x0)) * (W - PAD.left - PAD.right);
  const sy = (y: number) => H - PAD.bottom - (y / y1) * (H - PAD.top - PAD.bottom);
  // Whole nights only, and none so near the right edge that its date would be cut.
  const dayTicks = niceTicks(x0 / MS_PER_DAY, x1 / MS_PER_DAY, 5)
    .filter((d) => Number.isInteger(d))
    .map((d) => d * MS_PER_DAY)
    .filter((t) => sx(t) <= W - 36);
  const summary = series
    .map((s) => {
      const last = s.points.at(-1);
      const total = last ? (good ? last.cumulative_good_seconds : last.cumulative_seconds) : 0;
      return `${s.filter_name ?? 'no filter'}: ${duration(total)} over ${s.points.length} nights`;
    })
    .join('; ');
  return (
    <figure className="plot">
      <figcaption id={`${id}-t`}>
        {title} <span className="muted">(hours)</span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-t ${id}-d`} preserveAspectRatio="none">
        <title>{title}</title>
        <desc id={`${id}-d`}>{summary}</desc>
        {niceTicks(0, y1, 4).map((t) => (
          <g key={`y${t}`}>
            <line x1={PAD.left} x2={W - PAD.right} y1={sy(t)} y2={sy(t)} className="grid-line" />
            <text x={PAD.left - 6} y={sy(t) + 4} className="tick" textAnchor="end">
              {t}
            </text>
          </g>
        ))}
        {dayTicks.map((t) => (
          <text key={`x${t}`} x={sx(t)} y={H - 8} className="tick" textAnchor="middle">
            {new Date(t).toISOString().slice(0, 10)}
          </text>
        ))}
        {series.map((s, i) => {
          const colour = COLOURS[i % COLOURS.length];
          // A step line: the total holds from one night to the next.
          let path = '';
          let previous = 0;
          for (const p of s.points) {
            const x = sx(nightMs(p.night));
            path +=
              path === '' ? `M${x},${sy(0)} L${x},${sy(value(p))}` : ` L${x},${sy(previous)} L${x},${sy(value(p))}`;
            previous = value(p);
          }
          return (
            <g key={s.filter_name ?? ''} className="integration-series" data-filter={s.filter_name ?? ''}>
              <path d={path} fill="none" stroke={colour} strokeWidth={2} />
              {s.points.map((p) => (
                <circle key={p.night} cx={sx(nightMs(p.night))} cy={sy(value(p))} r={3} fill={colour}>
                  <title>
                    {s.filter_name ?? 'no filter'}, {p.night}: {duration(good ? p.good_seconds : p.seconds)} this night,{' '}
                    {duration(good ? p.cumulative_good_seconds : p.cumulative_seconds)} in all
                  </title>
                </circle>
              ))}
            </g>
          );
        })}
      </svg>
      <ul className="legend">
        {series.map((s, i) => (
          <li key={s.filter_name ?? ''}>
            <span className="legend-swatch" style={{ background: COLOURS[i % COLOURS.length] }} aria-hidden="true" />
            {s.filter_name ?? 'no filter'}
          </li>
        ))}
      </ul>
    </figure>
  );
}

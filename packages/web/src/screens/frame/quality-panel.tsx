/** Why a frame has its score: each weighted component, the comparison set, and the gates. */
import type { ImageDetail } from '../../api/types.js';
import { num } from '../../lib/format.js';
import { QualityBadge } from '../search/columns.js';

interface Component {
  value: number | null;
  weight: number;
  score: number | null;
  median?: number;
  scale?: number;
  z?: number;
}
interface Gate {
  failed: boolean;
  value: number | null;
  limit?: number | null;
}
interface Components {
  mode?: string;
  reason?: string;
  comparables?: number;
  threshold?: number;
  components?: Record<string, Component>;
  gates?: Record<string, Gate>;
  gate_cap?: number;
}

const LABELS: Record<string, string> = {
  fwhm: 'FWHM (seeing)',
  eccentricity: 'Eccentricity (roundness)',
  star_count: 'Star count (transparency)',
  background: 'Background (sky brightness)',
  no_stars: 'No stars detected',
  star_collapse: 'Star count collapsed vs comparable frames',
  trailing: 'Trailed stars',
};

export function QualityPanel({ image }: { image: ImageDetail }) {
  const q = (image.quality_components ?? null) as Components | null;
  return (
    <section className="panel" aria-labelledby="quality-title">
      <h2 id="quality-title">
        Quality <QualityBadge score={image.quality_score} flag={image.quality_flag} />
      </h2>
      {!q && <p className="muted">Not scored (no pixel analysis for this frame).</p>}
      {q && (q.mode === 'calibration' || q.mode === 'unmeasured') && <p className="muted">Not scored: {q.reason}.</p>}
      {q?.components && (
        <>
          <p className="hint">
            {q.mode === 'relative'
              ? `Compared with ${q.comparables} frames of the same target, filter, exposure, binning and camera (robust z-scores).`
              : 'Too few comparable frames: scored against absolute limits.'}{' '}
            Threshold {q.threshold}; a failed gate caps the score at {q.gate_cap}.
          </p>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Component</th>
                <th scope="col" className="right">
                  Value
                </th>
                <th scope="col" className="right">
                  Typical
                </th>
                <th scope="col" className="right">
                  Weight
                </th>
                <th scope="col" className="right">
                  Score
                </th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(q.components).map(([name, c]) => (
                <tr key={name}>
                  <td>{LABELS[name] ?? name}</td>
                  <td className="right">{num(c.value, 2)}</td>
                  <td className="right">{c.median === undefined ? '–' : num(c.median, 2)}</td>
                  <td className="right">{Math.round(c.weight * 100)}%</td>
                  <td className="right">
                    <span className="bar" style={{ '--v': `${c.score ?? 0}%` } as React.CSSProperties}>
                      {num(c.score, 0)}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {q.gates && (
            <ul className="gates">
              {Object.entries(q.gates).map(([name, g]) => (
                <li key={name} className={g.failed ? 'gate-failed' : 'gate-ok'}>
                  <span aria-hidden="true">{g.failed ? '✗' : '✓'}</span> {LABELS[name] ?? name}
                  {g.failed ? ' — failed' : ' — passed'}
                  {g.value !== null && g.value !== undefined && ` (value ${num(g.value, 2)}`}
                  {g.limit !== null && g.limit !== undefined && `, limit ${num(g.limit, 2)}`}
                  {g.value !== null && g.value !== undefined && ')'}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

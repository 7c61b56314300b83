/**
 * Which lights of a night have no calibration: the lights are grouped by setup (camera, binning,
 * gain, offset, filter, exposure, sensor temperature to the degree, rotator angle), and the
 * calibration of one light per setup is asked for (GET /api/images/{id}/calibration), so a night of
 * a thousand frames costs a request per setup, not per frame.
 */
import { api } from '../../api/endpoints.js';
import type { CalibrationKind, CalibrationReport, ImageItem } from '../../api/types.js';
import { ErrorNote, Spinner } from '../../components/status.js';
import { DASH, int, num } from '../../lib/format.js';
import { Link } from '../../lib/router.js';
import { useApi } from '../../lib/use-api.js';

/** Setups checked per night; a night with more says so. */
const MAX_SETUPS = 24;
const KINDS: Array<[CalibrationKind, string]> = [
  ['bias', 'Bias'],
  ['dark', 'Darks'],
  ['flat', 'Flats'],
];

/** The fields of a night's frames that the grouping reads. */
export const CALIBRATION_FIELDS = 'camera,xbinning,ybinning,gain,offset,rotator_angle_deg';

interface Setup {
  key: string;
  lights: ImageItem[];
}

function setupsOf(lights: ImageItem[]): Setup[] {
  const map = new Map<string, Setup>();
  for (const i of lights) {
    const key = JSON.stringify([
      i.camera?.toLowerCase() ?? null,
      i.xbinning ?? 1,
      i.ybinning ?? 1,
      i.gain ?? null,
      i.offset ?? null,
      i.filter_name?.toLowerCase() ?? null,
      i.exptime ?? null,
      i.ccd_temp === null || i.ccd_temp === undefined ? null : Math.round(i.ccd_temp),
      i.rotator_angle_deg === null || i.rotator_angle_deg === undefined ? null : Math.round(i.rotator_angle_deg),
    ]);
    const setup = map.get(key);
    if (setup) setup.lights.push(i);
    else map.set(key, { key, lights: [i] });
  }
  return [...map.values()].sort((a, b) => b.lights.length - a.lights.length);
}

const complete = (r: CalibrationReport) => KINDS.every(([kind]) => r.kinds[kind].matches.length > 0);

export function CalibrationCheck({ lights }: { lights: ImageItem[] }) {
  const setups = setupsOf(lights);
  const checked = setups.slice(0, MAX_SETUPS);
  const { data, error, reload } = useApi(
    (signal) => Promise.all(checked.map((s) => api.calibration((s.lights[0] as ImageItem).id, signal))),
    [checked.map((s) => s.key).join('|')],
  );
  const uncalibrated = data
    ? checked.reduce((n, s, index) => n + (complete(data[index] as CalibrationReport) ? 0 : s.lights.length), 0)
    : 0;
  return (
    <section className="panel calibration-check" aria-labelledby="night-calibration-title">
      <h2 id="night-calibration-title">Calibration</h2>
      {lights.length === 0 && <p className="muted">No light frames this night.</p>}
      {error && <ErrorNote error={error} retry={reload} />}
      {lights.length > 0 && !data && !error && <Spinner label="Matching calibration frames…" />}
      {data && (
        <>
          <p className={uncalibrated > 0 ? 'callout callout-error' : 'muted'} data-uncalibrated={uncalibrated}>
            {uncalibrated > 0
              ? `${int(uncalibrated)} of ${int(lights.length)} lights lack bias, dark or flat frames.`
              : `Every light has bias, dark and flat frames.`}
          </p>
          <div className="table-scroll">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Setup (first light)</th>
                  <th scope="col" className="right">
                    Lights
                  </th>
                  {KINDS.map(([kind, label]) => (
                    <th key={kind} scope="col">
                      {label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {checked.map((s, index) => {
                  const first = s.lights[0] as ImageItem;
                  const report = data[index] as CalibrationReport;
                  return (
                    <tr key={s.key} className={complete(report) ? '' : 'uncalibrated'}>
                      <td>
                        <Link href={`/images/${first.id}`}>
                          {first.filter_name ?? 'no filter'} · {num(first.exptime, 0)} s ·{' '}
                          {first.ccd_temp === null || first.ccd_temp === undefined
                            ? DASH
                            : `${num(first.ccd_temp, 0)} °C`}{' '}
                          · {first.xbinning ?? 1}×{first.ybinning ?? 1}
                        </Link>
                      </td>
                      <td className="right num">{int(s.lights.length)}</td>
                      {KINDS.map(([kind]) => {
                        const found = report.kinds[kind].matches.length;
                        return (
                          <td key={kind}>
                            {found > 0 ? (
                              <span className="badge badge-good">{found} found</span>
                            ) : (
                              <span className="badge badge-poor" title={report.kinds[kind].missing ?? undefined}>
                                missing
                              </span>
                            )}
                          </td>
                        );
                      })}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {setups.length > checked.length && (
            <p className="hint">
              The first {checked.length} of {setups.length} setups are checked; a frame's own page shows its
              calibration.
            </p>
          )}
        </>
      )}
    </section>
  );
}

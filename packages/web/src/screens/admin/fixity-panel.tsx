/** The fixity check (GET /api/admin/fixity): its last run, and every file that is not as catalogued. */
import { api } from '../../api/endpoints.js';
import type { FixityProblem } from '../../api/types.js';
import { ErrorNote, Spinner } from '../../components/status.js';
import { utc } from '../../lib/format.js';
import { useApi } from '../../lib/use-api.js';

const PROBLEM_WORDS: Record<FixityProblem['problem'], string> = {
  changed: 'changed',
  missing: 'missing',
  unreadable: 'unreadable',
  checksum_bad: 'bad FITS checksum',
};

export function FixityPanel({ refreshKey }: { refreshKey: number }) {
  const fixity = useApi(() => api.fixity(), [refreshKey]);
  const summary = fixity.data?.summary;
  const last = summary?.last_run;
  const items = fixity.data?.items ?? [];
  return (
    <section className="panel" aria-labelledby="fixity-title">
      <div className="panel-head">
        <h2 id="fixity-title">Fixity</h2>
        {summary && (
          <span className="muted">
            {summary.every_days > 0
              ? `every file is read again within ${summary.every_days} days`
              : 'the background check is off (AIMS_FIXITY_DAYS=0)'}
          </span>
        )}
      </div>
      {fixity.error && <ErrorNote error={fixity.error} retry={fixity.reload} />}
      {!fixity.data && !fixity.error && <Spinner />}
      {summary && (
        <p data-testid="fixity-last-run">
          {last
            ? `Last run (${last.source === 'cli' ? 'aims verify' : 'background'}) ${utc(last.finished_at)}: ` +
              `${last.files} files read, ${last.ok} as catalogued, ${last.changed} changed, ${last.missing} missing, ` +
              `${last.unreadable} unreadable.`
            : 'No run yet: the first background check starts a minute after the server, or run `aims verify`.'}
        </p>
      )}
      {fixity.data && items.length === 0 && <p className="muted">Every file is as it was catalogued.</p>}
      {items.length > 0 && (
        <div className="scroll">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Problem</th>
                <th scope="col">File</th>
                <th scope="col">What was found</th>
                <th scope="col">Checked</th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={`${p.problem}-${p.file_path}`}>
                  <td>
                    <span className="badge badge-poor">{PROBLEM_WORDS[p.problem]}</span>
                  </td>
                  <td className="mono small">
                    <a href={`/images/${p.image_id}`}>{p.file_path}</a>
                    {p.path === 'copy' && <span className="badge">copy</span>}
                  </td>
                  <td className="small">{p.reason}</td>
                  <td className="num">{p.verified_at ? utc(p.verified_at) : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

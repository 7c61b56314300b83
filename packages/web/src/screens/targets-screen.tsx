/**
 * Targets: every object observed, with its integration time per filter, good frames, nights and
 * dates; sortable, searchable, and as CSV. The sort and the search live in the URL.
 */
import { useState } from 'react';
import { api, targetsCsvUrl } from '../api/endpoints.js';
import type { Target, TargetSort } from '../api/types.js';
import { Empty, ErrorNote, Spinner } from '../components/status.js';
import { formatDec, formatRa } from '../lib/angles.js';
import { DASH, duration, int, utc } from '../lib/format.js';
import { Link, navigate } from '../lib/router.js';
import { useApi } from '../lib/use-api.js';

const PAGE = 200;

const COLUMNS: Array<[TargetSort | null, string, boolean]> = [
  ['name', 'Target', false],
  [null, 'Position', false],
  ['integration_seconds', 'Integration', true],
  ['good_integration_seconds', 'Good integration', true],
  ['good_frames', 'Good / frames', true],
  ['nights', 'Nights', true],
  [null, 'Per filter', false],
  ['last_date_obs', 'Last observed', false],
];

function readParams(search: string): { sort: TargetSort; order: 'asc' | 'desc'; q: string } {
  const params = new URLSearchParams(search);
  const sort = (params.get('sort') as TargetSort | null) ?? 'last_date_obs';
  const order = params.get('order') === 'asc' || params.get('order') === 'desc' ? params.get('order') : null;
  return {
    sort,
    order: (order as 'asc' | 'desc' | null) ?? (sort === 'name' ? 'asc' : 'desc'),
    q: params.get('q') ?? '',
  };
}

function go(params: { sort: TargetSort; order: 'asc' | 'desc'; q: string }) {
  const p = new URLSearchParams({ sort: params.sort, order: params.order });
  if (params.q) p.set('q', params.q);
  navigate(`/targets?${p}`, { replace: true });
}

function FilterTotals({ target }: { target: Target }) {
  return (
    <span className="filter-totals">
      {target.filters.map((f) => (
        <span key={f.filter_name ?? ''} className="badge" title={`${f.frames} frames, ${f.good_frames} good`}>
          {f.filter_name ?? 'no filter'} {duration(f.integration_seconds)}
        </span>
      ))}
    </span>
  );
}

export default function TargetsScreen({ search }: { search: string }) {
  const { sort, order, q } = readParams(search);
  const [draft, setDraft] = useState(q);
  const { data, error, reload } = useApi(
    (signal) => api.targets({ sort, order, q: q || undefined, limit: PAGE }, signal),
    [sort, order, q],
  );
  const header = (column: TargetSort | null, label: string, numeric: boolean) => {
    const cls = numeric ? 'right' : undefined;
    if (!column)
      return (
        <th key={label} scope="col" className={cls}>
          {label}
        </th>
      );
    const active = column === sort;
    const next = active ? (order === 'asc' ? 'desc' : 'asc') : column === 'name' ? 'asc' : 'desc';
    return (
      <th
        key={label}
        scope="col"
        className={cls}
        aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : undefined}
      >
        <button type="button" className="sort-button" onClick={() => go({ sort: column, order: next, q })}>
          {label}
          {active && <span aria-hidden="true">{order === 'asc' ? ' ▲' : ' ▼'}</span>}
        </button>
      </th>
    );
  };
  return (
    <div className="page targets-page">
      <div className="page-head">
        <h1>Targets</h1>
        {data && <span className="muted">{int(data.total)} objects observed</span>}
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            go({ sort, order, q: draft.trim() });
          }}
        >
          <label htmlFor="target-search">Find a target</label>
          <input
            id="target-search"
            type="search"
            value={draft}
            placeholder="M 13, NGC 6946…"
            onChange={(event) => setDraft(event.target.value)}
          />
          <button type="submit" className="btn btn-small">
            Find
          </button>
        </form>
        <a className="btn btn-small" href={targetsCsvUrl({ sort, order, ...(q ? { q } : {}) })} download>
          CSV
        </a>
      </div>
      {error && <ErrorNote error={error} retry={reload} />}
      {!data && !error && <Spinner label="Adding up the integration time…" />}
      {data && data.total === 0 && (
        <Empty title={q ? `No target matches “${q}”.` : 'No light frames with an object name yet.'} />
      )}
      {data && data.total > 0 && (
        <section className="panel table-scroll" aria-label="Targets">
          <table className="data targets-table">
            <thead>
              <tr>{COLUMNS.map(([column, label, numeric]) => header(column, label, numeric))}</tr>
            </thead>
            <tbody>
              {data.items.map((t) => (
                <tr key={t.key} data-key={t.key}>
                  <td>
                    <Link href={`/targets/${encodeURIComponent(t.key)}`}>{t.name}</Link>
                  </td>
                  <td className="mono small">
                    {t.ra_deg === null ? DASH : `${formatRa(t.ra_deg, 0)} ${formatDec(t.dec_deg, 0)}`}
                  </td>
                  <td className="right num">{duration(t.integration_seconds)}</td>
                  <td className="right num">{duration(t.good_integration_seconds)}</td>
                  <td className="right num">
                    {int(t.good_frames)} / {int(t.frames)}
                  </td>
                  <td className="right num">{int(t.nights)}</td>
                  <td>
                    <FilterTotals target={t} />
                  </td>
                  <td className="small">{utc(t.last_date_obs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.total > data.items.length && (
            <p className="hint">
              Showing {data.items.length} of {data.total}; narrow with “Find a target”, or take the CSV for all.
            </p>
          )}
        </section>
      )}
    </div>
  );
}

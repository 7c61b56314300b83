/**
 * Search: filters on the left (all of them in the URL), results on the right as a virtualized
 * table or a grid of previews, selection → ZIP download for accounts allowed to download.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { queryString } from '../api/client.js';
import { api } from '../api/endpoints.js';
import type { ImageFilters, ImageItem } from '../api/types.js';
import { Empty, ErrorNote, Spinner } from '../components/status.js';
import { rememberBrowse } from '../lib/browse.js';
import { suggestedKeywords } from '../lib/header-conditions.js';
import { navigate } from '../lib/router.js';
import { activeFilterCount, formatSearch, parseSearch, queryFilters, type SearchState } from '../lib/search-params.js';
import { useApi } from '../lib/use-api.js';
import { type FrameEvent, useEvents } from '../lib/use-events.js';
import { ColumnPicker } from './search/column-picker.js';
import { loadColumnChoice, saveColumnChoice } from './search/columns.js';
import { DownloadBar } from './search/download-bar.js';
import { FilterPanel } from './search/filter-panel.js';
import { usePagedResults } from './search/paged-results.js';
import { ResultsGrid } from './search/results-grid.js';
import { ResultsTable } from './search/results-table.js';

interface Props {
  search: string;
  canDownload: boolean;
  isAdmin: boolean;
}

function NoFramesYet({ isAdmin }: { isAdmin: boolean }) {
  const ledger = useApi(() => (isAdmin ? api.ledger({ limit: 1 }) : Promise.resolve(null)), [isAdmin]);
  const dirs = ledger.data?.image_dirs ?? [];
  return (
    <Empty title="No frames in the catalog yet.">
      {isAdmin ? (
        <>
          <p>
            Put FITS files (.fits, .fit, .fts, optionally .gz or fpacked .fz) into a watched folder; AIMS ingests them
            as they appear.
          </p>
          {dirs.length > 0 ? (
            <ul className="paths">
              {dirs.map((d) => (
                <li key={d}>
                  <code>{d}</code>
                </li>
              ))}
            </ul>
          ) : (
            <p>
              No image folder is configured: start the server with <code>--images DIR</code> or set{' '}
              <code>AIMS_IMAGE_DIR</code>.
            </p>
          )}
          <p>
            Or ingest a folder once with <code>npx aims ingest DIR</code>. Progress shows on the{' '}
            <a href="/admin">Admin</a> page.
          </p>
        </>
      ) : (
        <p>
          Frames appear here once the observatory's folders are ingested. Ask an administrator if you expected some.
        </p>
      )}
    </Empty>
  );
}

export function SearchScreen({ search, canDownload, isAdmin }: Props) {
  const state = useMemo(() => parseSearch(search), [search]);
  const apiFilters = useMemo(() => queryFilters(state.filters), [state.filters]);
  const [refresh, setRefresh] = useState(0);
  const [arrived, setArrived] = useState(0);
  const results = usePagedResults(apiFilters, state.sort, refresh);
  // New frames do not reshuffle the table under the user's eyes: a button offers them.
  useEvents(
    useCallback((frame: FrameEvent) => {
      if (!frame.duplicate) setArrived((n) => n + 1);
    }, []),
  );
  const showArrived = useCallback(() => {
    setArrived(0);
    setRefresh((r) => r + 1);
  }, []);
  // An empty catalog fills in by itself as the first frames arrive.
  useEffect(() => {
    if (arrived > 0 && results.total === 0) showArrived();
  }, [arrived, results.total, showArrived]);
  const facetFilters = useMemo(() => {
    // Counts per filter, object, camera… under the other filters (not under themselves, else a
    // chosen chip would hide every other choice).
    const { filter_name: _f, object: _o, image_type: _t, camera: _c, telescope: _s, night: _n, ...rest } = apiFilters;
    return rest;
  }, [apiFilters]);
  const facets = useApi((signal) => api.facets(facetFilters, signal), [JSON.stringify(facetFilters), refresh]);
  // Suggestions only: without them (an older server, an error) the panel offers common keywords.
  const keywords = useApi((signal) => api.keywords(signal), [refresh]);
  const [columns, setColumns] = useState(loadColumnChoice);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());

  const go = useCallback((next: SearchState) => navigate(`/${formatSearch(next)}`, { replace: true }), []);
  const setFilters = useCallback(
    (filters: ImageFilters) => {
      setSelected(new Set());
      go({ ...state, filters });
    },
    [go, state],
  );
  const toggle = useCallback((id: number, _row: ImageItem) => {
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);

  // Frames opened from here can step through these results.
  const { loadedRows, version: resultsVersion, total: resultsTotal } = results;
  useEffect(() => {
    if (resultsTotal !== undefined && resultsVersion > 0)
      rememberBrowse(
        search,
        loadedRows().map((r) => r.id),
      );
  }, [loadedRows, resultsVersion, resultsTotal, search]);

  const total = results.total;
  const moreThan = results.moreThan;
  const filterCount = activeFilterCount(state.filters);
  const exportQuery = queryString({
    ...(apiFilters as Record<string, string | number>),
    sort: state.sort,
    format: 'csv',
  });

  let body: React.ReactNode;
  if (results.error) body = <ErrorNote error={results.error} />;
  else if (total === undefined) body = <Spinner label="Searching…" />;
  else if (total === 0 && filterCount === 0) body = <NoFramesYet isAdmin={isAdmin} />;
  else if (total === 0)
    body = (
      <Empty title="No frame matches these filters.">
        <p>Loosen a filter, or</p>
        <button type="button" className="btn" onClick={() => setFilters({})}>
          Clear all filters
        </button>
      </Empty>
    );
  else if (state.view === 'grid')
    body = <ResultsGrid results={results} selected={selected} onToggle={toggle} selectable={canDownload} />;
  else
    body = (
      <ResultsTable
        results={results}
        columnKeys={columns}
        sort={state.sort}
        onSort={(sort) => go({ ...state, sort })}
        selected={selected}
        onToggle={toggle}
        selectable={canDownload}
      />
    );

  return (
    <div className="search-layout">
      <aside className="sidebar">
        <div className="sidebar-head">
          <h2>Filters</h2>
          {filterCount > 0 && (
            <button type="button" className="link-button" onClick={() => setFilters({})}>
              Clear {filterCount}
            </button>
          )}
        </div>
        {facets.error && <ErrorNote error={facets.error} retry={facets.reload} />}
        <FilterPanel
          filters={state.filters}
          facets={facets.data}
          keywords={suggestedKeywords(keywords.data)}
          onChange={setFilters}
        />
      </aside>
      <section className="results" aria-labelledby="results-title">
        <div className="toolbar">
          <h1 id="results-title" className="results-count" aria-live="polite">
            {total === undefined
              ? 'Searching…'
              : moreThan !== undefined
                ? `More than ${moreThan.toLocaleString('en-US')} frames`
                : `${total.toLocaleString('en-US')} frame${total === 1 ? '' : 's'}`}
          </h1>
          <fieldset className="segmented">
            <legend className="visually-hidden">View</legend>
            <button type="button" aria-pressed={state.view === 'table'} onClick={() => go({ ...state, view: 'table' })}>
              Table
            </button>
            <button type="button" aria-pressed={state.view === 'grid'} onClick={() => go({ ...state, view: 'grid' })}>
              Grid
            </button>
          </fieldset>
          {state.view === 'table' && (
            <ColumnPicker
              value={columns}
              onChange={(keys) => {
                setColumns(keys);
                saveColumnChoice(keys);
              }}
            />
          )}
          <a className="btn btn-small" href={`/api/images${exportQuery}`} download>
            Export CSV
          </a>
          {arrived > 0 && (
            <button type="button" className="btn btn-small btn-live" onClick={showArrived}>
              {arrived} new frame{arrived === 1 ? '' : 's'} — show
            </button>
          )}
          <span className="spacer" />
          {canDownload && (
            <DownloadBar
              selectedIds={[...selected]}
              filters={apiFilters}
              total={total ?? 0}
              moreThan={moreThan}
              onClear={() => setSelected(new Set())}
            />
          )}
        </div>
        {body}
      </section>
    </div>
  );
}

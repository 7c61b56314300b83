/** The results as a virtualized, sortable table with a selection column. */
import { type KeyboardEvent, useCallback, useMemo } from 'react';
import type { ImageItem } from '../../api/types.js';
import { VirtualList } from '../../components/virtual-list.js';
import { Link, navigate } from '../../lib/router.js';
import { COLUMNS, type Column, parseSort } from './columns.js';
import type { PagedResults } from './paged-results.js';

export const ROW_HEIGHT = 36;

interface Props {
  results: PagedResults;
  columnKeys: string[];
  sort: string;
  onSort(sort: string): void;
  selected: ReadonlySet<number>;
  onToggle(id: number, row: ImageItem): void;
  selectable: boolean;
}

export function ResultsTable({ results, columnKeys, sort, onSort, selected, onToggle, selectable }: Props) {
  const columns = useMemo(
    () => columnKeys.map((k) => COLUMNS.find((c) => c.key === k)).filter((c): c is Column => c !== undefined),
    [columnKeys],
  );
  const template = `${selectable ? '32px ' : ''}${columns.map((c) => `${c.width}px`).join(' ')}`;
  const width = (selectable ? 32 : 0) + columns.reduce((s, c) => s + c.width, 0);
  const current = parseSort(sort);
  const total = results.total ?? 0;

  const header = (
    <div className="trow thead" style={{ gridTemplateColumns: template, width }} role="row">
      {selectable && <span role="columnheader" className="tcell" aria-label="Selected" />}
      {columns.map((c) => {
        const active = current.key === c.sort;
        const ariaSort = active ? (current.desc ? 'descending' : 'ascending') : c.sort ? 'none' : undefined;
        return (
          <span
            key={c.key}
            role="columnheader"
            aria-sort={ariaSort}
            className={`tcell ${c.align === 'right' ? 'right' : ''}`}
          >
            {c.sort ? (
              <button
                type="button"
                className="sort-button"
                onClick={() => onSort(active && !current.desc ? `-${c.sort}` : active ? c.sort! : `-${c.sort}`)}
                title={`Sort by ${c.label}`}
              >
                {c.label}
                <span aria-hidden="true" className="sort-mark">
                  {active ? (current.desc ? '▼' : '▲') : ''}
                </span>
              </button>
            ) : (
              c.label
            )}
          </span>
        );
      })}
    </div>
  );

  const { rowAt, ensure } = results;
  // biome-ignore lint/correctness/useExhaustiveDependencies: results.version makes rows re-render when pages arrive.
  const renderRow = useCallback(
    (index: number, style: React.CSSProperties) => {
      const row = rowAt(index);
      if (!row)
        return (
          <div
            key={index}
            className="trow loading-row"
            style={{ ...style, width }}
            role="row"
            aria-rowindex={index + 2}
          >
            <span className="tcell muted">…</span>
          </div>
        );
      const open = () => navigate(`/images/${row.id}`);
      const onKey = (event: KeyboardEvent) => {
        if (event.key === 'Enter' && event.target === event.currentTarget) open();
        if (event.key === ' ' && selectable && event.target === event.currentTarget) {
          event.preventDefault();
          onToggle(row.id, row);
        }
      };
      const isSelected = selected.has(row.id);
      return (
        <div
          key={row.id}
          className={`trow ${isSelected ? 'selected' : ''} ${row.quality_flag === false && row.quality_score !== null && row.quality_score !== undefined ? 'below' : ''}`}
          style={{ ...style, gridTemplateColumns: template, width }}
          role="row"
          aria-rowindex={index + 2}
          aria-selected={selectable ? isSelected : undefined}
          tabIndex={-1}
          onKeyDown={onKey}
          onDoubleClick={open}
          data-id={row.id}
        >
          {selectable && (
            <span className="tcell" role="cell">
              <input
                type="checkbox"
                checked={isSelected}
                onChange={() => onToggle(row.id, row)}
                aria-label={`Select ${row.file_name ?? `image ${row.id}`}`}
              />
            </span>
          )}
          {columns.map((c, i) => (
            <span key={c.key} role="cell" className={`tcell ${c.align === 'right' ? 'right num' : ''}`}>
              {i === 1 || (i === 0 && c.key !== 'thumb') ? (
                <Link href={`/images/${row.id}`} className="row-link">
                  {c.render(row)}
                </Link>
              ) : (
                c.render(row)
              )}
            </span>
          ))}
        </div>
      );
    },
    [rowAt, columns, template, width, selected, onToggle, selectable, results.version],
  );

  // Arrow keys move between rows (focus stays on the row's link), scrolling the row into view.
  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLDivElement>) => {
      const step = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 }[event.key];
      const row = (event.target as HTMLElement).closest<HTMLElement>('[aria-rowindex]');
      if (step === undefined || !row) return;
      event.preventDefault();
      const next = Math.min(total - 1, Math.max(0, Number(row.getAttribute('aria-rowindex')) - 2 + step));
      const scroller = event.currentTarget;
      const top = next * ROW_HEIGHT;
      const headerHeight = 30;
      if (top < scroller.scrollTop) scroller.scrollTop = top;
      else if (top + ROW_HEIGHT > scroller.scrollTop + scroller.clientHeight - headerHeight)
        scroller.scrollTop = top + ROW_HEIGHT - scroller.clientHeight + headerHeight;
      const focus = (tries: number) => {
        const link = scroller.querySelector<HTMLElement>(`[aria-rowindex="${next + 2}"] a`);
        if (link) link.focus();
        else if (tries > 0) requestAnimationFrame(() => focus(tries - 1));
      };
      focus(10);
    },
    [total],
  );

  return (
    <VirtualList
      onKeyDown={onKeyDown}
      className="results-table"
      label="Search results"
      role="table"
      ariaRowCount={total + 1}
      count={total}
      rowHeight={ROW_HEIGHT}
      header={header}
      renderRow={renderRow}
      onRangeChange={ensure}
    />
  );
}

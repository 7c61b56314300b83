// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ImageItem } from '../src/api/types.js';
import type { PagedResults } from '../src/screens/search/paged-results.js';
import { ResultsTable } from '../src/screens/search/results-table.js';

afterEach(cleanup);

function results(total: number, loaded: number) {
  const rows: ImageItem[] = Array.from({ length: loaded }, (_, i) => ({
    id: i + 1,
    file_name: `frame_${String(i + 1).padStart(4, '0')}.fits`,
    date_obs: `2024-05-01T21:${String(i % 60).padStart(2, '0')}:00Z`,
    object_name: i % 2 ? 'M 13' : 'AD Leo',
    quality_score: 50 + (i % 50),
    quality_flag: i % 50 >= 10,
  }));
  return {
    total,
    moreThan: undefined,
    error: undefined,
    version: 1,
    rowAt: (i) => rows[i],
    ensure: vi.fn<(start: number, end: number) => void>(),
    loadedRows: () => rows,
  } satisfies PagedResults;
}

describe('ResultsTable', () => {
  it('renders the rows in view, placeholders for pages still loading, and asks for them', () => {
    const r = results(10_000, 5);
    render(
      <ResultsTable
        results={r}
        columnKeys={['date_obs', 'object_name', 'quality_score', 'file_name']}
        sort="-date_obs"
        onSort={() => {}}
        selected={new Set()}
        onToggle={() => {}}
        selectable={false}
      />,
    );
    const table = screen.getByRole('table', { name: 'Search results' });
    expect(table.getAttribute('aria-rowcount')).toBe('10001');
    expect(screen.getAllByRole('row').filter((row) => row.dataset.id).length).toBe(5);
    // 600 px of view / 36 px rows + overscan: rows 0–25 are asked for.
    expect(r.ensure).toHaveBeenLastCalledWith(0, 25);
    expect(screen.getAllByText('…').length).toBe(20);
  });

  it('sorts by a column: descending first, then ascending', () => {
    const onSort = vi.fn();
    const { rerender } = render(
      <ResultsTable
        results={results(3, 3)}
        columnKeys={['date_obs', 'quality_score']}
        sort="-date_obs"
        onSort={onSort}
        selected={new Set()}
        onToggle={() => {}}
        selectable={false}
      />,
    );
    const header = screen.getByRole('columnheader', { name: /Date \(UTC\)/ });
    expect(header.getAttribute('aria-sort')).toBe('descending');
    fireEvent.click(within(header).getByRole('button'));
    expect(onSort).toHaveBeenLastCalledWith('date_obs');
    fireEvent.click(screen.getByRole('button', { name: /Quality/ }));
    expect(onSort).toHaveBeenLastCalledWith('-quality_score');
    rerender(
      <ResultsTable
        results={results(3, 3)}
        columnKeys={['date_obs', 'quality_score']}
        sort="-quality_score"
        onSort={onSort}
        selected={new Set()}
        onToggle={() => {}}
        selectable={false}
      />,
    );
    expect(screen.getByRole('columnheader', { name: /Quality/ }).getAttribute('aria-sort')).toBe('descending');
    expect(screen.getByRole('columnheader', { name: /Date/ }).getAttribute('aria-sort')).toBe('none');
  });

  it('moves between rows with the arrow keys and selects with checkboxes', () => {
    const onToggle = vi.fn();
    render(
      <ResultsTable
        results={results(50, 50)}
        columnKeys={['date_obs', 'file_name']}
        sort="-date_obs"
        onSort={() => {}}
        selected={new Set([2])}
        onToggle={onToggle}
        selectable
      />,
    );
    const first = screen.getByRole('link', { name: '2024-05-01 21:00:00' });
    first.focus();
    fireEvent.keyDown(first, { key: 'ArrowDown' });
    expect(document.activeElement?.textContent).toBe('2024-05-01 21:01:00');
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(first);

    const second = screen.getByRole('checkbox', { name: 'Select frame_0002.fits' }) as HTMLInputElement;
    expect(second.checked).toBe(true);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select frame_0003.fits' }));
    expect(onToggle).toHaveBeenCalledWith(3, expect.objectContaining({ id: 3 }));
  });
});

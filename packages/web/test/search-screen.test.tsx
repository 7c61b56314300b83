// @vitest-environment jsdom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SearchScreen } from '../src/screens/search-screen.js';
import { EMPTY_FACETS } from './support/facets.js';

function fakeApi(routes: Record<string, unknown>) {
  const urls: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      const url = String(input);
      urls.push(url);
      const path = url.split('?')[0]!;
      const body = routes[path];
      if (body === undefined) return new Response(JSON.stringify({ message: `no route ${path}` }), { status: 404 });
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    }),
  );
  return urls;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('search empty states', () => {
  it('tells an admin of an empty catalog where to put files', async () => {
    fakeApi({
      '/api/images': { total: 0, items: [], next_cursor: null },
      '/api/images/facets': EMPTY_FACETS,
      '/api/admin/ingest': { total: 0, counts: {}, items: [], image_dirs: ['/srv/camera/raw'] },
    });
    render(<SearchScreen search="" canDownload isAdmin />);
    const empty = (await screen.findByText('No frames in the catalog yet.')).closest('.state-empty');
    // The watched folders arrive with a second request: the empty state names them once it has.
    await waitFor(() => expect(empty?.textContent).toContain('/srv/camera/raw'));
    expect(empty?.textContent).toContain('npx aims ingest DIR');
  });

  it('tells a user whose filters match nothing how to get results back, and sends the filters', async () => {
    const urls = fakeApi({
      '/api/images': { total: 0, items: [], next_cursor: null },
      '/api/images/facets': EMPTY_FACETS,
    });
    render(<SearchScreen search="?filter_name=OIII&min_temp=-30&ra=10" canDownload={false} isAdmin={false} />);
    const empty = (await screen.findByText('No frame matches these filters.')).closest('.state-empty');
    expect(empty?.querySelector('button')?.textContent).toBe('Clear all filters');
    const search = new URL(urls.find((u) => u.startsWith('/api/images?'))!, 'http://x').searchParams;
    expect(search.get('filter_name')).toBe('OIII');
    expect(search.get('min_temp')).toBe('-30');
    // A cone without Dec and radius is not sent.
    expect(search.has('ra')).toBe(false);
    expect(search.get('fields')).toContain('quality_score');
    // Nobody without download permission sees a download button.
    expect(screen.queryByRole('button', { name: /Download/ })).toBeNull();
  });

  it('says what went wrong when the search is refused', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(
            JSON.stringify({
              error: 'Bad Request',
              message: 'start_time must be a time HH:MM',
              parameter: 'start_time',
            }),
            {
              status: 400,
              headers: { 'content-type': 'application/json' },
            },
          ),
      ),
    );
    render(<SearchScreen search="" canDownload isAdmin={false} />);
    const alerts = await screen.findAllByRole('alert');
    expect(
      alerts.some((a) => a.textContent?.includes('The request was refused: start_time must be a time HH:MM.')),
    ).toBe(true);
  });
});

describe('a bounded total', () => {
  it('says "more than 10,000" when the server stopped counting, and offers them all for download', async () => {
    const items = Array.from({ length: 200 }, (_, i) => ({ id: i + 1, file_name: `f${i}.fits` }));
    fakeApi({
      '/api/images': { total: 10_000, total_exact: false, items, next_cursor: null },
      '/api/images/facets': EMPTY_FACETS,
    });
    render(<SearchScreen search="?min_quality=50" canDownload isAdmin={false} />);
    expect(await screen.findByRole('heading', { name: 'More than 10,000 frames' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Download all more than 10,000 as ZIP' })).toBeTruthy();
  });

  it('shows an exact total as it is', async () => {
    fakeApi({
      '/api/images': { total: 2, total_exact: true, items: [{ id: 1 }, { id: 2 }], next_cursor: null },
      '/api/images/facets': EMPTY_FACETS,
    });
    render(<SearchScreen search="?min_quality=50" canDownload isAdmin={false} />);
    expect(await screen.findByRole('heading', { name: '2 frames' })).toBeTruthy();
  });
});

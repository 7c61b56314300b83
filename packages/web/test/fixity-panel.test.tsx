// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FixityPanel as FixityPanelData } from '../src/api/types.js';
import { FixityPanel } from '../src/screens/admin/fixity-panel.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function answer(body: FixityPanelData) {
  vi.stubGlobal(
    'fetch',
    vi.fn(
      async () => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } }),
    ),
  );
}

const COUNTS = { changed: 1, missing: 0, unreadable: 0, checksum_bad: 1 };

describe('the fixity panel', () => {
  it('shows the last run and one row per problem, linked to the frame', async () => {
    answer({
      summary: {
        every_days: 30,
        last_run: { source: 'server', finished_at: '2026-12-03T12:00:00.000Z', files: 40, ok: 39, ...COUNTS },
        problems: COUNTS,
      },
      items: [
        {
          image_id: 7,
          file_path: '/data/night/m13.fits',
          path: 'primary',
          problem: 'changed',
          reason: 'SHA-256 is 00…, not ff…',
          verified_at: '2026-12-03T12:00:00.000Z',
        },
        {
          image_id: 9,
          file_path: '/data/night/bad.fits',
          path: 'primary',
          problem: 'checksum_bad',
          reason: 'HDU 0 data sums to 1, DATASUM says 2',
          verified_at: null,
        },
      ],
    });
    render(<FixityPanel refreshKey={0} />);
    expect((await screen.findByTestId('fixity-last-run')).textContent).toMatch(
      /background.*40 files read, 39 as catalogued, 1 changed, 0 missing, 0 unreadable/,
    );
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell')[0]!.textContent)).toEqual(['changed', 'bad FITS checksum']);
    expect(within(rows[0]!).getByRole('link').getAttribute('href')).toBe('/images/7');
  });

  it('says so when every file is as catalogued, and when the check is off', async () => {
    answer({
      summary: { every_days: 0, last_run: null, problems: { changed: 0, missing: 0, unreadable: 0, checksum_bad: 0 } },
      items: [],
    });
    render(<FixityPanel refreshKey={0} />);
    expect(await screen.findByText('Every file is as it was catalogued.')).toBeTruthy();
    expect(screen.getByText(/background check is off/)).toBeTruthy();
    expect(screen.getByTestId('fixity-last-run').textContent).toMatch(/No run yet/);
  });
});

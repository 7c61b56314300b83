// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Facets, ImageDetail } from '../src/api/types.js';
import { niceTicks, SeriesPlot, SkyMap } from '../src/components/plots.js';
import { VirtualList } from '../src/components/virtual-list.js';
import { QualityPanel } from '../src/screens/frame/quality-panel.js';
import { FilterPanel } from '../src/screens/search/filter-panel.js';

afterEach(cleanup);

const FACETS: Facets = {
  filter_name: [
    { value: 'R', count: 12 },
    { value: 'Ha', count: 3 },
  ],
  object_name: [{ value: 'M 13', count: 9 }],
  telescope: [{ value: 'Winer 0.5m', count: 15 }],
  camera: [{ value: 'ZWO ASI294MM Pro', count: 15 }],
  instrument: [],
  night: [{ value: '2024-05-01', count: 15 }],
  exact: true,
  image_type: [
    { value: 'light', count: 13 },
    { value: 'dark', count: 2 },
  ],
};

describe('VirtualList', () => {
  it('puts only the rows in view (and the overscan) in the DOM, and reports the range', () => {
    const ranges: Array<[number, number]> = [];
    const { container } = render(
      <VirtualList
        label="rows"
        count={100_000}
        rowHeight={20}
        overscan={5}
        initialHeight={200}
        onRangeChange={(a, b) => ranges.push([a, b])}
        renderRow={(i, style) => (
          <div key={i} style={style} data-row={i}>
            row {i}
          </div>
        )}
      />,
    );
    const rows = container.querySelectorAll('[data-row]');
    // 200 px / 20 px = 10 rows in view, 5 more below (none above at the top).
    expect(rows.length).toBe(15);
    expect(ranges.at(-1)).toEqual([0, 15]);
    const body = container.querySelector('.vlist-body') as HTMLElement;
    expect(body.style.height).toBe(`${100_000 * 20}px`);

    const scroller = screen.getByLabelText('rows');
    scroller.scrollTop = 20_000;
    fireEvent.scroll(scroller);
    expect(ranges.at(-1)).toEqual([995, 1015]);
    expect(screen.queryByText('row 1000')).not.toBeNull();
    expect(screen.queryByText('row 0')).toBeNull();
  });
});

describe('FilterPanel', () => {
  it('shows filter chips with their counts and picks one', () => {
    const onChange = vi.fn();
    render(<FilterPanel filters={{ night: '2024-05-01' }} facets={FACETS} onChange={onChange} />);
    const ha = screen.getByRole('button', { name: 'Ha 3' });
    expect(ha.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(ha);
    expect(onChange).toHaveBeenLastCalledWith({ night: '2024-05-01', filter_name: 'Ha' });
  });

  it('unpicks the chosen chip, whatever its case', () => {
    const onChange = vi.fn();
    render(<FilterPanel filters={{ filter_name: 'ha' }} facets={FACETS} onChange={onChange} />);
    const ha = screen.getByRole('button', { name: 'Ha 3' });
    expect(ha.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(ha);
    expect(onChange).toHaveBeenLastCalledWith({});
  });

  it('takes sexagesimal RA on Enter, and refuses what is not an angle without sending it', () => {
    const onChange = vi.fn();
    render(<FilterPanel filters={{}} facets={FACETS} onChange={onChange} />);
    const ra = screen.getByRole('textbox', { name: 'RA' });
    fireEvent.change(ra, { target: { value: '10 19 39' } });
    fireEvent.keyDown(ra, { key: 'Enter' });
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange.mock.calls[0]![0].ra).toBeCloseTo(154.9125, 9);

    const dec = screen.getByRole('textbox', { name: 'Dec' });
    fireEvent.change(dec, { target: { value: '+95:00:00' } });
    fireEvent.keyDown(dec, { key: 'Enter' });
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(dec.getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByText(/Dec: "\+19:52:12" or degrees/)).not.toBeNull();
  });

  it('commits typed text after a pause, not on every key', () => {
    vi.useFakeTimers();
    try {
      const onChange = vi.fn();
      render(<FilterPanel filters={{}} facets={FACETS} onChange={onChange} />);
      const min = screen.getByRole('textbox', { name: 'Min' });
      fireEvent.change(min, { target: { value: '-2' } });
      fireEvent.change(min, { target: { value: '-20' } });
      expect(onChange).not.toHaveBeenCalled();
      act(() => {
        vi.advanceTimersByTime(500);
      });
      expect(onChange).toHaveBeenCalledTimes(1);
      expect(onChange).toHaveBeenLastCalledWith({ min_temp: -20 });
    } finally {
      vi.useRealTimers();
    }
  });

  it('offers the facets as choices with counts', () => {
    render(<FilterPanel filters={{}} facets={FACETS} onChange={() => {}} />);
    const camera = screen.getByRole('combobox', { name: 'Camera' }) as HTMLSelectElement;
    expect(Array.from(camera.options).map((o) => o.text)).toEqual(['Any', 'ZWO ASI294MM Pro (15)']);
    const types = screen.getByRole('group', { name: 'Image type' });
    expect(
      within(types)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['light 13', 'dark 2']);
  });
});

describe('QualityPanel', () => {
  it('explains a score by its components and names a failed gate', () => {
    const image = {
      id: 1,
      quality_score: 20,
      quality_flag: false,
      quality_components: {
        mode: 'relative',
        comparables: 12,
        threshold: 60,
        gate_cap: 20,
        components: {
          fwhm: { value: 4.2, weight: 0.35, score: 40, median: 3.1 },
          star_count: { value: 3, weight: 0.3, score: 0, median: 40 },
        },
        gates: {
          star_collapse: { failed: true, value: 3, limit: 12 },
          trailing: { failed: false, value: 0.2, limit: 0.7 },
        },
      },
      header: [],
      paths: [],
      previous_versions: [],
      normalization: null,
    } as unknown as ImageDetail;
    render(<QualityPanel image={image} />);
    expect(screen.queryByText(/Compared with 12 frames/)).not.toBeNull();
    const fwhm = screen.getByText('FWHM (seeing)').closest('tr')!;
    expect(
      within(fwhm)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['FWHM (seeing)', '4.20', '3.10', '35%', '40']);
    expect(screen.getByText(/Star count collapsed vs comparable frames — failed/).textContent).toContain('limit 12.00');
  });

  it('says why a calibration frame has no score', () => {
    const image = {
      id: 2,
      quality_score: null,
      quality_components: { mode: 'calibration', reason: 'calibration frames are not scored' },
    } as unknown as ImageDetail;
    render(<QualityPanel image={image} />);
    expect(screen.queryByText('Not scored: calibration frames are not scored.')).not.toBeNull();
  });
});

describe('plots', () => {
  it('chooses round ticks', () => {
    expect(niceTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(-21.3, -9.7, 4)).toEqual([-20, -15, -10]);
    expect(niceTicks(0.013, 0.061, 4)).toEqual([0.02, 0.04, 0.06]);
  });

  it('describes a series for screen readers and draws a point per value', () => {
    const t0 = Date.parse('2024-05-01T21:00:00Z');
    const { container } = render(
      <SeriesPlot
        title="CCD temperature"
        unit="°C"
        points={[
          { x: t0, y: -10 },
          { x: t0 + 3_600_000, y: -15 },
          { x: t0 + 7_200_000, y: Number.NaN },
        ]}
      />,
    );
    expect(screen.getByRole('img', { name: /CCD temperature/ }).tagName.toLowerCase()).toBe('svg');
    expect(container.querySelectorAll('circle').length).toBe(2);
    expect(container.querySelector('desc')?.textContent).toBe('2 values from -15.00 to -10.00 °C');
    expect(Array.from(container.querySelectorAll('text.tick')).map((t) => t.textContent)).toContain('22:00');
  });

  it('places pointings east-left on the sky map', () => {
    const { container } = render(
      <SkyMap
        pointings={[
          { label: 'AD Leo', ra: 154.9, dec: 19.87, count: 7, group: 0 },
          { label: 'M 13', ra: 250.42, dec: 36.46, count: 7, group: 1 },
        ]}
      />,
    );
    const x = (label: string) =>
      Number(screen.getByText(label).closest('g')!.querySelector('circle')!.getAttribute('cx'));
    // Higher RA sits further left.
    expect(x('M 13')).toBeLessThan(x('AD Leo'));
    expect(container.querySelector('desc')?.textContent).toContain('M 13: 7 frames at RA 16.69 h, Dec 36.5°');
  });
});

describe('audit details', () => {
  it('reads role and activity changes as from → to', async () => {
    const { auditDetails } = await import('../src/screens/admin/audit-panel.js');
    expect(
      auditDetails({
        details: {
          email: 'a@b.org',
          changes: { is_active: { from: true, to: false }, role: { from: 'user', to: 'admin' } },
        },
      }),
    ).toBe('email: a@b.org · is_active: true → false · role: user → admin');
    expect(auditDetails({ details: { files: 3, ids: [5, 4] } })).toBe('files: 3 · ids: [5,4]');
    expect(auditDetails({ details: null })).toBe('');
  });
});
